/* Tests for tokenize.c: tokens, kinds, offsets, sentences, and a golden
 * file (tests/data/tok_*.txt with tok_*.expected: one token per line as
 * "cp_start TAB cp_end TAB kind TAB text", a blank line between sentences). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "text.h"
#include "tokenize.h"

static const char *kind_name(int k) {
    static const char *names[] = { "WORD", "NUMBER", "PUNCT", "URL", "SYMBOL" };
    return k >= 0 && k <= TOK_SYMBOL ? names[k] : "?";
}

/* Tokenizes s and writes the tokens joined by "|" into out (a sentence
 * break is written as " / "). */
static char out_[4096];
static tok_doc doc_;

static const char *toks(const char *s) {
    size_t o = 0;
    out_[0] = '\0';
    if (tok_tokenize(s, strlen(s), &doc_) != SLANT_OK) return "(error)";
    for (size_t i = 0; i < doc_.n_tokens; i++) {
        const tok_token *t = &doc_.tokens[i];
        const char *sep = i == 0 ? "" : t->sentence != doc_.tokens[i - 1].sentence ? " / " : "|";
        int w = snprintf(out_ + o, sizeof out_ - o, "%s%.*s", sep,
                         (int)(t->end - t->start), s + t->start);
        if (w < 0 || (size_t)w >= sizeof out_ - o) break;
        o += (size_t)w;
    }
    return out_;
}

/* The kinds of the tokens of s, as "WORD NUMBER ..." */
static const char *kinds(const char *s) {
    size_t o = 0;
    out_[0] = '\0';
    if (tok_tokenize(s, strlen(s), &doc_) != SLANT_OK) return "(error)";
    for (size_t i = 0; i < doc_.n_tokens; i++) {
        int w = snprintf(out_ + o, sizeof out_ - o, "%s%s", i ? " " : "",
                         kind_name(doc_.tokens[i].kind));
        if (w < 0 || (size_t)w >= sizeof out_ - o) break;
        o += (size_t)w;
    }
    return out_;
}

/* Checks every structural invariant of doc_ for text s of len bytes, and
 * that the code point offsets agree with text.c's byte_of_cp. */
static void check_invariants(const char *s, size_t len) {
    text_buf t; text_init(&t);
    CHECK_EQ_INT(text_load(&t, s, len, 0, NULL), SLANT_OK);
    size_t prev_end = 0;
    for (size_t i = 0; i < doc_.n_tokens; i++) {
        const tok_token *k = &doc_.tokens[i];
        CHECK(k->start < k->end && k->end <= len);
        CHECK(k->start >= prev_end);
        CHECK(k->cp_start < k->cp_end && k->cp_end <= t.n_cp);
        if (t.byte_of_cp && k->cp_end <= t.n_cp) {
            CHECK_EQ_INT(t.byte_of_cp[k->cp_start], k->start);
            CHECK_EQ_INT(t.byte_of_cp[k->cp_end], k->end);
        }
        CHECK(k->sentence < doc_.n_sentences);
        if (k->sentence < doc_.n_sentences) {
            const tok_sentence *sn = &doc_.sentences[k->sentence];
            CHECK(sn->first <= i && i < sn->last);
        }
        prev_end = k->end;
    }
    size_t next = 0;
    for (size_t j = 0; j < doc_.n_sentences; j++) {
        const tok_sentence *sn = &doc_.sentences[j];
        CHECK_EQ_INT(sn->first, next);
        CHECK(sn->first < sn->last && sn->last <= doc_.n_tokens);
        if (sn->first < sn->last && sn->last <= doc_.n_tokens) {
            CHECK_EQ_INT(sn->start, doc_.tokens[sn->first].start);
            CHECK_EQ_INT(sn->end, doc_.tokens[sn->last - 1].end);
            CHECK_EQ_INT(sn->cp_start, doc_.tokens[sn->first].cp_start);
            CHECK_EQ_INT(sn->cp_end, doc_.tokens[sn->last - 1].cp_end);
        }
        next = sn->last;
    }
    CHECK_EQ_INT(next, doc_.n_tokens);
    text_fini(&t);
}

