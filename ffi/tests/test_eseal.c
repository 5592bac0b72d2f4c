/*
 * Every function of libeseal, with its success and error paths: NULL arguments, bad input,
 * tiny buffers, wrong passwords, callbacks that fail. Outputs must be left untouched on
 * failure. Run by ffi/tests/run.sh under AddressSanitizer and under Valgrind.
 *
 * usage: test_eseal REPO_ROOT
 */
#include "common.h"

#include <stdint.h>

/* A pointer value that no function may write: outputs are written only on success. */
#define SENTINEL ((void *)0x5a5a)

static eseal_verifier *chain_verifier(int with_crls) {
    eseal_verifier *v = NULL;
    size_t n;
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    unsigned char *root = read_file("test-vectors/chains/root.pem", &n);
    CHECK_RC(eseal_verifier_add_trust_pem(v, root, n), ESEAL_RESULT_OK);
    free(root);
    unsigned char *inter = read_file("test-vectors/chains/inter.pem", &n);
    CHECK_RC(eseal_verifier_add_intermediate_pem(v, inter, n), ESEAL_RESULT_OK);
    free(inter);
    if (with_crls) {
        unsigned char *crl = read_file("test-vectors/chains/inter_crl.pem", &n);
        CHECK_RC(eseal_verifier_add_crl(v, crl, n), ESEAL_RESULT_OK);
        free(crl);
        crl = read_file("test-vectors/chains/root_crl.pem", &n);
        CHECK_RC(eseal_verifier_add_crl(v, crl, n), ESEAL_RESULT_OK);
        free(crl);
    }
    CHECK_RC(eseal_verifier_set_time(v, T_2026), ESEAL_RESULT_OK);
    return v;
}

/* Verifies test-vectors/chains/<name> and returns the verdict; checks the JSON mentions
 * `needle` when it is not NULL. */
static eseal_verdict verify_file(const eseal_verifier *v, const char *name, const char *needle) {
    char rel[256];
    size_t n;
    snprintf(rel, sizeof rel, "test-vectors/chains/%s", name);
    unsigned char *data = read_file(rel, &n);
    eseal_report *r = NULL;
    CHECK_RC(eseal_verify(v, data, n, &r), ESEAL_RESULT_OK);
    free(data);
    eseal_verdict verdict = eseal_report_verdict(r);
    if (needle) {
        const char *json = report_json(r);
        if (!strstr(json, needle)) {
            fprintf(stderr, "%s: %s not in %s\n", name, needle, json);
        }
        CHECK(strstr(json, needle) != NULL);
    }
    eseal_report_free(r);
    return verdict;
}

static void test_version_and_messages(void) {
    const char *v = eseal_version();
    CHECK(v != NULL && strlen(v) >= 5 && v[0] >= '0' && v[0] <= '9');

    char buf[64];
    size_t written = 999;
    eseal_result_message(ESEAL_RESULT_OK, buf, sizeof buf, &written);
    CHECK(strcmp(buf, "success") == 0 && written == 7);
    eseal_result_message(ESEAL_RESULT_WRONG_PASSWORD, buf, sizeof buf, &written);
    CHECK(strcmp(buf, "wrong password") == 0 && written == strlen("wrong password"));
    eseal_result_message(ESEAL_RESULT_NULL_POINTER, buf, sizeof buf, &written);
    CHECK(strstr(buf, "NULL") != NULL);
    eseal_result_message(4242, buf, sizeof buf, &written);
    CHECK(strcmp(buf, "unknown result code 4242") == 0);
    eseal_result_message(0xffffffffu, buf, sizeof buf, &written);
    CHECK(strcmp(buf, "unknown result code 4294967295") == 0);

    /* Tiny buffers: always NUL-terminated, cut, never overrun. */
    memset(buf, 'x', sizeof buf);
    eseal_result_message(ESEAL_RESULT_OK, buf, 4, &written);
    CHECK(written == 3 && memcmp(buf, "suc", 4) == 0 && buf[4] == 'x');
    memset(buf, 'x', sizeof buf);
    eseal_result_message(ESEAL_RESULT_OK, buf, 1, &written);
    CHECK(written == 0 && buf[0] == '\0' && buf[1] == 'x');
    memset(buf, 'x', sizeof buf);
    eseal_result_message(ESEAL_RESULT_OK, buf, 0, &written);
    CHECK(written == 0 && buf[0] == 'x');
    eseal_result_message(ESEAL_RESULT_OK, NULL, 100, &written);
    CHECK(written == 0);
    eseal_result_message(ESEAL_RESULT_OK, buf, sizeof buf, NULL);
    CHECK(strcmp(buf, "success") == 0);
}

