/* Feature hash lookup table (feat_table.h). */
#include <stdlib.h>
#include "feat_table.h"
#include "util/big_alloc.h"

slant_status feat_table_build(feat_table *t, const uint64_t *keys, size_t n) {
    size_t cap = 16;
    while (cap < n + n / 2) cap *= 2;
    feat_slot *s = big_calloc(cap * sizeof *s, 64);
    key_filter filter = {0};
    if (!s || !key_filter_build(&filter, keys, n)) { free(s); return SLANT_ENOMEM; }
    size_t stored = 0;
    for (size_t j = 0; j < n; j++) {
        uint64_t key = keys[j];
        if (key == 0) continue;
        size_t i = (size_t)(key ^ (key >> 29)) & (cap - 1);
        while (s[i].key && s[i].key != key) i = (i + 1) & (cap - 1);
        if (!s[i].key) stored++;
        s[i].key = key;
        s[i].row = (uint32_t)j;
    }
    feat_table_fini(t);
    t->slots = s; t->cap = cap; t->n = stored;
    t->filter = filter;
    return SLANT_OK;
}

void feat_table_fini(feat_table *t) {
    free(t->slots);
    key_filter_fini(&t->filter);
    t->slots = NULL; t->cap = 0; t->n = 0;
}

void feat_table_keys(const feat_table *t, uint64_t *keys_by_row) {
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].key) keys_by_row[t->slots[i].row] = t->slots[i].key;
}
