/*
 * libFuzzer target for the sentence splitter (tok_tokenize's sentences, as
 * slant analyze reports them). On arbitrary bytes, after text_load in
 * replace mode (what `analyze --replace-invalid` runs on) and on the raw
 * bytes (the tokenizer's promise for invalid input):
 *  - sentences cover the tokens in order, each token in exactly one: the
 *    first starts at token 0, each next one where the previous ended, the
 *    last ends at the last token; none is empty;
 *  - byte and code point offsets agree with their first and last token, lie
 *    within the text, and sentences do not overlap;
 *  - a token after a line break always starts a sentence (tokenize.h: a
 *    newline always ends one);
 *  - a sentence boundary inside a line follows tokenize.h's rule: a
 *    terminal (".", "!", "?", "…", dots), closing quotes or brackets
 *    touching it, a space, and no lower-case letter next;
 *  - slant_result sentences (analyze.c) are not checked here: they need a
 *    model; fuzz_model_full.c does that with the seed models.
 * Any broken invariant aborts. Seeds: fuzz/corpus/sentences/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "text.h"
#include "tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

static tok_doc doc;   /* reused across inputs, as a batch reuses it */

/* First code point of token t, or U+FFFD. */
static int32_t first_cp(const char *s, const tok_token *t) {
    utf8proc_int32_t u = 0xFFFD;
    utf8proc_iterate((const utf8proc_uint8_t *)s + t->start, (utf8proc_ssize_t)(t->end - t->start), &u);
    return u < 0 ? 0xFFFD : u;
}

static int is_terminal(const char *s, const tok_token *t) {
    if (t->kind != TOK_PUNCT) return 0;
    char b = s[t->start];
    return b == '.' || b == '!' || b == '?' ||
           (t->end - t->start == 3 && memcmp(s + t->start, "\xE2\x80\xA6", 3) == 0);
}

/* tokenize.h's rule for a break inside a line, before token a (index i > 0):
 * a terminal, then only closing quotes or brackets touching it, then a
 * space, then a token that does not start with a lower-case letter. */
static int may_break_before(const char *s, const tok_doc *d, size_t i) {
    const tok_token *a = &d->tokens[i];
    if (!a->space_before) return 0;
    if (utf8proc_category(first_cp(s, a)) == UTF8PROC_CATEGORY_LL) return 0;
    for (size_t k = i - 1;; k--) {
        const tok_token *t = &d->tokens[k];
        if (is_terminal(s, t)) return 1;
        int32_t u = first_cp(s, t);
        utf8proc_category_t c = utf8proc_category(u);
        int closer = u == '"' || u == '\'' || c == UTF8PROC_CATEGORY_PE || c == UTF8PROC_CATEGORY_PF;
        if (!closer || t->space_before || k == 0) return 0;
    }
}

static void check(const char *s, size_t len, const text_buf *t) {
    if (tok_tokenize(s, len, &doc) != SLANT_OK) return;   /* ENOMEM only */
    const tok_doc *d = &doc;
    REQUIRE(d->n_tokens > 0 || d->n_sentences == 0);
    REQUIRE(d->n_sentences <= d->n_tokens);
    uint32_t next = 0, prev_end = 0, prev_cp_end = 0;
    for (size_t j = 0; j < d->n_sentences; j++) {
        const tok_sentence *sn = &d->sentences[j];
        REQUIRE(sn->first == next && sn->first < sn->last && sn->last <= d->n_tokens);
        const tok_token *a = &d->tokens[sn->first], *b = &d->tokens[sn->last - 1];
        REQUIRE(sn->start == a->start && sn->end == b->end);
        REQUIRE(sn->cp_start == a->cp_start && sn->cp_end == b->cp_end);
        REQUIRE(sn->start < sn->end && sn->end <= len);
        REQUIRE(sn->cp_start < sn->cp_end);
        REQUIRE(j == 0 || (sn->start >= prev_end && sn->cp_start >= prev_cp_end));
        if (t) {
            REQUIRE(sn->cp_end <= t->n_cp);
            REQUIRE(t->byte_of_cp[sn->cp_start] == sn->start && t->byte_of_cp[sn->cp_end] == sn->end);
        }
        for (uint32_t k = sn->first; k < sn->last; k++) {
            REQUIRE(d->tokens[k].sentence == j);
            REQUIRE(k == sn->first || !d->tokens[k].newline_before);
        }
        /* a break inside a line comes after a sentence-ending mark */
        if (j > 0 && !a->newline_before) REQUIRE(may_break_before(s, d, sn->first));
        next = sn->last; prev_end = sn->end; prev_cp_end = sn->cp_end;
    }
    REQUIRE(next == d->n_tokens);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    text_buf t;
    text_init(&t);
    if (text_load(&t, (const char *)data, size, 1, NULL) == SLANT_OK)
        check(t.data, t.len, &t);
    text_fini(&t);
    check((const char *)data, size, NULL);
    return 0;
}
