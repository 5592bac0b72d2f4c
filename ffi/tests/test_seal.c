/*
 * Seals through the C ABI: making (one-shot and two-phase), parsing, facts, applying a seal
 * to data (one-shot and two-phase), verifying seals and detached seal signatures, and the
 * refusals and errors of each step.
 *
 * usage: test_seal REPO_ROOT
 */
#define _GNU_SOURCE /* memmem */
#include "common.h"

#include <stdint.h>
#include <time.h>

#define SENTINEL ((void *)0x5a5a)
#define DAY 86400LL

/* A PNG signature and IHDR: enough for the picture type check, which sniffs the content. */
static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                              0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89};
static const uint8_t jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0};

static unsigned char *key, *cert, *ca, *other_cert;
static size_t key_len, cert_len, ca_len, other_len;
static int64_t now;

static eseal_signer *signer(void) {
    eseal_signer *s = NULL;
    CHECK_RC(eseal_signer_from_pem(key, key_len, NULL, cert, cert_len, &s), ESEAL_RESULT_OK);
    return s;
}

static eseal_seal_builder *builder(const unsigned char *signer_cert, size_t len) {
    eseal_seal_builder *b = NULL;
    CHECK_RC(eseal_seal_builder_new("eseal-test", "es-0001", "测试专用章", &b), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_add_signer_cert(b, signer_cert, len), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_validity(b, now - DAY, now + 365 * DAY), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_picture(b, "PNG", png, sizeof png, 40, 40), ESEAL_RESULT_OK);
    return b;
}

static eseal_verifier *verifier(int trusted) {
    eseal_verifier *v = NULL;
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    if (trusted) CHECK_RC(eseal_verifier_add_trust_pem(v, ca, ca_len), ESEAL_RESULT_OK);
    return v;
}

static eseal_verdict verdict_of(const eseal_verifier *v, const uint8_t *der, size_t len, const char *needle) {
    eseal_report *r = NULL;
    CHECK_RC(eseal_verify(v, der, len, &r), ESEAL_RESULT_OK);
    eseal_verdict verdict = eseal_report_verdict(r);
    if (needle && !strstr(report_json(r), needle)) {
        fprintf(stderr, "%s not in %s\n", needle, report_json(r));
        CHECK(0);
    }
    eseal_report_free(r);
    return verdict;
}

static eseal_verdict detached_verdict(const eseal_verifier *v, const eseal_bytes *sig, const char *data,
                                      const char *needle) {
    eseal_report *r = NULL;
    CHECK_RC(eseal_verify_detached(v, eseal_bytes_data(sig), eseal_bytes_len(sig), (const uint8_t *)data,
                                   strlen(data), &r),
             ESEAL_RESULT_OK);
    eseal_verdict verdict = eseal_report_verdict(r);
    if (needle && !strstr(report_json(r), needle)) {
        fprintf(stderr, "%s not in %s\n", needle, report_json(r));
        CHECK(0);
    }
    eseal_report_free(r);
    return verdict;
}

