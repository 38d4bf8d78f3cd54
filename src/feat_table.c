/* Feature hash lookup table (feat_table.h). */
#include <stdlib.h>
#include "feat_table.h"

slant_status feat_table_build(feat_table *t, const uint64_t *keys, size_t n) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    unsigned bits_log2 = 6;   /* at least one 64-bit word */
    while (((size_t)1 << bits_log2) < 8 * n) bits_log2++;
    feat_slot *s = calloc(cap, sizeof *s);
    uint64_t *filter = calloc((size_t)1 << (bits_log2 - 6), sizeof *filter);
    if (!s || !filter) { free(s); free(filter); return SLANT_ENOMEM; }
    unsigned shift = 64 - bits_log2;
    size_t stored = 0;
    for (size_t j = 0; j < n; j++) {
        uint64_t key = keys[j];
        if (key == 0) continue;
        size_t i = (size_t)(key ^ (key >> 29)) & (cap - 1);
        while (s[i].key && s[i].key != key) i = (i + 1) & (cap - 1);
        if (!s[i].key) stored++;
        s[i].key = key;
        s[i].row = (uint32_t)j;
        uint64_t b = key >> shift;
        filter[b >> 6] |= (uint64_t)1 << (b & 63);
    }
    feat_table_fini(t);
    t->slots = s; t->cap = cap; t->n = stored;
    t->filter = filter; t->filter_shift = shift;
    return SLANT_OK;
}

void feat_table_fini(feat_table *t) {
    free(t->slots); free(t->filter);
    t->slots = NULL; t->cap = 0; t->n = 0;
    t->filter = NULL; t->filter_shift = 0;
}

void feat_table_keys(const feat_table *t, uint64_t *keys_by_row) {
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].key) keys_by_row[t->slots[i].row] = t->slots[i].key;
}
