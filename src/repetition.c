/*
 * Repeated fragments (repetition.h). One pass over the article's lower-cased
 * token hashes, looking each up among the fragments' first words (sorted,
 * a handful), then comparing the rest: about T log F steps, where a scan
 * of the article per fragment cost T x F (2.5% of all analysis
 * instructions on the dev split, 1.0% this way: callgrind).
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

/* A fragment's first-token hash and its index in frags. */
typedef struct { uint64_t hash; size_t frag; } first_word;

static int cmp_first_word(const void *x, const void *y) {
    const first_word *a = x, *b = y;
    if (a->hash != b->hash) return a->hash < b->hash ? -1 : 1;
    return a->frag < b->frag ? -1 : a->frag > b->frag;
}

slant_status repetition_copies(const uint64_t *lower, size_t T, const tagger_spans *frags,
                               tagger_spans *out) {
    out->len = 0;
    size_t F = 0;
    first_word *fw = malloc((frags->len ? frags->len : 1) * sizeof *fw);
    if (!fw) return SLANT_ENOMEM;
    for (size_t i = 0; i < frags->len; i++)
        if (frags->items[i].first < frags->items[i].last && frags->items[i].last <= T)
            fw[F++] = (first_word){lower[frags->items[i].first], i};
    qsort(fw, F, sizeof *fw, cmp_first_word);
    /* One pass over the tokens: where a token starts some fragment's
     * words (binary search among the F first words), compare the rest. */
    for (size_t p = 0; p < T && F; p++) {
        size_t lo = 0, hi = F;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (fw[mid].hash < lower[p]) lo = mid + 1; else hi = mid;
        }
        for (size_t k = lo; k < F && fw[k].hash == lower[p]; k++) {
            const tagger_span *f = &frags->items[fw[k].frag];
            size_t n = f->last - f->first;
            if (p + n > T || (p + n > f->first && p < f->last)) continue;   /* overlaps the fragment itself */
            if (memcmp(lower + p, lower + f->first, n * sizeof *lower) != 0) continue;
            if (!tagger_spans_push(out, (tagger_span){(uint32_t)p, (uint32_t)(p + n), f->confidence})) {
                free(fw);
                return SLANT_ENOMEM;
            }
        }
    }
    free(fw);
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