/* ---- words ---- */

static void tokenize_should_split_plain_words_on_spaces(void) {
    CHECK_STR(toks("The quick  brown fox"), "The|quick|brown|fox");
    CHECK_STR(kinds("The quick"), "WORD WORD");
}

static void tokenize_should_keep_contractions_in_one_word(void) {
    CHECK_STR(toks("It isn't what O'Brien won't say"), "It|isn't|what|O'Brien|won't|say");
}

static void tokenize_should_keep_a_curly_apostrophe_inside_the_word(void) {
    CHECK_STR(toks("Putin\xE2\x80\x99s plan doesn\xE2\x80\x99t work"),
              "Putin\xE2\x80\x99s|plan|doesn\xE2\x80\x99t|work");
    /* a closing quote after a word is not an apostrophe */
    CHECK_STR(toks("the students\xE2\x80\x99 fees"), "the|students|\xE2\x80\x99|fees");
}

static void tokenize_should_keep_hyphenated_words_whole(void) {
    CHECK_STR(toks("a counter-offensive by well-known anti-Trump forces"),
              "a|counter-offensive|by|well-known|anti-Trump|forces");
    CHECK_STR(toks("COVID-19 and F-16s"), "COVID-19|and|F-16s");
    /* a hyphen with space around it is punctuation */
    CHECK_STR(toks("left - right"), "left|-|right");
    CHECK_STR(toks("left--right"), "left|--|right");
}

static void tokenize_should_keep_abbreviations_with_their_period(void) {
    CHECK_STR(toks("The U.S. and the U.K. met Dr. Smith and Mr. Jones"),
              "The|U.S.|and|the|U.K.|met|Dr.|Smith|and|Mr.|Jones");
    CHECK_STR(toks("cats, e.g. lions, i.e., big ones"), "cats|,|e.g.|lions|,|i.e.|,|big|ones");
    CHECK_STR(toks("at 5 p.m. today"), "at|5|p.m.|today");
    CHECK_STR(toks("Gen. Flynn, Sen. Graham, etc. and Smith et al."),
              "Gen.|Flynn|,|Sen.|Graham|,|etc.|and|Smith|et|al.");
}

static void tokenize_should_keep_the_period_of_an_initial(void) {
    CHECK_STR(toks("J. R. R. Tolkien and John F. Kennedy"),
              "J.|R.|R.|Tolkien|and|John|F.|Kennedy");
    /* "I" is a pronoun, and a lower-case letter is no initial */
    CHECK_STR(toks("so am I. Then"), "so|am|I|. / Then");
    CHECK_STR(toks("plan a. Then"), "plan|a|. / Then");
}

static void tokenize_should_split_the_period_of_an_ordinary_word(void) {
    CHECK_STR(toks("It ended."), "It|ended|.");
}

static void tokenize_should_join_a_period_only_before_lower_case_or_digits(void) {
    CHECK_STR(toks("read Breitbart.com and Node.js v1.2"), "read|Breitbart.com|and|Node.js|v1.2");
    /* a missing space after a sentence is not a word */
    CHECK_STR(toks("so ridiculous.That is"), "so|ridiculous|.|That|is");
}

static void tokenize_should_join_an_abbreviation_and_a_hyphenated_word(void) {
    CHECK_STR(toks("U.S.-backed forces"), "U.S.-backed|forces");
}