static void test_make_parse_verify(void) {
    eseal_signer *maker = signer();
    eseal_seal_builder *b = builder(cert, cert_len);
    eseal_seal *seal = SENTINEL;
    CHECK_RC(eseal_seal_make(b, maker, &seal), ESEAL_RESULT_OK);
    CHECK(seal != SENTINEL);

    const uint8_t *der = NULL;
    size_t der_len = 0;
    CHECK_RC(eseal_seal_der(seal, &der, &der_len), ESEAL_RESULT_OK);
    CHECK(der != NULL && der_len > 300 && der[0] == 0x30);
    const char *json = NULL;
    size_t json_len = 0;
    CHECK_RC(eseal_seal_info_json(seal, &json, &json_len), ESEAL_RESULT_OK);
    CHECK(strlen(json) == json_len);
    CHECK(strstr(json, "\"format\":\"ses-v4\"") && strstr(json, "\"es_id\":\"es-0001\""));
    CHECK(strstr(json, "\"name\":\"测试专用章\"") && strstr(json, "\"width_mm\":40"));
    CHECK(strstr(json, "eseal OpenSSL test leaf") != NULL); /* the maker */

    /* Parse the DER again: the same bytes. */
    eseal_seal *parsed = NULL;
    CHECK_RC(eseal_seal_parse(der, der_len, &parsed), ESEAL_RESULT_OK);
    const uint8_t *der2;
    size_t der2_len;
    CHECK_RC(eseal_seal_der(parsed, &der2, &der2_len), ESEAL_RESULT_OK);
    CHECK(der2_len == der_len && memcmp(der, der2, der_len) == 0);
    eseal_seal_free(parsed);

    /* Verification of the seal on its own. */
    eseal_verifier *trusted = verifier(1), *untrusted = verifier(0);
    CHECK(verdict_of(trusted, der, der_len, "\"kind\":\"seal\"") == ESEAL_VERDICT_VALID);
    CHECK(verdict_of(untrusted, der, der_len, "maker_cert.chain") == ESEAL_VERDICT_INDETERMINATE);
    /* seal_validity judges a bare seal at the reference time (issue 11): now inside the
     * validity, then a reference time after validEnd (now + 365 days). */
    CHECK(verdict_of(trusted, der, der_len, "\"id\":\"seal_validity\",\"message\":\"reference time") ==
          ESEAL_VERDICT_VALID);
    eseal_verifier *later = verifier(1);
    CHECK_RC(eseal_verifier_set_time(later, now + 400 * DAY), ESEAL_RESULT_OK);
    CHECK(verdict_of(later, der, der_len, "\"id\":\"seal_validity\",\"message\":\"at the reference time") ==
          ESEAL_VERDICT_INVALID);
    eseal_verifier_free(later);
    /* A flipped bit inside the seal's picture breaks the maker's signature. */
    uint8_t *bad = malloc(der_len);
    memcpy(bad, der, der_len);
    for (size_t i = 0; i + sizeof png <= der_len; i++) {
        if (memcmp(bad + i, png, sizeof png) == 0) {
            bad[i + 20] ^= 1;
            break;
        }
    }
    CHECK(verdict_of(trusted, bad, der_len, "seal_signature") == ESEAL_VERDICT_INVALID);
    eseal_seal *tampered = NULL;
    CHECK_RC(eseal_seal_parse(bad, der_len, &tampered), ESEAL_RESULT_OK); /* parsing checks no signature */
    eseal_seal_free(tampered);
    free(bad);

    /* Applying the seal to data. */
    const char *data = "contract text";
    eseal_bytes *sig = SENTINEL;
    CHECK_RC(eseal_sign_data(maker, seal, (const uint8_t *)data, strlen(data), NULL, &sig), ESEAL_RESULT_OK);
    CHECK(sig != SENTINEL && eseal_bytes_len(sig) > der_len);
    CHECK(detached_verdict(trusted, sig, data, "\"data_hash\"") == ESEAL_VERDICT_VALID);
    CHECK(detached_verdict(trusted, sig, "contract text!", "data_hash") == ESEAL_VERDICT_INVALID);
    CHECK(detached_verdict(untrusted, sig, data, NULL) == ESEAL_VERDICT_INDETERMINATE);
    /* Without the data, its hash check is skipped. */
    CHECK(verdict_of(trusted, eseal_bytes_data(sig), eseal_bytes_len(sig), "\"kind\":\"ses\"") == ESEAL_VERDICT_VALID);
    eseal_bytes_free(sig);

    /* Options: propertyInfo, signing time, version 5. */
    eseal_sign_options *o = NULL;
    CHECK_RC(eseal_sign_options_new(&o), ESEAL_RESULT_OK);
    CHECK_RC(eseal_sign_options_set_property_info(o, "contract.txt"), ESEAL_RESULT_OK);
    CHECK_RC(eseal_sign_options_set_signing_time(o, now - 60), ESEAL_RESULT_OK);
    CHECK_RC(eseal_sign_options_set_version(o, 5), ESEAL_RESULT_OK);
    CHECK_RC(eseal_sign_options_set_version(o, 1), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_sign_options_set_version(o, 3), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_sign_options_set_signing_time(o, INT64_MAX), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_sign_options_set_property_info(o, "\xff"), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_sign_options_set_property_info(o, NULL), ESEAL_RESULT_NULL_POINTER);
    sig = NULL;
    CHECK_RC(eseal_sign_data(maker, seal, (const uint8_t *)data, strlen(data), o, &sig), ESEAL_RESULT_OK);
    CHECK(detached_verdict(trusted, sig, data, "\"format\":\"ses-v5\"") == ESEAL_VERDICT_VALID);
    eseal_bytes_free(sig);
    /* A signing time outside the seal's validity is refused. */
    CHECK_RC(eseal_sign_options_set_signing_time(o, now - 2 * DAY), ESEAL_RESULT_OK);
    sig = SENTINEL;
    CHECK_RC(eseal_sign_data(maker, seal, (const uint8_t *)data, strlen(data), o, &sig), ESEAL_RESULT_SEAL_REFUSED);
    CHECK(sig == SENTINEL);
    eseal_sign_options_free(o);
    eseal_sign_options_free(NULL);

    /* NULLs. */
    CHECK_RC(eseal_sign_data(NULL, seal, (const uint8_t *)data, 1, NULL, &sig), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_sign_data(maker, NULL, (const uint8_t *)data, 1, NULL, &sig), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_sign_data(maker, seal, NULL, 1, NULL, &sig), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_sign_data(maker, seal, (const uint8_t *)data, 1, NULL, NULL), ESEAL_RESULT_NULL_POINTER);
    CHECK(sig == SENTINEL);
    CHECK_RC(eseal_seal_der(NULL, &der, &der_len), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_seal_info_json(seal, NULL, &json_len), ESEAL_RESULT_NULL_POINTER);
    eseal_report *r = SENTINEL;
    CHECK_RC(eseal_verify_detached(trusted, NULL, 0, (const uint8_t *)"", 0, &r), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_verify_detached(trusted, der, der_len, NULL, 0, &r), ESEAL_RESULT_NULL_POINTER);
    CHECK(r == SENTINEL);

    eseal_verifier_free(trusted);
    eseal_verifier_free(untrusted);
    eseal_seal_free(seal);
    eseal_seal_builder_free(b);
    eseal_signer_free(maker);
}

