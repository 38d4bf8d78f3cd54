/* Feature hash lookup table (feat_table.h). */
#include <stdlib.h>
#include "feat_table.h"

slant_status feat_table_build(feat_table *t, const uint64_t *keys, size_t n) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    uint64_t *k = calloc(cap, sizeof *k);
    uint32_t *r = malloc(cap * sizeof *r);
    if (!k || !r) { free(k); free(r); return SLANT_ENOMEM; }
    size_t stored = 0;
    for (size_t j = 0; j < n; j++) {
        uint64_t key = keys[j];
        if (key == 0) continue;
        size_t i = (size_t)(key ^ (key >> 29)) & (cap - 1);
        while (k[i] && k[i] != key) i = (i + 1) & (cap - 1);
        if (!k[i]) stored++;
        k[i] = key;
        r[i] = (uint32_t)j;
    }
    feat_table_fini(t);
    t->keys = k; t->rows = r; t->cap = cap; t->n = stored;
    return SLANT_OK;
}

void feat_table_fini(feat_table *t) {
    free(t->keys); free(t->rows);
    t->keys = NULL; t->rows = NULL; t->cap = 0; t->n = 0;
}

void feat_table_keys(const feat_table *t, uint64_t *keys_by_row) {
    for (size_t i = 0; i < t->cap; i++)
        if (t->keys[i]) keys_by_row[t->rows[i]] = t->keys[i];
}
