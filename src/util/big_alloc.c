/* Zeroed, huge-page-friendly allocations (big_alloc.h). */
#include <stdlib.h>
#include <string.h>
#include "big_alloc.h"
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define HUGE_PAGE ((size_t)2 << 20)

void *big_calloc(size_t n, size_t align) {
    if (n == 0) n = 1;
    int huge = 0;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* Only tables of a huge page or more: smaller ones would waste most of it. */
    if (n >= HUGE_PAGE) { align = align > HUGE_PAGE ? align : HUGE_PAGE; huge = 1; }
#endif
    void *p = NULL;
    if (posix_memalign(&p, align, n) != 0) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* Advice only: without huge pages the table works the same. It must
     * come before the first touch, which the zeroing below is; whole huge
     * pages of the block only, never memory past its end. */
    if (huge) (void)madvise(p, n & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
#endif
    memset(p, 0, n);
    return p;
}
