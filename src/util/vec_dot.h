/*
 * Dot product of float vectors with a fixed summation order (8 partial
 * sums, combined pairwise), so word vectors and clusters never depend on
 * what the compiler vectorises. D = dimensions, any value.
 */
#ifndef SLANT_VEC_DOT_H
#define SLANT_VEC_DOT_H

#include <stddef.h>

static inline float vec_dot(const float *restrict a, const float *restrict b, size_t D) {
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    for (; i + 8 <= D; i += 8)
        for (size_t k = 0; k < 8; k++) s[k] += a[i + k] * b[i + k];
    for (size_t k = 0; i < D; i++, k++) s[k] += a[i] * b[i];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

#endif