static void tokenize_should_read_other_scripts_as_words(void) {
    /* Cyrillic, Greek, Arabic */
    CHECK_STR(toks("\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD \xCE\xB1\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1 "
                   "\xD9\x85\xD8\xB5\xD8\xB1"),
              "\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD|\xCE\xB1\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1|"
              "\xD9\x85\xD8\xB5\xD8\xB1");
    CHECK_STR(kinds("\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD \xD9\x85\xD8\xB5\xD8\xB1"), "WORD WORD");
    /* combining accent stays in the word: "cafe" + U+0301 */
    CHECK_STR(toks("cafe\xCC\x81 noir"), "cafe\xCC\x81|noir");
}

static void tokenize_should_make_each_cjk_ideograph_one_token(void) {
    CHECK_STR(toks("\xE4\xB8\xAD\xE5\x9B\xBD\xE4\xBA\xBA"), "\xE4\xB8\xAD|\xE5\x9B\xBD|\xE4\xBA\xBA");
    CHECK_STR(kinds("\xE4\xB8\xAD\xE5\x9B\xBD"), "WORD WORD");
    CHECK_EQ_INT(doc_.tokens[1].cp_start, 1);
    CHECK_EQ_INT(doc_.tokens[1].start, 3);
}

/* ---- numbers ---- */

static void tokenize_should_keep_numbers_with_separators_whole(void) {
    CHECK_STR(toks("2,300 troops, 150,000 people, 3.5 percent, 10:30, 9/11"),
              "2,300|troops|,|150,000|people|,|3.5|percent|,|10:30|,|9/11");
    CHECK_STR(kinds("2,300 3.5 1,000,000.25"), "NUMBER NUMBER NUMBER");
    /* a trailing separator is punctuation */
    CHECK_STR(toks("in 2019, then 2020."), "in|2019|,|then|2020|.");
}

static void tokenize_should_read_ordinals_and_decades_as_numbers(void) {
    CHECK_STR(toks("the 1990s, 1990's, 2nd, 21st and 4th"), "the|1990s|,|1990's|,|2nd|,|21st|and|4th");
    CHECK_STR(kinds("1990s 1990's 1990\xE2\x80\x99s 2nd 3rd 4th"),
              "NUMBER NUMBER NUMBER NUMBER NUMBER NUMBER");
}

static void tokenize_should_make_hyphenated_numbers_one_token(void) {
    CHECK_STR(toks("a 19-year-old got 800-to-900 votes in 2019-2020"),
              "a|19-year-old|got|800-to-900|votes|in|2019-2020");
    CHECK_STR(kinds("19-year-old 800-to-900 2019-2020 5G"), "WORD WORD NUMBER WORD");
}

static void tokenize_should_split_signs_and_currency_from_numbers(void) {
    CHECK_STR(toks("$2,300 and -5 and 50%"), "$|2,300|and|-|5|and|50|%");
    CHECK_STR(kinds("$2 \xE2\x82\xAC" "5"), "SYMBOL NUMBER SYMBOL NUMBER");
}

/* ---- punctuation ---- */

static void tokenize_should_keep_offsets_for_curly_quotes(void) {
    /* “Fake news,” he said. */
    const char *s = "\xE2\x80\x9C" "Fake news,\xE2\x80\x9D he said.";
    CHECK_STR(toks(s), "\xE2\x80\x9C|Fake|news|,|\xE2\x80\x9D|he|said|.");
    const tok_token *t = doc_.tokens;
    CHECK_EQ_INT(t[0].start, 0); CHECK_EQ_INT(t[0].end, 3);
    CHECK_EQ_INT(t[0].cp_start, 0); CHECK_EQ_INT(t[0].cp_end, 1);
    CHECK_EQ_INT(t[1].start, 3); CHECK_EQ_INT(t[1].cp_start, 1);
    CHECK_EQ_INT(t[4].start, 13); CHECK_EQ_INT(t[4].end, 16);
    CHECK_EQ_INT(t[4].cp_start, 11); CHECK_EQ_INT(t[4].cp_end, 12);
    CHECK_EQ_INT(t[5].cp_start, 13);
    CHECK_EQ_INT(t[5].space_before, 1);
    CHECK_EQ_INT(t[4].space_before, 0);
    check_invariants(s, strlen(s));
    CHECK_STR(toks("\xE2\x80\x98quoted\xE2\x80\x99"), "\xE2\x80\x98|quoted|\xE2\x80\x99");
}

