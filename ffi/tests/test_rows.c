/* Tests of batch verification into table rows: eseal_rows_verify_files / _inputs, the cells,
 * the packed buffer, and argument errors. */
#include "common.h"

#include <stdint.h>

/* A malloc'd copy of `s` (strdup is not C11). */
static char *copy(const char *s) {
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (!c) exit(2);
    return memcpy(c, s, n);
}

#define SENTINEL ((void *)0x5a5a)

/* The cell as a malloc'd copy ("(null)" for a NULL cell), checking get's contract. */
static char *cell(const eseal_rows *t, size_t row, size_t column) {
    const char *text = SENTINEL;
    size_t len = 99;
    CHECK_RC(eseal_rows_get(t, row, column, &text, &len), ESEAL_RESULT_OK);
    if (text == NULL) {
        CHECK(len == 0);
        return copy("(null)");
    }
    CHECK(text != SENTINEL && strlen(text) == len);
    return copy(text);
}

/* Checks that cell (row, column) equals `want` ("(null)" for NULL). */
static void check_cell(const eseal_rows *t, size_t row, size_t column, const char *want) {
    char *got = cell(t, row, column);
    if (strcmp(got, want) != 0) {
        failures++;
        fprintf(stderr, "row %zu column %zu: got \"%.200s\", want \"%s\"\n", row, column, got, want);
    }
    free(got);
}

/* Walks the packed buffer and checks that it holds exactly the cells eseal_rows_get gives. */
static void check_packed(const eseal_rows *t) {
    const uint8_t *p = NULL;
    size_t len = 0;
    CHECK_RC(eseal_rows_packed(t, &p, &len), ESEAL_RESULT_OK);
    size_t at = 0;
    for (size_t r = 0; r < eseal_rows_count(t); r++) {
        for (size_t c = 0; c < ESEAL_COLUMN_COUNT; c++) {
            CHECK(at + 4 <= len);
            uint32_t n = (uint32_t)p[at] | (uint32_t)p[at + 1] << 8 | (uint32_t)p[at + 2] << 16 |
                         (uint32_t)p[at + 3] << 24;
            at += 4;
            const char *text = NULL;
            size_t tlen = 0;
            CHECK_RC(eseal_rows_get(t, r, c, &text, &tlen), ESEAL_RESULT_OK);
            if (n == UINT32_MAX) {
                CHECK(text == NULL);
                continue;
            }
            CHECK(text == (const char *)p + at && tlen == n && p[at + n] == 0);
            at += n + 1;
        }
    }
    CHECK(at == len);
}