static void test_refusals(void) {
    eseal_signer *s = signer();

    /* A seal for another signer: applying it with our key is refused. */
    eseal_seal_builder *b = builder(other_cert, other_len);
    eseal_seal *seal = NULL;
    CHECK_RC(eseal_seal_make(b, s, &seal), ESEAL_RESULT_OK);
    eseal_bytes *sig = SENTINEL;
    CHECK_RC(eseal_sign_data(s, seal, (const uint8_t *)"x", 1, NULL, &sig), ESEAL_RESULT_SEAL_REFUSED);
    CHECK(sig == SENTINEL && strstr(last_error(), "not among") != NULL);
    eseal_seal_free(seal);
    eseal_seal_builder_free(b);

    /* Certificate digests instead of certificates (certListType 2). */
    b = builder(cert, cert_len);
    CHECK_RC(eseal_seal_builder_set_cert_list_type(b, 2), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_cert_list_type(b, 3), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_seal_builder_set_type(b, 6), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_version(b, 5), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_version(b, 1), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_seal_builder_set_create_date(b, now - 60), ESEAL_RESULT_OK);
    seal = NULL;
    CHECK_RC(eseal_seal_make(b, s, &seal), ESEAL_RESULT_OK);
    const char *json;
    size_t jl;
    CHECK_RC(eseal_seal_info_json(seal, &json, &jl), ESEAL_RESULT_OK);
    CHECK(strstr(json, "\"cert_list_type\":2") && strstr(json, "\"type\":6") && strstr(json, "ses-v5"));
    sig = NULL;
    CHECK_RC(eseal_sign_data(s, seal, (const uint8_t *)"x", 1, NULL, &sig), ESEAL_RESULT_OK);
    eseal_verifier *v = verifier(1);
    CHECK(detached_verdict(v, sig, "x", "signer_in_seal") == ESEAL_VERDICT_VALID);
    eseal_verifier_free(v);
    eseal_bytes_free(sig);
    eseal_seal_free(seal);
    eseal_seal_builder_free(b);

    /* Builder errors. */
    b = NULL;
    CHECK_RC(eseal_seal_builder_new("v", "id", "name", &b), ESEAL_RESULT_OK);
    seal = SENTINEL;
    CHECK_RC(eseal_seal_make(b, s, &seal), ESEAL_RESULT_INVALID_ARGUMENT); /* nothing set */
    CHECK_RC(eseal_seal_builder_add_signer_cert(b, (const uint8_t *)"junk", 4), ESEAL_RESULT_MALFORMED_CERTIFICATE);
    CHECK_RC(eseal_seal_builder_add_signer_cert(b, cert, cert_len), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_make(b, s, &seal), ESEAL_RESULT_INVALID_ARGUMENT); /* no validity */
    CHECK_RC(eseal_seal_builder_set_validity(b, now + DAY, now), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_seal_builder_set_validity(b, now, INT64_MAX), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_seal_builder_set_validity(b, now - DAY, now + DAY), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_make(b, s, &seal), ESEAL_RESULT_INVALID_ARGUMENT); /* no picture */
    CHECK_RC(eseal_seal_builder_set_picture(b, "PNG", jpeg, sizeof jpeg, 40, 40), ESEAL_RESULT_MALFORMED_PICTURE);
    CHECK_RC(eseal_seal_builder_set_picture(b, "TIFF", png, sizeof png, 40, 40), ESEAL_RESULT_MALFORMED_PICTURE);
    CHECK_RC(eseal_seal_builder_set_picture(b, "PNG", png, sizeof png, 0, 40), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_seal_builder_set_picture(b, "JPG", jpeg, sizeof jpeg, 30, 20), ESEAL_RESULT_OK);
    CHECK(seal == SENTINEL);
    CHECK_RC(eseal_seal_make(b, s, &seal), ESEAL_RESULT_OK);
    eseal_seal_free(seal);
    CHECK_RC(eseal_seal_builder_new(NULL, "id", "name", &b), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_seal_builder_new("v", "id", "\xc0", &b), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_seal_builder_set_type(NULL, 1), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_seal_make(NULL, s, &seal), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_seal_make(b, NULL, &seal), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_seal_make(b, s, NULL), ESEAL_RESULT_NULL_POINTER);
    eseal_seal_builder_free(b);
    eseal_seal_builder_free(NULL);

    /* Malformed seals. */
    eseal_seal *p = SENTINEL;
    CHECK_RC(eseal_seal_parse((const uint8_t *)"\x30\x03\x02\x01\x01", 5, &p), ESEAL_RESULT_MALFORMED_SEAL);
    CHECK_RC(eseal_seal_parse((const uint8_t *)"", 0, &p), ESEAL_RESULT_MALFORMED_SEAL);
    CHECK_RC(eseal_seal_parse(cert, cert_len, &p), ESEAL_RESULT_MALFORMED_SEAL);
    CHECK_RC(eseal_seal_parse(NULL, 0, &p), ESEAL_RESULT_NULL_POINTER);
    CHECK(p == SENTINEL);
    eseal_seal_free(NULL);
    eseal_signer_free(s);
}

