/*
 * Feature hash -> weight row lookup, shared by every model part that keys
 * weights by 64-bit feature hashes (tagger, sentence scorer, classifier).
 * Open addressing with linear probing at load factor <= 1/2; key 0 marks an
 * empty slot, so a feature whose hash is 0 is never stored (probability
 * 2^-64 per feature).
 */
#ifndef SLANT_FEAT_TABLE_H
#define SLANT_FEAT_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"

typedef struct {
    uint64_t *keys;   /* cap slots, 0 = empty */
    uint32_t *rows;   /* cap slots: the row of keys[i] */
    size_t cap;       /* power of two >= 2 n, or 0 when empty */
    size_t n;         /* keys stored */
} feat_table;

/* Builds t for keys[0..n): key j gets row j. Replaces what t held. */
slant_status feat_table_build(feat_table *t, const uint64_t *keys, size_t n);
void feat_table_fini(feat_table *t);

/* Writes, for every row, its key into keys_by_row (t->n entries). */
void feat_table_keys(const feat_table *t, uint64_t *keys_by_row);

/* Returns the row of key, or UINT32_MAX when it is absent. */
static inline uint32_t feat_table_find(const feat_table *t, uint64_t key) {
    if (t->cap == 0 || key == 0) return UINT32_MAX;
    size_t mask = t->cap - 1, i = (size_t)(key ^ (key >> 29)) & mask;
    while (t->keys[i]) {
        if (t->keys[i] == key) return t->rows[i];
        i = (i + 1) & mask;
    }
    return UINT32_MAX;
}

#endif
