/*
 * Corpus test of the technique classifier: trains a small classifier on
 * the PTC training set and checks its dev TC accuracy is well above the
 * span-length baseline (about 0.25 on the official test set). Needs the
 * corpus: SLANT_PTC names its folder (with train/ and dev/); skipped when
 * it is unset or names no corpus. Takes well under a minute (60 L-BFGS iterations).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "corpus.h"
#include "labels.h"
#include "span_classifier.h"
#include "span_classifier_train.h"
#include "test.h"

static void small_classifier_should_beat_the_length_baseline_on_dev(void) {
    const char *root = getenv("SLANT_PTC");
    if (!root || !*root) SKIP("SLANT_PTC is not set (the PTC corpus folder)");
    char path[1024];
    snprintf(path, sizeof path, "%s/train/articles", root);
    if (access(path, R_OK) != 0) SKIP("SLANT_PTC names no PTC corpus (train/articles is absent)");
    corpus train, dev;
    lab_list tg, dg;
    corpus_init(&train); corpus_init(&dev);
    lab_list_init(&tg); lab_list_init(&dg);
    slant_error err;
    slant_error_clear(&err);
    int ok = 1;
    snprintf(path, sizeof path, "%s/train/articles", root);
    ok = ok && corpus_load(&train, path, 0, &err) == SLANT_OK;
    snprintf(path, sizeof path, "%s/dev/articles", root);
    ok = ok && corpus_load(&dev, path, 0, &err) == SLANT_OK;
    snprintf(path, sizeof path, "%s/train/TC.labels", root);
    ok = ok && lab_read(path, LAB_TC, &tg, &err) == SLANT_OK;
    snprintf(path, sizeof path, "%s/dev/TC.labels", root);
    ok = ok && lab_read(path, LAB_TC, &dg, &err) == SLANT_OK;
    if (!ok) fprintf(stderr, "  %s: %s\n", err.file, err.message);
    CHECK(ok);
    if (ok) {
        time_t t0 = time(NULL);
        sct_opts o;
        sct_opts_init(&o);
        o.max_iter = 60;
        o.holdout = 0;
        o.threads = 2;
        span_classifier *c = NULL;
        sct_report r;
        CHECK(sct_train(&train, &tg, "train/TC.labels", &o, &c, &r, &err) == SLANT_OK);
        double acc = 0;
        if (c) CHECK(sct_accuracy(c, NULL, &dev, &dg, "dev/TC.labels", &acc, &err) == SLANT_OK);
        fprintf(stderr, "  dev TC accuracy %.4f (%zu features, %.0f s)\n", acc, r.n_feat,
                difftime(time(NULL), t0));
        CHECK(acc > 0.45);
        span_classifier_free(c);
    }
    corpus_fini(&train); corpus_fini(&dev);
    lab_list_fini(&tg); lab_list_fini(&dg);
}

int main(void) {
    TEST(small_classifier_should_beat_the_length_baseline_on_dev);
    return test_summary("classify_corpus");
}
