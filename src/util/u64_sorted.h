/*
 * Sorted arrays of 64-bit hashes: the sort and the counting that the
 * feature extractors use for "how often does this word recur".
 */
#ifndef SLANT_U64_SORTED_H
#define SLANT_U64_SORTED_H

#include <stddef.h>
#include <stdint.h>

/* Sorts v[0..n) ascending. */
void u64_sort(uint64_t *v, size_t n);

/* The position of key in sorted v[0..n) (its first copy), or -1. */
long u64_find_sorted(const uint64_t *v, size_t n, uint64_t key);

/* Occurrences of key in sorted v[0..n). */
size_t u64_count_sorted(const uint64_t *v, size_t n, uint64_t key);

#endif
