/*
 * Tokenizer and sentence splitter: one pass over UTF-8 text, writing tokens
 * and sentences with [start,end) offsets in bytes and code points into a
 * reusable tok_doc (tokenize.h states the rules). Does not validate UTF-8
 * (text.c does; bad bytes here are read as U+FFFD, one code point each),
 * normalise, lower-case or compute features, and never copies the text.
 *
 * Notation: "byte" offsets index the UTF-8 bytes, "cp" offsets count code
 * points; a cursor holds both and every step advances them together, so
 * they cannot drift apart. u is a code point, k its character class.
 *
 * Choices the header leaves open:
 *  - Whitespace is every Z* (space, NBSP, ideographic space), Cc (tab, CR)
 *    and Cf (BOM, zero-width space, bidi marks) character. Line breaks are
 *    LF, CR, VT, FF, NEL, U+2028 and U+2029; CRLF is one break.
 *    U+00AD, U+200C, U+200D and U+2060 between two letters stay inside the
 *    word (soft hyphen, ZWNJ in Persian, ZWJ, word joiner).
 *  - A word is a run of letters, marks and digits joined by "'" or "’"
 *    before a letter ("isn't", "Putin’s"), by a hyphen before a letter or
 *    digit ("counter-offensive", "COVID-19"), or by "." before a lower-case
 *    letter or a digit ("Breitbart.com", "v1.2") or between single letters
 *    ("U.S"); "ridiculous.That" is two words, a missing space.
 *    A final "." stays on an initialism ("U.S.",
 *    "e.g."), an initial (one capital letter other than "I": "J.") and a
 *    listed abbreviation ("Dr.", tokenize_abbrev.c); the others split off.
 *  - A token that starts with a digit takes "," ":" "/" "." between digits
 *    ("2,300", "10:30", "9/11", "3.5") and the joiners above. It is a
 *    TOK_NUMBER when it has no letters or only an ordinal or decade suffix
 *    ("2019-2020", "2nd", "1990s", "1990's"), else a TOK_WORD
 *    ("19-year-old", "800-to-900", "5G"). Signs are separate ("-5").
 *  - TOK_URL: "http://", "https://" or "www." then anything up to a space
 *    or a quote, less trailing ".,;:!?'*" and unbalanced ")" "]"; an e-mail
 *    address; "@" plus letters, digits and "_".
 *  - TOK_PUNCT: each P* character alone, except runs of "." (two or more:
 *    "...", "..") and of "-" ("--") which are one token.
 *  - CJK ideographs (Han) are one TOK_WORD each; kana and Hangul form words.
 *  - TOK_SYMBOL: one S*, No, unassigned or private-use character with the
 *    marks, skin-tone modifiers and ZWJ-joined symbols after it (emoji).
 *  - Sentences: a line break before a token closes the open sentence; so
 *    does a terminal (".", "!", "?", "…", a run of dots), then any closing
 *    quotes or brackets written without space, then a space, then a token
 *    that starts with an upper-case letter, a digit or an opening quote or
 *    bracket. ASCII quotes close when they touch the text before them and
 *    open otherwise.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "tokenize.h"

void tok_doc_init(tok_doc *d) {
    memset(d, 0, sizeof *d);
}

void tok_doc_fini(tok_doc *d) {
    if (!d) return;
    free(d->tokens);
    free(d->sentences);
    tok_doc_init(d);
}

/* ---- characters ---- */

#define END_CP 0xFFFFFFFFu   /* what peeking past the end of the text returns */

enum {
    K_SPACE,    /* skipped: Z*, Cc, Cf */
    K_BREAK,    /* skipped, and ends a sentence: LF CR VT FF NEL LS PS */
    K_LETTER,   /* L*, M*, Nl: starts and continues words */
    K_DIGIT,    /* Nd */
    K_CJK,      /* Han ideograph: one token each */
    K_PUNCT,    /* P* */
    K_SYMBOL,   /* S*, No, Cn, Co, and whatever else */
    K_END       /* past the end of the text */
};

