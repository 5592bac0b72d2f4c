/*
 * Sealing PDF documents through the C ABI: both payloads, options, two-phase, refusals and
 * malformed input; the sealed PDFs are verified with eseal_verify (also by the crate's unit
 * test in ffi/src/pdf.rs).
 *
 * usage: test_pdf REPO_ROOT
 */
#define _GNU_SOURCE /* memmem */
#include "common.h"

#include <stdint.h>
#include <time.h>

#define SENTINEL ((void *)0x5a5a)

/* A 1x1 PNG: the appearance decodes the picture. */
static const uint8_t png[] = {137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8,
                              6, 0, 0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 248, 207,
                              80, 15, 0, 3, 134, 1, 128, 90, 52, 125, 107, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96,
                              130};

/* A one-page PDF with a classic xref table, written with exact offsets. */
static size_t make_pdf(char *buf, size_t cap) {
    const char *objs[] = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"};
    size_t off[3];
    size_t n = (size_t)snprintf(buf, cap, "%%PDF-1.7\n");
    for (int i = 0; i < 3; i++) {
        off[i] = n;
        n += (size_t)snprintf(buf + n, cap - n, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t xref = n;
    n += (size_t)snprintf(buf + n, cap - n, "xref\n0 4\n0000000000 65535 f \n");
    for (int i = 0; i < 3; i++) n += (size_t)snprintf(buf + n, cap - n, "%010zu 00000 n \n", off[i]);
    n += (size_t)snprintf(buf + n, cap - n, "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    return n;
}

static int contains(const eseal_bytes *b, const char *s) {
    return memmem(eseal_bytes_data(b), eseal_bytes_len(b), s, strlen(s)) != NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) repo_root = argv[1];
    size_t kn, cn, on;
    unsigned char *key = read_file("test-vectors/keys/key.pem", &kn);
    unsigned char *cert = read_file("test-vectors/keys/leaf-cert.pem", &cn);
    unsigned char *other = read_file("test-vectors/chains/leaf.pem", &on);
    int64_t now = (int64_t)time(NULL);
    char pdf[2048];
    size_t pdf_len = make_pdf(pdf, sizeof pdf);
    const uint8_t *in = (const uint8_t *)pdf;

    eseal_signer *signer = NULL;
    CHECK_RC(eseal_signer_from_pem(key, kn, NULL, cert, cn, &signer), ESEAL_RESULT_OK);
    eseal_seal_builder *b = NULL;
    CHECK_RC(eseal_seal_builder_new("t", "es-pdf", "PDF 测试章", &b), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_add_signer_cert(b, cert, cn), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_validity(b, now - 3600, now + 86400), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_picture(b, "PNG", png, sizeof png, 40, 40), ESEAL_RESULT_OK);
    eseal_seal *seal = NULL;
    CHECK_RC(eseal_seal_make(b, signer, &seal), ESEAL_RESULT_OK);
    eseal_seal_builder_free(b);

    /* Options. */
    eseal_pdf_options *o = NULL;
    CHECK_RC(eseal_pdf_options_new(&o), ESEAL_RESULT_OK);
    CHECK_RC(eseal_pdf_options_set_page(o, 0), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_pdf_options_set_page(o, 1), ESEAL_RESULT_OK);
    CHECK_RC(eseal_pdf_options_set_position(o, 100.0, -3.0), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_pdf_options_set_position(o, 120.0, 200.0), ESEAL_RESULT_OK);
    CHECK_RC(eseal_pdf_options_set_payload(o, 7), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_pdf_options_set_payload(o, ESEAL_PDF_PAYLOAD_SES), ESEAL_RESULT_OK);
    CHECK_RC(eseal_pdf_options_set_reason(o, "\xff\xfe"), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_pdf_options_set_reason(o, "同意"), ESEAL_RESULT_OK);
    CHECK_RC(eseal_pdf_options_set_location(o, "Beijing"), ESEAL_RESULT_OK);
    CHECK_RC(eseal_pdf_options_set_signing_time(o, INT64_MAX), ESEAL_RESULT_INVALID_ARGUMENT);
    CHECK_RC(eseal_pdf_options_set_signing_time(o, now), ESEAL_RESULT_OK);
    CHECK_RC(eseal_pdf_options_new(NULL), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_pdf_options_set_page(NULL, 1), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_pdf_options_set_position(NULL, 1, 1), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_pdf_options_set_payload(NULL, 0), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_pdf_options_set_reason(NULL, "r"), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_pdf_options_set_location(NULL, "l"), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_pdf_options_set_signing_time(NULL, 0), ESEAL_RESULT_NULL_POINTER);

    /* SES payload: an incremental update with the seal's picture and the signature. */
    eseal_bytes *out = SENTINEL;
    CHECK_RC(eseal_sign_pdf(signer, seal, in, pdf_len, o, &out), ESEAL_RESULT_OK);
    CHECK(out != SENTINEL && eseal_bytes_len(out) > pdf_len);
    CHECK(memcmp(eseal_bytes_data(out), pdf, pdf_len) == 0);
    CHECK(contains(out, "/ByteRange") && contains(out, "/Location (Beijing)") && contains(out, "/Prev"));
    /* The library's verifier accepts it: valid with the CA as trust anchor; a changed byte in
     * the signed revision makes it invalid. */
    size_t can;
    unsigned char *ca = read_file("test-vectors/keys/ca-cert.pem", &can);
    eseal_verifier *v = NULL;
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    CHECK_RC(eseal_verifier_add_trust_pem(v, ca, can), ESEAL_RESULT_OK);
    free(ca);
    eseal_report *r = NULL;
    CHECK_RC(eseal_verify(v, eseal_bytes_data(out), eseal_bytes_len(out), &r), ESEAL_RESULT_OK);
    if (eseal_report_verdict(r) != ESEAL_VERDICT_VALID) fprintf(stderr, "%s\n", report_json(r));
    CHECK(eseal_report_verdict(r) == ESEAL_VERDICT_VALID);
    CHECK(strstr(report_json(r), "\"kind\":\"pdf\"") && strstr(report_json(r), "\"byte_range\""));
    eseal_report_free(r);
    uint8_t *bad = malloc(eseal_bytes_len(out));
    memcpy(bad, eseal_bytes_data(out), eseal_bytes_len(out));
    bad[pdf_len - 20] ^= 0x01; /* inside the original revision, which the signature covers */
    r = NULL;
    CHECK_RC(eseal_verify(v, bad, eseal_bytes_len(out), &r), ESEAL_RESULT_OK);
    CHECK(eseal_report_verdict(r) == ESEAL_VERDICT_INVALID);
    eseal_report_free(r);
    free(bad);

    /* Sealing the sealed PDF again (NULL options: defaults) keeps the first revision. */
    eseal_bytes *twice = NULL;
    CHECK_RC(eseal_sign_pdf(signer, seal, eseal_bytes_data(out), eseal_bytes_len(out), NULL, &twice), ESEAL_RESULT_OK);
    CHECK(twice && memcmp(eseal_bytes_data(twice), eseal_bytes_data(out), eseal_bytes_len(out)) == 0);
    eseal_bytes_free(twice);
    eseal_bytes_free(out);

    /* CMS payload. */
    CHECK_RC(eseal_pdf_options_set_payload(o, ESEAL_PDF_PAYLOAD_CMS), ESEAL_RESULT_OK);
    out = NULL;
    CHECK_RC(eseal_sign_pdf(signer, seal, in, pdf_len, o, &out), ESEAL_RESULT_OK);
    CHECK(out && contains(out, "adbe.pkcs7.detached"));
    r = NULL;
    CHECK_RC(eseal_verify(v, eseal_bytes_data(out), eseal_bytes_len(out), &r), ESEAL_RESULT_OK);
    CHECK(eseal_report_verdict(r) == ESEAL_VERDICT_VALID && strstr(report_json(r), "\"cms\""));
    eseal_report_free(r);
    eseal_verifier_free(v);
    eseal_bytes_free(out);
    CHECK_RC(eseal_pdf_options_set_payload(o, ESEAL_PDF_PAYLOAD_SES), ESEAL_RESULT_OK);

    /* Refusals and malformed input leave the output alone. */
    out = SENTINEL;
    CHECK_RC(eseal_pdf_options_set_page(o, 2), ESEAL_RESULT_OK);
    CHECK(eseal_sign_pdf(signer, seal, in, pdf_len, o, &out) != ESEAL_RESULT_OK); /* no page 2 */
    CHECK(eseal_last_error_length() > 0);
    CHECK_RC(eseal_pdf_options_set_page(o, 1), ESEAL_RESULT_OK);
    CHECK_RC(eseal_sign_pdf(signer, seal, (const uint8_t *)"%PDF-1.7\ngarbage", 16, o, &out), ESEAL_RESULT_MALFORMED_PDF);
    CHECK_RC(eseal_sign_pdf(NULL, seal, in, pdf_len, o, &out), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_sign_pdf(signer, NULL, in, pdf_len, o, &out), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_sign_pdf(signer, seal, NULL, pdf_len, o, &out), ESEAL_RESULT_NULL_POINTER);
    CHECK_RC(eseal_sign_pdf(signer, seal, in, pdf_len, o, NULL), ESEAL_RESULT_NULL_POINTER);
    eseal_seal_builder *ob = NULL;
    CHECK_RC(eseal_seal_builder_new("t", "es-other", "other", &ob), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_add_signer_cert(ob, other, on), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_validity(ob, now - 3600, now + 86400), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_picture(ob, "PNG", png, sizeof png, 40, 40), ESEAL_RESULT_OK);
    eseal_seal *other_seal = NULL;
    CHECK_RC(eseal_seal_make(ob, signer, &other_seal), ESEAL_RESULT_OK);
    eseal_seal_builder_free(ob);
    CHECK_RC(eseal_sign_pdf(signer, other_seal, in, pdf_len, o, &out), ESEAL_RESULT_SEAL_REFUSED);
    CHECK(out == SENTINEL);

    /* Two phases. */
    eseal_pending *p = SENTINEL;
    CHECK_RC(eseal_prepare_sign_pdf(cert, cn, other_seal, in, pdf_len, o, &p), ESEAL_RESULT_SEAL_REFUSED);
    CHECK_RC(eseal_prepare_sign_pdf(NULL, 0, seal, in, pdf_len, o, &p), ESEAL_RESULT_NULL_POINTER);
    CHECK(p == SENTINEL);
    eseal_seal_free(other_seal);
    CHECK_RC(eseal_prepare_sign_pdf(cert, cn, seal, in, pdf_len, o, &p), ESEAL_RESULT_OK);
    const uint8_t *e;
    size_t el;
    CHECK_RC(eseal_pending_digest(p, &e, &el), ESEAL_RESULT_OK);
    eseal_bytes *sig = NULL;
    CHECK_RC(eseal_signer_sign_digest(signer, e, el, &sig), ESEAL_RESULT_OK);
    eseal_bytes *sealed = NULL;
    CHECK_RC(eseal_pending_finish(p, eseal_bytes_data(sig), eseal_bytes_len(sig), &sealed), ESEAL_RESULT_OK);
    CHECK(sealed && memcmp(eseal_bytes_data(sealed), pdf, pdf_len) == 0 && contains(sealed, "/ByteRange"));
    eseal_bytes_free(sealed);
    eseal_bytes_free(sig);
    eseal_pending_free(p);
    p = NULL;
    CHECK_RC(eseal_prepare_sign_pdf(cert, cn, seal, in, pdf_len, NULL, &p), ESEAL_RESULT_OK);
    eseal_pending_free(p); /* abandoned */

    eseal_pdf_options_free(o);
    eseal_pdf_options_free(NULL);
    eseal_seal_free(seal);
    eseal_signer_free(signer);
    free(key);
    free(cert);
    free(other);
    return finish("test_pdf");
}
