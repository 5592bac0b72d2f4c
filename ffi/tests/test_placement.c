/*
 * Seal placement through the C ABI: page and position, keyword positioning and riding seals (骑缝章) on PDFs from
 * three producers (test-vectors/producers: ReportLab, Ghostscript ps2pdf, fpdf2 with an
 * Identity-H CJK font) and on the ofdrw OFD samples (ESEAL_SAMPLES; skipped when it is not
 * set, failed when CI is set). Each sealed document is verified with eseal_verify: valid, with
 * the riding layout in the report; a keyword that is not there and a riding seal over one page
 * are refused with ESEAL_RESULT_INVALID_ARGUMENT and nothing is returned.
 *
 * usage: test_placement REPO_ROOT
 */
#include "common.h"

#include <stdint.h>
#include <time.h>

#define SENTINEL ((void *)0x5a5a)

/* A 1x1 PNG: the appearance decodes the picture. */
static const uint8_t png[] = {137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8,
                              6, 0, 0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 248, 207,
                              80, 15, 0, 3, 134, 1, 128, 90, 52, 125, 107, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96,
                              130};

/* Verifies `out` and checks the verdict is valid; `riding` (or NULL) is a substring the
 * report JSON must contain, e.g. the riding layout. */
static void expect_valid(const eseal_verifier *v, const eseal_bytes *out, const char *what, const char *riding) {
    eseal_report *r = NULL;
    CHECK_RC(eseal_verify(v, eseal_bytes_data(out), eseal_bytes_len(out), &r), ESEAL_RESULT_OK);
    if (!r) return;
    int ok = eseal_report_verdict(r) == ESEAL_VERDICT_VALID;
    if (!ok) fprintf(stderr, "%s: %s\n", what, report_json(r));
    CHECK(ok);
    if (riding) {
        int has = strstr(report_json(r), riding) != NULL;
        if (!has) fprintf(stderr, "%s: no %s in %s\n", what, riding, report_json(r));
        CHECK(has);
    }
    eseal_report_free(r);
}