/* Classes of the ASCII characters, the fast path. */
static const unsigned char ascii_class[128] = {
    /* 0x00-0x1F: controls; \t is space, \n \v \f \r are breaks */
    K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE,
    K_SPACE, K_SPACE, K_BREAK, K_BREAK, K_BREAK, K_BREAK, K_SPACE, K_SPACE,
    K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE,
    K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE, K_SPACE,
    /*  space    !        "        #        $         %        &        ' */
    K_SPACE, K_PUNCT, K_PUNCT, K_PUNCT, K_SYMBOL, K_PUNCT, K_PUNCT, K_PUNCT,
    /*  (        )        *        +         ,        -        .        / */
    K_PUNCT, K_PUNCT, K_PUNCT, K_SYMBOL, K_PUNCT, K_PUNCT, K_PUNCT, K_PUNCT,
    K_DIGIT, K_DIGIT, K_DIGIT, K_DIGIT, K_DIGIT, K_DIGIT, K_DIGIT, K_DIGIT,
    /*  8        9        :        ;        <         =         >         ? */
    K_DIGIT, K_DIGIT, K_PUNCT, K_PUNCT, K_SYMBOL, K_SYMBOL, K_SYMBOL, K_PUNCT,
    /*  @ then A-O */
    K_PUNCT, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER,
    K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER,
    /*  P-Z then [ \ ] ^ _ */
    K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER,
    K_LETTER, K_LETTER, K_LETTER, K_PUNCT, K_PUNCT, K_PUNCT, K_SYMBOL, K_PUNCT,
    /*  ` then a-o */
    K_SYMBOL, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER,
    K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER,
    /*  p-z then { | } ~ DEL */
    K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER, K_LETTER,
    K_LETTER, K_LETTER, K_LETTER, K_PUNCT, K_SYMBOL, K_PUNCT, K_SYMBOL, K_SPACE,
};

static int is_han(uint32_t u) {
    return (u >= 0x4E00 && u <= 0x9FFF) || (u >= 0x3400 && u <= 0x4DBF) ||
           (u >= 0xF900 && u <= 0xFAFF) || (u >= 0x20000 && u <= 0x3134F);
}

static int char_class(uint32_t u) {
    if (u < 0x80) return ascii_class[u];
    if (u == END_CP) return K_END;
    if (u == 0x85 || u == 0x2028 || u == 0x2029) return K_BREAK;
    switch (utf8proc_category((utf8proc_int32_t)u)) {
    case UTF8PROC_CATEGORY_LO:
        return is_han(u) ? K_CJK : K_LETTER;
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_NL:
        return K_LETTER;
    case UTF8PROC_CATEGORY_ND:
        return K_DIGIT;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return K_PUNCT;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP: case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
        return K_SPACE;
    default:
        return K_SYMBOL;
    }
}

static int is_alnum_class(int k) { return k == K_LETTER || k == K_DIGIT; }

static int is_mark(uint32_t u) {
    if (u < 0x300 || u == END_CP) return 0;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)u);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC ||
           c == UTF8PROC_CATEGORY_ME;
}

/* Invisible characters that stay inside a word when a letter follows. */
static int is_word_joiner(uint32_t u) {
    return u == 0x00AD || u == 0x200C || u == 0x200D || u == 0x2060;
}

static int is_apostrophe(uint32_t u) { return u == '\'' || u == 0x2019; }
static int is_hyphen(uint32_t u) { return u == '-' || u == 0x2010 || u == 0x2011; }

static int is_upper(uint32_t u) {
    if (u < 0x80) return u >= 'A' && u <= 'Z';
    if (u == END_CP) return 0;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)u);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

/* Decodes the code point at s[i], i < len, and its length in *n. Checks
 * only what keeps reads in bounds: a bad or cut-short sequence is one byte
 * read as U+FFFD, so invalid input cannot crash the tokenizer. */
static uint32_t decode(const unsigned char *s, size_t len, size_t i, size_t *n) {
    unsigned c = s[i];
    size_t need;
    uint32_t u;
    if (c < 0x80) { *n = 1; return c; }
    if (c >= 0xC2 && c < 0xE0) { need = 1; u = c & 0x1F; }
    else if (c >= 0xE0 && c < 0xF0) { need = 2; u = c & 0x0F; }
    else if (c >= 0xF0 && c < 0xF5) { need = 3; u = c & 0x07; }
    else { *n = 1; return 0xFFFD; }
    if (len - i <= need) { *n = 1; return 0xFFFD; }
    for (size_t k = 1; k <= need; k++) {
        unsigned b = s[i + k];
        if ((b & 0xC0) != 0x80) { *n = 1; return 0xFFFD; }
        u = (u << 6) | (b & 0x3F);
    }
    *n = need + 1;
    return u;
}