static void tokenize_should_make_each_dash_a_token(void) {
    CHECK_STR(toks("war\xE2\x80\x94" "and peace \xE2\x80\x93 maybe"),
              "war|\xE2\x80\x94|and|peace|\xE2\x80\x93|maybe");
    CHECK_STR(kinds("\xE2\x80\x94 \xE2\x80\x93"), "PUNCT PUNCT");
}

static void tokenize_should_make_an_ellipsis_one_token(void) {
    CHECK_STR(toks("wait... what\xE2\x80\xA6 no.. ok"), "wait|...|what|\xE2\x80\xA6|no|..|ok");
    CHECK_STR(kinds("... \xE2\x80\xA6"), "PUNCT PUNCT");
}

static void tokenize_should_split_other_punctuation_one_mark_each(void) {
    CHECK_STR(toks("(yes)!? [no]; \"ok\""), "(|yes|)|!|? / [|no|]|;|\"|ok|\"");
    CHECK_STR(toks("a_b & c#d"), "a|_|b|&|c|#|d");
}

/* ---- URLs, e-mail, handles ---- */

static void tokenize_should_keep_urls_whole(void) {
    CHECK_STR(toks("see https://example.com/a/b?x=1&y=2#top, or http://t.co/AbC."),
              "see|https://example.com/a/b?x=1&y=2#top|,|or|http://t.co/AbC|.");
    CHECK_STR(toks("visit www.rt.com!"), "visit|www.rt.com|!");
    CHECK_STR(kinds("https://a.org www.b.com"), "URL URL");
}

static void tokenize_should_trim_unbalanced_brackets_from_urls(void) {
    CHECK_STR(toks("(see https://en.wikipedia.org/wiki/Foo_(bar))"),
              "(|see|https://en.wikipedia.org/wiki/Foo_(bar)|)");
    CHECK_STR(toks("\xE2\x80\x9Chttps://x.com/a\xE2\x80\x9D"), "\xE2\x80\x9C|https://x.com/a|\xE2\x80\x9D");
}

static void tokenize_should_not_take_a_bare_scheme_as_a_url(void) {
    CHECK_STR(kinds("http:// www."), "WORD PUNCT PUNCT PUNCT WORD PUNCT");
}

static void tokenize_should_keep_emails_and_handles_whole(void) {
    CHECK_STR(toks("mail john.doe+news@mail.example.org. Or @realDonaldTrump, @ someone"),
              "mail|john.doe+news@mail.example.org|. / Or|@realDonaldTrump|,|@|someone");
    CHECK_STR(kinds("a.b@c.de @user_1"), "URL URL");
    CHECK_STR(toks("foo@bar is not one"), "foo|@bar|is|not|one");
}

static void tokenize_should_stay_linear_on_long_email_like_runs(void) {
    /* "a.a.a.a..." with no "@": every start is inside one local-part run */
    size_t n = 200000;
    char *s = malloc(n + 1);
    CHECK(s != NULL);
    if (!s) return;
    for (size_t i = 0; i < n; i++) s[i] = (i % 2) ? '.' : 'a';
    s[n - 1] = ' ';
    s[n] = '\0';
    CHECK_EQ_INT(tok_tokenize(s, n, &doc_), SLANT_OK);
    CHECK(doc_.n_tokens >= 1);
    check_invariants(s, n);
    free(s);
}

/* ---- symbols ---- */

