/*
 * Occurrence counts of 64-bit hashes, for "how often does this word recur in
 * the article": an open-addressing table sized for the article, cleared and
 * reused from one article to the next. Counting n keys is O(n), against the
 * sort and binary searches of u64_sorted.h.
 */
#ifndef SLANT_U64_COUNTS_H
#define SLANT_U64_COUNTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t *keys;     /* cap slots, 0 = empty */
    uint32_t *counts;   /* cap */
    size_t cap;         /* slots in use: a power of two, at least twice the keys */
    size_t alloc;       /* slots allocated, >= cap */
    uint32_t zero;      /* the count of key 0, which marks empty slots */
} u64_counts;

/* Empties c for up to max_keys distinct keys. Returns 0 on out of memory
 * (c is then empty and usable with max_keys 0). */
int u64_counts_reset(u64_counts *c, size_t max_keys);
void u64_counts_fini(u64_counts *c);

/* Counts one more occurrence of key; at most max_keys distinct keys. */
void u64_counts_add(u64_counts *c, uint64_t key);

/* How often key was added since the last reset. */
uint32_t u64_counts_get(const u64_counts *c, uint64_t key);

#endif
