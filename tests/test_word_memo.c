/* word_memo.h: slots name tokens by their bytes and kind, survive across
 * articles until the memo starts again, and never mix up tokens. */
#include <stdio.h>
#include <string.h>
#include "word_memo.h"
#include "test.h"

static uint32_t find(word_memo *m, const char *s, unsigned kind, int *added) {
    return word_memo_find(m, word_memo_key(s, strlen(s), kind), s, strlen(s), added);
}

static void the_same_token_should_get_the_same_slot_across_articles(void) {
    word_memo *m = word_memo_new();
    CHECK(m != NULL);
    if (!m) return;
    int added;
    word_memo_begin(m, 10);
    uint32_t a = find(m, "tyrant", 0, &added);
    CHECK(a < WORD_MEMO_SLOTS && added);
    uint32_t b = find(m, "Tyrant", 0, &added);   /* bytes differ: another token */
    CHECK(b != a && added);
    uint32_t c = find(m, "tyrant", 2, &added);   /* another kind: another token */
    CHECK(c != a && c != b && added);
    word_memo_begin(m, 10);                      /* next article: plenty of room */
    CHECK_EQ_INT(find(m, "tyrant", 0, &added), a);
    CHECK(!added);
    CHECK_EQ_INT(word_memo_epoch(m), 0);
    word_memo_free(m);
}

/* Two tokens under one key (a hash collision) keep separate slots. */
static void a_key_collision_should_not_return_another_tokens_slot(void) {
    word_memo *m = word_memo_new();
    if (!m) return;
    int added;
    word_memo_begin(m, 2);
    uint64_t key = 12345;
    uint32_t a = word_memo_find(m, key, "plucky", 6, &added);
    uint32_t b = word_memo_find(m, key, "little", 6, &added);
    CHECK(a != b && added);
    CHECK_EQ_INT(word_memo_find(m, key, "plucky", 6, &added), a);
    CHECK_EQ_INT(word_memo_find(m, key, "little", 6, &added), b);
    word_memo_free(m);
}

static void a_full_memo_should_give_no_slot_then_start_again_between_articles(void) {
    word_memo *m = word_memo_new();
    if (!m) return;
    int added;
    char w[32];
    word_memo_begin(m, 10);
    uint32_t first = find(m, "first", 0, &added);
    size_t none = 0;
    for (unsigned i = 0; i < WORD_MEMO_SLOTS; i++) {   /* one article, more words than fit */
        snprintf(w, sizeof w, "w%u", i);
        none += find(m, w, 0, &added) == WORD_MEMO_NONE;
    }
    CHECK(none > 0 && none < WORD_MEMO_SLOTS);
    CHECK_EQ_INT(find(m, "first", 0, &added), first);   /* still valid in this article */
    word_memo_begin(m, 100);
    CHECK_EQ_INT(word_memo_epoch(m), 1);
    CHECK(find(m, "first", 0, &added) != WORD_MEMO_NONE);
    CHECK(added);                                         /* a new epoch forgets */
    char long_token[100];
    memset(long_token, 'x', sizeof long_token - 1);
    long_token[sizeof long_token - 1] = '\0';
    CHECK_EQ_INT(find(m, long_token, 0, &added), WORD_MEMO_NONE);
    word_memo_free(m);
}

/* A whole article at once: a repeated word shares its slot, and only its
 * first occurrence is new; the same article again gives the same slots and
 * keys, none new. */
static void an_article_should_get_its_slots_in_one_call(void) {
    word_memo *m = word_memo_new();
    if (!m) return;
    const char *text = "The tyrant spoke. The tyrant lied.";
    tok_doc d;
    tok_doc_init(&d);
    CHECK(tok_tokenize(text, strlen(text), &d) == SLANT_OK);
    size_t T = d.n_tokens;
    uint64_t keys[16], keys2[16];
    uint32_t slots[16], slots2[16];
    uint8_t added[16];
    CHECK(T == 8 && T <= 16);
    if (T != 8) { tok_doc_fini(&d); word_memo_free(m); return; }
    word_memo_article(m, text, &d, keys, slots, added, NULL, 0);
    CHECK_EQ_INT(slots[0], slots[4]);   /* The */
    CHECK_EQ_INT(slots[1], slots[5]);   /* tyrant */
    CHECK(slots[2] != slots[6]);        /* spoke, lied */
    CHECK(added[0] && added[1] && !added[4] && !added[5] && added[6]);
    word_memo_article(m, text, &d, keys2, slots2, added, NULL, 0);
    for (size_t t = 0; t < T; t++) CHECK(slots2[t] == slots[t] && keys2[t] == keys[t]);
    for (size_t t = 0; t < T; t++) CHECK_EQ_INT(added[t], 0);   /* all seen before */
    tok_doc_fini(&d);
    word_memo_free(m);
}

/* A memo's naming changes when it starts again and differs between memos,
 * so values kept by slot for one naming are never taken for another. */
static void the_naming_should_change_with_every_epoch_and_memo(void) {
    word_memo *a = word_memo_new(), *b = word_memo_new();
    if (!a || !b) { word_memo_free(a); word_memo_free(b); return; }
    uint64_t na = word_memo_naming(a);
    CHECK(na != 0 && na != word_memo_naming(b));
    int added;
    CHECK(find(a, "word", 0, &added) != WORD_MEMO_NONE);
    word_memo_begin(a, 10);
    CHECK(word_memo_naming(a) == na);                     /* room left: same epoch */
    word_memo_begin(a, WORD_MEMO_SLOTS);
    CHECK(word_memo_naming(a) != na && word_memo_naming(a) != word_memo_naming(b));
    word_memo_free(a);
    word_memo_free(b);
}

int main(void) {
    TEST(the_same_token_should_get_the_same_slot_across_articles);
    TEST(a_key_collision_should_not_return_another_tokens_slot);
    TEST(a_full_memo_should_give_no_slot_then_start_again_between_articles);
    TEST(an_article_should_get_its_slots_in_one_call);
    TEST(the_naming_should_change_with_every_epoch_and_memo);
    return test_summary("word_memo");
}