/* ---- cursor ---- */

typedef struct {
    const unsigned char *s;  /* the text */
    size_t len;              /* its length in bytes */
    size_t i;                /* byte offset of the next character */
    size_t cp;               /* code point offset of the next character */
} cursor;

/* The code point `ahead` bytes past the cursor, or END_CP; *n its length. */
static uint32_t peek(const cursor *c, size_t ahead, size_t *n) {
    size_t at = c->i + ahead;
    if (at >= c->len) { *n = 0; return END_CP; }
    return decode(c->s, c->len, at, n);
}

static void step(cursor *c, size_t n) { c->i += n; c->cp++; }

/* Case-insensitive ASCII prefix test at the cursor. */
static int at_prefix(const cursor *c, const char *p) {
    size_t n = strlen(p);
    if (c->len - c->i < n) return 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char b = c->s[c->i + k];
        if (b >= 'A' && b <= 'Z') b = (unsigned char)(b - 'A' + 'a');
        if (b != (unsigned char)p[k]) return 0;
    }
    return 1;
}

/* 1 if u is one of the characters of set (never true for NUL, unlike strchr). */
static int in_set(const char *set, uint32_t u) {
    return u != 0 && u < 0x80 && memchr(set, (int)u, strlen(set)) != NULL;
}

static int is_ascii_alnum(unsigned b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

/* ---- URLs, e-mail addresses, handles ---- */

/* Length of the URL scheme or "www." prefix at the cursor, 0 if none. The
 * prefix must be followed by a letter or digit. */
static size_t url_prefix(const cursor *c) {
    size_t n = at_prefix(c, "https://") ? 8 : at_prefix(c, "http://") ? 7
             : at_prefix(c, "www.") ? 4 : 0;
    if (n == 0 || c->i + n >= c->len || !is_ascii_alnum(c->s[c->i + n])) return 0;
    return n;
}

static void scan_url(cursor *c) {
    long parens = 0, brackets = 0;   /* '(' minus ')', '[' minus ']' */
    size_t start = c->i;
    for (;;) {
        size_t n;
        uint32_t u = peek(c, 0, &n);
        if (u == END_CP) break;
        if (u < 0x80) {
            if (u <= ' ' || u == 0x7F || in_set("\"<>`{}|\\^", u)) break;
            parens += u == '(' ? 1 : u == ')' ? -1 : 0;
            brackets += u == '[' ? 1 : u == ']' ? -1 : 0;
        } else if (!is_alnum_class(char_class(u))) {
            break;
        }
        step(c, n);
    }
    /* Trailing punctuation belongs to the sentence, not the URL. Only ASCII
     * is trimmed, so each byte removed is one code point. */
    while (c->i > start) {
        unsigned char b = c->s[c->i - 1];
        if (b == ')' && parens < 0) parens++;
        else if (b == ']' && brackets < 0) brackets++;
        else if (!in_set(".,;:!?'*", b)) break;
        c->i--; c->cp--;
    }
}

static int is_email_local(unsigned b) {
    return is_ascii_alnum(b) || b == '.' || b == '_' || b == '%' || b == '+' || b == '-';
}

/* Byte length of an e-mail address at the cursor, 0 if none: local part,
 * "@", then two or more labels of letters, digits and "-" joined by ".".
 * *run_end is set to where the local-part characters stop, so a caller can
 * skip the test for later starts inside the same run (else "a.a.a.a..."
 * would be rescanned from every token, quadratic). */
static size_t email_len(const cursor *c, size_t *run_end) {
    const unsigned char *s = c->s;
    size_t j = c->i, len = c->len;
    while (j < len && is_email_local(s[j])) j++;
    *run_end = j;
    if (j == c->i || j >= len || s[j] != '@') return 0;
    size_t end = 0, k = j + 1;
    int labels = 0;
    for (;;) {
        size_t label = k;
        while (k < len && (is_ascii_alnum(s[k]) || s[k] == '-')) k++;
        if (k == label) break;
        labels++;
        end = k;
        if (k + 1 < len && s[k] == '.' && is_ascii_alnum(s[k + 1])) k++;
        else break;
    }
    if (labels < 2) return 0;
    while (end > j + 1 && s[end - 1] == '-') end--;   /* "a@b.com-" */
    return end - c->i;
}

/* Consumes n ASCII bytes (URLs, e-mail addresses, handles are ASCII). */
static void step_ascii(cursor *c, size_t n) { c->i += n; c->cp += n; }

/* ---- words and numbers ---- */

/* 1 if tok[0..len), starting with a digit and holding n_letters letters,
 * is a number with an ordinal or decade suffix: "2nd", "1990s", "1990's". */
static int number_suffix(const unsigned char *tok, size_t len, size_t n_letters) {
    size_t k = len;
    while (k > 0 && ((tok[k - 1] | 0x20) >= 'a' && (tok[k - 1] | 0x20) <= 'z')) k--;
    size_t suf = len - k;
    if (suf == 0 || suf > 2 || suf != n_letters) return 0;
    char a = (char)(tok[k] | 0x20), b = suf == 2 ? (char)(tok[k + 1] | 0x20) : 0;
    int ordinal = suf == 2 && ((a == 's' && b == 't') || (a == 'n' && b == 'd') ||
                               (a == 'r' && b == 'd') || (a == 't' && b == 'h'));
    int decade = suf == 1 && a == 's';
    if (!ordinal && !decade) return 0;
    if (k > 0 && tok[k - 1] >= '0' && tok[k - 1] <= '9') return 1;
    /* "1990's" with ' or ’ (E2 80 99) */
    if (decade && k >= 2 && tok[k - 1] == '\'' && tok[k - 2] >= '0' && tok[k - 2] <= '9')
        return 1;
    if (decade && k >= 4 && memcmp(tok + k - 3, "\xE2\x80\x99", 3) == 0 &&
        tok[k - 4] >= '0' && tok[k - 4] <= '9')
        return 1;
    return 0;
}

/* Scans a word or a number starting at the cursor (a letter or digit) and
 * returns its kind. */
static int scan_alnum(cursor *c) {
    size_t start = c->i, n, n2;
    size_t n_letters = 0, n_segments = 0;
    int starts_digit = char_class(peek(c, 0, &n)) == K_DIGIT;
    int initialism = 1;       /* so far single letters joined by "." */
    uint32_t first = END_CP;  /* the first code point, for initials */
    int last_digit = 0;       /* the last character consumed was a digit */

    for (;;) {
        size_t seg_cps = 0, seg_letters = 0;
        for (;;) {   /* one run of letters and digits */
            uint32_t u = peek(c, 0, &n);
            int k = char_class(u);
            if (is_alnum_class(k)) {
                if (first == END_CP) first = u;
                if (k == K_LETTER) { n_letters++; seg_letters++; }
                last_digit = k == K_DIGIT;
                seg_cps++;
                step(c, n);
                continue;
            }
            if (is_word_joiner(u) && seg_cps > 0 &&
                is_alnum_class(char_class(peek(c, n, &n2)))) {
                step(c, n);
                continue;
            }
            break;
        }
        n_segments++;
        if (seg_cps != 1 || seg_letters != 1) initialism = 0;

        /* what joins this run to the next one */
        uint32_t u = peek(c, 0, &n);
        int k2 = char_class(peek(c, n, &n2));
        if ((u == ',' || u == ':' || u == '/') && last_digit && k2 == K_DIGIT) {
            initialism = 0;
            step(c, n);
            continue;
        }
        /* "Breitbart.com", "3.5", "U.S": a period before a lower-case letter
         * or a digit, or between single letters. Not before a capital after
         * a longer run: "ridiculous.That" is a missing space, not a word. */
        if (u == '.' && is_alnum_class(k2) &&
            (seg_cps == 1 || !is_upper(peek(c, n, &n2)))) {
            step(c, n);
            continue;
        }
        if ((is_apostrophe(u) && k2 == K_LETTER) || (is_hyphen(u) && is_alnum_class(k2))) {
            initialism = 0;
            step(c, n);
            continue;
        }
        if (u == '.' && !starts_digit) {
            int abbrev = (initialism && n_segments >= 2) ||
                         (initialism && n_segments == 1 && is_upper(first) && first != 'I') ||
                         tok_is_abbrev((const char *)c->s + start, c->i - start);
            if (abbrev) {
                step(c, n);
                /* "U.S.-backed": a hyphen may go on after the period */
                uint32_t h = peek(c, 0, &n);
                if (is_hyphen(h) && is_alnum_class(char_class(peek(c, n, &n2)))) {
                    initialism = 0;
                    step(c, n);
                    continue;
                }
            }
        }
        break;
    }
    if (!starts_digit) return TOK_WORD;
    if (n_letters == 0 || number_suffix(c->s + start, c->i - start, n_letters))
        return TOK_NUMBER;
    return TOK_WORD;
}

/* ---- symbols ---- */

/* An emoji is often several code points: a base, then variation selectors
 * (marks), skin tones (U+1F3FB..U+1F3FF), or ZWJ and another symbol; a flag
 * is two regional indicators. All of it makes one token. */
static void scan_symbol(cursor *c) {
    size_t n, n2;
    uint32_t u = peek(c, 0, &n);
    int regional = u >= 0x1F1E6 && u <= 0x1F1FF;
    step(c, n);
    if (regional) {
        u = peek(c, 0, &n);
        if (u >= 0x1F1E6 && u <= 0x1F1FF) step(c, n);
    }
    for (;;) {
        u = peek(c, 0, &n);
        if (is_mark(u) || (u >= 0x1F3FB && u <= 0x1F3FF)) { step(c, n); continue; }
        if (u == 0x200D && char_class(peek(c, n, &n2)) == K_SYMBOL) {
            step(c, n);
            step(c, n2);
            continue;
        }
        break;
    }
}

/* ---- one token ---- */

/* Scans the token that starts at the cursor with code point u (class k,
 * n bytes). Returns its kind. email_skip_until: see email_len. */
static int scan_token(cursor *c, uint32_t u, int k, size_t n, size_t *email_skip_until) {
    size_t m;
    if (k == K_LETTER || k == K_DIGIT) {
        if (u < 0x80) {
            size_t p = url_prefix(c);
            if (p) { step_ascii(c, p); scan_url(c); return TOK_URL; }
            if (c->i >= *email_skip_until) {
                size_t e = email_len(c, email_skip_until);
                if (e) { step_ascii(c, e); return TOK_URL; }
            }
        }
        return scan_alnum(c);
    }
    if (k == K_CJK) {
        step(c, n);
        while (is_mark(peek(c, 0, &m))) step(c, m);
        return TOK_WORD;
    }
    if (k == K_PUNCT) {
        if (u == '@') {
            size_t j = c->i + 1;
            while (j < c->len && (is_ascii_alnum(c->s[j]) || c->s[j] == '_')) j++;
            if (j > c->i + 1) { step_ascii(c, j - c->i); return TOK_URL; }
        }
        step(c, n);
        if (u == '.' || u == '-')   /* "...", "--" */
            while (c->i < c->len && c->s[c->i] == u) step(c, 1);
        return TOK_PUNCT;
    }
    scan_symbol(c);
    return TOK_SYMBOL;
}

/* ---- sentences ---- */

/* First code point of token t. */
static uint32_t first_cp(const unsigned char *s, size_t len, const tok_token *t) {
    size_t n;
    return decode(s, len, t->start, &n);
}

/* ".", "!", "?", "…" or a run of dots. */
static int is_terminal(const unsigned char *s, const tok_token *t) {
    if (t->kind != TOK_PUNCT) return 0;
    unsigned char b = s[t->start];
    if (b == '.' || b == '!' || b == '?') return 1;
    return t->end - t->start == 3 && memcmp(s + t->start, "\xE2\x80\xA6", 3) == 0;
}

static int is_quote_or_bracket(uint32_t u, int opening) {
    if (u == '"' || u == '\'') return 1;   /* the caller decides by spacing */
    if (u == END_CP) return 0;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)u);
    if (opening) return c == UTF8PROC_CATEGORY_PS || c == UTF8PROC_CATEGORY_PI;
    return c == UTF8PROC_CATEGORY_PE || c == UTF8PROC_CATEGORY_PF;
}

