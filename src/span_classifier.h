/*
 * Technique classifier for a span of an article (SemEval-2020 Task 11 TC):
 * features of the span and its context (span_features.h) -> a softmax
 * classifier (linear.h notation: F = features, K = SLANT_N_TECHNIQUES
 * classes) -> probabilities calibrated by a temperature T. Stored in the
 * model's TECH section (layout in docs/FORMAT.md). Training lives in
 * span_classifier_train.h.
 *
 * A classifier is immutable once built and may be shared by threads; each
 * thread classifies through its own span_classifier_work.
 */
#ifndef SLANT_SPAN_CLASSIFIER_H
#define SLANT_SPAN_CLASSIFIER_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"
#include "tokenize.h"
#include "labels.h"
#include "corpus.h"
#include "span_features.h"
#include "util/key_filter.h"

#define SC_PAYLOAD_VERSION 3u   /* 2: word vectors after the weights; 3: the
                                   reported techniques after them; 1 and 2 are
                                   still read */

/* A feature's key and weights in one 64-byte cache line: scoring a span
 * looks up hundreds of features in megabytes, so one miss per feature (not
 * one for the key and one for the weights) is what counts. */
typedef struct {
    uint64_t key;                /* 0 = empty */
    float w[SLANT_N_TECHNIQUES];
} sc_slot;

typedef struct span_classifier {
    uint32_t groups;             /* SPF_* feature groups the weights expect */
    double temperature;          /* T > 0 fitted on held-out spans */
    double second_threshold;     /* FLC: a fragment also gets the runner-up
                                    technique when its probability is >= this;
                                    > 1 means never */
    uint32_t reported;           /* FLC: bit k set = analysis reports fragments
                                    of technique k unless the caller names the
                                    techniques (slant_options.technique_mask);
                                    training clears the bits of techniques none
                                    of whose dev fragments was right
                                    (sct_unreported); SLANT_ALL_TECHNIQUES
                                    otherwise, and for payloads before 3 */
    size_t n_feat;               /* F */
    uint64_t *keys;              /* F feature hashes, strictly increasing, nonzero */
    float *w;                    /* F x K: w[f*K+k] */
    double bias[SLANT_N_TECHNIQUES]; /* K */
    sc_slot *slots;              /* slot_cap, 64-byte aligned, open addressing:
                                    built from keys and w by span_classifier_index */
    size_t slot_cap;             /* power of two >= 2F */
    key_filter filter;           /* over keys */
    spf_vectors vectors;         /* word vectors of SPF_VECTORS (n = 0: none) */
    float *vec_scores;           /* vectors.n rows of SC_VEC_STRIDE, 64-byte
                                    aligned: row r's components dotted with the
                                    SPF_VECTORS weights of each class (built by
                                    span_classifier_index; NULL: the vector
                                    features are looked up one by one) */
    uint64_t uid;                /* new at every span_classifier_index: the
                                    run sums of a work are kept under it */
} span_classifier;

#define SC_VEC_STRIDE 16         /* K floats padded to one cache line */

/* Returns a new classifier with F rows of zero weights (keys must be filled
 * in, then span_classifier_index called), or NULL on out of memory. */
span_classifier *span_classifier_new(size_t n_feat);
void span_classifier_free(span_classifier *c);

/* Builds the lookup table from c->keys and w, and vec_scores when the
 * classifier reads plain SPF_VECTORS. Errors: SLANT_ENOMEM. */
slant_status span_classifier_index(span_classifier *c);

/* Serializes c into a new buffer (*out, free with free()); the same
 * classifier always gives the same bytes. Errors: SLANT_ENOMEM. */
slant_status span_classifier_serialize(const span_classifier *c, uint8_t **out, size_t *len);

/* Parses a TECH payload p[0..len); *out is new, free with
 * span_classifier_free. Errors: SLANT_EFORMAT (truncated, counts that do
 * not match the length, unsorted keys, non-finite numbers), SLANT_EVERSION
 * (a newer payload or feature version), SLANT_ENOMEM. */
