/*
 * The third-party corpus through the C ABI: every case of every
 * test-vectors/third-party/<folder>/manifest.json is verified with eseal_verify_named (or
 * eseal_verify_detached when the case names its data) under the case's trust anchors,
 * intermediates, CRLs and reference time, and the verdict, the named report checks and each
 * signature's verdict, format, checks and modification_level are compared with the manifest
 * on the report the C ABI returns (the same comparison as tests/third_party.rs, the Go and
 * the Java runners). The manifests and the reports are read with the small JSON reader below.
 *
 * usage: test_third_party REPO_ROOT
 */
#define _POSIX_C_SOURCE 200809L /* strdup, opendir */
#include "common.h"

#include <dirent.h>
#include <stdint.h>

/* ---- A small JSON reader (RFC 8259): enough for the manifests and the reports. ---- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jval {
    jtype type;
    char *str;          /* J_STR: the decoded UTF-8 text; J_NUM: the number as written */
    int boolean;        /* J_BOOL */
    size_t n;           /* J_ARR, J_OBJ: the number of members */
    struct jval *items; /* J_ARR, J_OBJ: the values */
    char **keys;        /* J_OBJ: the names */
} jval;

typedef struct {
    const char *p, *end;
} jin;

static void jskip(jin *in) {
    while (in->p < in->end && (*in->p == ' ' || *in->p == '\t' || *in->p == '\n' || *in->p == '\r')) in->p++;
}

static int hex4(const char *p, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xc0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3f)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Reads a string (in->p at the opening quote) into a new NUL-terminated buffer. */
static char *jstring(jin *in) {
    in->p++;
    const char *s = in->p;
    while (in->p < in->end && *in->p != '"') in->p += (*in->p == '\\') ? 2 : 1;
    if (in->p >= in->end) return NULL;
    char *out = malloc((size_t)(in->p - s) + 1), *o = out;
    for (const char *q = s; q < in->p; q++) {
        if (*q != '\\') { *o++ = *q; continue; }
        q++;
        switch (*q) {
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (in->p - q < 5 || hex4(q + 1, &cp)) { free(out); return NULL; }
            q += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && in->p - q >= 7 && q[1] == '\\' && q[2] == 'u' &&
                !hex4(q + 3, &lo) && lo >= 0xdc00 && lo < 0xe000) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                q += 6;
            }
            o += put_utf8(o, cp); /* never longer than the escape it replaces */
            break;
        }
        default: *o++ = *q; /* \" \\ \/ */
        }
    }
    *o = 0;
    in->p++;
    return out;
}

static int jparse_value(jin *in, jval *v, int depth);

/* Reads the members of an array or object (in->p after the opening bracket). */
static int jmembers(jin *in, jval *v, char close, int depth) {
    size_t cap = 0;
    jskip(in);
    if (in->p < in->end && *in->p == close) { in->p++; return 0; }
    for (;;) {
        if (v->n == cap) {
            cap = cap ? cap * 2 : 8;
            v->items = realloc(v->items, cap * sizeof *v->items);
            if (v->type == J_OBJ) v->keys = realloc(v->keys, cap * sizeof *v->keys);
        }
        jskip(in);
        if (v->type == J_OBJ) {
            if (in->p >= in->end || *in->p != '"') return -1;
            char *k = jstring(in);
            if (!k) return -1;
            v->keys[v->n] = k;
            jskip(in);
            if (in->p >= in->end || *in->p != ':') {
                memset(&v->items[v->n++], 0, sizeof *v->items);
                return -1;
            }
            in->p++;
        }
        memset(&v->items[v->n], 0, sizeof *v->items);
        int rc = jparse_value(in, &v->items[v->n++], depth + 1);
        if (rc) return rc;
        jskip(in);
        if (in->p < in->end && *in->p == ',') { in->p++; continue; }
        if (in->p < in->end && *in->p == close) { in->p++; return 0; }
        return -1;
    }
}

static int jparse_value(jin *in, jval *v, int depth) {
    if (depth > 64) return -1;
    jskip(in);
    if (in->p >= in->end) return -1;
    char c = *in->p;
    if (c == '{' || c == '[') {
        v->type = c == '{' ? J_OBJ : J_ARR;
        in->p++;
        return jmembers(in, v, c == '{' ? '}' : ']', depth);
    }
    if (c == '"') {
        v->type = J_STR;
        v->str = jstring(in);
        return v->str ? 0 : -1;
    }
    if (in->end - in->p >= 4 && !strncmp(in->p, "null", 4)) { v->type = J_NULL; in->p += 4; return 0; }
    if (in->end - in->p >= 4 && !strncmp(in->p, "true", 4)) { v->type = J_BOOL; v->boolean = 1; in->p += 4; return 0; }
    if (in->end - in->p >= 5 && !strncmp(in->p, "false", 5)) { v->type = J_BOOL; in->p += 5; return 0; }
    const char *s = in->p;
    while (in->p < in->end && strchr("+-0123456789.eE", *in->p)) in->p++;
    if (in->p == s) return -1;
    v->type = J_NUM;
    v->str = malloc((size_t)(in->p - s) + 1);
    memcpy(v->str, s, (size_t)(in->p - s));
    v->str[in->p - s] = 0;
    return 0;
}