static void tokenize_should_keep_an_emoji_with_its_modifiers(void) {
    /* thumbs up + skin tone; family joined by ZWJ; flag; heart + VS16 */
    const char *s = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9 "
                    "\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8 \xE2\x9D\xA4\xEF\xB8\x8F";
    CHECK_STR(kinds(s), "SYMBOL SYMBOL SYMBOL SYMBOL");
    CHECK_EQ_INT(doc_.tokens[0].cp_end - doc_.tokens[0].cp_start, 2);
    CHECK_EQ_INT(doc_.tokens[1].cp_end - doc_.tokens[1].cp_start, 3);
    CHECK_EQ_INT(doc_.tokens[2].cp_end - doc_.tokens[2].cp_start, 2);
    CHECK_EQ_INT(doc_.tokens[3].cp_end - doc_.tokens[3].cp_start, 2);
    check_invariants(s, strlen(s));
}

/* ---- whitespace ---- */

static void tokenize_should_skip_tabs_nbsp_and_zero_width_spaces(void) {
    CHECK_STR(toks("a\tb\xC2\xA0" "c\xE2\x80\x8B" "d\xE3\x80\x80" "e"), "a|b|c|d|e");
    CHECK_EQ_INT(doc_.tokens[2].cp_start, 4);
    CHECK_EQ_INT(doc_.tokens[4].cp_start, 8);
}

static void tokenize_should_keep_soft_hyphens_and_zwnj_inside_words(void) {
    CHECK_STR(toks("coun\xC2\xAD" "ter \xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB1\xD9\x88\xD9\x85"),
              "coun\xC2\xAD" "ter|\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB1\xD9\x88\xD9\x85");
}

static void tokenize_should_treat_the_bom_as_whitespace_but_count_it(void) {
    const char *s = "\xEF\xBB\xBFTitle here";
    CHECK_STR(toks(s), "Title|here");
    CHECK_EQ_INT(doc_.tokens[0].start, 3);
    CHECK_EQ_INT(doc_.tokens[0].cp_start, 1);
    CHECK_EQ_INT(doc_.tokens[1].cp_start, 7);
    check_invariants(s, strlen(s));
}

static void tokenize_should_give_no_tokens_and_no_sentences_for_empty_input(void) {
    CHECK_EQ_INT(tok_tokenize("", 0, &doc_), SLANT_OK);
    CHECK_EQ_INT(doc_.n_tokens, 0);
    CHECK_EQ_INT(doc_.n_sentences, 0);
    CHECK_EQ_INT(tok_tokenize(NULL, 0, &doc_), SLANT_OK);
    CHECK_EQ_INT(doc_.n_tokens, 0);
    const char *ws = " \t\r\n\xEF\xBB\xBF\xC2\xA0\xE2\x80\x8B\r\n";
    CHECK_EQ_INT(tok_tokenize(ws, strlen(ws), &doc_), SLANT_OK);
    CHECK_EQ_INT(doc_.n_tokens, 0);
    CHECK_EQ_INT(doc_.n_sentences, 0);
}

static void tokenize_should_flag_space_and_newline_before_tokens(void) {
    CHECK_STR(toks("a b\nc,d"), "a|b / c|,|d");
    CHECK_EQ_INT(doc_.tokens[0].space_before, 0);
    CHECK_EQ_INT(doc_.tokens[1].space_before, 1);
    CHECK_EQ_INT(doc_.tokens[1].newline_before, 0);
    CHECK_EQ_INT(doc_.tokens[2].newline_before, 1);
    CHECK_EQ_INT(doc_.tokens[3].space_before, 0);
}

/* ---- sentences ---- */

static void sentences_should_end_at_every_line_break(void) {
    CHECK_STR(toks("one line\ntwo line\n\n\nthree"), "one|line / two|line / three");
    CHECK_EQ_INT(doc_.n_sentences, 3);
}

