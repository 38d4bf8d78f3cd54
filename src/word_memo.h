/*
 * A memo of the distinct tokens a thread has seen, across articles: news
 * repeats its vocabulary, so what a feature extractor computes from a
 * token alone (lower-casing, stemming, shapes, weight sums) is worth doing
 * once per distinct token. The memo only names tokens: it maps a token's
 * exact bytes and kind to a slot number, and each user keeps its own
 * values in arrays indexed by slot.
 *
 * A slot names the same token until the memo starts again, which happens
 * only in word_memo_begin, between articles, and bumps the epoch; so slots
 * found for one article stay valid for all of it, and values kept by slot
 * are valid while the epoch is unchanged. Keys are 64-bit hashes, but a
 * hit also compares the bytes: a hash collision can never return another
 * token's slot.
 */
#ifndef SLANT_WORD_MEMO_H
#define SLANT_WORD_MEMO_H

#include <stddef.h>
#include <stdint.h>
#include "tokenize.h"

#define WORD_MEMO_SLOTS 32768u       /* slot numbers are below this */
#define WORD_MEMO_NONE UINT32_MAX    /* no slot: too long, or the memo is full */

typedef struct word_memo word_memo;

word_memo *word_memo_new(void);      /* NULL on out of memory */
void word_memo_free(word_memo *m);

/* Before an article of n_tokens tokens: starts again (a new epoch) when
 * fewer than n_tokens new words would fit. */
void word_memo_begin(word_memo *m, size_t n_tokens);
uint32_t word_memo_epoch(const word_memo *m);
/* Unique in the process to this memo and epoch (never 0): values another
 * module keeps by slot are valid for as long as this is unchanged, even
 * when it borrows the slots of a memo it does not own. */
uint64_t word_memo_naming(const word_memo *m);

/* The key of a token: its bytes p[0..n) and kind. Never 0. */
uint64_t word_memo_key(const char *p, size_t n, unsigned kind);

/* The slot of the token p[0..n) with this key (word_memo_key(p, n, kind)),
 * adding it if it is new (then *added is 1 and the caller fills its
 * values); WORD_MEMO_NONE if it is too long or the memo has no room. */
uint32_t word_memo_find(word_memo *m, uint64_t key, const char *p, size_t n, int *added);

/* One article's tokens (text tokenized into d, T tokens): word_memo_begin,
 * then slots[t] and added[t] as word_memo_find gives them; keys[t]
 * receives each token's key. The memo and
 * the caller's values (vals: WORD_MEMO_SLOTS entries of `stride` bytes,
 * read at the slot afterwards) are megabytes, so this fetches them a few
 * tokens ahead. */
void word_memo_article(word_memo *m, const char *text, const tok_doc *d, uint64_t *keys,
                       uint32_t *slots, uint8_t *added, const void *vals, size_t stride);

#endif
