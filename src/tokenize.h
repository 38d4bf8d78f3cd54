/*
 * Tokens and sentences with [start,end) offsets in bytes and code points.
 * Input must be valid UTF-8 (text.h validates). Does not compute features.
 *
 * Tokens: words (with inner apostrophes/hyphens: "don't", "well-known"),
 * contractions split the English way only where it helps features ("n't"
 * stays with the word), numbers with separators ("2,300", "3.5", "1990s"),
 * abbreviations ("U.S.", "Dr."), URLs and e-mail addresses, and single
 * punctuation marks (curly quotes, dashes and the ellipsis "…" each one
 * token; "..." one token). Whitespace (including BOM, NBSP, tabs, CR) is
 * skipped. Non-Latin scripts: runs of letters/marks of any script form words;
 * CJK ideographs are one token each.
 *
 * Sentences: a newline always ends a sentence (the corpus has about one
 * sentence per line); ".", "!", "?", "…" end one when followed by space and
 * an upper-case letter, digit or opening quote, except after a known
 * abbreviation or an initial.
 */
#ifndef SLANT_TOKENIZE_H
#define SLANT_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"

typedef enum {
    TOK_WORD = 0,   /* letters (any script), may contain ' - . inside */
    TOK_NUMBER,     /* digits with separators, ordinals, decades */
    TOK_PUNCT,      /* one punctuation mark, quote, dash or ellipsis */
    TOK_URL,        /* URL, e-mail address or @handle */
    TOK_SYMBOL      /* anything else: emoji, currency, math symbols */
} tok_kind;

typedef struct {
    uint32_t start, end;       /* [start,end) byte offsets into the text */
    uint32_t cp_start, cp_end; /* [start,end) code point offsets */
    uint32_t sentence;         /* index of the sentence holding the token */
    uint8_t kind;              /* tok_kind */
    uint8_t space_before;      /* 1 if whitespace precedes the token */
    uint8_t newline_before;    /* 1 if a line break precedes the token */
    uint8_t pad_;
} tok_token;

typedef struct {
    uint32_t first, last;      /* tokens [first,last) */
    uint32_t start, end;       /* [start,end) byte offsets (first to last token) */
    uint32_t cp_start, cp_end; /* [start,end) code point offsets */
} tok_sentence;

typedef struct {
    tok_token *tokens;  size_t n_tokens, cap_tokens;
    tok_sentence *sentences; size_t n_sentences, cap_sentences;
} tok_doc;

void tok_doc_init(tok_doc *d);
void tok_doc_fini(tok_doc *d);

/* Tokenizes text[0..len) (valid UTF-8, len < 4 GiB) into d, replacing what
 * d held; reuses d's arrays, so one tok_doc serves a whole batch without
 * reallocating. Returns SLANT_OK or SLANT_ENOMEM (SLANT_EINVAL when
 * len >= 4 GiB, which uint32_t offsets cannot hold). Invalid UTF-8 does not
 * crash it: each bad byte is read as one code point U+FFFD. */
slant_status tok_tokenize(const char *text, size_t len, tok_doc *d);

/* 1 if word[0..len), without its period, is a known abbreviation such as
 * "Dr" or "etc" (tokenize_abbrev.c). Initialisms ("U.S") and initials
 * ("J") are recognised by shape in tokenize.c, not listed. */
int tok_is_abbrev(const char *word, size_t len);

#endif