static void sentences_should_count_crlf_as_one_break_and_lone_cr_as_one(void) {
    const char *s = "first one\r\nsecond\rthird\r\n\r\nfourth";
    CHECK_STR(toks(s), "first|one / second / third / fourth");
    CHECK_EQ_INT(doc_.n_sentences, 4);
    CHECK_EQ_INT(doc_.tokens[2].cp_start, 11);
    CHECK_EQ_INT(doc_.sentences[1].cp_start, 11);
    CHECK_EQ_INT(doc_.sentences[1].cp_end, 17);
    check_invariants(s, strlen(s));
}

static void sentences_should_end_at_a_terminal_before_a_capital(void) {
    CHECK_STR(toks("He left. She stayed! Why? 2020 was bad."),
              "He|left|. / She|stayed|! / Why|? / 2020|was|bad|.");
    CHECK_EQ_INT(doc_.n_sentences, 4);
}

static void sentences_should_not_end_before_a_lower_case_word(void) {
    CHECK_STR(toks("Wait... what? no way."), "Wait|...|what|?|no|way|.");
    CHECK_EQ_INT(doc_.n_sentences, 1);
}

static void sentences_should_not_end_after_an_abbreviation_or_initial(void) {
    CHECK_STR(toks("Dr. Smith met J. Doe in the U.S. Capitol."),
              "Dr.|Smith|met|J.|Doe|in|the|U.S.|Capitol|.");
    CHECK_EQ_INT(doc_.n_sentences, 1);
}

static void sentences_should_keep_closing_quotes_with_the_terminal(void) {
    CHECK_STR(toks("He said \"No.\" Then \xE2\x80\x9CYes.\xE2\x80\x9D \xE2\x80\x9CReally?\xE2\x80\x9D she asked."),
              "He|said|\"|No|.|\" / Then|\xE2\x80\x9C|Yes|.|\xE2\x80\x9D / "
              "\xE2\x80\x9C|Really|?|\xE2\x80\x9D|she|asked|.");
}

static void sentences_should_end_before_an_opening_quote(void) {
    CHECK_STR(toks("It was over. \"Go home,\" he said."), "It|was|over|. / \"|Go|home|,|\"|he|said|.");
    CHECK_STR(toks("It was over\xE2\x80\xA6 (And then) more."), "It|was|over|\xE2\x80\xA6 / (|And|then|)|more|.");
}

static void sentences_should_hold_their_token_range_and_offsets(void) {
    const char *s = "\xEF\xBB\xBFOne. Two\xE2\x80\x99s three.\nFour";
    toks(s);
    CHECK_EQ_INT(doc_.n_sentences, 3);
    const tok_sentence *sn = doc_.sentences;
    CHECK_EQ_INT(sn[0].first, 0); CHECK_EQ_INT(sn[0].last, 2);
    CHECK_EQ_INT(sn[0].start, 3); CHECK_EQ_INT(sn[0].end, 7);
    CHECK_EQ_INT(sn[0].cp_start, 1); CHECK_EQ_INT(sn[0].cp_end, 5);
    CHECK_EQ_INT(sn[1].first, 2); CHECK_EQ_INT(sn[1].last, 5);
    CHECK_EQ_INT(sn[1].cp_start, 6); CHECK_EQ_INT(sn[1].cp_end, 18);
    CHECK_EQ_INT(sn[2].first, 5); CHECK_EQ_INT(sn[2].last, 6);
    CHECK_EQ_INT(doc_.tokens[4].sentence, 1);
    check_invariants(s, strlen(s));
}

/* ---- robustness and reuse ---- */

static void tokenize_should_reuse_the_doc_without_growing_it(void) {
    tok_doc d; tok_doc_init(&d);
    const char *big = "Many words in this text. Many more words follow here.";
    CHECK_EQ_INT(tok_tokenize(big, strlen(big), &d), SLANT_OK);
    tok_token *tokens = d.tokens;
    size_t cap = d.cap_tokens;
    CHECK_EQ_INT(tok_tokenize("Small.", 6, &d), SLANT_OK);
    CHECK_EQ_INT(d.n_tokens, 2);
    CHECK_EQ_INT(d.n_sentences, 1);
    CHECK(d.tokens == tokens);
    CHECK_EQ_INT(d.cap_tokens, cap);
    tok_doc_fini(&d);
    tok_doc_fini(&d);   /* twice is harmless */
}