static void test_last_error(void) {
    eseal_verifier *v = SENTINEL;
    CHECK_RC(eseal_verifier_new(NULL), ESEAL_RESULT_NULL_POINTER);
    CHECK(eseal_last_error_length() > 0);
    CHECK(strstr(last_error(), "out is NULL") != NULL);

    /* Truncation of the detail. */
    char small[5];
    size_t written = 0;
    eseal_last_error_message(small, sizeof small, &written);
    CHECK(written == 4 && small[4] == '\0' && strncmp(small, "out ", 4) == 0);
    eseal_last_error_message(NULL, 0, &written);
    CHECK(written == 0);

    /* A successful fallible call clears it; a non-fallible call leaves it. */
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    CHECK(eseal_last_error_length() == 0 && strcmp(last_error(), "") == 0);
    CHECK_RC(eseal_verifier_add_trust_pem(v, (const uint8_t *)"junk", 4),
             ESEAL_RESULT_MALFORMED_CERTIFICATE);
    size_t before = eseal_last_error_length();
    CHECK(before > 0);
    (void)eseal_version();
    (void)eseal_report_verdict(NULL);
    CHECK(eseal_last_error_length() == before);
    eseal_verifier_free(v);
}

static void test_verifier(void) {
    eseal_verifier *v = chain_verifier(1);
    CHECK(verify_file(v, "leaf.pem", "\"verdict\":\"valid\"") == ESEAL_VERDICT_VALID);
    CHECK(verify_file(v, "revoked.pem", "cert.revocation") == ESEAL_VERDICT_INVALID);
    CHECK(verify_file(v, "expired.pem", "cert.validity") == ESEAL_VERDICT_INVALID);
    CHECK(verify_file(v, "other_leaf.pem", "cert.chain") == ESEAL_VERDICT_INDETERMINATE);

    /* Reference time: the expired leaf was still valid in mid-2021. */
    CHECK_RC(eseal_verifier_set_time(v, 1622505600LL), ESEAL_RESULT_OK);
    CHECK(verify_file(v, "expired.pem", "\"warn\"") == ESEAL_VERDICT_VALID);
    CHECK_RC(eseal_verifier_set_time(v, INT64_MAX), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_verifier_set_time(v, INT64_MIN), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_verifier_set_time(v, 253402300800LL), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_verifier_set_time(v, T_2026), ESEAL_RESULT_OK);

    /* Bad configuration input. */
    CHECK_RC(eseal_verifier_add_trust_pem(v, (const uint8_t *)"", 0),
             ESEAL_RESULT_MALFORMED_CERTIFICATE);
    CHECK_RC(eseal_verifier_add_intermediate_pem(v, (const uint8_t *)"\x30\x03\x02\x01", 4),
             ESEAL_RESULT_MALFORMED_CERTIFICATE);
    CHECK_RC(eseal_verifier_add_crl(v, (const uint8_t *)"not a crl", 9), ESEAL_RESULT_MALFORMED_CRL);
    CHECK_RC(eseal_verifier_add_trust_pem(v, NULL, 10), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_verifier_add_intermediate_pem(NULL, (const uint8_t *)"x", 1),
             ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_verifier_add_crl(v, NULL, 0), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_verifier_set_time(NULL, 0), ESEAL_RESULT_NULL_POINTER);
    /* The failed additions changed nothing. */
    CHECK(verify_file(v, "leaf.pem", NULL) == ESEAL_VERDICT_VALID);

    /* Garbage input is not an error: its report says why it cannot be verified. */
    eseal_report *r = NULL;
    CHECK_RC(eseal_verify(v, (const uint8_t *)"hello", 5, &r), ESEAL_RESULT_OK);
    CHECK(eseal_report_verdict(r) == ESEAL_VERDICT_INVALID);
    CHECK(strstr(report_json(r), "\"error\":\"input of unknown kind") != NULL);
    eseal_report_free(r);
    r = NULL;
    CHECK_RC(eseal_verify(v, (const uint8_t *)"", 0, &r), ESEAL_RESULT_OK);
    CHECK(eseal_report_verdict(r) == ESEAL_VERDICT_INVALID);
    eseal_report_free(r);

    /* Errors leave the output alone. */
    eseal_report *untouched = SENTINEL;
    CHECK_RC(eseal_verify(NULL, (const uint8_t *)"x", 1, &untouched), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_verify(v, NULL, 1, &untouched), ESEAL_RESULT_NULL_POINTER);
    CHECK(untouched == SENTINEL);
    CHECK_RC(eseal_verify(v, (const uint8_t *)"x", 1, NULL), ESEAL_RESULT_NULL_POINTER);

    /* Named reports and PEM bundles (one report per certificate). */
    size_t n1, n2;
    unsigned char *leaf = read_file("test-vectors/chains/leaf.pem", &n1);
    unsigned char *revoked = read_file("test-vectors/chains/revoked.pem", &n2);
    unsigned char *bundle = malloc(n1 + n2);
    memcpy(bundle, leaf, n1);
    memcpy(bundle + n1, revoked, n2);
    r = NULL;
    CHECK_RC(eseal_verify_named(v, "bundle.pem", bundle, n1 + n2, &r), ESEAL_RESULT_OK);
    CHECK(eseal_report_count(r) == 2);
    CHECK(eseal_report_verdict(r) == ESEAL_VERDICT_INVALID); /* combined: one is revoked */
    const char *json = NULL;
    size_t len = 0;
    CHECK_RC(eseal_report_json_at(r, 0, &json, &len), ESEAL_RESULT_OK);
    CHECK(json != NULL && strlen(json) == len && strstr(json, "\"path\":\"bundle.pem\""));
    CHECK(strstr(json, "\"verdict\":\"valid\"") != NULL);
    CHECK_RC(eseal_report_json_at(r, 1, &json, &len), ESEAL_RESULT_OK);
    CHECK(strstr(json, "\"path\":\"bundle.pem#2\"") && strstr(json, "\"verdict\":\"invalid\""));
    const char *j2 = NULL;
    size_t l2 = 0;
    CHECK_RC(eseal_report_json_at(r, 1, &j2, &l2), ESEAL_RESULT_OK);
    CHECK(j2 == json && l2 == len); /* borrowed: the same text each time */
    const char *keep = SENTINEL;
    size_t keep_len = 77;
    CHECK_RC(eseal_report_json_at(r, 2, &keep, &keep_len), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK(keep == SENTINEL && keep_len == 77);
    CHECK_RC(eseal_report_json(r, NULL, &len), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_report_json(r, &json, NULL), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_report_json(NULL, &json, &len), ESEAL_RESULT_NULL_POINTER);
    eseal_report_free(r);
    CHECK_RC(eseal_verify_named(v, NULL, leaf, n1, &r), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_verify_named(v, "\xff\xfe", leaf, n1, &r), ESEAL_RESULT_INVALID_ARGUMENT);
    free(bundle);
    free(revoked);
    free(leaf);

    CHECK(eseal_report_verdict(NULL) == ESEAL_VERDICT_INVALID);
    CHECK(eseal_report_count(NULL) == 0);
    eseal_report_free(NULL);
    eseal_verifier_free(v);
    eseal_verifier_free(NULL);

    /* No trust anchors: the chain cannot be decided. */
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    CHECK(verify_file(v, "leaf.pem", "indeterminate") == ESEAL_VERDICT_INDETERMINATE);
    eseal_verifier_free(v);
}

static void test_batch(void) {
    eseal_verifier *v = chain_verifier(1);
    const char *names[] = {"leaf.pem", "revoked.pem", "expired.pem", "other_leaf.pem", "notyet.pem"};
    const eseal_verdict want[] = {ESEAL_VERDICT_VALID, ESEAL_VERDICT_INVALID, ESEAL_VERDICT_INVALID,
                                  ESEAL_VERDICT_INDETERMINATE, ESEAL_VERDICT_INVALID};
    enum { N = 5, COPIES = 8 };
    eseal_input inputs[N * COPIES + 1];
    unsigned char *files[N];
    for (int i = 0; i < N; i++) {
        char rel[256];
        size_t n;
        snprintf(rel, sizeof rel, "test-vectors/chains/%s", names[i]);
        files[i] = read_file(rel, &n);
        for (int c = 0; c < COPIES; c++) {
            inputs[c * N + i].data = files[i];
            inputs[c * N + i].len = n;
            inputs[c * N + i].name = c == 0 ? names[i] : NULL;
        }
    }
    inputs[N * COPIES].data = (const uint8_t *)"garbage";
    inputs[N * COPIES].len = 7;
    inputs[N * COPIES].name = "garbage";
    const size_t total = N * COPIES + 1;

    size_t threads[] = {0, 1, 3, 8, 1000};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        eseal_report *reports[N * COPIES + 1];
        memset(reports, 0, sizeof reports);
        CHECK_RC(eseal_verify_batch(v, inputs, total, threads[t], reports), ESEAL_RESULT_OK);
        int ok = 1;
        for (size_t i = 0; i < total - 1; i++) {
            if (eseal_report_verdict(reports[i]) != want[i % N]) ok = 0;
        }
        CHECK(ok);
        CHECK(eseal_report_verdict(reports[total - 1]) == ESEAL_VERDICT_INVALID);
        CHECK(strstr(report_json(reports[0]), "\"path\":\"leaf.pem\"") != NULL);
        CHECK(strstr(report_json(reports[N]), "\"path\":\"#5\"") != NULL);
        for (size_t i = 0; i < total; i++) eseal_report_free(reports[i]);
    }

    /* Empty batch; NULL arguments; a NULL buffer fails the whole call before any work. */
    CHECK_RC(eseal_verify_batch(v, NULL, 0, 0, NULL), ESEAL_RESULT_OK);
    eseal_report *reports[3] = {SENTINEL, SENTINEL, SENTINEL};
    CHECK_RC(eseal_verify_batch(NULL, inputs, 3, 0, reports), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_verify_batch(v, NULL, 3, 0, reports), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_verify_batch(v, inputs, 3, 0, NULL), ESEAL_RESULT_NULL_POINTER);
    eseal_input bad[3] = {inputs[0], {NULL, 5, NULL}, inputs[1]};
    CHECK_RC(eseal_verify_batch(v, bad, 3, 2, reports), ESEAL_RESULT_NULL_POINTER);
    CHECK(strstr(last_error(), "inputs[1].data") != NULL);
    eseal_input badname[2] = {inputs[0], {files[0], 1, "\xc3"}};
    CHECK_RC(eseal_verify_batch(v, badname, 2, 2, reports), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK(reports[0] == SENTINEL && reports[1] == SENTINEL && reports[2] == SENTINEL);

    for (int i = 0; i < N; i++) free(files[i]);
    eseal_verifier_free(v);
}

/* ---- signers ---- */

static unsigned char *key_pem, *cert_pem, *other_key;
static size_t key_len, cert_len, other_len;

static void load_keys(void) {
    key_pem = read_file("test-vectors/keys/key.pem", &key_len);
    cert_pem = read_file("test-vectors/keys/leaf-cert.pem", &cert_len);
    other_key = read_file("test-vectors/keys/other-key.pem", &other_len);
}

static eseal_signer *software_signer(void) {
    eseal_signer *s = NULL;
    CHECK_RC(eseal_signer_from_pem(key_pem, key_len, NULL, cert_pem, cert_len, &s),
             ESEAL_RESULT_OK);
    return s;
}

/* A DER SM2 signature: SEQUENCE of two INTEGERs, at most 72 bytes. */
static int looks_like_der_sig(const eseal_bytes *b) {
    const uint8_t *p = eseal_bytes_data(b);
    size_t n = eseal_bytes_len(b);
    return p != NULL && n >= 8 && n <= 72 && p[0] == 0x30 && p[1] == n - 2 && p[2] == 0x02;
}

/* DER SEQUENCE { r, s } → raw 64-byte r || s. Returns 0 on success. */
static int der_to_raw(const uint8_t *der, size_t n, uint8_t raw[64]) {
    if (n < 8 || der[0] != 0x30) return -1;
    size_t off = 2;
    for (int k = 0; k < 2; k++) {
        if (off + 2 > n || der[off] != 0x02) return -1;
        size_t l = der[off + 1];
        const uint8_t *v = der + off + 2;
        if (off + 2 + l > n) return -1;
        while (l > 32 && *v == 0) {
            v++;
            l--;
        }
        if (l > 32) return -1;
        memset(raw + 32 * k, 0, 32);
        memcpy(raw + 32 * k + (32 - l), v, l);
        off += 2 + der[off + 1];
    }
    return 0;
}

static void test_signer_from_pem(void) {
    eseal_signer *s = software_signer();
    eseal_bytes *sig = NULL;
    CHECK_RC(eseal_signer_sign_sm2(s, (const uint8_t *)"data", 4, &sig), ESEAL_RESULT_OK);
    CHECK(looks_like_der_sig(sig));
    eseal_bytes_free(sig);
    /* Signing nothing is allowed (M may be empty). */
    sig = NULL;
    CHECK_RC(eseal_signer_sign_sm2(s, (const uint8_t *)"", 0, &sig), ESEAL_RESULT_OK);
    CHECK(looks_like_der_sig(sig));
    eseal_bytes_free(sig);

    const uint8_t *der = NULL;
    size_t der_len = 0;
    CHECK_RC(eseal_signer_certificate(s, &der, &der_len), ESEAL_RESULT_OK);
    CHECK(der != NULL && der_len > 100 && der[0] == 0x30);
    CHECK_RC(eseal_signer_certificate(s, NULL, &der_len), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_signer_certificate(NULL, &der, &der_len), ESEAL_RESULT_NULL_POINTER);

    /* The DER certificate works as well as the PEM one. */
    eseal_signer *s2 = NULL;
    CHECK_RC(eseal_signer_from_pem(key_pem, key_len, NULL, der, der_len, &s2), ESEAL_RESULT_OK);
    eseal_signer_free(s2);

    /* Encrypted key files and passwords. */
    size_t n;
    unsigned char *enc = read_file("test-vectors/keys/pkcs8-default.pem", &n);
    eseal_signer *out = SENTINEL;
    CHECK_RC(eseal_signer_from_pem(enc, n, "wrong", cert_pem, cert_len, &out),
             ESEAL_RESULT_WRONG_PASSWORD);
    CHECK_RC(eseal_signer_from_pem(enc, n, NULL, cert_pem, cert_len, &out),
             ESEAL_RESULT_PASSWORD_REQUIRED);
    CHECK_RC(eseal_signer_from_pem(enc, n, "\xff", cert_pem, cert_len, &out),
             ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK(out == SENTINEL);
    CHECK_RC(eseal_signer_from_pem(enc, n, "eseal-test", cert_pem, cert_len, &out), ESEAL_RESULT_OK);
    CHECK(out != SENTINEL && out != NULL);
    eseal_signer_free(out);
    free(enc);

    /* Wrong key for the certificate, broken key, broken certificate, NULLs. */
    out = SENTINEL;
    CHECK_RC(eseal_signer_from_pem(other_key, other_len, NULL, cert_pem, cert_len, &out),
             ESEAL_RESULT_KEY_MISMATCH);
    CHECK_RC(eseal_signer_from_pem((const uint8_t *)"junk", 4, NULL, cert_pem, cert_len, &out),
             ESEAL_RESULT_MALFORMED_KEY_FILE);
    CHECK_RC(eseal_signer_from_pem(key_pem, key_len, NULL, (const uint8_t *)"junk", 4, &out),
             ESEAL_RESULT_MALFORMED_CERTIFICATE);
    CHECK_RC(eseal_signer_from_pem(key_pem, key_len / 2, NULL, cert_pem, cert_len, &out),
             ESEAL_RESULT_MALFORMED_KEY_FILE);
    CHECK_RC(eseal_signer_from_pem(NULL, 0, NULL, cert_pem, cert_len, &out), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_signer_from_pem(key_pem, key_len, NULL, NULL, 0, &out), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_signer_from_pem(key_pem, key_len, NULL, cert_pem, cert_len, NULL),
             ESEAL_RESULT_NULL_POINTER);
    CHECK(out == SENTINEL);

    eseal_bytes *b = SENTINEL;
    CHECK_RC(eseal_signer_sign_sm2(NULL, (const uint8_t *)"x", 1, &b), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_signer_sign_sm2(s, NULL, 1, &b), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_signer_sign_sm2(s, (const uint8_t *)"x", 1, NULL), ESEAL_RESULT_NULL_POINTER);
    CHECK(b == SENTINEL);

    /* Signing a digest directly: 32 bytes only. */
    uint8_t e[32] = {1, 2, 3};
    CHECK_RC(eseal_signer_sign_digest(s, e, 32, &b), ESEAL_RESULT_OK);
    CHECK(looks_like_der_sig(b));
    eseal_bytes_free(b);
    b = SENTINEL;
    CHECK_RC(eseal_signer_sign_digest(s, e, 31, &b), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_signer_sign_digest(s, e, 33, &b), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_signer_sign_digest(s, NULL, 32, &b), ESEAL_RESULT_NULL_POINTER);
    CHECK(b == SENTINEL);

    eseal_signer_free(s);
    eseal_signer_free(NULL);
}

static void test_signer_from_pkcs12(void) {
    size_t n;
    unsigned char *p12 = read_file("test-vectors/keys/p12-default.p12", &n);
    eseal_signer *s = SENTINEL;
    CHECK_RC(eseal_signer_from_pkcs12(p12, n, "nope", &s), ESEAL_RESULT_WRONG_PASSWORD);
    CHECK_RC(eseal_signer_from_pkcs12(p12, n, NULL, &s), ESEAL_RESULT_PASSWORD_REQUIRED);
    CHECK_RC(eseal_signer_from_pkcs12(p12, n - 10, "eseal-test", &s), ESEAL_RESULT_MALFORMED_KEY_FILE);
    CHECK_RC(eseal_signer_from_pkcs12(NULL, n, "eseal-test", &s), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_signer_from_pkcs12(p12, n, "eseal-test", NULL), ESEAL_RESULT_NULL_POINTER);
    /* A key file without certificates. */
    CHECK_RC(eseal_signer_from_pkcs12(key_pem, key_len, NULL, &s), ESEAL_RESULT_MALFORMED_KEY_FILE);
    CHECK(s == SENTINEL);
    CHECK_RC(eseal_signer_from_pkcs12(p12, n, "eseal-test", &s), ESEAL_RESULT_OK);
    free(p12);

    /* The PKCS#12 file carries the leaf certificate of key.pem. */
    eseal_signer *pem = software_signer();
    const uint8_t *d1, *d2;
    size_t l1, l2;
    CHECK_RC(eseal_signer_certificate(s, &d1, &l1), ESEAL_RESULT_OK);
    CHECK_RC(eseal_signer_certificate(pem, &d2, &l2), ESEAL_RESULT_OK);
    CHECK(l1 == l2 && memcmp(d1, d2, l1) == 0);
    eseal_bytes *sig = NULL;
    CHECK_RC(eseal_signer_sign_sm2(s, (const uint8_t *)"abc", 3, &sig), ESEAL_RESULT_OK);
    CHECK(looks_like_der_sig(sig));
    eseal_bytes_free(sig);
    eseal_signer_free(pem);
    eseal_signer_free(s);

    /* Non-ASCII and empty passwords. */
    p12 = read_file("test-vectors/keys/p12-utf8pw.p12", &n);
    s = NULL;
    CHECK_RC(eseal_signer_from_pkcs12(p12, n, "密码-pässwörd", &s), ESEAL_RESULT_OK);
    eseal_signer_free(s);
    free(p12);
    p12 = read_file("test-vectors/keys/p12-emptypw.p12", &n);
    s = NULL;
    CHECK_RC(eseal_signer_from_pkcs12(p12, n, "", &s), ESEAL_RESULT_OK);
    eseal_signer_free(s);
    free(p12);
}

/* ---- callback signers ---- */

enum cb_mode { CB_OK, CB_RAW, CB_FAIL, CB_GARBAGE, CB_TOO_LONG, CB_WRONG_DIGEST, CB_EMPTY };

struct cb_state {
    eseal_signer *device; /* the "device": a software signer */
    enum cb_mode mode;
    int calls;
    uint8_t last_digest[32];
    size_t last_cap;
};

static int sign_cb(void *userdata, const uint8_t *digest, size_t digest_len, uint8_t *sig,
                   size_t sig_cap, size_t *sig_len) {
    struct cb_state *st = userdata;
    st->calls++;
    st->last_cap = sig_cap;
    if (digest_len != 32) return 99;
    memcpy(st->last_digest, digest, 32);
    uint8_t other[32];
    memcpy(other, digest, 32);
    other[0] ^= 1;
    eseal_bytes *b = NULL;
    switch (st->mode) {
    case CB_FAIL:
        return -7;
    case CB_GARBAGE:
        memset(sig, 0xab, 40);
        *sig_len = 40;
        return 0;
    case CB_TOO_LONG:
        *sig_len = sig_cap + 1;
        return 0;
    case CB_EMPTY:
        *sig_len = 0;
        return 0;
    default:
        break;
    }
    if (eseal_signer_sign_digest(st->device, st->mode == CB_WRONG_DIGEST ? other : digest, 32, &b) !=
        ESEAL_RESULT_OK)
        return 1;
    const uint8_t *p = eseal_bytes_data(b);
    size_t n = eseal_bytes_len(b);
    int rc = 0;
    if (st->mode == CB_RAW) {
        if (sig_cap < 64 || der_to_raw(p, n, sig) != 0) rc = 2;
        *sig_len = 64;
    } else {
        if (n > sig_cap) {
            rc = 3;
        } else {
            memcpy(sig, p, n);
            *sig_len = n;
        }
    }
    eseal_bytes_free(b);
    return rc;
}

static void test_callback_signer(void) {
    struct cb_state st = {software_signer(), CB_OK, 0, {0}, 0};
    const uint8_t *der;
    size_t der_len;
    CHECK_RC(eseal_signer_certificate(st.device, &der, &der_len), ESEAL_RESULT_OK);

    eseal_signer *s = SENTINEL;
    CHECK_RC(eseal_signer_from_callback(der, der_len, NULL, &st, &s), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_signer_from_callback(NULL, 0, sign_cb, &st, &s), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_signer_from_callback(der, der_len - 1, sign_cb, &st, &s),
             ESEAL_RESULT_MALFORMED_CERTIFICATE);
    CHECK_RC(eseal_signer_from_callback(der, der_len, sign_cb, &st, NULL), ESEAL_RESULT_NULL_POINTER);
    CHECK(s == SENTINEL);
    CHECK_RC(eseal_signer_from_callback(der, der_len, sign_cb, &st, &s), ESEAL_RESULT_OK);
    CHECK(st.calls == 0);

    eseal_bytes *sig = NULL;
    CHECK_RC(eseal_signer_sign_sm2(s, (const uint8_t *)"message", 7, &sig), ESEAL_RESULT_OK);
    CHECK(st.calls == 1 && st.last_cap >= 128);
    CHECK(looks_like_der_sig(sig));
    eseal_bytes_free(sig);

    /* The digest handed to the callback is the one two-phase signing hands out. */
    eseal_pending *p = NULL;
    CHECK_RC(eseal_prepare_sign_sm2(der, der_len, (const uint8_t *)"message", 7, &p), ESEAL_RESULT_OK);
    const uint8_t *e = NULL;
    size_t e_len = 0;
    CHECK_RC(eseal_pending_digest(p, &e, &e_len), ESEAL_RESULT_OK);
    CHECK(e_len == 32 && memcmp(e, st.last_digest, 32) == 0);
    eseal_pending_free(p);

    st.mode = CB_RAW;
    sig = NULL;
    CHECK_RC(eseal_signer_sign_sm2(s, (const uint8_t *)"raw", 3, &sig), ESEAL_RESULT_OK);
    CHECK(looks_like_der_sig(sig)); /* re-encoded as DER */
    eseal_bytes_free(sig);

    enum cb_mode bad[] = {CB_FAIL, CB_GARBAGE, CB_TOO_LONG, CB_WRONG_DIGEST, CB_EMPTY};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        st.mode = bad[i];
        sig = SENTINEL;
        CHECK_RC(eseal_signer_sign_sm2(s, (const uint8_t *)"x", 1, &sig), ESEAL_RESULT_SIGNER_FAILED);
        CHECK(sig == SENTINEL);
        CHECK(eseal_last_error_length() > 0);
        uint8_t d[32] = {0};
        CHECK_RC(eseal_signer_sign_digest(s, d, 32, &sig), ESEAL_RESULT_SIGNER_FAILED);
    }
    st.mode = CB_FAIL;
    CHECK_RC(eseal_signer_sign_sm2(s, (const uint8_t *)"x", 1, &sig), ESEAL_RESULT_SIGNER_FAILED);
    CHECK(strstr(last_error(), "-7") != NULL);

    eseal_signer_free(s);
    eseal_signer_free(st.device);
}

/* ---- two-phase signing ---- */

static void test_two_phase(void) {
    eseal_signer *device = software_signer();
    const uint8_t *der;
    size_t der_len;
    CHECK_RC(eseal_signer_certificate(device, &der, &der_len), ESEAL_RESULT_OK);

    eseal_pending *p = SENTINEL;
    CHECK_RC(eseal_prepare_sign_sm2(NULL, 0, (const uint8_t *)"m", 1, &p), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_prepare_sign_sm2(der, der_len, NULL, 1, &p), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_prepare_sign_sm2(der, der_len, (const uint8_t *)"m", 1, NULL),
             ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_prepare_sign_sm2((const uint8_t *)"junk", 4, (const uint8_t *)"m", 1, &p),
             ESEAL_RESULT_MALFORMED_CERTIFICATE);
    CHECK(p == SENTINEL);

    CHECK_RC(eseal_prepare_sign_sm2(cert_pem, cert_len, (const uint8_t *)"document", 8, &p),
             ESEAL_RESULT_OK);
    const uint8_t *e = NULL;
    size_t e_len = 0;
    CHECK_RC(eseal_pending_digest(p, &e, &e_len), ESEAL_RESULT_OK);
    CHECK(e != NULL && e_len == 32);
    CHECK_RC(eseal_pending_digest(p, NULL, &e_len), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_pending_digest(NULL, &e, &e_len), ESEAL_RESULT_NULL_POINTER);

    /* Wrong signatures are refused and the operation keeps waiting. */
    eseal_bytes *out = SENTINEL;
    CHECK_RC(eseal_pending_finish(p, (const uint8_t *)"junk", 4, &out), ESEAL_RESULT_MALFORMED_SIGNATURE);
    uint8_t other[32];
    memcpy(other, e, 32);
    other[31] ^= 0x80;
    eseal_bytes *wrong = NULL;
    CHECK_RC(eseal_signer_sign_digest(device, other, 32, &wrong), ESEAL_RESULT_OK);
    CHECK_RC(eseal_pending_finish(p, eseal_bytes_data(wrong), eseal_bytes_len(wrong), &out),
             ESEAL_RESULT_BAD_SIGNATURE);
    eseal_bytes_free(wrong);
    CHECK_RC(eseal_pending_finish(p, NULL, 0, &out), ESEAL_RESULT_NULL_POINTER);
    CHECK(out == SENTINEL);

    /* The right signature, given as raw r || s. */
    eseal_bytes *good = NULL;
    CHECK_RC(eseal_signer_sign_digest(device, e, 32, &good), ESEAL_RESULT_OK);
    uint8_t raw[64];
    CHECK(der_to_raw(eseal_bytes_data(good), eseal_bytes_len(good), raw) == 0);
    CHECK_RC(eseal_pending_finish(p, raw, 64, NULL), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_pending_finish(p, raw, 64, &out), ESEAL_RESULT_OK);
    CHECK(out != SENTINEL && looks_like_der_sig(out));
    uint8_t raw2[64];
    CHECK(der_to_raw(eseal_bytes_data(out), eseal_bytes_len(out), raw2) == 0 && memcmp(raw, raw2, 64) == 0);
    eseal_bytes_free(out);

    /* Finished: no second result; the digest stays readable until free. */
    out = SENTINEL;
    CHECK_RC(eseal_pending_finish(p, eseal_bytes_data(good), eseal_bytes_len(good), &out),
             ESEAL_RESULT_ALREADY_USED);
    CHECK(out == SENTINEL);
    CHECK_RC(eseal_pending_digest(p, &e, &e_len), ESEAL_RESULT_OK);
    eseal_bytes_free(good);
    eseal_pending_free(p);

    /* Abandoned operations end cleanly (no leak, no hanging thread). */
    for (int i = 0; i < 5; i++) {
        p = NULL;
        CHECK_RC(eseal_prepare_sign_sm2(cert_pem, cert_len, (const uint8_t *)"x", 1, &p), ESEAL_RESULT_OK);
        eseal_pending_free(p);
    }
    eseal_pending_free(NULL);
    eseal_signer_free(device);
}

static void test_bytes(void) {
    CHECK(eseal_bytes_data(NULL) == NULL);
    CHECK(eseal_bytes_len(NULL) == 0);
    eseal_bytes_free(NULL);
}

int main(int argc, char **argv) {
    if (argc > 1) repo_root = argv[1];
    load_keys();
    test_version_and_messages();
    test_last_error();
    test_verifier();
    test_batch();
    test_signer_from_pem();
    test_signer_from_pkcs12();
    test_callback_signer();
    test_two_phase();
    test_bytes();
    free(key_pem);
    free(cert_pem);
    free(other_key);
    return finish("test_eseal");
}
