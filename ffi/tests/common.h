/* Helpers shared by the C tests of libeseal: checks that count, file loading, error text. */
#ifndef ESEAL_TEST_COMMON_H
#define ESEAL_TEST_COMMON_H

#include "eseal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passes;
static int failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            passes++;                                                                \
        } else {                                                                     \
            failures++;                                                              \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

/* Checks that `expr` returns `want`; on a mismatch prints both and the last error detail. */
#define CHECK_RC(expr, want)                                                          \
    do {                                                                              \
        eseal_result rc_ = (expr);                                                    \
        if (rc_ == (eseal_result)(want)) {                                            \
            passes++;                                                                 \
        } else {                                                                      \
            char detail_[512];                                                        \
            eseal_last_error_message(detail_, sizeof detail_, NULL);                  \
            failures++;                                                               \
            fprintf(stderr, "%s:%d: %s returned %u, want %u (%s)\n", __FILE__,        \
                    __LINE__, #expr, (unsigned)rc_, (unsigned)(want), detail_);       \
        }                                                                             \
    } while (0)

/* The repository root (argv[1]); test vectors are read from it. */
static const char *repo_root = ".";

/* Reads the file at `path` into a malloc'd buffer; exits on failure. */
static inline unsigned char *read_path(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Reads `rel` (relative to the repository root) into a malloc'd buffer; exits on failure. */
static inline unsigned char *read_file(const char *rel, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", repo_root, rel);
    return read_path(path, len);
}

/* The last error detail of this thread (static buffer). */
static inline const char *last_error(void) {
    static _Thread_local char buf[1024];
    eseal_last_error_message(buf, sizeof buf, NULL);
    return buf;
}

/* The JSON of report `r` (borrowed), or "" on failure. */
static inline const char *report_json(const eseal_report *r) {
    const char *json = NULL;
    size_t len = 0;
    if (eseal_report_json(r, &json, &len) != ESEAL_RESULT_OK || json == NULL) return "";
    return json;
}

/* Prints the closing line and returns the exit status. */
static inline int finish(const char *name) {
    printf("%s: %d passed, %d failed\n", name, passes, failures);
    return failures == 0 ? 0 : 1;
}

/* 2026-01-01T00:00:00Z, the reference time of test-vectors/chains/cases.json. */
#define T_2026 1767225600LL

#endif
