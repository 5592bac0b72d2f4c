/*
 * Electronic licences through the C ABI: every case of test-vectors/licence/ (made by
 * tests/licence.rs: a licence issued from a template and sealed by its authority, and one
 * defective variant per licence check) verified with eseal_verify_named at 2026-01-01; the
 * report JSON must carry the licence check with the expected status, and a failing case must
 * fail no other licence check.
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
        char rel[256];
        snprintf(rel, sizeof rel, "test-vectors/licence/%s", CASES[i].file);
        unsigned char *doc = read_file(rel, &n);
        eseal_report *r = NULL;
        CHECK_RC(eseal_verify_named(v, CASES[i].file, doc, n, &r), ESEAL_RESULT_OK);
        const char *json = report_json(r);
        if (!has_check(json, CASES[i].check, CASES[i].status)) {
            fprintf(stderr, "%s: %s is not %s\n", CASES[i].file, CASES[i].check, CASES[i].status);
        }
        CHECK(has_check(json, CASES[i].check, CASES[i].status));
        CHECK(strstr(json, "\"licence\":{") != NULL);
        if (strcmp(CASES[i].status, "fail") == 0) {
            for (size_t k = 0; k < sizeof ALL / sizeof ALL[0]; k++) {
                if (strcmp(ALL[k], CASES[i].check) != 0) CHECK(!has_check(json, ALL[k], "fail"));
            }
            CHECK(eseal_report_verdict(r) == ESEAL_VERDICT_INVALID);
        }
        eseal_report_free(r);
        free(doc);
    }
    eseal_verifier_free(v);
    return finish("test_licence");
}
