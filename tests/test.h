/*
 * A minimal test harness: CHECK(cond) records a failure with file and line
 * and goes on; TEST(name) runs one function; test_main prints a summary line
 * "N passed, N failed" that tests/run.sh adds up. SKIP(reason) marks a test
 * as skipped (for tests that need the corpus when it is absent).
 */
#ifndef SLANT_TEST_H
#define SLANT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "slant.h"

static int test_failures_, test_passed_, test_failed_, test_skipped_, test_skip_now_;

#define CHECK(cond) do { if (!(cond)) { test_failures_++; \
    fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_EQ_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); if (a_ != b_) { \
    test_failures_++; fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, b_); } } while (0)
#define CHECK_NEAR(a, b, eps) do { double a_ = (double)(a), b_ = (double)(b); \
    if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps))) { test_failures_++; \
    fprintf(stderr, "  %s:%d: %s == %.9g, expected %.9g\n", __FILE__, __LINE__, #a, a_, b_); } } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); if (!a_ || strcmp(a_, b_) != 0) { \
    test_failures_++; fprintf(stderr, "  %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
    #a, a_ ? a_ : "(null)", b_); } } while (0)
#define SKIP(why) do { test_skip_now_ = 1; fprintf(stderr, "  skipped: %s\n", why); return; } while (0)

#define TEST(fn) do { int before_ = test_failures_; test_skip_now_ = 0; fn(); \
    if (test_skip_now_) { test_skipped_++; fprintf(stderr, "SKIP %s\n", #fn); } \
    else if (test_failures_ == before_) { test_passed_++; } \
    else { test_failed_++; fprintf(stderr, "FAIL %s\n", #fn); } } while (0)

/* The bundled model and the bundled example article (NUL-terminated, *len
 * bytes), for the tests that analyse real text; run from the repository
 * root. 0 with a message when either cannot be read. */
static inline int test_load_bundled(slant_model **model, char **text, size_t *len) {
    slant_error err;
    if (slant_model_load("models/default.slant", model, &err) != SLANT_OK) {
        fprintf(stderr, "cannot load models/default.slant: %s\n", err.message);
        return 0;
    }
    FILE *f = fopen("examples/harbor-bill.txt", "rb");
    *text = calloc(1, 1 << 16);
    *len = f && *text ? fread(*text, 1, (1 << 16) - 1, f) : 0;
    if (f) fclose(f);
    if (!*len) { fprintf(stderr, "cannot read examples/harbor-bill.txt\n"); return 0; }
    return 1;
}

static int test_summary(const char *suite) {
    printf("%s: %d passed, %d failed, %d skipped\n", suite, test_passed_, test_failed_, test_skipped_);
    return test_failed_ ? 1 : 0;
}

#endif