slant_status span_classifier_parse(const uint8_t *p, size_t len, span_classifier **out);

/* ---- classifying ---- */

/* The summed SPF_CHARS weights of the n-grams within one space-padded run
 * of span text (spf_list), per class; key 0 = empty. */
typedef struct {
    uint64_t key;
    double sum[SLANT_N_TECHNIQUES];
    uint64_t pad_;               /* 128 bytes: two cache lines */
} sc_run_sum;

typedef struct {
    spf_ctx *spf;                /* feature scratch (stemmer, token buffers) */
    spf_list feats;              /* the current span's features */
    /* Run sums (sc_run_sum) of one classifier (run_uid), kept across
     * spans and articles: news reuses its words, so most runs are found
     * here and their n-grams are not looked up again. Cleared when full
     * or when another classifier comes. */
    sc_run_sum *runs;            /* SC_RUN_SLOTS, or NULL */
    size_t runs_used;
    uint64_t run_uid;
    uint64_t *grams; size_t grams_cap; /* one run's n-gram hashes */
} span_classifier_work;

#define SC_RUN_SLOTS 16384u      /* 2 MiB a work */

slant_status span_classifier_work_init(span_classifier_work *w);
void span_classifier_work_fini(span_classifier_work *w);

/* Prepares one article for classifier c (its word vectors; NULL: none)
 * (text tokenized into d; both borrowed until the next call, as are
 * clusters: the model's word clusters, NULL when it has none).
 * Errors: SLANT_ENOMEM. */
slant_status span_classifier_article(span_classifier_work *w, const span_classifier *c,
                                     const char *text, const tok_doc *d,
                                     const feat_clusters *clusters);

/* Tells the features which spans of the current article are being
 * classified together (spf_batch; start/end in code points, copied).
 * Errors: SLANT_ENOMEM, SLANT_EINVAL (no article). */
slant_status span_classifier_batch(span_classifier_work *w, const uint32_t *start,
                                   const uint32_t *end, size_t n);

/* scores: K raw scores of the span [cp_start, cp_end) of the current
 * article (temperature not applied). Errors: SLANT_ENOMEM, SLANT_EINVAL. */
slant_status span_classifier_scores(const span_classifier *c, span_classifier_work *w,
                                     uint32_t cp_start, uint32_t cp_end, double *scores);

/* p: K calibrated probabilities summing to 1. */
slant_status span_classifier_predict(const span_classifier *c, span_classifier_work *w,
                                     uint32_t cp_start, uint32_t cp_end, double *p);

/* Techniques for one fragment in FLC output: the top one, then the
 * runner-up when its probability reaches threshold. p: K probabilities;
 * out: 2 technique indices. Returns how many were written (1 or 2). */
int span_classifier_flc_labels(const double *p, double threshold, int out[2]);

/* ---- batches ---- */

/* out: N x K scores (calibrated probabilities when calibrated != 0, else
 * raw scores) of the N spans of `spans`, each looked up by id in articles.
 * Articles are tokenized once each; the spans of one article form its
 * batch (span_classifier_batch). clusters: the model's word clusters
 * (may be NULL). Errors: SLANT_EINVAL naming name and the span's line
 * (unknown article, span beyond its article), SLANT_ENOMEM. */
slant_status span_classifier_score_list(const span_classifier *c, const feat_clusters *clusters,
                                        const corpus *articles, const lab_list *spans,
                                        const char *name, int calibrated, double *out,
                                        slant_error *err);

/* One technique per span from N x K probabilities (or scores): spans with
 * the same (id, start, end) appear in the corpus once per technique, so
 * the k-th copy of a span in list order gets its k-th most likely
 * technique. pred: N technique indices. Errors: SLANT_ENOMEM. */
slant_status span_classifier_assign(const lab_list *spans, const double *p, int *pred);

#endif
