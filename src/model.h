/*
 * The slant model in memory and its sections in the model file (the
 * container is model_io.h; payload layouts are in docs/FORMAT.md):
 *   META  JSON text: name, version, training options, corpus, dev scores
 *   TAGR  span tagger: labels, decoding rule, transitions
 *   FEAT  span tagger: feature hashes and their weights
 *   LABL  span tagger: the label groups, optional (one group without it)
 *   SENT  sentence scorer whose scores are tagger features, optional
 *   TECH  technique classifier (span_classifier.h), optional
 *   CLUS  word clusters used by the features, optional
 * A loaded model is immutable and shared read-only by threads.
 */
#ifndef SLANT_MODEL_H
#define SLANT_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"
#include "token_features.h"
#include "feat_table.h"
#include "sentence_model.h"

#define TAGGER_MAX_LABELS 32
#define TAGGER_MAX_GROUPS ((TAGGER_MAX_LABELS - 1) / 2)

/* How marginals become spans, by hysteresis: a span is a maximal run of
 * tokens with P(inside) >= low (runs separated by at most `gap` tokens below
 * low are joined) that holds at least one token with P(inside) >= threshold
 * and at least min_len tokens. A single threshold (low == threshold) cuts
 * long fragments wherever one word dips; hysteresis keeps them whole. */
typedef struct {
    double threshold;   /* a span needs one token at least this likely */
    double low;         /* ... and extends over tokens at least this likely */
    uint32_t gap;
    uint32_t min_len;
} tagger_decoding;

typedef struct {
    int L;                          /* labels: 0 = O, then B, I per group (1 + 2 groups) */
    uint32_t feat_version;          /* FEAT_VERSION the weights were trained with */
    tagger_decoding decoding;       /* tuned on dev */
    double trans[TAGGER_MAX_LABELS * TAGGER_MAX_LABELS]; /* L x L */
    double start[TAGGER_MAX_LABELS];/* L */
    size_t n_feat;
    feat_table table;               /* feature hash -> row of w */
    float *w;                       /* n_feat x L state weights */
    /* Label groups (LABL section). With n_groups >= 2 the tagger learnt
     * B/I labels for each group of techniques, and the labelled fragments
     * are decoded group by group from P(label in the group), so a short
     * loaded phrase inside a long appeal to fear is a fragment of its own.
     * 0 or 1: one group, every label but O (no LABL section). */
    int n_groups;
    uint8_t label_group[TAGGER_MAX_LABELS];        /* group of label y >= 1 */
    uint32_t group_techniques[TAGGER_MAX_GROUPS];  /* bit k: the group learnt technique k */
    int has_sentence;               /* 1: token features include sentence scores */
    sentence_model sentence;        /* the stacked sentence scorer (SENT section) */
    uint64_t uid;                   /* new whenever weights or clusters change:
                                       taggers cache per-word sums under it */
} tagger_model;

/* Gives t a uid no model of this process had: call it after changing a
 * built model's weights, table or clusters. Thread-safe. */
void tagger_model_changed(tagger_model *t);

/* Technique classifier data lives behind an opaque pointer so tagging does
 * not depend on it (span_classifier.h). */
struct span_classifier;

struct slant_model {
    tagger_model tagger;
    struct span_classifier *classifier; /* NULL when the model has none */
    uint64_t *cluster_words;        /* clusters for the features, may be empty */
    uint32_t *cluster_paths;
    uint8_t *cluster_depths;
    feat_clusters clusters;
    feat_table cluster_index;       /* clusters.word_hash -> position */
    feat_resources resources;
    char *meta_json;                /* NUL-terminated copy of META */
    char name[64];                  /* from META, e.g. "slant-default" */
    char version[32];               /* from META */
};


/* Writes a model: the tagger (with its weights as given), the optional
 * classifier and clusters, and meta_json. */
slant_status model_save(const slant_model *m, const char *path, slant_error *err);

/* slant_model_load on the bytes of a model file, buf[0..len) (borrowed; the
 * model keeps no pointer into it): the same checks, statuses and messages,
 * with err->file empty. On success *out is a new model; free it with
 * slant_model_free. For tests and the fuzz target fuzz/fuzz_model_full.c. */
slant_status model_parse(const uint8_t *buf, size_t len, slant_model **out, slant_error *err);

/* Copies the clusters in fc into m (which owns the copy) and points the
 * features at them. */
slant_status model_set_clusters(slant_model *m, const feat_clusters *fc);

/* slant_model_free-compatible init of an empty model. */
slant_model *model_new(void);

#endif
