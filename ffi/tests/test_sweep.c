/*
 * Sweep: every function of libeseal called with NULL in each pointer argument in turn, and
 * every function taking bytes fed garbage (random buffers, truncations and bit flips of
 * valid inputs). Each call must return a known result code, write its outputs only on
 * success, and never crash or leak (checked by AddressSanitizer and Valgrind in run.sh).
 *
 * usage: test_sweep REPO_ROOT [ROUNDS]
 */
#include "common.h"

#include <stdint.h>

#define SENTINEL ((void *)0x5a5a)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/* The result is a code the header names (its message is not "unknown result code"). */
static int known(eseal_result rc) {
    char buf[64];
    eseal_result_message(rc, buf, sizeof buf, NULL);
    return strncmp(buf, "unknown", 7) != 0 && rc != ESEAL_RESULT_PANIC;
}

static unsigned char *key, *cert, *p12, *crl, *leaf;
static size_t key_len, cert_len, p12_len, crl_len, leaf_len;

/* ---- NULL in every pointer argument ---- */

static void sweep_nulls(void) {
    eseal_verifier *v = NULL;
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    eseal_signer *s = NULL;
    CHECK_RC(eseal_signer_from_pem(key, key_len, NULL, cert, cert_len, &s), ESEAL_RESULT_OK);
    eseal_report *r = NULL;
    CHECK_RC(eseal_verify(v, leaf, leaf_len, &r), ESEAL_RESULT_OK);
    eseal_pending *p = NULL;
    CHECK_RC(eseal_prepare_sign_sm2(cert, cert_len, (const uint8_t *)"m", 1, &p), ESEAL_RESULT_OK);
    const uint8_t *b = (const uint8_t *)"x";
    const uint8_t e[32] = {0};
    const char *cs = NULL;
    const uint8_t *cb = NULL;
    size_t n = 0;
    void *out = SENTINEL;
    eseal_input in = {leaf, leaf_len, NULL};
    eseal_report *reports[1] = {SENTINEL};
    const eseal_result NP = ESEAL_RESULT_NULL_POINTER;

    CHECK_RC(eseal_verifier_new(NULL), NP);
    CHECK_RC(eseal_verifier_add_trust_pem(NULL, b, 1), NP);
    CHECK_RC(eseal_verifier_add_trust_pem(v, NULL, 1), NP);
    CHECK_RC(eseal_verifier_add_intermediate_pem(NULL, b, 1), NP);
    CHECK_RC(eseal_verifier_add_intermediate_pem(v, NULL, 1), NP);
    CHECK_RC(eseal_verifier_add_crl(NULL, b, 1), NP);
    CHECK_RC(eseal_verifier_add_crl(v, NULL, 1), NP);
    CHECK_RC(eseal_verifier_set_time(NULL, 0), NP);
    CHECK_RC(eseal_verify(NULL, b, 1, (eseal_report **)&out), NP);
    CHECK_RC(eseal_verify(v, NULL, 1, (eseal_report **)&out), NP);
    CHECK_RC(eseal_verify(v, b, 1, NULL), NP);
    CHECK_RC(eseal_verify_named(NULL, "n", b, 1, (eseal_report **)&out), NP);
    CHECK_RC(eseal_verify_named(v, NULL, b, 1, (eseal_report **)&out), NP);
    CHECK_RC(eseal_verify_named(v, "n", NULL, 1, (eseal_report **)&out), NP);
    CHECK_RC(eseal_verify_named(v, "n", b, 1, NULL), NP);
    CHECK_RC(eseal_verify_batch(NULL, &in, 1, 1, reports), NP);
    CHECK_RC(eseal_verify_batch(v, NULL, 1, 1, reports), NP);
    CHECK_RC(eseal_verify_batch(v, &in, 1, 1, NULL), NP);
    CHECK(reports[0] == SENTINEL);
    CHECK(eseal_report_verdict(NULL) == ESEAL_VERDICT_INVALID);
    CHECK(eseal_report_count(NULL) == 0);
    CHECK_RC(eseal_report_json(NULL, &cs, &n), NP);
    CHECK_RC(eseal_report_json(r, NULL, &n), NP);
    CHECK_RC(eseal_report_json(r, &cs, NULL), NP);
    CHECK_RC(eseal_report_json_at(NULL, 0, &cs, &n), NP);
    CHECK_RC(eseal_report_json_at(r, 0, NULL, &n), NP);
    CHECK_RC(eseal_report_json_at(r, 0, &cs, NULL), NP);
    CHECK(cs == NULL && n == 0);
    CHECK_RC(eseal_signer_from_pem(NULL, 1, NULL, cert, cert_len, (eseal_signer **)&out), NP);
    CHECK_RC(eseal_signer_from_pem(key, key_len, NULL, NULL, 1, (eseal_signer **)&out), NP);
    CHECK_RC(eseal_signer_from_pem(key, key_len, NULL, cert, cert_len, NULL), NP);
    CHECK_RC(eseal_signer_from_pkcs12(NULL, 1, "pw", (eseal_signer **)&out), NP);
    CHECK_RC(eseal_signer_from_pkcs12(p12, p12_len, "eseal-test", NULL), NP);
    CHECK_RC(eseal_signer_from_callback(NULL, 1, NULL, NULL, (eseal_signer **)&out), NP);
    CHECK_RC(eseal_signer_from_callback(cert, cert_len, NULL, NULL, (eseal_signer **)&out), NP);
    CHECK_RC(eseal_signer_certificate(NULL, &cb, &n), NP);
    CHECK_RC(eseal_signer_certificate(s, NULL, &n), NP);
    CHECK_RC(eseal_signer_certificate(s, &cb, NULL), NP);
    CHECK(cb == NULL && n == 0);
    CHECK_RC(eseal_signer_sign_sm2(NULL, b, 1, (eseal_bytes **)&out), NP);
    CHECK_RC(eseal_signer_sign_sm2(s, NULL, 1, (eseal_bytes **)&out), NP);
    CHECK_RC(eseal_signer_sign_sm2(s, b, 1, NULL), NP);
    CHECK_RC(eseal_signer_sign_digest(NULL, e, 32, (eseal_bytes **)&out), NP);
    CHECK_RC(eseal_signer_sign_digest(s, NULL, 32, (eseal_bytes **)&out), NP);
    CHECK_RC(eseal_signer_sign_digest(s, e, 32, NULL), NP);
    CHECK_RC(eseal_prepare_sign_sm2(NULL, 1, b, 1, (eseal_pending **)&out), NP);
    CHECK_RC(eseal_prepare_sign_sm2(cert, cert_len, NULL, 1, (eseal_pending **)&out), NP);
    CHECK_RC(eseal_prepare_sign_sm2(cert, cert_len, b, 1, NULL), NP);
    CHECK_RC(eseal_pending_digest(NULL, &cb, &n), NP);
    CHECK_RC(eseal_pending_digest(p, NULL, &n), NP);
    CHECK_RC(eseal_pending_digest(p, &cb, NULL), NP);
    CHECK_RC(eseal_pending_finish(NULL, e, 32, (eseal_bytes **)&out), NP);
    CHECK_RC(eseal_pending_finish(p, NULL, 32, (eseal_bytes **)&out), NP);
    CHECK_RC(eseal_pending_finish(p, e, 32, NULL), NP);
    /* Seals. */
    eseal_seal_builder *sb = NULL;
    CHECK_RC(eseal_seal_builder_new("v", "id", "n", &sb), ESEAL_RESULT_OK);
    eseal_sign_options *so = NULL;
    CHECK_RC(eseal_sign_options_new(&so), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_parse(NULL, 1, (eseal_seal **)&out), NP);
    CHECK_RC(eseal_seal_parse(b, 1, NULL), NP);
    CHECK_RC(eseal_seal_der(NULL, &cb, &n), NP);
    CHECK_RC(eseal_seal_info_json(NULL, &cs, &n), NP);
    CHECK_RC(eseal_seal_builder_new(NULL, "i", "n", (eseal_seal_builder **)&out), NP);
    CHECK_RC(eseal_seal_builder_new("v", NULL, "n", (eseal_seal_builder **)&out), NP);
    CHECK_RC(eseal_seal_builder_new("v", "i", NULL, (eseal_seal_builder **)&out), NP);
    CHECK_RC(eseal_seal_builder_new("v", "i", "n", NULL), NP);
    CHECK_RC(eseal_seal_builder_set_version(NULL, 4), NP);
    CHECK_RC(eseal_seal_builder_set_type(NULL, 1), NP);
    CHECK_RC(eseal_seal_builder_set_cert_list_type(NULL, 1), NP);
    CHECK_RC(eseal_seal_builder_add_signer_cert(NULL, cert, cert_len), NP);
    CHECK_RC(eseal_seal_builder_add_signer_cert(sb, NULL, 1), NP);
    CHECK_RC(eseal_seal_builder_set_validity(NULL, 0, 1), NP);
    CHECK_RC(eseal_seal_builder_set_create_date(NULL, 0), NP);
    CHECK_RC(eseal_seal_builder_set_picture(NULL, "PNG", b, 1, 1, 1), NP);
    CHECK_RC(eseal_seal_builder_set_picture(sb, NULL, b, 1, 1, 1), NP);
    CHECK_RC(eseal_seal_builder_set_picture(sb, "PNG", NULL, 1, 1, 1), NP);
    CHECK_RC(eseal_seal_make(NULL, s, (eseal_seal **)&out), NP);
    CHECK_RC(eseal_seal_make(sb, NULL, (eseal_seal **)&out), NP);
    CHECK_RC(eseal_seal_make(sb, s, NULL), NP);
    CHECK_RC(eseal_prepare_seal_make(NULL, cert, cert_len, (eseal_pending **)&out), NP);
    CHECK_RC(eseal_prepare_seal_make(sb, NULL, 1, (eseal_pending **)&out), NP);
    CHECK_RC(eseal_prepare_seal_make(sb, cert, cert_len, NULL), NP);
    CHECK_RC(eseal_sign_options_new(NULL), NP);
    CHECK_RC(eseal_sign_options_set_property_info(NULL, "p"), NP);
    CHECK_RC(eseal_sign_options_set_property_info(so, NULL), NP);
    CHECK_RC(eseal_sign_options_set_signing_time(NULL, 0), NP);
    CHECK_RC(eseal_sign_options_set_version(NULL, 4), NP);
    CHECK_RC(eseal_sign_data(NULL, NULL, b, 1, NULL, (eseal_bytes **)&out), NP);
    CHECK_RC(eseal_prepare_sign_data(NULL, 1, NULL, b, 1, so, (eseal_pending **)&out), NP);
    CHECK_RC(eseal_verify_detached(NULL, b, 1, b, 1, (eseal_report **)&out), NP);
    CHECK_RC(eseal_verify_detached(v, b, 1, b, 1, NULL), NP);
    eseal_sign_options_free(so);
    eseal_seal_builder_free(sb);
    eseal_seal_free(NULL);
    eseal_seal_builder_free(NULL);
    eseal_sign_options_free(NULL);
    CHECK(out == SENTINEL);
    CHECK(eseal_bytes_data(NULL) == NULL && eseal_bytes_len(NULL) == 0);
    eseal_result_message(ESEAL_RESULT_OK, NULL, 0, NULL);
    eseal_last_error_message(NULL, 0, NULL);
    eseal_verifier_free(NULL);
    eseal_report_free(NULL);
    eseal_signer_free(NULL);
    eseal_pending_free(NULL);
    eseal_bytes_free(NULL);

    eseal_pending_free(p);
    eseal_report_free(r);
    eseal_signer_free(s);
    eseal_verifier_free(v);
}

