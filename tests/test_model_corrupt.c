/*
 * model_parse (model.h) on damaged models: the crashers fuzz/fuzz_model_full.c
 * found, kept in fuzz/corpus/model_full/crash-*, must be refused with
 * SLANT_EFORMAT and a message naming the section; the valid seeds written by
 * fuzz/gen_model_seeds.c must load and analyse text with every score in
 * [0,1]; and model_parse must agree with slant_model_load on the same bytes.
 */
#include <dirent.h>
#include <math.h>
#include "test.h"
#include "model.h"

static const char *dir = "fuzz/corpus/model_full";

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *b = malloc(1 << 16);
    *len = b ? fread(b, 1, 1 << 16, f) : 0;
    fclose(f);
    return b;
}

/* Calls fn(path, name) for each file of dir whose name starts with prefix. */
static int each_seed(const char *prefix, void (*fn)(const char *, const char *)) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            fn(path, e->d_name);
            n++;
        }
    closedir(d);
    return n;
}

static void refuse_one(const char *path, const char *name) {
    size_t len = 0;
    unsigned char *b = slurp(path, &len);
    CHECK(b != NULL);
    if (!b) return;
    slant_model *m = NULL;
    slant_error err;
    slant_status st = model_parse(b, len, &m, &err);
    if (st != SLANT_EFORMAT) fprintf(stderr, "  %s: status %d\n", name, st);
    CHECK_EQ_INT(st, SLANT_EFORMAT);
    CHECK(m == NULL);
    CHECK(strstr(err.message, "model section") != NULL);
    slant_model *m2 = NULL;
    CHECK_EQ_INT(slant_model_load(path, &m2, &err), st);   /* same verdict from the file */
    CHECK(strstr(err.file, name) != NULL);
    slant_model_free(m2);
    slant_model_free(m);
    free(b);
}

static void analyse_one(const char *path, const char *name) {
    size_t len = 0;
    unsigned char *b = slurp(path, &len);
    CHECK(b != NULL);
    if (!b) return;
    slant_model *m = NULL;
    slant_error err;
    slant_status st = model_parse(b, len, &m, &err);
    if (st != SLANT_OK) fprintf(stderr, "  %s: %s\n", name, err.message);
    CHECK_EQ_INT(st, SLANT_OK);
    if (m) {
        static const char text[] = "The corrupt elite will destroy our great nation!\nEveryone knows they lie.";
        slant_result *r = NULL;
        CHECK_EQ_INT(slant_analyze(m, text, sizeof text - 1, NULL, &r, &err), SLANT_OK);
        if (r) {
            CHECK(r->score >= 0 && r->score <= 1);
            for (size_t i = 0; i < r->n_fragments; i++)
                CHECK(r->fragments[i].confidence >= 0 && r->fragments[i].confidence <= 1);
            for (size_t i = 0; i < r->n_sentences; i++)
                CHECK(r->sentences[i].score >= 0 && r->sentences[i].score <= 1);
        }
        slant_result_free(r);
    }
    slant_model_free(m);
    free(b);
}

static void fuzz_crashers_should_be_refused_as_malformed(void) {
    if (each_seed("crash-", refuse_one) == 0) SKIP("no fuzz/corpus/model_full/crash-* files");
}

static void seed_models_should_load_and_score_within_0_and_1(void) {
    if (each_seed("valid-", analyse_one) == 0) SKIP("no fuzz/corpus/model_full/valid-* files");
}

static void truncated_seed_should_fail_without_a_model(void) {
    size_t len = 0;
    unsigned char *b = slurp("fuzz/corpus/model_full/valid-all", &len);
    if (!b) SKIP("fuzz/corpus/model_full/valid-all is missing");
    for (size_t n = 0; n < len; n += 7) {
        slant_model *m = NULL;
        slant_error err;
        slant_status st = model_parse(b, n, &m, &err);
        CHECK(st == SLANT_EFORMAT);
        CHECK(m == NULL && err.message[0] != '\0');
    }
    free(b);
}

static void empty_article_should_give_zero_fragments(void) {
    size_t len = 0;
    unsigned char *b = slurp("fuzz/corpus/model_full/valid-all", &len);
    if (!b) SKIP("fuzz/corpus/model_full/valid-all is missing");
    slant_model *m = NULL;
    CHECK_EQ_INT(model_parse(b, len, &m, NULL), SLANT_OK);
    static const char *texts[] = {"", " \n\t\r\n "};
    for (int i = 0; m && i < 2; i++) {
        slant_result *r = NULL;
        CHECK_EQ_INT(slant_analyze(m, texts[i], strlen(texts[i]), NULL, &r, NULL), SLANT_OK);
        if (r) {
            CHECK_EQ_INT(r->n_fragments, 0);
            CHECK_EQ_INT(r->n_sentences, 0);
            CHECK(r->score == 0.0);
        }
        slant_result_free(r);
    }
    slant_model_free(m);
    free(b);
}

int main(void) {
    TEST(fuzz_crashers_should_be_refused_as_malformed);
    TEST(seed_models_should_load_and_score_within_0_and_1);
    TEST(truncated_seed_should_fail_without_a_model);
    TEST(empty_article_should_give_zero_fragments);
    return test_summary("model_corrupt");
}
