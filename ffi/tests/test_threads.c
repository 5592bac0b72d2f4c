/*
 * Concurrency: 8 threads verify with one shared verifier while another thread keeps adding
 * to its trust store; 8 threads sign with one shared signer and apply one shared seal; each thread's last-error detail
 * is its own; a batch uses 8 worker threads. Run under AddressSanitizer and Valgrind by
 * ffi/tests/run.sh.
 *
 * usage: test_threads REPO_ROOT
 */
#include "common.h"

#include <pthread.h>
#include <stdatomic.h>

enum { THREADS = 8, ROUNDS = 25 };

static eseal_verifier *verifier;
static eseal_signer *signer;
static eseal_seal *seal;
static unsigned char *leaf, *revoked, *expired, *inter;
static size_t leaf_len, revoked_len, expired_len, inter_len;
static atomic_int thread_failures;
static atomic_int readers_done;

static void *verify_worker(void *arg) {
    long id = (long)arg;
    for (int i = 0; i < ROUNDS; i++) {
        eseal_report *r = NULL;
        if (eseal_verify(verifier, leaf, leaf_len, &r) != ESEAL_RESULT_OK ||
            eseal_report_verdict(r) != ESEAL_VERDICT_VALID)
            atomic_fetch_add(&thread_failures, 1);
        const char *json = NULL;
        size_t len = 0;
        if (eseal_report_json(r, &json, &len) != ESEAL_RESULT_OK || strlen(json) != len)
            atomic_fetch_add(&thread_failures, 1);
        eseal_report_free(r);

        const unsigned char *bad = (id + i) % 2 ? revoked : expired;
        size_t bad_len = (id + i) % 2 ? revoked_len : expired_len;
        r = NULL;
        if (eseal_verify(verifier, bad, bad_len, &r) != ESEAL_RESULT_OK ||
            eseal_report_verdict(r) != ESEAL_VERDICT_INVALID)
            atomic_fetch_add(&thread_failures, 1);
        eseal_report_free(r);

        /* Each thread's last error is its own: fail with a thread-specific name. */
        char name[32];
        snprintf(name, sizeof name, "thread-%ld-\xff", id);
        if (eseal_verify_named(verifier, name, leaf, leaf_len, &r) != ESEAL_RESULT_INVALID_ARGUMENT)
            atomic_fetch_add(&thread_failures, 1);
        char want[64], got[256];
        snprintf(want, sizeof want, "name is not UTF-8");
        eseal_last_error_message(got, sizeof got, NULL);
        if (strcmp(got, want) != 0) atomic_fetch_add(&thread_failures, 1);
        if (eseal_verifier_new(NULL) != ESEAL_RESULT_NULL_POINTER) atomic_fetch_add(&thread_failures, 1);
        eseal_last_error_message(got, sizeof got, NULL);
        if (strcmp(got, "out is NULL") != 0) atomic_fetch_add(&thread_failures, 1);
    }
    atomic_fetch_add(&readers_done, 1);
    return NULL;
}

/* Reconfigures the shared verifier while the readers run. */
static void *config_worker(void *arg) {
    (void)arg;
    int n = 0;
    while (atomic_load(&readers_done) < THREADS && n < 200) {
        if (eseal_verifier_add_intermediate_pem(verifier, inter, inter_len) != ESEAL_RESULT_OK)
            atomic_fetch_add(&thread_failures, 1);
        if (eseal_verifier_set_time(verifier, T_2026) != ESEAL_RESULT_OK)
            atomic_fetch_add(&thread_failures, 1);
        n++;
    }
    return NULL;
}

static void *sign_worker(void *arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        eseal_bytes *sig = NULL;
        char msg[32];
        int n = snprintf(msg, sizeof msg, "message %d", i);
        if (eseal_signer_sign_sm2(signer, (const uint8_t *)msg, (size_t)n, &sig) != ESEAL_RESULT_OK ||
            eseal_bytes_len(sig) < 8)
            atomic_fetch_add(&thread_failures, 1);
        eseal_bytes_free(sig);
        sig = NULL;
        if (eseal_sign_data(signer, seal, (const uint8_t *)msg, (size_t)n, NULL, &sig) != ESEAL_RESULT_OK)
            atomic_fetch_add(&thread_failures, 1);
        eseal_bytes_free(sig);
    }
    return NULL;
}