static int starts_sentence(uint32_t u) {
    return is_upper(u) || char_class(u) == K_DIGIT || is_quote_or_bracket(u, 1);
}

/* ---- growing the arrays ---- */

/* Both arrays double when full, so a batch of articles settles on the
 * largest one's size after a few reallocations and then allocates nothing. */
static slant_status push_token(tok_doc *d, const tok_token *t) {
    if (d->n_tokens == d->cap_tokens) {
        size_t ncap = d->cap_tokens ? d->cap_tokens * 2 : 256;
        tok_token *nt = realloc(d->tokens, ncap * sizeof *nt);
        if (!nt) return SLANT_ENOMEM;
        d->tokens = nt;
        d->cap_tokens = ncap;
    }
    d->tokens[d->n_tokens++] = *t;
    return SLANT_OK;
}

/* Appends the sentence of tokens [first,last), first < last. */
static slant_status close_sentence(tok_doc *d, size_t first, size_t last) {
    if (d->n_sentences == d->cap_sentences) {
        size_t ncap = d->cap_sentences ? d->cap_sentences * 2 : 64;
        tok_sentence *ns = realloc(d->sentences, ncap * sizeof *ns);
        if (!ns) return SLANT_ENOMEM;
        d->sentences = ns;
        d->cap_sentences = ncap;
    }
    tok_sentence *s = &d->sentences[d->n_sentences++];
    const tok_token *a = &d->tokens[first], *b = &d->tokens[last - 1];
    s->first = (uint32_t)first;
    s->last = (uint32_t)last;
    s->start = a->start;
    s->end = b->end;
    s->cp_start = a->cp_start;
    s->cp_end = b->cp_end;
    return SLANT_OK;
}

