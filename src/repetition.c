/*
 * Repeated fragments (repetition.h). A scan per fragment over the article's
 * lower-cased token hashes: O(T x fragments x their length) at worst, a few
 * thousand comparisons for a news article, against the tagger's millions
 * of operations, so no index is built.
 */
#include <stdlib.h>
#include <string.h>
#include "repetition.h"

static int cmp_span(const void *x, const void *y) {
    const tagger_span *a = x, *b = y;
    if (a->first != b->first) return a->first < b->first ? -1 : 1;
    if (a->last != b->last) return a->last < b->last ? -1 : 1;
    return a->confidence > b->confidence ? -1 : a->confidence < b->confidence;
}

slant_status repetition_copies(const uint64_t *lower, size_t T, const tagger_spans *frags,
                               tagger_spans *out) {
    out->len = 0;
    for (size_t i = 0; i < frags->len; i++) {
        const tagger_span *f = &frags->items[i];
        size_t n = f->last - f->first;
        if (!n || f->last > T) continue;
        for (size_t p = 0; p + n <= T; p++) {
            if (p + n > f->first && p < f->last) continue;   /* overlaps the fragment itself */
            if (lower[p] != lower[f->first] || memcmp(lower + p, lower + f->first, n * sizeof *lower) != 0)
                continue;
            if (!tagger_spans_push(out, (tagger_span){(uint32_t)p, (uint32_t)(p + n), f->confidence})) return SLANT_ENOMEM;
        }
    }
    /* One copy per range, the most confident. */
    if (out->len < 2) return SLANT_OK;
    qsort(out->items, out->len, sizeof *out->items, cmp_span);
    size_t k = 0;
    for (size_t i = 0; i < out->len; i++)
        if (!k || out->items[i].first != out->items[k - 1].first || out->items[i].last != out->items[k - 1].last)
            out->items[k++] = out->items[i];
    out->len = k;
    return SLANT_OK;
}
