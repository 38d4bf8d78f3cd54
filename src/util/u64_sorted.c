/* Sorted 64-bit hash arrays (u64_sorted.h). */
#include "u64_sorted.h"

/* Quicksort (median of three) with insertion sort below 16 items,
 * recursing into the smaller part: an inline comparison instead of qsort's
 * callback per comparison, which cost more than the comparisons. */
void u64_sort(uint64_t *v, size_t n) {
    while (n > 16) {
        size_t m = n / 2;
        uint64_t a = v[0], b = v[m], c = v[n - 1];
        uint64_t pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        size_t i = 0, j = n - 1;
        for (;;) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i >= j) break;
            uint64_t t = v[i]; v[i] = v[j]; v[j] = t;
            i++; j--;
        }
        size_t left = j + 1;   /* v[0..left) <= pivot <= v[left..n) */
        if (left < n - left) { u64_sort(v, left); v += left; n -= left; }
        else { u64_sort(v + left, n - left); n = left; }
    }
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) { v[j] = v[j - 1]; j--; }
        v[j] = x;
    }
}

long u64_find_sorted(const uint64_t *v, size_t n, uint64_t key) {
    size_t lo = 0, hi = n;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (v[m] < key) lo = m + 1; else hi = m; }
    return lo < n && v[lo] == key ? (long)lo : -1;
}

/* Two binary searches, so a word repeated thousands of times (scraped
 * boilerplate) costs no more than a rare one; a linear count made long
 * repetitive articles quadratic. */
size_t u64_count_sorted(const uint64_t *v, size_t n, uint64_t key) {
    size_t lo = 0, hi = n;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (v[m] < key) lo = m + 1; else hi = m; }
    size_t first = lo;
    hi = n;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (v[m] <= key) lo = m + 1; else hi = m; }
    return lo - first;
}
