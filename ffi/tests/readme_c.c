/*
 * Compiles and runs the C snippets of ffi/README.md (extracted by run.sh into
 * target/ffi-tests/snippets) against the test vectors.
 *
 * usage: readme_c REPO_ROOT
 */
#include "common.h"

#include "readme_verify.c"
#include "readme_device.c"
#include "readme_two_phase.c"

/* The "device" of readme_device.c: a software signer standing in for a UKey. */
struct ukey {
    eseal_signer *inner;
    int calls;
};

int ukey_sign_digest(struct ukey *key, const uint8_t *digest, size_t digest_len, uint8_t *sig,
                     size_t sig_cap, size_t *sig_len) {
    eseal_bytes *b = NULL;
    key->calls++;
    if (eseal_signer_sign_digest(key->inner, digest, digest_len, &b) != ESEAL_RESULT_OK) return 1;
    int rc = 1;
    if (eseal_bytes_len(b) <= sig_cap) {
        memcpy(sig, eseal_bytes_data(b), eseal_bytes_len(b));
        *sig_len = eseal_bytes_len(b);
        rc = 0;
    }
    eseal_bytes_free(b);
    return rc;
}

int main(int argc, char **argv) {
    if (argc > 1) repo_root = argv[1];
    size_t rn, ln, sn, kn, cn;
    unsigned char *root = read_file("test-vectors/chains/root.pem", &rn);
    unsigned char *leaf = read_file("test-vectors/chains/leaf.pem", &ln);
    unsigned char *self = read_file("test-vectors/chains/root.pem", &sn);
    /* The root verified against itself is valid; the leaf without its intermediate is not
     * decidable; garbage is invalid; a NULL input is an error. */
    CHECK(verify_input(root, rn, T_2026, self, sn) == ESEAL_VERDICT_VALID);
    CHECK(verify_input(root, rn, T_2026, leaf, ln) == ESEAL_VERDICT_INDETERMINATE);
    CHECK(verify_input(root, rn, T_2026, (const unsigned char *)"junk", 4) == ESEAL_VERDICT_INVALID);
    CHECK(verify_input(root, rn, T_2026, NULL, 0) == -1);

    unsigned char *key = read_file("test-vectors/keys/key.pem", &kn);
    unsigned char *cert = read_file("test-vectors/keys/leaf-cert.pem", &cn);
    struct ukey ukey = {NULL, 0};
    CHECK_RC(eseal_signer_from_pem(key, kn, NULL, cert, cn, &ukey.inner), ESEAL_RESULT_OK);
    const uint8_t *der;
    size_t der_len;
    CHECK_RC(eseal_signer_certificate(ukey.inner, &der, &der_len), ESEAL_RESULT_OK);
    eseal_bytes *sig = NULL;
    CHECK_RC(sign_with_ukey(&ukey, der, der_len, (const uint8_t *)"hello", 5, &sig), ESEAL_RESULT_OK);
    CHECK(ukey.calls == 1 && eseal_bytes_len(sig) >= 8);
    eseal_bytes_free(sig);

    eseal_pending *pending = NULL;
    const uint8_t *digest = NULL;
    CHECK_RC(start_signing(cert, cn, (const uint8_t *)"hello", 5, &pending, &digest), ESEAL_RESULT_OK);
    eseal_bytes *device_sig = NULL;
    CHECK_RC(eseal_signer_sign_digest(ukey.inner, digest, 32, &device_sig), ESEAL_RESULT_OK);
    eseal_bytes *result = NULL;
    CHECK_RC(finish_signing(pending, (const uint8_t *)"bad", 3, &result), ESEAL_RESULT_MALFORMED_SIGNATURE);
    CHECK_RC(finish_signing(pending, eseal_bytes_data(device_sig), eseal_bytes_len(device_sig), &result),
             ESEAL_RESULT_OK);
    CHECK(result != NULL && eseal_bytes_len(result) >= 8);
    eseal_bytes_free(result);
    eseal_bytes_free(device_sig);
    eseal_signer_free(ukey.inner);

    free(root);
    free(leaf);
    free(self);
    free(key);
    free(cert);
    return finish("readme_c");
}
