/*
 * Token features for the span tagger. Each token gets a list of 64-bit
 * feature hashes: hash(template, value). The model's dictionary (model.c)
 * maps hashes to weight rows; hashes it does not know are dropped. No
 * strings are built: values are hashed as they are read.
 *
 * T = tokens of one article. Templates are listed in features.c; changing
 * one changes every hash, so FEAT_VERSION is stored in the model and
 * checked on load.
 */
#ifndef SLANT_TOKEN_FEATURES_H
#define SLANT_TOKEN_FEATURES_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"
#include "tokenize.h"

#define FEAT_VERSION 1u

/* Word clusters learnt from unlabelled news (issue 9); optional. */
typedef struct {
    const uint64_t *word_hash;  /* n, sorted: feat_word_hash of lowercase words */
    const uint32_t *cluster;    /* n: cluster path bits, left-aligned */
    const uint8_t *depth;       /* n: number of meaningful bits */
    size_t n;
} feat_clusters;

typedef struct {
    const feat_clusters *clusters;  /* may be NULL */
} feat_resources;

/* Per-thread scratch: stemmer and buffers that grow to the largest article. */
typedef struct feat_ctx feat_ctx;

feat_ctx *feat_ctx_new(void);   /* NULL on out of memory; free with feat_ctx_free */
void feat_ctx_free(feat_ctx *c);

typedef struct {
    uint64_t *hashes; size_t n, cap;    /* all tokens' feature hashes */
    uint32_t *offs; size_t cap_offs;    /* T+1: token t has hashes[offs[t]..offs[t+1]) */
    size_t T;
} feat_seq;

void feat_seq_init(feat_seq *s);
void feat_seq_fini(feat_seq *s);

/* Computes the features of every token of text (tokenized into d) into s,
 * reusing s's arrays. r may be NULL. Same as feat_prepare + feat_tokens
 * without sentence scores. */
slant_status feat_extract(feat_ctx *c, const feat_resources *r,
                          const char *text, const tok_doc *d, feat_seq *s);

/* The three steps of feat_extract, for callers that score sentences first:
 * feat_prepare computes per-token values into c; feat_sentence then writes
 * the feature hashes of sentence si (at most cap) into out; feat_tokens
 * writes the token features, adding the sentence scores (n_sentences
 * values in [0,1], or NULL) as features. */
slant_status feat_prepare(feat_ctx *c, const char *text, const tok_doc *d);
slant_status feat_sentence(feat_ctx *c, const char *text, const tok_doc *d, size_t si,
                           uint64_t *out, size_t cap, size_t *n_out);
slant_status feat_tokens(feat_ctx *c, const feat_resources *r, const char *text,
                         const tok_doc *d, const float *sentence_score, feat_seq *s);

/* Hash of a lower-cased word, as feat_clusters.word_hash expects. */
uint64_t feat_word_hash(const char *lower, size_t len);

/* Writes the lower-cased form of text[0..len) into out (cap bytes, NUL
 * terminated, truncated); returns its length. Used by tools that build
 * resources for the same words the features see. */
size_t feat_lower(const char *text, size_t len, char *out, size_t cap);

#endif