/* ---- garbage ---- */

/* A garbage buffer derived from `base` (or random when base is NULL): truncated, bit-flipped,
 * or random bytes, `*len` set. Returns a malloc'd buffer (at least 1 byte). */
static unsigned char *garbage(const unsigned char *base, size_t base_len, size_t *len) {
    size_t n;
    unsigned char *g;
    uint32_t kind = base ? rnd() % 3 : 0;
    if (kind == 0) {
        static const size_t sizes[] = {0, 1, 2, 7, 32, 64, 100, 1000, 5000};
        n = sizes[rnd() % (sizeof sizes / sizeof sizes[0])];
        g = malloc(n + 1);
        for (size_t i = 0; i < n; i++) g[i] = (unsigned char)rnd();
        if (n > 0 && rnd() % 2) g[0] = 0x30; /* looks like DER */
    } else if (kind == 1) {
        n = base_len ? rnd() % base_len : 0;
        g = malloc(n + 1);
        memcpy(g, base, n);
    } else {
        n = base_len;
        g = malloc(n + 1);
        memcpy(g, base, n);
        int flips = 1 + (int)(rnd() % 4);
        for (int i = 0; i < flips && n > 0; i++) g[rnd() % n] ^= (unsigned char)(1u << (rnd() % 8));
    }
    *len = n;
    return g;
}

