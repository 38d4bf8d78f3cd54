/*
 * Features of one span of an article, for the technique classifier
 * (span_classifier.h): the span's words, bigrams, character n-grams, edge
 * words and length; how often its text and words recur in the article (the
 * main cue for Repetition); quotes, capitals, ! and ?; its position in the
 * sentence and the article; the words around it; the word clusters
 * (token_features.h) of its words and neighbours. Does not classify.
 *
 * Each feature is a 64-bit hash of (template, value) with a real value;
 * bag-of-items groups are scaled by 1/sqrt(items) so a long span does not
 * outweigh its cue features. The classifier's dictionary maps hashes to
 * weight rows and drops the rest. T = tokens of the article.
 *
 * Usage: one spf_ctx per thread; spf_article once per article (it computes
 * the per-token words, stems and article word counts), then spf_span for
 * each span of that article. Changing any template changes the hashes, so
 * SPF_VERSION is stored in the model and checked on load.
 */
#ifndef SLANT_SPAN_FEATURES_H
#define SLANT_SPAN_FEATURES_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"
#include "tokenize.h"
#include "token_features.h"

#define SPF_VERSION 2u

/* Feature groups, a bit mask stored in the model (experiments switch them). */
enum {
    SPF_WORDS    = 1u << 0,  /* lower-cased words of the span (bag) */
    SPF_STEMS    = 1u << 1,  /* Snowball English stems of the span (bag) */
    SPF_BIGRAMS  = 1u << 2,  /* word bigrams of the span, with edges (bag) */
    SPF_CHARS    = 1u << 3,  /* character 3..5-grams of the span text (bag) */
    SPF_EDGES    = 1u << 4,  /* first and last two words */
    SPF_LENGTH   = 1u << 5,  /* length in tokens and characters, bucketed */
    SPF_REPEAT   = 1u << 6,  /* recurrence of the span text and its words */
    SPF_STYLE    = 1u << 7,  /* quotes, capitals, ! ?, numbers */
    SPF_POSITION = 1u << 8,  /* sentence coverage, place in the article */
    SPF_CONTEXT  = 1u << 9,  /* words just before/after, sentence words */
    SPF_CONJ     = 1u << 10, /* length x repetition, length x first word */
    SPF_AFFIX    = 1u << 11, /* 3-letter prefixes and suffixes of span words (bag) */
    SPF_NONORM   = 1u << 12, /* do not scale bags by 1/sqrt(items) */
    SPF_CLUSTERS = 1u << 13, /* word-cluster prefixes of the span, its edges
                                and the words around it (needs clusters) */
    SPF_BATCH    = 1u << 14, /* the other spans of the article being
                                classified (spf_batch): same text elsewhere,
                                nested in or holding another span */
    SPF_SHAPE    = 1u << 15, /* noun-phrase cues at the span's edges: shapes
                                and suffixes of its first and last words,
                                determiners before and at its start */
    SPF_VECTORS  = 1u << 16, /* mean of the span's word vectors (real
                                values; needs spf_set_vectors) */
    SPF_VEC_SENT = 1u << 17, /* mean word vector of the rest of its sentence */
    SPF_VEC_LEN  = 1u << 18, /* the span's mean vector again, per length class
                                (1-2, 3-6, 7+ tokens) */
    /* Every group, bags scaled. The groups added after NONORM take the bits
     * after it so that the masks of older models keep their meaning. */
    SPF_ALL      = ((1u << 12) - 1) | SPF_CLUSTERS | SPF_BATCH | SPF_SHAPE | SPF_VECTORS |
                   SPF_VEC_SENT | SPF_VEC_LEN,
    /* What training uses unless told otherwise: every group but CLUSTERS,
     * which left dev TC accuracy and FLC F1 within noise or lower
     * (0.564 vs 0.573, FLC 0.152 vs 0.160 with the PTC dev set). */
    SPF_DEFAULT  = SPF_ALL & ~(uint32_t)SPF_CLUSTERS
};

/* Features of one span: n (hash, value) pairs.
 *
 * A caller that sets rows_wanted takes the SPF_VECTORS block in factored
 * form: not dim features (k, scale/m * sum of the m words' component k) but
 * the vector rows of those m words (rows[0..n_rows), n_rows = m > 0) with
 * rows_scale = scale/m, to be added where the block would stand: before
 * feature rows_at. A linear model that keeps each row's dot products with
 * its weights (span_classifier.h) then adds K numbers a word, not K x dim.
 * n_rows = 0: no such block (the features are in hash/val, or there are no
 * vectors). */
/* Likewise a caller that sets runs_wanted takes SPF_CHARS in part: the
 * group's n-grams of the span text " w1 w2 ... " that lie within one
 * space-padded run (" word ", " said, ") are the same wherever that run
 * appears, so they are left out and the runs listed instead (runs[0..n_runs):
 * a key of the padded text and where it is in run_text, borrowed until the
 * next spf_span; spf_char_grams gives its n-grams). What stays in hash/val
 * is the n-grams that cross a space between runs. Every n-gram of the
 * group weighs chars_scale; the runs' block stands before feature chars_at.
 * n_runs = 0: no such block. */
typedef struct {
    uint64_t key;     /* nonzero hash of the padded run's bytes */
    uint32_t off, len;/* its bytes: run_text[off .. off+len) */
} spf_run;

