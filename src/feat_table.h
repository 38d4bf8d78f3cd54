/*
 * Feature hash -> weight row lookup, shared by every model part that keys
 * weights by 64-bit feature hashes (tagger, sentence scorer, classifier).
 * Open addressing with linear probing at load factor <= 2/3 (the smallest
 * power of two >= 1.5 n slots: at <= 1/2 the bundled tagger's table was 8 MB
 * at 26% load; at 52% it is 4 MB, with probes still mostly within one cache
 * line, and analysis no slower: 1-2% faster by CPU time); key 0 marks an
 * empty slot, so a feature whose hash is 0 is never stored (probability
 * 2^-64 per feature).
 *
 * A slot holds its key and row side by side (16 bytes, four to a cache
 * line): a tagger model's table is megabytes, so nearly every lookup is a
 * cache miss, and one miss per lookup beats two (keys, then rows).
 * Callers with many keys can feat_table_prefetch a few keys ahead.
 * A key filter (util/key_filter.h) answers most absent keys without
 * touching the slots.
 */
#ifndef SLANT_FEAT_TABLE_H
#define SLANT_FEAT_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"
#include "util/key_filter.h"

typedef struct {
    uint64_t key;     /* 0 = empty */
    uint32_t row;     /* the row of key */
    uint32_t pad_;    /* 0: keeps slots 16 bytes, aligned */
} feat_slot;

typedef struct {
    feat_slot *slots; /* cap slots */
    size_t cap;       /* power of two >= 1.5 n, or 0 when empty */
    size_t n;         /* keys stored */
    key_filter filter;/* over the stored keys */
} feat_table;

/* Builds t for keys[0..n): key j gets row j (the last j for a repeated
 * key). Replaces what t held. */
slant_status feat_table_build(feat_table *t, const uint64_t *keys, size_t n);
void feat_table_fini(feat_table *t);

/* Writes, for every row, its key into keys_by_row (t->n entries). */
void feat_table_keys(const feat_table *t, uint64_t *keys_by_row);

/* 0 when key is surely absent; t->cap must be > 0. */
static inline int feat_table_maybe(const feat_table *t, uint64_t key) {
    return key_filter_maybe(&t->filter, key);
}

/* The first slot probed for key; t->cap must be > 0. */
static inline size_t feat_table_home(const feat_table *t, uint64_t key) {
    return (size_t)(key ^ (key >> 29)) & (t->cap - 1);
}

/* Asks the CPU to fetch key's first slot; no effect on results. */
static inline void feat_table_prefetch(const feat_table *t, uint64_t key) {
#if defined(__GNUC__)
    if (t->cap) __builtin_prefetch(&t->slots[feat_table_home(t, key)]);
#else
    (void)t; (void)key;
#endif
}

/* The same for a table with t->cap > 0; keys the filter rules out are
 * not fetched. */
static inline void feat_table_prefetch_nonempty(const feat_table *t, uint64_t key) {
#if defined(__GNUC__)
    if (feat_table_maybe(t, key)) __builtin_prefetch(&t->slots[feat_table_home(t, key)]);
#else
    (void)t; (void)key;
#endif
}

/* feat_table_find for a table with t->cap > 0: a key of 0 needs no test,
 * as no stored slot holds 0. */
static inline uint32_t feat_table_find_nonempty(const feat_table *t, uint64_t key) {
    if (!feat_table_maybe(t, key)) return UINT32_MAX;
    size_t mask = t->cap - 1, i = feat_table_home(t, key);
    for (const feat_slot *s = &t->slots[i]; s->key; s = &t->slots[i]) {
        if (s->key == key) return s->row;
        i = (i + 1) & mask;
    }
    return UINT32_MAX;
}

/* Returns the row of key, or UINT32_MAX when it is absent. */
static inline uint32_t feat_table_find(const feat_table *t, uint64_t key) {
    if (t->cap == 0 || key == 0 || !feat_table_maybe(t, key)) return UINT32_MAX;
    size_t mask = t->cap - 1, i = feat_table_home(t, key);
    for (const feat_slot *s = &t->slots[i]; s->key; s = &t->slots[i]) {
        if (s->key == key) return s->row;
        i = (i + 1) & mask;
    }
    return UINT32_MAX;
}

#endif