static void jfree(jval *v) {
    for (size_t i = 0; i < v->n; i++) {
        jfree(&v->items[i]);
        if (v->type == J_OBJ) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    memset(v, 0, sizeof *v);
}

/* Parses `len` bytes of JSON into `v` (free it with jfree); 0 on success. */
static int jparse(const char *text, size_t len, jval *v) {
    jin in = {text, text + len};
    memset(v, 0, sizeof *v);
    int rc = jparse_value(&in, v, 0);
    jskip(&in);
    if (rc == 0 && in.p != in.end) rc = -1;
    if (rc) jfree(v);
    return rc;
}

/* The member `key` of object `o`, or NULL. */
static const jval *jget(const jval *o, const char *key) {
    if (!o || o->type != J_OBJ) return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->keys[i], key)) return &o->items[i];
    return NULL;
}

/* The text of string member `key` of `o`, or NULL. */
static const char *jstr(const jval *o, const char *key) {
    const jval *v = jget(o, key);
    return v && v->type == J_STR ? v->str : NULL;
}

/* ---- The runner. ---- */

/* Seconds since 1970 of "YYYY-MM-DDTHH:MM:SSZ" (days from the civil date, proleptic Gregorian). */
static int64_t unix_time(const char *rfc3339) {
    int y, m, d, hh, mm, ss;
    if (sscanf(rfc3339, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &m, &d, &hh, &mm, &ss) != 6) {
        fprintf(stderr, "bad time %s\n", rfc3339);
        exit(2);
    }
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + hh * 3600 + mm * 60 + ss;
}

/* The status of check `id` in the report array `checks`, or "(absent)". */
static const char *status_of(const jval *checks, const char *id) {
    if (!checks || checks->type != J_ARR) return "(absent)";
    for (size_t i = 0; i < checks->n; i++) {
        const char *cid = jstr(&checks->items[i], "id");
        if (cid && !strcmp(cid, id)) {
            const char *st = jstr(&checks->items[i], "status");
            return st ? st : "(no status)";
        }
    }
    return "(absent)";
}

/* Compares `want` (the case's or a signature's "checks" object) with the report's checks. */
static void compare_checks(const char *what, const jval *want, const jval *got) {
    if (!want || want->type != J_OBJ) return;
    for (size_t i = 0; i < want->n; i++) {
        const char *w = want->items[i].type == J_STR ? want->items[i].str : "";
        const char *g = status_of(got, want->keys[i]);
        if (strcmp(g, w)) fprintf(stderr, "%s: check %s: %s (want %s)\n", what, want->keys[i], g, w);
        CHECK(!strcmp(g, w));
    }
}

/* Compares a string member of the report with the case's, when the case gives one. */
static void compare_str(const char *what, const char *key, const jval *want, const jval *got) {
    const char *w = jstr(want, key);
    if (!w) return;
    const char *g = jstr(got, key);
    if (!g || strcmp(g, w)) fprintf(stderr, "%s: %s %s (want %s)\n", what, key, g ? g : "(absent)", w);
    CHECK(g && !strcmp(g, w));
}

/* Adds every file of the case's list `key` to `v` with `add`. */
static void add_files(eseal_verifier *v, const char *dir, const jval *c, const char *key,
                      eseal_result (*add)(eseal_verifier *, const uint8_t *, size_t)) {
    const jval *list = jget(c, key);
    if (!list || list->type != J_ARR) return;
    for (size_t i = 0; i < list->n; i++) {
        char rel[1024];
        snprintf(rel, sizeof rel, "%s/%s", dir, list->items[i].str ? list->items[i].str : "");
        size_t n;
        unsigned char *b = read_file(rel, &n);
        CHECK_RC(add(v, b, n), ESEAL_RESULT_OK);
        free(b);
    }
}

static const char *verdict_name(eseal_verdict v) {
    switch (v) {
    case ESEAL_VERDICT_VALID: return "valid";
    case ESEAL_VERDICT_INVALID: return "invalid";
    case ESEAL_VERDICT_INDETERMINATE: return "indeterminate";
    }
    return "?";
}