typedef struct {
    uint64_t *hash;   /* n feature hashes */
    float *val;       /* n values */
    size_t n, cap;
    int rows_wanted;  /* set by the caller */
    int32_t *rows;    /* n_rows vector rows (spf_vectors) */
    size_t n_rows, rows_cap, rows_at;
    double rows_scale;
    int runs_wanted;  /* set by the caller */
    spf_run *runs;
    size_t n_runs, runs_cap, chars_at;
    double chars_scale;
    const char *run_text;
} spf_list;

/* The SPF_CHARS feature hashes of the character 3-, 4- and 5-grams of
 * s[0..n), in the group's order (every 3-gram, then 4-, then 5-grams), into
 * out (room for 3n). Returns how many. */
size_t spf_char_grams(const char *s, size_t n, uint64_t *out);

void spf_list_init(spf_list *l);
void spf_list_fini(spf_list *l);

/* Word vectors for SPF_VECTORS: n words, each a dim-dimensional vector
 * stored as int8, component k of word i = q[i*dim+k] * scale (scale holds
 * the features' weight too). hash: feat_word_hash of the lower-cased word,
 * strictly increasing. Owned arrays. */
typedef struct {
    size_t n;
    uint32_t dim;
    float scale;
    uint32_t depth;   /* 0: hash is a word; d > 0: hash is a word-cluster
                         prefix (spf_cluster_key with d bits) and a word's
                         vector is its cluster's mean vector */
    uint64_t *hash;   /* n */
    int8_t *q;        /* n x dim */
} spf_vectors;

void spf_vectors_init(spf_vectors *v);
void spf_vectors_fini(spf_vectors *v);
/* Allocates n zero rows of dim (freeing what v held). Errors: SLANT_ENOMEM. */
slant_status spf_vectors_alloc(spf_vectors *v, size_t n, uint32_t dim);
/* The hash of SPF_VECTORS feature k: dimension k of the span's mean vector. */
uint64_t spf_vector_key(uint32_t k);
/* Row of key (a feat_word_hash, or a cluster key when v->depth > 0) in v,
 * -1 when absent. */
int32_t spf_vectors_find(const spf_vectors *v, uint64_t key);
/* The key of word's cluster cut to `bits` (or its depth if shorter), as
 * the CLUSTERS features and depth-keyed vectors use it; 0 when the word
 * has no cluster. */
uint64_t spf_cluster_key(const feat_clusters *cl, uint64_t word, unsigned bits);

/* Per-thread scratch: a stemmer and per-token buffers grown to the largest
 * article seen. Not thread-safe; free with spf_ctx_free. */
typedef struct spf_ctx spf_ctx;

spf_ctx *spf_ctx_new(void);   /* NULL on out of memory */
void spf_ctx_free(spf_ctx *c);

/* The word vectors of SPF_VECTORS (borrowed; NULL or empty: the group adds
 * nothing). Takes effect from the next spf_article. id, when not 0, names
 * these vectors together with the clusters that the following spf_article
 * calls pass (analysis gives the classifier's uid: both come from one
 * model), so that each word's cluster and vector row are looked up once
 * and kept with its other values across articles; 0: looked up afresh in
 * every article. */
void spf_set_vectors(spf_ctx *c, const spf_vectors *v, uint64_t id);

/* The next spf_article may take its tokens' word-memo slots from a memo
 * that has already seen that article (the tagger's features: slots from
 * feat_token_slots, naming from feat_word_naming) instead of looking every
 * token up in a memo of its own: the per-word values are then kept by
 * those slots. lower and stem, when not NULL, are each token's lower-cased
 * and stem hashes as feat_word_hash makes them (feat_token_lower,
 * feat_token_stem), so that a word new to the values is not stemmed a
 * second time. Borrowed until that call; slots NULL: its own memo. */
void spf_use_slots(spf_ctx *c, const uint32_t *slots, uint64_t naming,
                   const uint64_t *lower, const uint64_t *stem);

/* Prepares the article text (valid UTF-8, tokenized into d). text, d and
 * clusters (the model's word clusters, NULL when it has none: SPF_CLUSTERS
 * then adds nothing) are borrowed until the next spf_article call.
 * Errors: SLANT_ENOMEM. */
slant_status spf_article(spf_ctx *c, const char *text, const tok_doc *d,
                         const feat_clusters *clusters);

/* The spans being classified in the current article, [start[i], end[i])
 * in code points (copied; any order, repeats allowed): the given spans of
 * TC, the tagger's in analysis, the gold ones in training. SPF_BATCH
 * features of a span compare it with these. spf_article clears them.
 * Errors: SLANT_ENOMEM, SLANT_EINVAL (no article prepared). */
slant_status spf_batch(spf_ctx *c, const uint32_t *start, const uint32_t *end, size_t n);

/* Features of the span [cp_start, cp_end) (code points) of the current
 * article for the groups in mask, into out (cleared first). A span that
 * covers no token gets only its length and position features.
 * Errors: SLANT_ENOMEM, SLANT_EINVAL (no article prepared). */
slant_status spf_span(spf_ctx *c, uint32_t mask, uint32_t cp_start, uint32_t cp_end,
                      spf_list *out);

#endif
