/*
 * Repeated fragments (repetition.h) on hand-made hash sequences, and the
 * union of span lists that puts the copies into the spans
 * (tagger_spans_union).
 */
#include <stdlib.h>
#include "repetition.h"
#include "test.h"

static tagger_spans spans_of(const tagger_span *items, size_t n) {
    tagger_spans s = {0};
    s.items = malloc((n ? n : 1) * sizeof *s.items);
    for (size_t i = 0; s.items && i < n; i++) s.items[i] = items[i];
    s.len = s.items ? n : 0;
    s.cap = n;
    return s;
}

static int has(const tagger_spans *s, uint32_t first, uint32_t last) {
    for (size_t i = 0; i < s->len; i++)
        if (s->items[i].first == first && s->items[i].last == last) return 1;
    return 0;
}

/* "the corrupt elite . they say the corrupt elite lies . corrupt !" as
 * hashes: 1 = the, 2 = corrupt, 3 = elite, 9 = punctuation, ... */
static const uint64_t words[] = {1, 2, 3, 9, 4, 5, 1, 2, 3, 6, 9, 2, 9};
#define N_WORDS (sizeof words / sizeof *words)

static void every_other_occurrence_should_be_a_copy(void) {
    tagger_span f[] = {{1, 3, 0.8}};   /* "corrupt elite" */
    tagger_spans frags = spans_of(f, 1), out = {0};
    CHECK_EQ_INT(repetition_copies(words, N_WORDS, &frags, &out), SLANT_OK);
    CHECK_EQ_INT(out.len, 1);
    CHECK(has(&out, 7, 9));
    CHECK(out.len && out.items[0].confidence == 0.8);
    /* a one-word fragment: both other "corrupt"s, in text order */
    frags.items[0] = (tagger_span){7, 8, 0.5};
    CHECK_EQ_INT(repetition_copies(words, N_WORDS, &frags, &out), SLANT_OK);
    CHECK_EQ_INT(out.len, 2);
    CHECK(out.len == 2 && out.items[0].first == 1 && out.items[1].first == 11);
    tagger_spans_fini(&frags);
    tagger_spans_fini(&out);
}

static void a_copy_should_match_every_token_and_never_overlap_its_fragment(void) {
    static const uint64_t h[] = {7, 7, 7, 8, 7, 7};
    tagger_span f[] = {{0, 2, 0.4}};   /* "7 7" */
    tagger_spans frags = spans_of(f, 1), out = {0};
    CHECK_EQ_INT(repetition_copies(h, 6, &frags, &out), SLANT_OK);
    CHECK_EQ_INT(out.len, 1);   /* 1-3 overlaps the fragment; 2-4 is "7 8" */
    CHECK(has(&out, 4, 6));
    tagger_spans_fini(&frags);
    tagger_spans_fini(&out);
}

static void two_fragments_with_the_same_words_should_give_each_copy_once(void) {
    tagger_span f[] = {{1, 2, 0.3}, {7, 8, 0.9}};   /* two of the three "corrupt"s */
    tagger_spans frags = spans_of(f, 2), out = {0};
    CHECK_EQ_INT(repetition_copies(words, N_WORDS, &frags, &out), SLANT_OK);
    /* each is the other's copy, and the third is a copy of both: once,
     * with the higher confidence */
    CHECK_EQ_INT(out.len, 3);
    if (out.len == 3) {
        CHECK(out.items[0].first == 1 && out.items[0].confidence == 0.9);
        CHECK(out.items[1].first == 7 && out.items[1].confidence == 0.3);
        CHECK(out.items[2].first == 11 && out.items[2].confidence == 0.9);
    }
    tagger_spans_fini(&frags);
    tagger_spans_fini(&out);
}

static void no_fragments_or_no_repeats_should_give_no_copies(void) {
    tagger_span f[] = {{4, 6, 0.5}};   /* "they say" occurs once */
    tagger_spans frags = spans_of(f, 1), none = {0}, out = {0};
    CHECK_EQ_INT(repetition_copies(words, N_WORDS, &frags, &out), SLANT_OK);
    CHECK_EQ_INT(out.len, 0);
    CHECK_EQ_INT(repetition_copies(words, N_WORDS, &none, &out), SLANT_OK);
    CHECK_EQ_INT(out.len, 0);
    CHECK_EQ_INT(repetition_copies(NULL, 0, &none, &out), SLANT_OK);
    CHECK_EQ_INT(out.len, 0);
    tagger_spans_fini(&frags);
    tagger_spans_fini(&out);
}

static void the_union_should_merge_overlaps_and_recompute_confidence(void) {
    static const double p[] = {0.1, 0.9, 0.7, 0.2, 0.0, 0.6, 0.4, 0.3, 0.8, 0.1};
    tagger_span a[] = {{1, 3, 0.8}, {5, 7, 0.5}};
    tagger_span b[] = {{8, 9, 0.99}, {2, 4, 0.99}, {6, 7, 0.99}};
    tagger_spans s = spans_of(a, 2), add = spans_of(b, 3);
    CHECK_EQ_INT(tagger_spans_union(&s, &add, p), SLANT_OK);
    /* [1,3) + [2,4) = [1,4); [5,7) holds [6,7); [8,9) alone */
    CHECK_EQ_INT(s.len, 3);
    if (s.len == 3) {
        CHECK(s.items[0].first == 1 && s.items[0].last == 4);
        CHECK_NEAR(s.items[0].confidence, (0.9 + 0.7 + 0.2) / 3, 1e-12);
        CHECK(s.items[1].first == 5 && s.items[1].last == 7);
        CHECK_NEAR(s.items[1].confidence, 0.5, 1e-12);
        CHECK(s.items[2].first == 8 && s.items[2].last == 9);
        CHECK_NEAR(s.items[2].confidence, 0.8, 1e-12);
    }
    tagger_spans empty = {0};
    CHECK_EQ_INT(tagger_spans_union(&s, &empty, p), SLANT_OK);
    CHECK_EQ_INT(s.len, 3);
    tagger_spans_fini(&s);
    tagger_spans_fini(&add);
}

int main(void) {
    TEST(every_other_occurrence_should_be_a_copy);
    TEST(a_copy_should_match_every_token_and_never_overlap_its_fragment);
    TEST(two_fragments_with_the_same_words_should_give_each_copy_once);
    TEST(no_fragments_or_no_repeats_should_give_no_copies);
    TEST(the_union_should_merge_overlaps_and_recompute_confidence);
    return test_summary("repetition");
}
