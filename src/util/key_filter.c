/* Bit filter over hash keys (key_filter.h). The bit is taken from the top
 * of the key; the tables behind it index slots by the bottom bits. */
#include <stdlib.h>
#include "key_filter.h"

int key_filter_build(key_filter *f, const uint64_t *keys, size_t n) {
    unsigned log2 = 6;   /* at least one 64-bit word */
    while (((size_t)1 << log2) < 8 * n) log2++;
    uint64_t *bits = calloc((size_t)1 << (log2 - 6), sizeof *bits);
    if (!bits) return 0;
    unsigned shift = 64 - log2;
    for (size_t i = 0; i < n; i++) {
        uint64_t b = keys[i] >> shift;
        bits[b >> 6] |= (uint64_t)1 << (b & 63);
    }
    free(f->bits);
    f->bits = bits;
    f->shift = shift;
    return 1;
}

void key_filter_fini(key_filter *f) {
    free(f->bits);
    f->bits = NULL;
    f->shift = 0;
}
