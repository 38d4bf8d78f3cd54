/*
 * libFuzzer target for text_load and tok_tokenize. On arbitrary bytes:
 *  - text_load, strict and replacing, must agree (valid input loads the
 *    same both ways; invalid input fails strictly with a located message
 *    and is repaired into valid UTF-8; a NUL fails both) and must build a
 *    byte_of_cp table that is strictly increasing and starts code points;
 *  - tok_tokenize on the loaded text must give tokens in order, inside the
 *    text, with code point offsets that agree with byte_of_cp, each inside
 *    its sentence, sentences contiguous and covering every token; doing it
 *    twice with the same (reused) tok_doc must give the same result;
 *  - tok_tokenize on the raw, possibly invalid, bytes must stay in bounds.
 * Any broken invariant aborts. Seeds: fuzz/corpus/tokenize/. Run through
 * `make fuzz` (fuzz/run.sh).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

/* One doc for every input, as a batch would use it: the arrays are reused. */
static tok_doc doc;
static tok_token *copy;      /* doc.tokens of the first pass, for the second */
static size_t copy_cap;

static void check_text(const text_buf *t) {
    REQUIRE(t->data && t->byte_of_cp);
    REQUIRE(t->data[t->len] == '\0');
    REQUIRE(t->byte_of_cp[0] == 0 && t->byte_of_cp[t->n_cp] == t->len);
    for (size_t i = 0; i < t->n_cp; i++) {
        uint32_t b = t->byte_of_cp[i];
        REQUIRE(b < t->byte_of_cp[i + 1] && t->byte_of_cp[i + 1] - b <= 4);
        REQUIRE(((unsigned char)t->data[b] & 0xC0) != 0x80);   /* starts a code point */
        REQUIRE(text_cp_to_byte(t, i) == b);
        REQUIRE(text_byte_to_cp(t, b) == i);
        REQUIRE(text_byte_to_cp(t, t->byte_of_cp[i + 1] - 1) == i);
    }
    REQUIRE(text_cp_to_byte(t, t->n_cp + 7) == t->len);
    REQUIRE(text_byte_to_cp(t, t->len + 7) == t->n_cp);
}

static void check_doc(const tok_doc *d, const char *s, size_t len, const text_buf *t) {
    size_t prev_end = 0, next_first = 0;
    for (size_t i = 0; i < d->n_tokens; i++) {
        const tok_token *k = &d->tokens[i];
        REQUIRE(k->start < k->end && k->end <= len && k->start >= prev_end);
        REQUIRE(k->cp_start < k->cp_end);
        REQUIRE(k->kind <= TOK_SYMBOL);
        REQUIRE(k->space_before <= 1 && k->newline_before <= 1);
        REQUIRE(!k->newline_before || k->space_before);
        REQUIRE(i == 0 || k->cp_start >= d->tokens[i - 1].cp_end);
        if (t) {
            REQUIRE(k->cp_end <= t->n_cp);
            REQUIRE(t->byte_of_cp[k->cp_start] == k->start);
            REQUIRE(t->byte_of_cp[k->cp_end] == k->end);
        }
        REQUIRE(k->sentence < d->n_sentences);
        const tok_sentence *sn = &d->sentences[k->sentence];
        REQUIRE(sn->first <= i && i < sn->last);
        REQUIRE(sn->start <= k->start && k->end <= sn->end);
        REQUIRE(sn->cp_start <= k->cp_start && k->cp_end <= sn->cp_end);
        prev_end = k->end;
    }
    for (size_t j = 0; j < d->n_sentences; j++) {
        const tok_sentence *sn = &d->sentences[j];
        REQUIRE(sn->first == next_first && sn->first < sn->last && sn->last <= d->n_tokens);
        REQUIRE(sn->start == d->tokens[sn->first].start);
        REQUIRE(sn->end == d->tokens[sn->last - 1].end);
        REQUIRE(sn->cp_start == d->tokens[sn->first].cp_start);
        REQUIRE(sn->cp_end == d->tokens[sn->last - 1].cp_end);
        next_first = sn->last;
    }
    REQUIRE(next_first == d->n_tokens);
    REQUIRE(d->n_tokens > 0 || d->n_sentences == 0);
    (void)s;
}

/* Tokenizes twice with the same doc and checks both passes agree. */
static void tokenize_and_check(const char *s, size_t len, const text_buf *t) {
    if (tok_tokenize(s, len, &doc) != SLANT_OK) return;   /* ENOMEM only */
    check_doc(&doc, s, len, t);
    size_t n = doc.n_tokens, n_sent = doc.n_sentences;
    if (n > copy_cap) {
        tok_token *nc = realloc(copy, n * sizeof *nc);
        if (!nc) return;
        copy = nc;
        copy_cap = n;
    }
    if (n) memcpy(copy, doc.tokens, n * sizeof *copy);
    REQUIRE(tok_tokenize(s, len, &doc) == SLANT_OK);
    REQUIRE(doc.n_tokens == n && doc.n_sentences == n_sent);
    REQUIRE(n == 0 || memcmp(copy, doc.tokens, n * sizeof *copy) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *p = (const char *)data;
    text_buf strict, repl;
    slant_error es, er;
    text_init(&strict);
    text_init(&repl);
    slant_error_clear(&es);
    slant_error_clear(&er);
    int has_nul = memchr(data, 0, size) != NULL;

    slant_status ss = text_load(&strict, p, size, 0, &es);
    slant_status sr = text_load(&repl, p, size, 1, &er);
    if (has_nul) {
        /* replace mode names the first NUL; strict mode the first problem,
         * which may be bad UTF-8 before the NUL */
        long long nul = (long long)((const uint8_t *)memchr(data, 0, size) - data);
        REQUIRE(ss == SLANT_EENCODING && sr == SLANT_EENCODING);
        REQUIRE(er.offset == nul);
        REQUIRE(es.offset >= 0 && es.offset <= nul);
    } else if (ss == SLANT_OK) {
        REQUIRE(sr == SLANT_OK && repl.n_replaced == 0);
        REQUIRE(repl.len == strict.len && repl.n_cp == strict.n_cp);
        REQUIRE(strict.len == size && (size == 0 || memcmp(strict.data, data, size) == 0));
        REQUIRE(memcmp(repl.data, strict.data, size) == 0);
    } else {
        REQUIRE(ss == SLANT_EENCODING && es.message[0] != '\0');
        REQUIRE(es.offset >= 0 && (size_t)es.offset < size && data[es.offset] >= 0x80);
        REQUIRE(strict.data == NULL);
        REQUIRE(sr == SLANT_OK && repl.n_replaced > 0);
    }

    if (ss == SLANT_OK) {
        check_text(&strict);
        tokenize_and_check(strict.data, strict.len, &strict);
    }
    if (sr == SLANT_OK) {
        check_text(&repl);
        /* the repaired text is valid UTF-8 with the same code points */
        text_buf again;
        text_init(&again);
        REQUIRE(text_load(&again, repl.data, repl.len, 0, NULL) == SLANT_OK);
        REQUIRE(again.n_cp == repl.n_cp && again.len == repl.len);
        text_fini(&again);
        tokenize_and_check(repl.data, repl.len, &repl);
    }
    /* the raw bytes, invalid or not: only bounds and order are promised */
    tokenize_and_check(p, size, NULL);

    text_fini(&strict);
    text_fini(&repl);
    return 0;
}