static void test_two_phase(void) {
    eseal_signer *device = signer();
    eseal_seal_builder *b = builder(cert, cert_len);

    /* Making a seal in two phases. */
    eseal_pending *p = SENTINEL;
    CHECK_RC(eseal_prepare_seal_make(b, (const uint8_t *)"junk", 4, &p), ESEAL_RESULT_MALFORMED_CERTIFICATE);
    CHECK(p == SENTINEL);
    CHECK_RC(eseal_prepare_seal_make(b, cert, cert_len, &p), ESEAL_RESULT_OK);
    const uint8_t *e;
    size_t e_len;
    CHECK_RC(eseal_pending_digest(p, &e, &e_len), ESEAL_RESULT_OK);
    eseal_bytes *es = NULL;
    CHECK_RC(eseal_signer_sign_digest(device, e, e_len, &es), ESEAL_RESULT_OK);
    eseal_bytes *seal_der = NULL;
    CHECK_RC(eseal_pending_finish(p, eseal_bytes_data(es), eseal_bytes_len(es), &seal_der), ESEAL_RESULT_OK);
    eseal_bytes_free(es);
    eseal_pending_free(p);
    eseal_seal *seal = NULL;
    CHECK_RC(eseal_seal_parse(eseal_bytes_data(seal_der), eseal_bytes_len(seal_der), &seal), ESEAL_RESULT_OK);
    eseal_verifier *v = verifier(1);
    CHECK(verdict_of(v, eseal_bytes_data(seal_der), eseal_bytes_len(seal_der), "\"seal_signature\"") ==
          ESEAL_VERDICT_VALID);
    eseal_bytes_free(seal_der);

    /* An incomplete builder fails before anything waits for a signature. */
    eseal_seal_builder *empty = NULL;
    CHECK_RC(eseal_seal_builder_new("v", "id", "n", &empty), ESEAL_RESULT_OK);
    p = SENTINEL;
    CHECK_RC(eseal_prepare_seal_make(empty, cert, cert_len, &p), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK(p == SENTINEL);
    eseal_seal_builder_free(empty);

    /* Applying it to data in two phases. */
    eseal_sign_options *o = NULL;
    CHECK_RC(eseal_sign_options_new(&o), ESEAL_RESULT_OK);
    CHECK_RC(eseal_sign_options_set_property_info(o, "letter.txt"), ESEAL_RESULT_OK);
    const char *data = "a letter";
    p = NULL;
    CHECK_RC(eseal_prepare_sign_data(cert, cert_len, seal, (const uint8_t *)data, strlen(data), o, &p),
             ESEAL_RESULT_OK);
    eseal_sign_options_free(o); /* the operation keeps its own copy */
    CHECK_RC(eseal_pending_digest(p, &e, &e_len), ESEAL_RESULT_OK);
    es = NULL;
    CHECK_RC(eseal_signer_sign_digest(device, e, e_len, &es), ESEAL_RESULT_OK);
    eseal_bytes *sig = NULL;
    CHECK_RC(eseal_pending_finish(p, eseal_bytes_data(es), eseal_bytes_len(es), &sig), ESEAL_RESULT_OK);
    CHECK(detached_verdict(v, sig, data, "\"data_hash\",\"message\":\"SM3 of the data equals") ==
          ESEAL_VERDICT_VALID);
    /* propertyInfo is written in TBS_Sign as an IA5String. */
    CHECK(memmem(eseal_bytes_data(sig), eseal_bytes_len(sig), "\x16\x0aletter.txt", 12) != NULL);
    eseal_bytes_free(sig);
    eseal_bytes_free(es);
    eseal_pending_free(p);

    /* A refusal surfaces at prepare time (the operation ends before needing a signature). */
    o = NULL;
    CHECK_RC(eseal_sign_options_new(&o), ESEAL_RESULT_OK);
    CHECK_RC(eseal_sign_options_set_signing_time(o, now + 400 * DAY), ESEAL_RESULT_OK);
    p = SENTINEL;
    CHECK_RC(eseal_prepare_sign_data(cert, cert_len, seal, (const uint8_t *)data, strlen(data), o, &p),
             ESEAL_RESULT_SEAL_REFUSED);
    CHECK(p == SENTINEL);
    CHECK_RC(eseal_prepare_sign_data(cert, cert_len, NULL, (const uint8_t *)data, 1, o, &p), ESEAL_RESULT_NULL_POINTER);
    eseal_sign_options_free(o);

    eseal_verifier_free(v);
    eseal_seal_free(seal);
    eseal_seal_builder_free(b);
    eseal_signer_free(device);
}

int main(int argc, char **argv) {
    if (argc > 1) repo_root = argv[1];
    now = (int64_t)time(NULL);
    key = read_file("test-vectors/keys/key.pem", &key_len);
    cert = read_file("test-vectors/keys/leaf-cert.pem", &cert_len);
    ca = read_file("test-vectors/keys/ca-cert.pem", &ca_len);
    other_cert = read_file("test-vectors/chains/leaf.pem", &other_len);
    test_make_parse_verify();
    test_refusals();
    test_two_phase();
    free(key);
    free(cert);
    free(ca);
    free(other_cert);
    return finish("test_seal");
}