int main(int argc, char **argv) {
    if (argc > 1) repo_root = argv[1];
    eseal_verifier *v = NULL;
    size_t n;
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    /* Trust anchor, intermediate and the intermediate's CRL. */
    static const struct {
        eseal_result (*add)(eseal_verifier *, const uint8_t *, size_t);
        const char *file;
    } material[] = {{eseal_verifier_add_trust_pem, "root.pem"},
                    {eseal_verifier_add_intermediate_pem, "inter.pem"},
                    {eseal_verifier_add_crl, "inter_crl.pem"}};
    unsigned char *pem;
    for (size_t i = 0; i < sizeof material / sizeof material[0]; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "test-vectors/chains/%s", material[i].file);
        pem = read_file(rel, &n);
        CHECK_RC(material[i].add(v, pem, n), ESEAL_RESULT_OK);
        free(pem);
    }
    CHECK_RC(eseal_verifier_set_time(v, T_2026), ESEAL_RESULT_OK);

    /* Files read by the library: a valid and a revoked certificate, a missing file. */
    char leaf[4096], revoked[4096], missing[4096];
    snprintf(leaf, sizeof leaf, "%s/test-vectors/chains/leaf.pem", repo_root);
    snprintf(revoked, sizeof revoked, "%s/test-vectors/chains/revoked.pem", repo_root);
    snprintf(missing, sizeof missing, "%s/test-vectors/chains/no-such-file.pem", repo_root);
    eseal_file files[3] = {{leaf, NULL}, {revoked, "hdfs://archive/revoked.pem"}, {missing, NULL}};
    eseal_rows *t = NULL;
    CHECK_RC(eseal_rows_verify_files(v, files, 3, 2, &t), ESEAL_RESULT_OK);
    CHECK(eseal_rows_count(t) == 3);
    check_cell(t, 0, ESEAL_COLUMN_INPUT, "0");
    check_cell(t, 0, ESEAL_COLUMN_PATH, leaf);
    check_cell(t, 0, ESEAL_COLUMN_KIND, "cert");
    check_cell(t, 0, ESEAL_COLUMN_VERDICT, "valid");
    check_cell(t, 0, ESEAL_COLUMN_FAILING_CHECKS, "");
    check_cell(t, 0, ESEAL_COLUMN_SIGNATURE_COUNT, "0");
    check_cell(t, 0, ESEAL_COLUMN_SEAL_ID, "(null)");
    check_cell(t, 0, ESEAL_COLUMN_LICENCE, "(null)");
    check_cell(t, 0, ESEAL_COLUMN_ERROR, "(null)");
    char *subject = cell(t, 0, ESEAL_COLUMN_SIGNER_SUBJECT);
    CHECK(strstr(subject, "CN=") != NULL);
    free(subject);
    check_cell(t, 1, ESEAL_COLUMN_INPUT, "1");
    check_cell(t, 1, ESEAL_COLUMN_PATH, "hdfs://archive/revoked.pem");
    check_cell(t, 1, ESEAL_COLUMN_VERDICT, "invalid");
    check_cell(t, 1, ESEAL_COLUMN_FAILING_CHECKS, "cert.revocation");
    check_cell(t, 2, ESEAL_COLUMN_INPUT, "2");
    check_cell(t, 2, ESEAL_COLUMN_KIND, "unknown");
    check_cell(t, 2, ESEAL_COLUMN_VERDICT, "invalid");
    check_cell(t, 2, ESEAL_COLUMN_FAILING_CHECKS, "format");
    char *error = cell(t, 2, ESEAL_COLUMN_ERROR);
    CHECK(strstr(error, "I/O") != NULL);
    free(error);
    /* The report column is the report eseal_verify_named gives for the same bytes and name. */
    pem = read_file("test-vectors/chains/revoked.pem", &n);
    eseal_report *r = NULL;
    CHECK_RC(eseal_verify_named(v, "hdfs://archive/revoked.pem", pem, n, &r), ESEAL_RESULT_OK);
    check_cell(t, 1, ESEAL_COLUMN_REPORT, report_json(r));
    eseal_report_free(r);
    free(pem);
    check_packed(t);
    eseal_rows_free(t);

    /* Inputs in memory: a PEM bundle of two certificates gives two rows, junk an error row. */
    size_t leaf_len = 0, revoked_len = 0;
    unsigned char *a = read_file("test-vectors/chains/leaf.pem", &leaf_len);
    unsigned char *b = read_file("test-vectors/chains/revoked.pem", &revoked_len);
    size_t bundle_len = leaf_len + revoked_len;
    unsigned char *bundle = malloc(bundle_len);
    memcpy(bundle, a, leaf_len);
    memcpy(bundle + leaf_len, b, revoked_len);
    free(a);
    free(b);
    eseal_input inputs[2] = {{bundle, bundle_len, "bundle.pem"}, {(const uint8_t *)"junk", 4, NULL}};
    CHECK_RC(eseal_rows_verify_inputs(v, inputs, 2, 0, &t), ESEAL_RESULT_OK);
    CHECK(eseal_rows_count(t) == 3);
    check_cell(t, 0, ESEAL_COLUMN_REPORT_INDEX, "0");
    check_cell(t, 0, ESEAL_COLUMN_VERDICT, "valid");
    check_cell(t, 1, ESEAL_COLUMN_INPUT, "0");
    check_cell(t, 1, ESEAL_COLUMN_REPORT_INDEX, "1");
    check_cell(t, 1, ESEAL_COLUMN_PATH, "bundle.pem#2");
    check_cell(t, 1, ESEAL_COLUMN_VERDICT, "invalid");
    check_cell(t, 2, ESEAL_COLUMN_INPUT, "1");
    check_cell(t, 2, ESEAL_COLUMN_PATH, "#1");
    check_cell(t, 2, ESEAL_COLUMN_KIND, "unknown");
    check_packed(t);
    eseal_rows_free(t);
    free(bundle);

    /* Argument errors: nothing is written on failure. */
    t = SENTINEL;
    CHECK_RC(eseal_rows_verify_files(NULL, files, 1, 1, &t), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_rows_verify_files(v, NULL, 1, 1, &t), ESEAL_RESULT_NULL_POINTER);
    eseal_file bad[2] = {{leaf, NULL}, {NULL, "x"}};
    CHECK_RC(eseal_rows_verify_files(v, bad, 2, 1, &t), ESEAL_RESULT_NULL_POINTER);
    CHECK(strstr(last_error(), "files[1].path") != NULL);
    eseal_input nodata = {NULL, 0, NULL};
    CHECK_RC(eseal_rows_verify_inputs(v, &nodata, 1, 1, &t), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_rows_verify_inputs(v, inputs, 1, 1, NULL), ESEAL_RESULT_NULL_POINTER);
    CHECK(t == SENTINEL);
    /* An empty call gives an empty table. */
    CHECK_RC(eseal_rows_verify_files(v, NULL, 0, 0, &t), ESEAL_RESULT_OK);
    CHECK(t != SENTINEL && eseal_rows_count(t) == 0);
    const char *text = SENTINEL;
    size_t len = 0;
    CHECK_RC(eseal_rows_get(t, 0, 0, &text, &len), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK(text == SENTINEL);
    check_packed(t);
    eseal_rows_free(t);
    CHECK(eseal_rows_count(NULL) == 0);
    CHECK_RC(eseal_rows_get(NULL, 0, 0, &text, &len), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_rows_packed(NULL, (const uint8_t **)&text, &len), ESEAL_RESULT_NULL_POINTER);
    eseal_rows_free(NULL);
    eseal_verifier_free(v);
    return finish("test_rows");
}