static int cb_count;
static int garbage_cb(void *userdata, const uint8_t *digest, size_t digest_len, uint8_t *sig,
                      size_t sig_cap, size_t *sig_len) {
    (void)userdata;
    (void)digest;
    (void)digest_len;
    cb_count++;
    size_t n = rnd() % (sig_cap + 1);
    for (size_t i = 0; i < n; i++) sig[i] = (unsigned char)rnd();
    *sig_len = n;
    return (int)(rnd() % 2);
}

static void sweep_garbage(int rounds) {
    eseal_verifier *v = NULL;
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    eseal_signer *s = NULL;
    CHECK_RC(eseal_signer_from_pem(key, key_len, NULL, cert, cert_len, &s), ESEAL_RESULT_OK);
    int unknown = 0, wrote_on_failure = 0, bad_success = 0;

#define EXPECT_KNOWN(rc, outp)                                 \
    do {                                                       \
        if (!known(rc)) {                                      \
            unknown++;                                         \
            fprintf(stderr, "line %d: code %u\n", __LINE__, (unsigned)(rc)); \
        }                                                      \
        if ((rc) != ESEAL_RESULT_OK && (void *)(outp) != SENTINEL) wrote_on_failure++; \
    } while (0)

    for (int i = 0; i < rounds; i++) {
        size_t n;
        unsigned char *g;
        eseal_result rc;

        /* Verifier configuration and verification. */
        g = garbage(i % 2 ? leaf : crl, i % 2 ? leaf_len : crl_len, &n);
        eseal_verifier *tmp = NULL;
        CHECK_RC(eseal_verifier_new(&tmp), ESEAL_RESULT_OK);
        rc = eseal_verifier_add_trust_pem(tmp, g, n);
        EXPECT_KNOWN(rc, SENTINEL);
        rc = eseal_verifier_add_intermediate_pem(tmp, g, n);
        EXPECT_KNOWN(rc, SENTINEL);
        rc = eseal_verifier_add_crl(tmp, g, n);
        EXPECT_KNOWN(rc, SENTINEL);
        eseal_report *r = SENTINEL;
        rc = eseal_verify(tmp, g, n, &r);
        EXPECT_KNOWN(rc, r);
        if (rc == ESEAL_RESULT_OK) {
            const char *json = NULL;
            size_t jl = 0;
            if (eseal_report_json(r, &json, &jl) != ESEAL_RESULT_OK || strlen(json) != jl) bad_success++;
            eseal_report_free(r);
        } else {
            bad_success++; /* verification of bytes never fails: its report says why */
        }
        eseal_verifier_free(tmp);

        /* Signers from garbage keys, certificates and PKCS#12 files. */
        eseal_signer *gs = SENTINEL;
        rc = eseal_signer_from_pem(g, n, (rnd() % 2) ? "eseal-test" : NULL, cert, cert_len, &gs);
        EXPECT_KNOWN(rc, gs);
        if (rc == ESEAL_RESULT_OK) eseal_signer_free(gs);
        free(g);

        g = garbage(i % 2 ? key : cert, i % 2 ? key_len : cert_len, &n);
        gs = SENTINEL;
        rc = eseal_signer_from_pem(key, key_len, NULL, g, n, &gs);
        EXPECT_KNOWN(rc, gs);
        if (rc == ESEAL_RESULT_OK) eseal_signer_free(gs);
        gs = SENTINEL;
        rc = eseal_signer_from_callback(g, n, garbage_cb, NULL, &gs);
        EXPECT_KNOWN(rc, gs);
        if (rc == ESEAL_RESULT_OK) {
            eseal_bytes *b = SENTINEL;
            rc = eseal_signer_sign_sm2(gs, g, n, &b);
            /* garbage signatures never pass */
            if (rc == ESEAL_RESULT_OK) bad_success++;
            EXPECT_KNOWN(rc, b);
            eseal_signer_free(gs);
        }
        /* A device answering garbage: never accepted. */
        gs = NULL;
        CHECK_RC(eseal_signer_from_callback(cert, cert_len, garbage_cb, NULL, &gs), ESEAL_RESULT_OK);
        eseal_bytes *gb_sig = SENTINEL;
        rc = eseal_signer_sign_sm2(gs, g, n, &gb_sig);
        if (rc == ESEAL_RESULT_OK) bad_success++;
        EXPECT_KNOWN(rc, gb_sig);
        eseal_signer_free(gs);
        eseal_pending *p = SENTINEL;
        rc = eseal_prepare_sign_sm2(g, n, g, n, &p);
        EXPECT_KNOWN(rc, p);
        if (rc == ESEAL_RESULT_OK) {
            eseal_bytes *b = SENTINEL;
            rc = eseal_pending_finish(p, g, n, &b);
            if (rc == ESEAL_RESULT_OK) bad_success++;
            EXPECT_KNOWN(rc, b);
            eseal_pending_free(p);
        }
        free(g);

        if (i % 10 == 0) { /* PKCS#12 runs PBKDF2: fewer rounds */
            g = garbage(p12, p12_len, &n);
            gs = SENTINEL;
            rc = eseal_signer_from_pkcs12(g, n, "eseal-test", &gs);
            EXPECT_KNOWN(rc, gs);
            if (rc == ESEAL_RESULT_OK) eseal_signer_free(gs);
            free(g);
        }

        /* Garbage seals and seal signatures. */
        g = garbage(i % 2 ? leaf : key, i % 2 ? leaf_len : key_len, &n);
        eseal_seal *gseal = SENTINEL;
        rc = eseal_seal_parse(g, n, &gseal);
        EXPECT_KNOWN(rc, gseal);
        if (rc == ESEAL_RESULT_OK) eseal_seal_free(gseal);
        eseal_report *dr = SENTINEL;
        rc = eseal_verify_detached(v, g, n, g, n, &dr);
        if (rc != ESEAL_RESULT_OK) bad_success++;
        else eseal_report_free(dr);
        eseal_seal_builder *gb = NULL;
        CHECK_RC(eseal_seal_builder_new("v", "i", "n", &gb), ESEAL_RESULT_OK);
        rc = eseal_seal_builder_set_picture(gb, (rnd() % 2) ? "PNG" : "OFD", g, n, 10, 10);
        EXPECT_KNOWN(rc, SENTINEL);
        rc = eseal_seal_builder_add_signer_cert(gb, g, n);
        EXPECT_KNOWN(rc, SENTINEL);
        eseal_seal *made = SENTINEL;
        rc = eseal_seal_make(gb, s, &made);
        EXPECT_KNOWN(rc, made);
        if (rc == ESEAL_RESULT_OK) bad_success++; /* no validity was set */
        eseal_seal_builder_free(gb);
        free(g);

        /* Garbage documents to seal: PDF and OFD, and garbage options. */
        if (i % 5 == 0) {
            g = garbage(NULL, 0, &n);
            if (n > 6 && rnd() % 2) memcpy(g, "%PDF-1", 6);
            if (n > 4 && rnd() % 3 == 0) memcpy(g, "PK\x03\x04", 4);
            eseal_seal_builder *pb = NULL;
            CHECK_RC(eseal_seal_builder_new("v", "i", "n", &pb), ESEAL_RESULT_OK);
            CHECK_RC(eseal_seal_builder_add_signer_cert(pb, cert, cert_len), ESEAL_RESULT_OK);
            CHECK_RC(eseal_seal_builder_set_validity(pb, 0, 253402300799LL), ESEAL_RESULT_OK);
            static const uint8_t png8[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
            CHECK_RC(eseal_seal_builder_set_picture(pb, "PNG", png8, sizeof png8, 10, 10), ESEAL_RESULT_OK);
            eseal_seal *ps = NULL;
            CHECK_RC(eseal_seal_make(pb, s, &ps), ESEAL_RESULT_OK);
            eseal_seal_builder_free(pb);
            eseal_pdf_options *po = NULL;
            CHECK_RC(eseal_pdf_options_new(&po), ESEAL_RESULT_OK);
            rc = eseal_pdf_options_set_payload(po, rnd() % 3);
            EXPECT_KNOWN(rc, SENTINEL);
            rc = eseal_pdf_options_set_page(po, rnd() % 3);
            EXPECT_KNOWN(rc, SENTINEL);
            eseal_bytes *pout = SENTINEL;
            rc = eseal_sign_pdf(s, ps, g, n, po, &pout);
            EXPECT_KNOWN(rc, pout);
            if (rc == ESEAL_RESULT_OK) bad_success++;
            eseal_pdf_options_free(po);
            eseal_ofd_options *oo = NULL;
            CHECK_RC(eseal_ofd_options_new(&oo), ESEAL_RESULT_OK);
            rc = eseal_ofd_options_set_position(oo, (double)(int)(rnd() % 200) - 50.0, 1.0);
            EXPECT_KNOWN(rc, SENTINEL);
            eseal_bytes *oout = SENTINEL;
            rc = eseal_seal_ofd(s, ps, g, n, oo, &oout);
            EXPECT_KNOWN(rc, oout);
            if (rc == ESEAL_RESULT_OK) bad_success++;
            eseal_ofd_options_free(oo);
            eseal_seal_free(ps);
            free(g);
        }

        /* Signing garbage data is fine; garbage digests of the wrong size are refused. */
        g = garbage(NULL, 0, &n);
        eseal_bytes *b = SENTINEL;
        rc = eseal_signer_sign_sm2(s, g, n, &b);
        if (rc != ESEAL_RESULT_OK) bad_success++;
        else eseal_bytes_free(b);
        b = SENTINEL;
        rc = eseal_signer_sign_digest(s, g, n, &b);
        EXPECT_KNOWN(rc, b);
        if ((rc == ESEAL_RESULT_OK) != (n == 32)) bad_success++;
        if (rc == ESEAL_RESULT_OK) eseal_bytes_free(b);

        /* Batches of garbage. */
        eseal_input in[3] = {{g, n, NULL}, {leaf, leaf_len, "leaf"}, {g, n / 2, "half"}};
        eseal_report *rs[3];
        rc = eseal_verify_batch(v, in, 3, 1 + rnd() % 3, rs);
        if (rc != ESEAL_RESULT_OK) bad_success++;
        else
            for (int k = 0; k < 3; k++) eseal_report_free(rs[k]);
        free(g);

        /* Result messages for arbitrary codes. */
        char msg[16];
        size_t w = 99;
        eseal_result_message(rnd() % 8000, msg, rnd() % sizeof msg, &w);
        if (w >= sizeof msg) bad_success++;
    }
    CHECK(unknown == 0);
    CHECK(wrote_on_failure == 0);
    CHECK(bad_success == 0);
    CHECK(cb_count > 0);
    eseal_signer_free(s);
    eseal_verifier_free(v);
}

int main(int argc, char **argv) {
    if (argc > 1) repo_root = argv[1];
    int rounds = argc > 2 ? atoi(argv[2]) : 200;
    key = read_file("test-vectors/keys/key.pem", &key_len);
    cert = read_file("test-vectors/keys/leaf-cert.pem", &cert_len);
    p12 = read_file("test-vectors/keys/p12-default.p12", &p12_len);
    crl = read_file("test-vectors/chains/inter_crl.pem", &crl_len);
    leaf = read_file("test-vectors/chains/leaf.pem", &leaf_len);
    sweep_nulls();
    sweep_garbage(rounds);
    free(key);
    free(cert);
    free(p12);
    free(crl);
    free(leaf);
    return finish("test_sweep");
}
