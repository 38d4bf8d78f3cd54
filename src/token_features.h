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
#include "feat_table.h"

#define FEAT_VERSION 1u

/* Word clusters learnt from unlabelled news (issue 9); optional. */
typedef struct {
    const uint64_t *word_hash;  /* n, sorted: feat_word_hash of lowercase words */
    const uint32_t *cluster;    /* n: cluster path bits, left-aligned */
    const uint8_t *depth;       /* n: number of meaningful bits */
    size_t n;
    const feat_table *index;    /* word_hash -> position, or NULL: binary search */
} feat_clusters;

/* The cluster path and depth of the word with feat_word_hash `word`; 0 when
 * it has none (or cl is NULL). */
int feat_cluster_of(const feat_clusters *cl, uint64_t word, uint32_t *path, uint8_t *depth);

/* Asks the CPU to fetch what feat_cluster_of(cl, word) will read, so that
 * callers with several words can overlap the cache misses. */
static inline void feat_cluster_prefetch(const feat_clusters *cl, uint64_t word) {
    if (cl && cl->index) feat_table_prefetch(cl->index, word);
}

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
    /* feat_context only: token t's small features are small[t*k .. t*k+k),
     * k = small_per_token (feat_small_hash gives their hashes). */
    uint8_t *small; size_t cap_small;
    size_t small_per_token;
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

/* ---- the same features split for inference (tagger.c) ----
 * A token's features are of two kinds. Word templates depend on one token
 * of the window alone (its word, stem, shape, affixes, cluster) and the
 * position it is seen from; context templates are the rest (neighbours
 * together, quotes, the sentence, the article). feat_tokens writes, per
 * token t, the word templates of t-2..t+2 and then t's context templates;
 * a tagger can instead add up each word's word-template weights once and
 * reuse the sums wherever the same word recurs. */

#define FEAT_WORD_MAX 10              /* most word-template hashes per call */
#define FEAT_OUTSIDE ((size_t)-1)     /* a window position outside the article */

/* Writes the word-template hashes of token t (or FEAT_OUTSIDE) as seen
 * from the token `off` positions away (-2..2; t is then that token's
 * t+off) into out; returns how many (at most FEAT_WORD_MAX). Valid after
 * feat_prepare on the article; r may be NULL. */
size_t feat_word(const feat_ctx *c, const feat_resources *r, size_t t, int off, uint64_t *out);
/* The key of feat_word's lower-cased word feature at offset off (-2..2)
 * for a word whose feat_word_hash is lower. */
uint64_t feat_word_lower_key(int off, uint64_t lower);

/* The word-in-quotes template of token t (lower-cased word x inside a
 * quotation or not), as feat_tokens writes it for t when its quotation
 * state is inq (0 or 1): a word's two values can be summed once per word,
 * so feat_context leaves the template out. feat_in_quotes: t's state
 * (valid after feat_context or feat_tokens on the article). */
uint64_t feat_word_in_quotes(const feat_ctx *c, size_t t, int inq);
int feat_in_quotes(const feat_ctx *c, size_t t);

/* Context templates that take a handful of values each (bias, quotes,
 * positions, sentence cues, repetition, sentence score bins) have their
 * FEAT_SMALL_N features numbered; a token has FEAT_SMALL_PER_TOKEN of
 * them (3 fewer without sentence scores). feat_small_hash(i) is feature
 * i's hash, the one feat_tokens writes. */
#define FEAT_SMALL_N 154
#define FEAT_SMALL_PER_TOKEN 14
uint64_t feat_small_hash(size_t i);

/* feat_tokens without the word templates and the word-in-quotes template
 * (feat_word_in_quotes), and with the small features given by number in
 * s->small instead of as hashes. */
slant_status feat_context(feat_ctx *c, const char *text, const tok_doc *d,
                          const float *sentence_score, feat_seq *s);

/* Tokens with the same bytes and kind share a slot of the context's word
 * memo (word_memo.h: < WORD_MEMO_SLOTS), or have none (WORD_MEMO_NONE).
 * After feat_prepare, a slot names the same word as in earlier articles as
 * long as feat_word_epoch is unchanged. */
uint32_t feat_word_slot(const feat_ctx *c, size_t t);
/* Asks the CPU to fetch what feat_word(c, r, t, ...) will read beyond c
 * (the word's cluster), so that callers with several words overlap the
 * cache misses; no effect on results. */
void feat_word_prefetch(const feat_ctx *c, const feat_resources *r, size_t t);

/* The word-memo slots (feat_word_slot) of the tokens of the last article
 * feat_prepare saw, and the memo's naming (word_memo_naming): for another
 * module that keeps its own values by the same slots (spf_use_slots). */
const uint32_t *feat_token_slots(const feat_ctx *c);
uint64_t feat_word_naming(const feat_ctx *c);
/* The same article's lower-cased and stem hashes (feat_word_hash of
 * feat_lower's output and of its Snowball English stem; a token that is
 * not a word is its own stem). */
const uint64_t *feat_token_lower(const feat_ctx *c);
const uint64_t *feat_token_stem(const feat_ctx *c);
uint32_t feat_word_epoch(const feat_ctx *c);

/* Hash of a lower-cased word, as feat_clusters.word_hash expects. */
uint64_t feat_word_hash(const char *lower, size_t len);

/* out[k - from] = feat_word_hash(p, k) for k = from..to (from >= 1), in one
 * pass over p: the character n-grams of one start position at once. */
void feat_word_hash_prefixes(const char *p, size_t from, size_t to, uint64_t *out);

/* Writes the lower-cased form of text[0..len) into out (cap bytes, NUL
 * terminated, truncated); returns its length. Used by tools that build
 * resources for the same words the features see. */
size_t feat_lower(const char *text, size_t len, char *out, size_t cap);

#endif