/* Verifies one case through the C ABI and compares its report with the case. */
static void run_case(const char *dir, const jval *c) {
    const char *file = jstr(c, "file");
    char what[1100], rel[1024];
    snprintf(what, sizeof what, "%s/%s (C ABI)", dir, file ? file : "?");
    CHECK(file != NULL);
    if (!file) return;
    eseal_verifier *v = NULL;
    CHECK_RC(eseal_verifier_new(&v), ESEAL_RESULT_OK);
    add_files(v, dir, c, "trust", eseal_verifier_add_trust_pem);
    add_files(v, dir, c, "intermediates", eseal_verifier_add_intermediate_pem);
    add_files(v, dir, c, "crls", eseal_verifier_add_crl);
    const char *at = jstr(c, "at");
    if (at) CHECK_RC(eseal_verifier_set_time(v, unix_time(at)), ESEAL_RESULT_OK);

    size_t n, dn = 0;
    snprintf(rel, sizeof rel, "%s/%s", dir, file);
    unsigned char *input = read_file(rel, &n), *data = NULL;
    const char *data_rel = jstr(c, "data");
    eseal_report *r = NULL;
    if (data_rel) {
        snprintf(rel, sizeof rel, "%s/%s", dir, data_rel);
        data = read_file(rel, &dn);
        CHECK_RC(eseal_verify_detached(v, input, n, data, dn, &r), ESEAL_RESULT_OK);
    } else {
        CHECK_RC(eseal_verify_named(v, file, input, n, &r), ESEAL_RESULT_OK);
    }
    const char *json = NULL;
    size_t len = 0;
    jval rep;
    if (r == NULL || eseal_report_json(r, &json, &len) != ESEAL_RESULT_OK || jparse(json, len, &rep)) {
        fprintf(stderr, "%s: no report JSON\n", what);
        CHECK(0);
    } else {
        /* The verdict accessor and the JSON agree; then the manifest's expectations. */
        const char *jv = jstr(&rep, "verdict");
        CHECK(jv && !strcmp(jv, verdict_name(eseal_report_verdict(r))));
        compare_str(what, "verdict", c, &rep);
        compare_checks(what, jget(c, "checks"), jget(&rep, "checks"));
        const jval *want = jget(c, "signatures"), *got = jget(&rep, "signatures");
        if (want && want->type == J_ARR) {
            size_t gn = got && got->type == J_ARR ? got->n : 0;
            if (gn != want->n) fprintf(stderr, "%s: %zu signatures (want %zu)\n", what, gn, want->n);
            CHECK(gn == want->n);
            for (size_t i = 0; i < want->n && i < gn; i++) {
                char sw[1200];
                snprintf(sw, sizeof sw, "%s signature %zu", what, i);
                const jval *ws = &want->items[i], *gs = &got->items[i];
                compare_str(sw, "verdict", ws, gs);
                compare_str(sw, "format", ws, gs);
                compare_str(sw, "modification_level", ws, gs);
                compare_checks(sw, jget(ws, "checks"), jget(gs, "checks"));
            }
        }
        jfree(&rep);
    }
    eseal_report_free(r);
    free(input);
    free(data);
    eseal_verifier_free(v);
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    if (argc > 1) repo_root = argv[1];
    char base[4096];
    snprintf(base, sizeof base, "%s/test-vectors/third-party", repo_root);
    DIR *d = opendir(base);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", base);
        return 2;
    }
    char *names[256];
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && count < 256) {
        char p[4600];
        snprintf(p, sizeof p, "%s/%s/manifest.json", base, e->d_name);
        FILE *f = e->d_name[0] != '.' ? fopen(p, "rb") : NULL;
        if (f) {
            fclose(f);
            names[count++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);
    CHECK(count > 0);

    size_t cases = 0;
    for (size_t i = 0; i < count; i++) {
        char dir[512], rel[600];
        snprintf(dir, sizeof dir, "test-vectors/third-party/%s", names[i]);
        snprintf(rel, sizeof rel, "%s/manifest.json", dir);
        size_t n;
        unsigned char *text = read_file(rel, &n);
        jval m;
        if (jparse((const char *)text, n, &m)) {
            fprintf(stderr, "%s: not JSON\n", rel);
            CHECK(0);
        } else {
            const jval *list = jget(&m, "cases");
            CHECK(list && list->type == J_ARR && list->n > 0);
            for (size_t k = 0; list && list->type == J_ARR && k < list->n; k++, cases++)
                run_case(dir, &list->items[k]);
            jfree(&m);
        }
        free(text);
        free(names[i]);
    }
    printf("test_third_party: %zu cases in %zu folders\n", cases, count);
    return finish("test_third_party");
}
