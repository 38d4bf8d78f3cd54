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

#define WORD_MEMO_SLOTS 32768u       /* slot numbers are below this */
#define WORD_MEMO_NONE UINT32_MAX    /* no slot: too long, or the memo is full */

typedef struct word_memo word_memo;

word_memo *word_memo_new(void);      /* NULL on out of memory */
void word_memo_free(word_memo *m);

/* Before an article of n_tokens tokens: starts again (a new epoch) when
 * fewer than n_tokens new words would fit. */
void word_memo_begin(word_memo *m, size_t n_tokens);
uint32_t word_memo_epoch(const word_memo *m);

/* The key of a token: its bytes p[0..n) and kind. Never 0. */
uint64_t word_memo_key(const char *p, size_t n, unsigned kind);

/* The slot a key is looked for first, where it usually is: callers can
 * prefetch their own values for it. */
static inline uint32_t word_memo_home(uint64_t key) {
    return (uint32_t)((key ^ (key >> 29)) & (WORD_MEMO_SLOTS - 1));
}

/* Ask the CPU to fetch what word_memo_find(key) reads: first its home
 * slot, then (once that slot is likely in cache: it is read) the stored
 * bytes. A caller runs them a few tokens ahead, the second nearer. */
void word_memo_prefetch(const word_memo *m, uint64_t key);
void word_memo_prefetch_bytes(const word_memo *m, uint64_t key);

/* The slot of the token p[0..n) with this key (word_memo_key(p, n, kind)),
 * adding it if it is new (then *added is 1 and the caller fills its
 * values); WORD_MEMO_NONE if it is too long or the memo has no room. */
uint32_t word_memo_find(word_memo *m, uint64_t key, const char *p, size_t n, int *added);

#endif