int main(int argc, char **argv) {
    if (argc > 1) repo_root = argv[1];
    size_t kn, cn, can;
    unsigned char *key = read_file("test-vectors/keys/key.pem", &kn);
    unsigned char *cert = read_file("test-vectors/keys/leaf-cert.pem", &cn);
    unsigned char *ca = read_file("test-vectors/keys/ca-cert.pem", &can);
    int64_t now = (int64_t)time(NULL);

    eseal_signer *signer = NULL;
    CHECK_RC(eseal_signer_from_pem(key, kn, NULL, cert, cn, &signer), ESEAL_RESULT_OK);
    eseal_seal_builder *b = NULL;
    CHECK_RC(eseal_seal_builder_new("t", "es-place", "placement 测试章", &b), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_add_signer_cert(b, cert, cn), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_validity(b, now - 3600, now + 86400), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_picture(b, "PNG", png, sizeof png, 40, 40), ESEAL_RESULT_OK);
    eseal_seal *seal = NULL;
    CHECK_RC(eseal_seal_make(b, signer, &seal), ESEAL_RESULT_OK);
    eseal_seal_builder_free(b);
    eseal_verifier *v = NULL;
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    CHECK_RC(eseal_verifier_add_trust_pem(v, ca, can), ESEAL_RESULT_OK);

    /* PDF: a keyword each producer shows (every occurrence), then a riding seal. */
    static const struct {
        const char *file, *keyword, *riding;
    } pdfs[] = {
        {"test-vectors/producers/reportlab_latin.pdf", "Company Seal", "\"riding\":{\"pages\":[1,2,3],\"strips\":3}"},
        {"test-vectors/producers/gs_ps2pdf.pdf", "SIGNATURE", "\"riding\":{\"pages\":[1,2],\"strips\":2}"},
        {"test-vectors/producers/fpdf2_identity_h.pdf", "（盖章）", "\"riding\":{\"pages\":[1,2],\"strips\":2}"},
        {"test-vectors/producers/reportlab_cid.pdf", "盖章", "\"riding\":{\"pages\":[1,2],\"strips\":2}"},
    };
    for (size_t i = 0; i < sizeof pdfs / sizeof pdfs[0]; i++) {
        size_t n;
        unsigned char *pdf = read_file(pdfs[i].file, &n);
        eseal_pdf_options *o = NULL;
        CHECK_RC(eseal_pdf_options_new(&o), ESEAL_RESULT_OK);
        CHECK_RC(eseal_pdf_options_set_signing_time(o, now), ESEAL_RESULT_OK);
        /* Page and position. */
        CHECK_RC(eseal_pdf_options_set_page(o, 2), ESEAL_RESULT_OK);
        CHECK_RC(eseal_pdf_options_set_position(o, 120.0, 200.0), ESEAL_RESULT_OK);
        eseal_bytes *out = NULL;
        CHECK_RC(eseal_sign_pdf(signer, seal, pdf, n, o, &out), ESEAL_RESULT_OK);
        if (out) expect_valid(v, out, pdfs[i].file, NULL);
        eseal_bytes_free(out);

        CHECK_RC(eseal_pdf_options_set_keyword(o, pdfs[i].keyword, 0, 0.0, 0.0), ESEAL_RESULT_OK);
        out = NULL;
        CHECK_RC(eseal_sign_pdf(signer, seal, pdf, n, o, &out), ESEAL_RESULT_OK);
        if (out) expect_valid(v, out, pdfs[i].file, NULL);
        eseal_bytes_free(out);

        CHECK_RC(eseal_pdf_options_set_keyword(o, "no such words", 1, 0.0, 0.0), ESEAL_RESULT_OK);
        out = SENTINEL;
        CHECK_RC(eseal_sign_pdf(signer, seal, pdf, n, o, &out), ESEAL_RESULT_INVALID_ARGUMENT);
        CHECK(out == NULL || out == SENTINEL);
        CHECK(strstr(last_error(), "no such words") != NULL);

        CHECK_RC(eseal_pdf_options_set_keyword(o, NULL, 0, 0.0, 0.0), ESEAL_RESULT_OK);
        CHECK_RC(eseal_pdf_options_set_riding(o, 1, 0, "all", -1.0), ESEAL_RESULT_OK);
        out = NULL;
        CHECK_RC(eseal_sign_pdf(signer, seal, pdf, n, o, &out), ESEAL_RESULT_OK);
        if (out) expect_valid(v, out, pdfs[i].file, pdfs[i].riding);
        eseal_bytes_free(out);

        /* A riding seal over one selected page is refused. */
        CHECK_RC(eseal_pdf_options_set_riding(o, 1, 0, "1-1", -1.0), ESEAL_RESULT_OK);
        out = SENTINEL;
        CHECK_RC(eseal_sign_pdf(signer, seal, pdf, n, o, &out), ESEAL_RESULT_INVALID_ARGUMENT);
        CHECK(out == NULL || out == SENTINEL);
        eseal_pdf_options_free(o);
        free(pdf);
    }

    /* OFD: the ofdrw samples. */
    const char *samples = getenv("ESEAL_SAMPLES");
    if (!samples) {
        if (getenv("CI")) {
            fprintf(stderr, "ESEAL_SAMPLES not set\n");
            return 1;
        }
        printf("skipped: ESEAL_SAMPLES not set (OFD part)\n");
    } else {
        static const struct {
            const char *file, *keyword;
        } ofds[] = {
            {"multiKeywordInTextCode.ofd", "哈哈"},
            {"helloworld_with_pageblock.ofd", "Reader&Writer"},
            {"fptpl.ofd", "发票代码"},
        };
        char path[4096];
        for (size_t i = 0; i < sizeof ofds / sizeof ofds[0]; i++) {
            snprintf(path, sizeof path, "%s/ofdrw/%s", samples, ofds[i].file);
            size_t n;
            unsigned char *ofd = read_path(path, &n);
            eseal_ofd_options *o = NULL;
            CHECK_RC(eseal_ofd_options_new(&o), ESEAL_RESULT_OK);
            CHECK_RC(eseal_ofd_options_set_page(o, 1), ESEAL_RESULT_OK);
            CHECK_RC(eseal_ofd_options_set_position(o, 20.0, 30.0), ESEAL_RESULT_OK);
            eseal_bytes *out = NULL;
            CHECK_RC(eseal_seal_ofd(signer, seal, ofd, n, o, &out), ESEAL_RESULT_OK);
            if (out) expect_valid(v, out, ofds[i].file, NULL);
            eseal_bytes_free(out);
            CHECK_RC(eseal_ofd_options_set_keyword(o, ofds[i].keyword, 0, 0.0, 0.0), ESEAL_RESULT_OK);
            out = NULL;
            CHECK_RC(eseal_seal_ofd(signer, seal, ofd, n, o, &out), ESEAL_RESULT_OK);
            if (out) expect_valid(v, out, ofds[i].file, NULL);
            eseal_bytes_free(out);
            CHECK_RC(eseal_ofd_options_set_keyword(o, "合同专用章不存在", 1, 0.0, 0.0), ESEAL_RESULT_OK);
            out = SENTINEL;
            CHECK_RC(eseal_seal_ofd(signer, seal, ofd, n, o, &out), ESEAL_RESULT_INVALID_ARGUMENT);
            CHECK(out == NULL || out == SENTINEL);
            eseal_ofd_options_free(o);
            free(ofd);
        }
        /* A riding seal over the five pages of VPage7.ofd. */
        snprintf(path, sizeof path, "%s/ofdrw/VPage7.ofd", samples);
        size_t n;
        unsigned char *ofd = read_path(path, &n);
        eseal_ofd_options *o = NULL;
        CHECK_RC(eseal_ofd_options_new(&o), ESEAL_RESULT_OK);
        CHECK_RC(eseal_ofd_options_set_riding(o, 1, 0, "all", -1.0), ESEAL_RESULT_OK);
        eseal_bytes *out = NULL;
        CHECK_RC(eseal_seal_ofd(signer, seal, ofd, n, o, &out), ESEAL_RESULT_OK);
        if (out) expect_valid(v, out, "VPage7.ofd", "\"strips\":");
        eseal_bytes_free(out);
        eseal_ofd_options_free(o);
        free(ofd);
    }

    eseal_verifier_free(v);
    eseal_seal_free(seal);
    eseal_signer_free(signer);
    free(key);
    free(cert);
    free(ca);
    return finish("test_placement");
}