static void tokenize_should_grow_past_the_first_allocation(void) {
    size_t words = 5000;
    char *s = malloc(words * 4 + 1);
    CHECK(s != NULL);
    if (!s) return;
    for (size_t i = 0; i < words; i++) memcpy(s + i * 4, i % 10 == 9 ? "ab.\n" : "ab. ", 4);
    s[words * 4] = '\0';
    CHECK_EQ_INT(tok_tokenize(s, words * 4, &doc_), SLANT_OK);
    CHECK_EQ_INT(doc_.n_tokens, words * 2);
    CHECK_EQ_INT(doc_.n_sentences, words / 10);
    check_invariants(s, words * 4);
    free(s);
}

static void tokenize_should_survive_invalid_utf8(void) {
    /* not its contract, but it must neither crash nor read out of bounds */
    const char s[] = "ab\xC3 \xE2\x82 \xFF\xF0\x9F\x98";
    CHECK_EQ_INT(tok_tokenize(s, sizeof s - 1, &doc_), SLANT_OK);
    for (size_t i = 0; i < doc_.n_tokens; i++)
        CHECK(doc_.tokens[i].end <= sizeof s - 1);
}

/* ---- golden files ---- */

/* Reads a whole file into a NUL-terminated buffer; NULL if it cannot. */
static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n - 1, f);
        if (n < cap - 1) break;
        char *nb = realloc(b, cap *= 2);
        if (!nb) { free(b); b = NULL; }
        else b = nb;
    }
    fclose(f);
    if (b) { b[n] = '\0'; *len = n; }
    return b;
}

/* tests/data, found next to this source file so that the test runs from
 * the repository root or from tests/. */
static void data_path(char *out, size_t cap, const char *name) {
    const char *src = __FILE__;
    const char *slash = strrchr(src, '/');
    int dir = slash ? (int)(slash - src) : 0;
    snprintf(out, cap, "%.*s%sdata/%s", dir, src, slash ? "/" : "", name);
}

static void check_golden(const char *name) {
    char txt_path[512], exp_path[512], txt_name[128], exp_name[128];
    snprintf(txt_name, sizeof txt_name, "%s.txt", name);
    snprintf(exp_name, sizeof exp_name, "%s.expected", name);
    data_path(txt_path, sizeof txt_path, txt_name);
    data_path(exp_path, sizeof exp_path, exp_name);
    text_buf t; text_init(&t);
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(text_read_file(&t, txt_path, 0, &e), SLANT_OK);
    size_t exp_len = 0;
    char *want = slurp(exp_path, &exp_len);
    CHECK(want != NULL);
    if (t.data && want) {
        CHECK_EQ_INT(tok_tokenize(t.data, t.len, &doc_), SLANT_OK);
        check_invariants(t.data, t.len);
        size_t cap = exp_len + t.len * 8 + 4096, o = 0;
        char *got = malloc(cap);
        CHECK(got != NULL);
        for (size_t i = 0; got && i < doc_.n_tokens; i++) {
            const tok_token *k = &doc_.tokens[i];
            if (i && k->sentence != doc_.tokens[i - 1].sentence) got[o++] = '\n';
            int w = snprintf(got + o, cap - o, "%u\t%u\t%s\t%.*s\n", k->cp_start, k->cp_end,
                             kind_name(k->kind), (int)(k->end - k->start), t.data + k->start);
            if (w > 0) o += (size_t)w;
        }
        if (got) {
            got[o] = '\0';
            /* report the first differing line, the useful part of a diff */
            const char *g = got, *x = want;
            int line = 1;
            while (*g && *g == *x) { if (*g == '\n') line++; g++; x++; }
            if (*g || *x) {
                fprintf(stderr, "  %s: first difference at line %d:\n    got:  %.*s\n    want: %.*s\n",
                        exp_name, line, (int)strcspn(g, "\n"), g, (int)strcspn(x, "\n"), x);
                CHECK(0);
            }
            free(got);
        }
    }
    free(want);
    text_fini(&t);
}