static void load_verifier(void) {
    size_t n;
    CHECK_RC(eseal_verifier_new(&verifier), ESEAL_RESULT_OK);
    unsigned char *root = read_file("test-vectors/chains/root.pem", &n);
    CHECK_RC(eseal_verifier_add_trust_pem(verifier, root, n), ESEAL_RESULT_OK);
    free(root);
    inter = read_file("test-vectors/chains/inter.pem", &inter_len);
    CHECK_RC(eseal_verifier_add_intermediate_pem(verifier, inter, inter_len), ESEAL_RESULT_OK);
    const char *crls[] = {"test-vectors/chains/inter_crl.pem", "test-vectors/chains/root_crl.pem"};
    for (int i = 0; i < 2; i++) {
        unsigned char *crl = read_file(crls[i], &n);
        CHECK_RC(eseal_verifier_add_crl(verifier, crl, n), ESEAL_RESULT_OK);
        free(crl);
    }
    CHECK_RC(eseal_verifier_set_time(verifier, T_2026), ESEAL_RESULT_OK);
    leaf = read_file("test-vectors/chains/leaf.pem", &leaf_len);
    revoked = read_file("test-vectors/chains/revoked.pem", &revoked_len);
    expired = read_file("test-vectors/chains/expired.pem", &expired_len);
}

int main(int argc, char **argv) {
    if (argc > 1) repo_root = argv[1];
    load_verifier();

    pthread_t t[THREADS + 1];
    for (long i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, verify_worker, (void *)i) == 0);
    CHECK(pthread_create(&t[THREADS], NULL, config_worker, NULL) == 0);
    for (int i = 0; i <= THREADS; i++) pthread_join(t[i], NULL);
    CHECK(atomic_load(&thread_failures) == 0);

    /* One signer shared by 8 threads. */
    size_t kn, cn;
    unsigned char *key = read_file("test-vectors/keys/key.pem", &kn);
    unsigned char *cert = read_file("test-vectors/keys/leaf-cert.pem", &cn);
    CHECK_RC(eseal_signer_from_pem(key, kn, NULL, cert, cn, &signer), ESEAL_RESULT_OK);
    /* A seal for that signer, made by it, shared by the threads. */
    static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
    eseal_seal_builder *b = NULL;
    CHECK_RC(eseal_seal_builder_new("t", "es-threads", "seal", &b), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_add_signer_cert(b, cert, cn), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_validity(b, 0, 253402300799LL), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_builder_set_picture(b, "PNG", png, sizeof png, 40, 40), ESEAL_RESULT_OK);
    CHECK_RC(eseal_seal_make(b, signer, &seal), ESEAL_RESULT_OK);
    eseal_seal_builder_free(b);
    free(key);
    free(cert);
    for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, sign_worker, NULL) == 0);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    CHECK(atomic_load(&thread_failures) == 0);
    eseal_seal_free(seal);
    eseal_signer_free(signer);

    /* A batch of 64 inputs on 8 worker threads. */
    enum { N = 64 };
    eseal_input inputs[N];
    eseal_report *reports[N];
    for (int i = 0; i < N; i++) {
        inputs[i].data = i % 3 == 0 ? leaf : i % 3 == 1 ? revoked : (const uint8_t *)"junk";
        inputs[i].len = i % 3 == 0 ? leaf_len : i % 3 == 1 ? revoked_len : 4;
        inputs[i].name = NULL;
    }
    CHECK_RC(eseal_verify_batch(verifier, inputs, N, THREADS, reports), ESEAL_RESULT_OK);
    int ok = 1;
    for (int i = 0; i < N; i++) {
        eseal_verdict want = i % 3 == 0 ? ESEAL_VERDICT_VALID : ESEAL_VERDICT_INVALID;
        if (eseal_report_verdict(reports[i]) != want) ok = 0;
        eseal_report_free(reports[i]);
    }
    CHECK(ok);

    eseal_verifier_free(verifier);
    free(leaf);
    free(revoked);
    free(expired);
    free(inter);
    return finish("test_threads");
}
