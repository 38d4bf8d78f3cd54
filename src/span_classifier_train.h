/*
 * Training the technique classifier: gold TC spans -> span features ->
 * a feature dictionary (hashes seen in at least min_count spans) -> softmax
 * weights (linear_train.h) -> a temperature fitted on held-out articles ->
 * a span_classifier. Also tunes the FLC runner-up threshold on the tagger's
 * spans of a dev set. Never linked by analysis-only programs that do not
 * call it.
 *
 * N = training spans, F = features kept, K = SLANT_N_TECHNIQUES.
 */
#ifndef SLANT_SPAN_CLASSIFIER_TRAIN_H
#define SLANT_SPAN_CLASSIFIER_TRAIN_H

#include "corpus.h"
#include "labels.h"
#include "metrics.h"
#include "span_classifier.h"
#include "word_vectors.h"

typedef struct {
    uint32_t groups;           /* SPF_* feature groups */
    double c2;                 /* L2 weight (linear_train_opts.c2) */
    int max_iter;              /* L-BFGS iterations */
    int min_count;             /* keep hashes seen in >= min_count spans */
    int threads;               /* >= 1; never changes the result */
    double class_weight_power; /* class k weighs (N / (K n_k))^power; 0 = none */
    int holdout;               /* fit T on every holdout-th article (by id
                                  order) of a first model trained on the
                                  rest, then retrain on all; 0 = T = 1 */
    const feat_clusters *clusters; /* borrowed word clusters for SPF_CLUSTERS;
                                  NULL: none (the model's, when it has them) */
    const lab_list *extra;     /* more labelled spans of the same articles,
                                  e.g. the tagger's fragments labelled from
                                  overlapping gold spans (NULL: none); each
                                  list is its own batch (spf_batch) */
    double extra_weight;       /* weight of each extra span (gold: 1) */
    int bias_folds;            /* >= 2: shift each technique's bias to
                                  maximise the accuracy of out-of-fold scores
                                  (folds by article); <= -2: only measure
                                  the out-of-fold accuracy; 0 = no */
    const spf_vectors *vectors; /* word vectors for SPF_VECTORS, copied into
                                  the classifier (NULL: none) */
} sct_opts;

typedef struct {
    size_t n_examples;         /* N: training spans with a technique */
    size_t n_feat;             /* F */
    int iterations;            /* L-BFGS iterations of the final model */
    double temperature;        /* fitted T (1 when holdout = 0) */
    double holdout_accuracy;   /* accuracy on the held-out spans (-1 if none) */
    double cv_accuracy;        /* bias_folds: out-of-fold accuracy (-1 if none) */
    double cv_accuracy_tuned;  /* ... with the bias offsets (optimistic) */
    double bias_offset[SLANT_N_TECHNIQUES]; /* added to the trained biases */
} sct_report;

/* The classifier's word vectors (SPF_VECTORS) from the unit vectors wv:
 * depth 0, one per word (the first of repeated words); depth d > 0, one per
 * d-bit word cluster of `clusters` (spf_cluster_key), the sum of every row
 * of its words scaled to unit length again, words without a cluster left
 * out. Components are quantized to int8 with one scale for all, times
 * `weight`. out is replaced. Errors: SLANT_ENOMEM. */
slant_status spf_vectors_from_words(const word_vectors *wv, double weight,
                                    const feat_clusters *clusters, unsigned depth,
                                    spf_vectors *out);

/* groups = SPF_DEFAULT, c2 = 1e-4, max_iter = 300, min_count = 3, threads = 1,
 * class_weight_power = 0, holdout = 5, clusters = NULL, extra = NULL,
 * extra_weight = 1, bias_folds = 0, vectors = NULL. */
void sct_opts_init(sct_opts *o);

/* Trains a classifier on the spans of gold that carry a technique; *out is
 * new, free with span_classifier_free. rep may be NULL. Errors:
 * SLANT_EINVAL (no labelled spans, an unknown article, a span beyond its
 * article; err names gold_name and the line), SLANT_ENOMEM. */
slant_status sct_train(const corpus *train, const lab_list *gold, const char *gold_name,
                       const sct_opts *o, span_classifier **out, sct_report *rep,
                       slant_error *err);

/* TC accuracy of c on the gold spans (every span with a technique) of
 * articles, with copies of a span given their 1st, 2nd... choice
 * (span_classifier_assign). */
slant_status sct_accuracy(const span_classifier *c, const feat_clusters *clusters,
                          const corpus *articles,
                          const lab_list *gold, const char *gold_name,
                          double *accuracy, slant_error *err);

/* Labels the predicted spans `pred` (SI, e.g. the tagger's on dev) and
 * sets c->second_threshold to the value in a fixed grid that maximises the
 * FLC F1 against gold (TC); *best gets that score and *top1 the score with
 * only the top technique (may be NULL). */
slant_status sct_tune_second(span_classifier *c, const feat_clusters *clusters,
                             const corpus *articles,
                             const lab_list *pred, const lab_list *gold,
                             metric_prf *best, metric_prf *top1, slant_error *err);

/* The techniques to report, from the FLC scores per technique of a model's
 * dev fragments (metric_flc): all but those with at least
 * SCT_UNREPORTED_MIN_FRAGMENTS fragments none of which overlaps a gold
 * fragment of its technique at all. A technique the classifier names but
 * the tagger cannot place lowers FLC F1 with every fragment (on the PTC dev
 * split six of them, 85 fragments: bench/RESULTS.md); one with fewer
 * fragments is not judged. Never none: if every technique would go, all
 * stay. */
#define SCT_UNREPORTED_MIN_FRAGMENTS 3
uint32_t sct_reported(const metric_prf per_tech[SLANT_N_TECHNIQUES]);

#endif
