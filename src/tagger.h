/*
 * Span tagging with a trained tagger_model (model.h): tokens -> features ->
 * CRF marginals -> spans by the decoding rule. T = tokens, L = labels.
 * A tagger_work holds every buffer one thread needs, grown to the largest
 * article it has seen, so tagging a batch allocates nothing per article.
 */
#ifndef SLANT_TAGGER_H
#define SLANT_TAGGER_H

#include "model.h"
#include "tokenize.h"
#include "token_features.h"
#include "word_memo.h"

#define TAGGER_SENT_FEATS 2048
#define TAGGER_WORD_BLOCKS 7   /* a word's cached sums: offsets -2..2, then in quotes no/yes */

typedef struct {
    feat_ctx *fctx;
    feat_seq feats;                    /* context features only (feat_context) */
    /* Per-word sums of word-template weights, TAGGER_WORD_BLOCKS x L per
     * word: sums[(o+2)*L+y] is what the word adds to label y of a token that
     * sees it at offset o (the token o positions before it; feat_word), and
     * sums[(5+q)*L+y] what its word-in-quotes template adds to itself when
     * its quotation state is q (feat_word_in_quotes). Cached by memo slot
     * across articles; a slot's sums are valid while stamp[slot] == gen,
     * and gen moves on when the model (uid) or the memo (epoch) changes. */
    double *word_sums;                 /* WORD_MEMO_SLOTS x TAGGER_WORD_BLOCKS x L, or NULL */
    uint32_t *stamp;                   /* WORD_MEMO_SLOTS */
    int sums_L;                        /* L word_sums is sized for */
    uint32_t gen, epoch;
    uint64_t model_uid;
    double uncached[TAGGER_WORD_BLOCKS * TAGGER_MAX_LABELS]; /* sums of a token without a slot */
    double *small_w;                   /* FEAT_SMALL_N x L: weights of the small
                                          features (token_features.h), per gen */
    double outside[TAGGER_WORD_BLOCKS * TAGGER_MAX_LABELS]; /* sums of a position outside the article */
    uint32_t *ids; size_t cap_ids;     /* known feature rows of all tokens */
    uint32_t *id_offs; size_t cap_tok; /* T+1; cap_tok also sizes the T x L arrays */
    double *emit, *alpha, *beta;       /* T x L each */
    double *p_span;                    /* T: P(token inside a span) */
    double *p_group;                   /* G x T, group-major: P(token inside a span
                                          of label group g); only for a model
                                          with n_groups >= 2 */
    float *sent_scores; size_t cap_sent;/* n_sentences: sentence scorer output */
    uint64_t *sent_hashes;             /* TAGGER_SENT_FEATS: one sentence's features */
} tagger_work;

slant_status tagger_work_init(tagger_work *w);
void tagger_work_fini(tagger_work *w);

/* A span in tokens, [first,last), with its mean P(inside). */
typedef struct { uint32_t first, last; double confidence; } tagger_span;

typedef struct { tagger_span *items; size_t len, cap; } tagger_spans;

/* Appends v to s; 0 when out of memory. */
int tagger_spans_push(tagger_spans *s, tagger_span v);

/* Computes w->p_span for the tokens of d over text, and w->p_group when
 * the model has two label groups or more. */
slant_status tagger_marginals(const slant_model *m, tagger_work *w,
                              const char *text, const tok_doc *d);

/* Turns p_span[0..T) into spans with rule dec (appending to out, which is
 * cleared first). Tokens never join across more than dec->gap tokens. */
slant_status tagger_decode(const double *p_span, size_t T, const tagger_decoding *dec,
                           tagger_spans *out);

/* The spans to label with techniques (FLC fragments), after
 * tagger_marginals over T tokens: with two label groups or more, each
 * group's spans decoded from its own P(inside) with rule dec, group 0's
 * first, so a short loaded phrase inside a long appeal to fear is a span
 * of its own; else tagger_decode's spans of p_span. Every span lies within
 * one of tagger_decode's spans for the same rule, since P(inside a group's
 * span) <= P(inside). out is cleared first. */
slant_status tagger_decode_fragments(const tagger_model *tm, const tagger_work *w, size_t T,
                                     const tagger_decoding *dec, tagger_spans *out);

/* spans becomes the union of spans and add (token ranges): overlapping
 * ranges merge, the result is in order and disjoint, and each span's
 * confidence is again its mean p_span. */
slant_status tagger_spans_union(tagger_spans *spans, const tagger_spans *add, const double *p_span);

void tagger_spans_fini(tagger_spans *s);

#endif