/* ---- the pass ---- */

slant_status tok_tokenize(const char *text, size_t len, tok_doc *d) {
    cursor c = { (const unsigned char *)text, len, 0, 0 };
    size_t sent_first = 0;        /* first token of the open sentence */
    int pending = 0;              /* a terminal may end the open sentence */
    int space = 0, newline = 0;   /* seen since the last token */
    size_t email_skip_until = 0;

    d->n_tokens = 0;
    d->n_sentences = 0;
    if (len >= UINT32_MAX) return SLANT_EINVAL;

    while (c.i < len) {
        size_t n;
        uint32_t u;
        int k;
        if (c.s[c.i] < 0x80) { u = c.s[c.i]; n = 1; k = ascii_class[u]; }
        else { u = decode(c.s, len, c.i, &n); k = char_class(u); }
        if (k == K_SPACE || k == K_BREAK) {
            space = 1;
            newline |= k == K_BREAK;
            step(&c, n);
            continue;
        }

        tok_token t;
        t.start = (uint32_t)c.i;
        t.cp_start = (uint32_t)c.cp;
        t.kind = (uint8_t)scan_token(&c, u, k, n, &email_skip_until);
        t.end = (uint32_t)c.i;
        t.cp_end = (uint32_t)c.cp;
        t.space_before = (uint8_t)space;
        t.newline_before = (uint8_t)newline;
        t.pad_ = 0;
        space = newline = 0;

        size_t idx = d->n_tokens;
        if (idx > sent_first) {
            int brk = 0;
            if (t.newline_before) brk = 1;
            else if (pending) {
                uint32_t f = first_cp(c.s, len, &t);
                if (t.space_before) brk = starts_sentence(f);
                else if (!is_terminal(c.s, &t) && !is_quote_or_bracket(f, 0)) pending = 0;
                if (t.space_before && !brk) pending = 0;
            }
            if (brk) {
                if (close_sentence(d, sent_first, idx) != SLANT_OK) return SLANT_ENOMEM;
                sent_first = idx;
                pending = 0;
            }
        }
        if (is_terminal(c.s, &t)) pending = 1;
        t.sentence = (uint32_t)d->n_sentences;
        if (push_token(d, &t) != SLANT_OK) return SLANT_ENOMEM;
    }
    if (d->n_tokens > sent_first &&
        close_sentence(d, sent_first, d->n_tokens) != SLANT_OK)
        return SLANT_ENOMEM;
    return SLANT_OK;
}
