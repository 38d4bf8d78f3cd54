/*
 * A bit filter over a set of 64-bit hash keys: "surely absent" or "maybe
 * present", from 8 bits per key (one bit set per key, ~12% false
 * positives). Lookup tables put it in front of megabytes of slots: most keys
 * a model is asked about are features it never saw, and the filter answers
 * those from a table small enough to stay in cache.
 */
#ifndef SLANT_KEY_FILTER_H
#define SLANT_KEY_FILTER_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t *bits;     /* 2^(64 - shift) bits: bit key >> shift is set for every key */
    unsigned shift;
} key_filter;

/* Builds f over keys[0..n), replacing what it held. Returns 0 on out of
 * memory (f is then unchanged). */
int key_filter_build(key_filter *f, const uint64_t *keys, size_t n);
void key_filter_fini(key_filter *f);

/* 0 when key is surely not among the keys; f must be built. */
static inline int key_filter_maybe(const key_filter *f, uint64_t key) {
    uint64_t b = key >> f->shift;
    return (int)((f->bits[b >> 6] >> (b & 63)) & 1u);
}

#endif
