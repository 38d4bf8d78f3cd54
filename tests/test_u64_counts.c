/* util/u64_counts.h against naive counting. */
#include <stdint.h>
#include <stdlib.h>
#include "util/u64_counts.h"
#include "util/mix64.h"
#include "test.h"

static void counts_should_equal_naive_counts_across_resets(void) {
    enum { N = 3000 };
    static uint64_t keys[N];
    u64_counts c = {0};
    uint64_t seed = 7;
    for (int round = 0; round < 3; round++) {
        size_t n = round == 1 ? 10 : N;   /* shrinking must not keep old keys */
        for (size_t i = 0; i < n; i++) {
            seed = mix64(seed + i);
            /* A few hundred distinct keys, key 0 among them. */
            keys[i] = (seed % 400 == 0) ? 0 : mix64(seed % 397 + (uint64_t)round);
        }
        CHECK(u64_counts_reset(&c, n));
        for (size_t i = 0; i < n; i++) u64_counts_add(&c, keys[i]);
        for (size_t i = 0; i < n; i += 7) {
            uint32_t naive = 0;
            for (size_t j = 0; j < n; j++) naive += keys[j] == keys[i];
            CHECK_EQ_INT(u64_counts_get(&c, keys[i]), naive);
        }
        CHECK_EQ_INT(u64_counts_get(&c, 12345), 0);
    }
    u64_counts_fini(&c);
}

static void every_key_distinct_should_count_one_each(void) {
    u64_counts c = {0};
    CHECK(u64_counts_reset(&c, 5000));
    for (uint64_t k = 1; k <= 5000; k++) u64_counts_add(&c, k);
    int ok = 1;
    for (uint64_t k = 1; k <= 5000; k++) ok &= u64_counts_get(&c, k) == 1;
    CHECK(ok);
    CHECK_EQ_INT(u64_counts_get(&c, 5001), 0);
    u64_counts_fini(&c);
}

int main(void) {
    TEST(counts_should_equal_naive_counts_across_resets);
    TEST(every_key_distinct_should_count_one_each);
    return test_summary("u64_counts");
}
