/* Hash occurrence counts (u64_counts.h). */
#include <stdlib.h>
#include <string.h>
#include "u64_counts.h"

int u64_counts_reset(u64_counts *c, size_t max_keys) {
    size_t cap = 64;
    while (cap < 2 * max_keys) cap *= 2;
    if (cap > c->alloc) {
        free(c->keys); free(c->counts);
        c->keys = malloc(cap * sizeof *c->keys);
        c->counts = malloc(cap * sizeof *c->counts);
        if (!c->keys || !c->counts) {
            free(c->keys); free(c->counts);
            memset(c, 0, sizeof *c);
            return 0;
        }
        c->alloc = cap;
    }
    /* Only what this article needs: one long article must not make every
     * later one clear a large table. */
    c->cap = cap;
    memset(c->keys, 0, c->cap * sizeof *c->keys);
    c->zero = 0;
    return 1;
}

void u64_counts_fini(u64_counts *c) {
    free(c->keys); free(c->counts);
    memset(c, 0, sizeof *c);
}

static size_t home(const u64_counts *c, uint64_t key) {
    return (size_t)(key ^ (key >> 29)) & (c->cap - 1);
}

void u64_counts_add(u64_counts *c, uint64_t key) {
    if (key == 0) { c->zero++; return; }
    if (c->cap == 0) return;
    size_t i = home(c, key);
    while (c->keys[i] && c->keys[i] != key) i = (i + 1) & (c->cap - 1);
    if (!c->keys[i]) { c->keys[i] = key; c->counts[i] = 0; }
    c->counts[i]++;
}

uint32_t u64_counts_get(const u64_counts *c, uint64_t key) {
    if (key == 0) return c->zero;
    if (c->cap == 0) return 0;
    size_t i = home(c, key);
    while (c->keys[i]) {
        if (c->keys[i] == key) return c->counts[i];
        i = (i + 1) & (c->cap - 1);
    }
    return 0;
}
