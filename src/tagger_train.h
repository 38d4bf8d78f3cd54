/*
 * Training the span tagger: articles + gold spans -> BIO token labels ->
 * feature dictionary -> CRF weights (crf_train.h) -> decoding rule tuned for
 * the official SI score on a development set. Never linked by tagging-only
 * programs that do not call it.
 */
#ifndef SLANT_TAGGER_TRAIN_H
#define SLANT_TAGGER_TRAIN_H

#include "corpus.h"
#include "labels.h"
#include "model.h"
#include "metrics.h"

/* Token label schemes of a one-group tagger; label 0 is O in all. */
enum { TAGGER_SCHEME_BIO = 0,   /* O B I */
       TAGGER_SCHEME_IO = 1,    /* O I */
       TAGGER_SCHEME_BIOES = 2  /* O B I E S (E last token, S single-token span) */ };

enum { TAGGER_GROUPS_SHORT_LONG = 2 };

typedef struct {
    double c1, c2;          /* L1 / L2 weights of the CRF objective */
    int max_iter;           /* L-BFGS iterations */
    int min_count;          /* keep features seen at least this often */
    int threads;
    /* Called with a one-line status after each iteration (may be NULL). */
    void (*progress)(void *ctx, int iter, int max_iter, double loss, double dev_f1);
    void *ctx;
    int eval_every;         /* dev SI F1 every N iterations (0 = only at end) */
    double sentence_c2;     /* L2 of the stacked sentence scorer; 0 = no scorer */
    double prune;           /* drop features whose largest |weight| is below this */
    int label_groups;       /* 1: B/I/O spans; TAGGER_GROUPS_SHORT_LONG: B/I for the
                               techniques of short spans (words, phrases) and B/I
                               for the rest; SLANT_N_TECHNIQUES: B/I per technique
                               (train_gold must then carry techniques) */
    /* Bagging by weight averaging: bags > 1 trains that many CRFs on
     * resamples of the training articles (same feature dictionary) and
     * keeps the mean of their weights: one CRF, a geometric-mean ensemble.
     * bag_fraction 0: bag b leaves out fold b of a seeded shuffle (each
     * article is in bags-1 bags); in (0,1]: a seeded random subset of that
     * fraction of the articles; bag_bootstrap: n draws with replacement. */
    int scheme;             /* with one label group: TAGGER_SCHEME_* */
    int average_from;       /* > 0: keep the mean of the L-BFGS iterates from this
                               iteration on instead of the last one */
    int bags;
    double bag_fraction;
    int bag_bootstrap;
    double bag_dropout;     /* each bag also drops this fraction of the features
                               (a seeded draw per bag and feature) */
    uint64_t bag_seed;
    /* Called after each bag with that bag's dev SI F1 and the F1 of the mean
     * of the bags so far (both pruned and with tuned decoding; -1 without
     * dev data). May be NULL. */
    void (*bag_done)(void *ctx, int bag, int bags, double bag_f1, double mean_f1);
    /* Word vectors (word2vec text file, NULL: none) as real-valued features
     * of the words at offsets -vector_window..vector_window (at most 2),
     * scaled by vector_scale, folded into the word features after training
     * (tagger_dense.h). */
    const char *vectors;
    double vector_scale;
    int vector_window;
    size_t vector_words;   /* the file's first (most frequent) words only; 0: all */
} tagger_train_opts;

void tagger_train_opts_init(tagger_train_opts *o);

typedef struct {
    metric_prf dev;         /* dev SI score with the tuned decoding */
    size_t n_feat;          /* features kept in the model */
    size_t n_tokens;        /* training tokens */
    int iterations;
    int has_cv;             /* --bags in fold mode: out-of-fold score of the training set */
    metric_prf cv;          /* with its own tuned decoding, cv_decoding */
    tagger_decoding cv_decoding;
} tagger_train_report;

/* Trains m->tagger (m->resources must be set first if clusters are used).
 * dev / dev_gold may be NULL: then the decoding keeps its defaults. */
slant_status tagger_train(slant_model *m, const corpus *train, const lab_list *train_gold,
                          const corpus *dev, const lab_list *dev_gold,
                          const tagger_train_opts *o, tagger_train_report *rep,
                          slant_error *err);

/* What tagger_predict_corpus lists: the spans (SI), or the spans that
 * analysis labels with techniques (tagger_decode_fragments: each label
 * group's own spans; the same as the spans for a one-group tagger). */
typedef enum { TAGGER_PREDICT_SPANS, TAGGER_PREDICT_FRAGMENTS } tagger_predict_what;

/* Appends the spans that m finds in every article of c to out (technique
 * -1) using decoding rule dec (NULL = the model's). */
slant_status tagger_predict_corpus(const slant_model *m, const corpus *c,
                                   const tagger_decoding *dec, tagger_predict_what what,
                                   lab_list *out);

#endif
