/*
 * The 64-bit mixer every module hashes and draws random numbers with:
 * the splitmix64 finaliser (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014). Feature hashes depend on
 * it bit for bit, so changing it changes every model's features.
 */
#ifndef SLANT_MIX64_H
#define SLANT_MIX64_H

#include <stdint.h>

static inline uint64_t mix64(uint64_t x) {
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* splitmix64 generator: deterministic for a seed, one word of state. */
typedef struct { uint64_t s; } rng;

static inline uint64_t rng_next(rng *r) { r->s += 0x9e3779b97f4a7c15ULL; return mix64(r->s); }

#endif
