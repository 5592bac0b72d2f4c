/*
 * Electronic licences through the C ABI: every case of test-vectors/licence/ (made by
 * tests/licence.rs: an OFD and a PDF licence issued from a template and sealed by its
 * authority, and one defective variant per licence check) verified with eseal_verify_named at
 * 2026-01-01, and the cases of test-vectors/licence/py/ (made by the independent generator
 * gen.py) at 2026-12-15; the report JSON must carry the licence check with the expected status,
 * and a failing case must fail no other licence check.
 *
 * usage: test_licence REPO_ROOT
 */
#include "common.h"

static const char *const ALL[] = {
    "licence.metadata_protected", "licence.identifier", "licence.codes",
    "licence.issuer_matches_seal", "licence.validity",  "licence.consistency",
};

static const struct {
    const char *file, *check, *status;
} CASES[] = {
    {"good.ofd", "licence.metadata_protected", "pass"},
    {"good.ofd", "licence.identifier", "pass"},
    {"good.ofd", "licence.codes", "pass"},
    {"good.ofd", "licence.issuer_matches_seal", "pass"},
    {"good.ofd", "licence.validity", "pass"},
    {"good.ofd", "licence.consistency", "pass"},
    {"tampered_field.ofd", "licence.metadata_protected", "fail"},
    {"wrong_check_character.ofd", "licence.identifier", "fail"},
    {"bad_holder_code.ofd", "licence.codes", "fail"},
    {"other_authority.ofd", "licence.issuer_matches_seal", "fail"},
    {"expired.ofd", "licence.validity", "fail"},
    {"page_differs.ofd", "licence.consistency", "fail"},
    {"identifier_on_page_only.ofd", "licence.identifier", "pass"},
    {"good.pdf", "licence.metadata_protected", "pass"},
    {"good.pdf", "licence.identifier", "pass"},
    {"good.pdf", "licence.codes", "pass"},
    {"good.pdf", "licence.issuer_matches_seal", "pass"},
    {"good.pdf", "licence.validity", "pass"},
    {"good.pdf", "licence.consistency", "pass"},
    {"tampered_field.pdf", "licence.metadata_protected", "fail"},
    {"wrong_check_character.pdf", "licence.identifier", "fail"},
    {"bad_holder_code.pdf", "licence.codes", "fail"},
    {"other_authority.pdf", "licence.issuer_matches_seal", "fail"},
    {"expired.pdf", "licence.validity", "fail"},
    {"page_differs.pdf", "licence.consistency", "fail"},
    {"identifier_on_page_only.pdf", "licence.identifier", "pass"},
};

/* test-vectors/licence/py/ (gen.py), verified at its manifest's reference time. */
#define T_PY 1797292800LL /* 2026-12-15T00:00:00Z */
static const struct {
    const char *file, *check, *status;
} PY_CASES[] = {
    {"custom_datas.ofd", "licence.metadata_protected", "pass"},
    {"custom_datas.ofd", "licence.identifier", "pass"},
    {"custom_datas.ofd", "licence.codes", "pass"},
    {"custom_datas.ofd", "licence.issuer_matches_seal", "pass"},
    {"custom_datas.ofd", "licence.validity", "pass"},
    {"custom_datas.ofd", "licence.consistency", "pass"},
    {"custom_tag.ofd", "licence.consistency", "pass"},
    {"page_only.ofd", "licence.identifier", "pass"},
    {"tampered_field.ofd", "licence.metadata_protected", "fail"},
    {"wrong_check_character.ofd", "licence.identifier", "fail"},
    {"bad_holder_code.ofd", "licence.codes", "fail"},
    {"other_authority.ofd", "licence.issuer_matches_seal", "fail"},
    {"expired.ofd", "licence.validity", "fail"},
    {"page_differs.ofd", "licence.consistency", "fail"},
};

/* Whether `json` holds the check `id` with `status`. The report JSON writes a check's keys in
 * order id, message, status; quotes inside the message are escaped, so the first `"status":"`
 * after the id is the check's own. */
static int has_check(const char *json, const char *id, const char *status) {
    char key[256];
    snprintf(key, sizeof key, "{\"id\":\"%s\",", id);
    const char *at = strstr(json, key);
    if (!at) return 0;
    const char *st = strstr(at, "\"status\":\"");
    if (!st) return 0;
    st += strlen("\"status\":\"");
    return strncmp(st, status, strlen(status)) == 0 && st[strlen(status)] == '"';
}

/* Verifies one case with `v`; checks the status of `check` and that a failing case fails no
 * other licence check. */
static void one_case(eseal_verifier *v, const char *dir, const char *file, const char *check,
                     const char *status) {
    char rel[256];
    size_t n;
    snprintf(rel, sizeof rel, "%s/%s", dir, file);
    unsigned char *doc = read_file(rel, &n);
    eseal_report *r = NULL;
    CHECK_RC(eseal_verify_named(v, file, doc, n, &r), ESEAL_RESULT_OK);
    const char *json = report_json(r);
    if (!has_check(json, check, status)) {
        fprintf(stderr, "%s: %s is not %s\n", rel, check, status);
    }
    CHECK(has_check(json, check, status));
    CHECK(strstr(json, "\"licence\":{") != NULL);
    if (strcmp(status, "fail") == 0) {
        for (size_t k = 0; k < sizeof ALL / sizeof ALL[0]; k++) {
            if (strcmp(ALL[k], check) != 0) CHECK(!has_check(json, ALL[k], "fail"));
        }
        CHECK(eseal_report_verdict(r) == ESEAL_VERDICT_INVALID);
    }
    eseal_report_free(r);
    free(doc);
}

int main(int argc, char **argv) {
    if (argc > 1) repo_root = argv[1];
    eseal_verifier *v = NULL;
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    size_t n;
    unsigned char *root = read_file("test-vectors/licence/root.pem", &n);
    CHECK_RC(eseal_verifier_add_trust_pem(v, root, n), ESEAL_RESULT_OK);
    free(root);
    unsigned char *other = read_file("test-vectors/licence/other-root.pem", &n);
    CHECK_RC(eseal_verifier_add_trust_pem(v, other, n), ESEAL_RESULT_OK);
    free(other);
    CHECK_RC(eseal_verifier_set_time(v, T_2026), ESEAL_RESULT_OK);
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        one_case(v, "test-vectors/licence", CASES[i].file, CASES[i].check, CASES[i].status);
    }
    eseal_verifier_free(v);

    v = NULL;
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    unsigned char *py_root = read_file("test-vectors/licence/py/root.pem", &n);
    CHECK_RC(eseal_verifier_add_trust_pem(v, py_root, n), ESEAL_RESULT_OK);
    free(py_root);
    CHECK_RC(eseal_verifier_set_time(v, T_PY), ESEAL_RESULT_OK);
    for (size_t i = 0; i < sizeof PY_CASES / sizeof PY_CASES[0]; i++) {
        one_case(v, "test-vectors/licence/py", PY_CASES[i].file, PY_CASES[i].check,
                 PY_CASES[i].status);
    }
    eseal_verifier_free(v);
    return finish("test_licence");
}
