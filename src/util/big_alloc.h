/*
 * Zeroed allocations for the model's large lookup tables (megabytes probed
 * at random: a feature table, the classifier's slots). On Linux they are
 * aligned to 2 MiB and marked for transparent huge pages, so a lookup
 * needs one TLB entry per 2 MiB instead of per 4 KiB (with 4 KiB pages
 * nearly every lookup also missed the TLB), and loading faults a table in
 * a few pages, not thousands. Elsewhere, or when the kernel says no, they
 * are plain aligned memory. Free with free().
 */
#ifndef SLANT_BIG_ALLOC_H
#define SLANT_BIG_ALLOC_H

#include <stddef.h>

/* n zero bytes aligned to at least `align` (a power of two, multiple of
 * sizeof(void *)); NULL on out of memory. */
void *big_calloc(size_t n, size_t align);

#endif