static void tokenize_should_match_the_golden_news_file(void) {
    check_golden("tok_news");
}

static void tokenize_should_match_the_golden_unicode_file(void) {
    check_golden("tok_unicode");
}

int main(void) {
    tok_doc_init(&doc_);
    TEST(tokenize_should_split_plain_words_on_spaces);
    TEST(tokenize_should_keep_contractions_in_one_word);
    TEST(tokenize_should_keep_a_curly_apostrophe_inside_the_word);
    TEST(tokenize_should_keep_hyphenated_words_whole);
    TEST(tokenize_should_keep_abbreviations_with_their_period);
    TEST(tokenize_should_keep_the_period_of_an_initial);
    TEST(tokenize_should_split_the_period_of_an_ordinary_word);
    TEST(tokenize_should_join_a_period_only_before_lower_case_or_digits);
    TEST(tokenize_should_join_an_abbreviation_and_a_hyphenated_word);
    TEST(tokenize_should_read_other_scripts_as_words);
    TEST(tokenize_should_make_each_cjk_ideograph_one_token);
    TEST(tokenize_should_keep_numbers_with_separators_whole);
    TEST(tokenize_should_read_ordinals_and_decades_as_numbers);
    TEST(tokenize_should_make_hyphenated_numbers_one_token);
    TEST(tokenize_should_split_signs_and_currency_from_numbers);
    TEST(tokenize_should_keep_offsets_for_curly_quotes);
    TEST(tokenize_should_make_each_dash_a_token);
    TEST(tokenize_should_make_an_ellipsis_one_token);
    TEST(tokenize_should_split_other_punctuation_one_mark_each);
    TEST(tokenize_should_keep_urls_whole);
    TEST(tokenize_should_trim_unbalanced_brackets_from_urls);
    TEST(tokenize_should_not_take_a_bare_scheme_as_a_url);
    TEST(tokenize_should_keep_emails_and_handles_whole);
    TEST(tokenize_should_stay_linear_on_long_email_like_runs);
    TEST(tokenize_should_keep_an_emoji_with_its_modifiers);
    TEST(tokenize_should_skip_tabs_nbsp_and_zero_width_spaces);
    TEST(tokenize_should_keep_soft_hyphens_and_zwnj_inside_words);
    TEST(tokenize_should_treat_the_bom_as_whitespace_but_count_it);
    TEST(tokenize_should_give_no_tokens_and_no_sentences_for_empty_input);
    TEST(tokenize_should_flag_space_and_newline_before_tokens);
    TEST(sentences_should_end_at_every_line_break);
    TEST(sentences_should_count_crlf_as_one_break_and_lone_cr_as_one);
    TEST(sentences_should_end_at_a_terminal_before_a_capital);
    TEST(sentences_should_not_end_before_a_lower_case_word);
    TEST(sentences_should_not_end_after_an_abbreviation_or_initial);
    TEST(sentences_should_keep_closing_quotes_with_the_terminal);
    TEST(sentences_should_end_before_an_opening_quote);
    TEST(sentences_should_hold_their_token_range_and_offsets);
    TEST(tokenize_should_reuse_the_doc_without_growing_it);
    TEST(tokenize_should_grow_past_the_first_allocation);
    TEST(tokenize_should_survive_invalid_utf8);
    TEST(tokenize_should_match_the_golden_news_file);
    TEST(tokenize_should_match_the_golden_unicode_file);
    tok_doc_fini(&doc_);
    return test_summary("tokenize");
}
