/* util/big_alloc.h: zeroed, aligned, usable to its last byte, below and
 * above the huge-page size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/big_alloc.h"
#include "test.h"

static void big_calloc_should_give_zeroed_aligned_memory(void) {
    const size_t sizes[] = {0, 1, 100, 4096, (2u << 20) - 8, 2u << 20, (5u << 20) + 123};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        unsigned char *p = big_calloc(sizes[i], 64);
        CHECK(p != NULL);
        if (!p) continue;
        CHECK_EQ_INT((uintptr_t)p % 64, 0);
        size_t n = sizes[i] ? sizes[i] : 1, nonzero = 0;
        for (size_t k = 0; k < n; k++) nonzero += p[k] != 0;
        CHECK_EQ_INT(nonzero, 0);
        memset(p, 0xab, n);   /* every byte is ours (ASan/valgrind would say otherwise) */
        CHECK(p[n - 1] == 0xab);
        free(p);
    }
}

int main(void) {
    TEST(big_calloc_should_give_zeroed_aligned_memory);
    return test_summary("big_alloc");
}
