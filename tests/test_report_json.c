/*
 * The JSON document (report_json.h, docs/JSON.md) on a hand-made result and,
 * when the bundled model is present, on a real analysis: required fields and
 * their types, offsets that spell the fragment text, counts, explanations;
 * and the terminal and HTML renderers of the same result.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "test.h"
#include "model.h"
#include "report_html.h"
#include "report_json.h"
#include "report_text.h"

static const char *text_ = "Caf\xC3\xA9 liars! They lie. Calm.";  /* é: 2 bytes, 1 code point */

/* A result for text_: "liars" (LOAD and NAME, same span) and "They lie". */
static void make_result(slant_result *r, slant_fragment *f, slant_sentence *s) {
    memset(r, 0, sizeof *r);
    memset(f, 0, 3 * sizeof *f);
    f[0] = (slant_fragment){.start = 6, .end = 11, .cp_start = 5, .cp_end = 10, .technique = 8,
                            .confidence = 0.6, .span_confidence = 0.8};
    f[0].technique_probs[8] = 0.75; f[0].technique_probs[9] = 0.25;
    f[1] = f[0]; f[1].technique = 9; f[1].confidence = 0.2;
    f[2] = (slant_fragment){.start = 13, .end = 21, .cp_start = 12, .cp_end = 20, .technique = -1,
                            .confidence = 0.4, .span_confidence = 0.4};
    s[0] = (slant_sentence){0, 12, 0, 11, 0.9};
    s[1] = (slant_sentence){13, 22, 12, 21, 0.5};
    s[2] = (slant_sentence){23, 28, 22, 27, 0.1};
    r->fragments = f; r->n_fragments = 3;
    r->sentences = s; r->n_sentences = 3;
    r->score = 0.25; r->n_codepoints = 27;
}

/* The document as its readers see it: report_json_article's tree printed
 * and parsed again. */
static cJSON *printed_article(const slant_model *m, const char *id, const char *path,
                              const char *text, size_t len, const slant_result *r) {
    cJSON *tree = report_json_article(m, id, path, text, len, r);
    char *s = tree ? cJSON_PrintUnformatted(tree) : NULL;
    cJSON *d = s ? cJSON_Parse(s) : NULL;
    cJSON_free(s);
    cJSON_Delete(tree);
    return d;
}

static int has(const cJSON *o, const char *k, cJSON_bool (*is)(const cJSON *)) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return v && is(v);
}

/* The schema's required fields and types (docs/JSON.md). */
static int valid_document(const cJSON *d) {
    int ok = has(d, "schema_version", cJSON_IsNumber) && has(d, "id", cJSON_IsString) &&
             (has(d, "path", cJSON_IsString) || has(d, "path", cJSON_IsNull)) &&
             has(d, "length", cJSON_IsObject) && has(d, "model", cJSON_IsObject) &&
             has(d, "score", cJSON_IsNumber) && has(d, "fragments", cJSON_IsArray) &&
             has(d, "technique_counts", cJSON_IsArray) && has(d, "sentences", cJSON_IsArray) &&
             has(d, "text", cJSON_IsString);
    if (!ok) return 0;
    const cJSON *len = cJSON_GetObjectItemCaseSensitive(d, "length");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(d, "model");
    ok = has(len, "bytes", cJSON_IsNumber) && has(len, "codepoints", cJSON_IsNumber) &&
         has(m, "name", cJSON_IsString) && has(m, "version", cJSON_IsString);
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(d, "fragments")) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(f, "technique");
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(f, "explanation");
        ok = ok && has(f, "start", cJSON_IsNumber) && has(f, "end", cJSON_IsNumber) &&
             has(f, "byte_start", cJSON_IsNumber) && has(f, "byte_end", cJSON_IsNumber) &&
             has(f, "text", cJSON_IsString) && has(f, "confidence", cJSON_IsNumber) &&
             t && (cJSON_IsNull(t) || (has(t, "name", cJSON_IsString) && has(t, "display", cJSON_IsString) &&
                                       has(t, "short", cJSON_IsString) && has(t, "index", cJSON_IsNumber))) &&
             e && has(e, "span_confidence", cJSON_IsNumber) && has(e, "probabilities", cJSON_IsArray) &&
             has(e, "summary", cJSON_IsString);
    }
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(d, "sentences"))
        ok = ok && has(f, "start", cJSON_IsNumber) && has(f, "end", cJSON_IsNumber) &&
             has(f, "score", cJSON_IsNumber);
    return ok;
}

static double num(const cJSON *o, const char *k) {
    return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static void document_should_hold_every_required_field(void) {
    slant_result r; slant_fragment f[3]; slant_sentence s[3];
    make_result(&r, f, s);
    slant_model *m = model_new();
    CHECK(m != NULL);
    if (!m) return;
    snprintf(m->name, sizeof m->name, "test-model");
    snprintf(m->version, sizeof m->version, "9.9");
    cJSON *d = printed_article(m, "a1", "in/a1.txt", text_, strlen(text_), &r);
    CHECK(d != NULL);
    CHECK(valid_document(d));
    CHECK_EQ_INT(num(d, "schema_version"), REPORT_SCHEMA_VERSION);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(d, "path")->valuestring, "in/a1.txt");
    CHECK_EQ_INT(num(cJSON_GetObjectItemCaseSensitive(d, "length"), "bytes"), strlen(text_));
    CHECK_EQ_INT(num(cJSON_GetObjectItemCaseSensitive(d, "length"), "codepoints"), 27);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d, "model"), "name")->valuestring, "test-model");
    cJSON_Delete(d);
    /* no path (stdin) is null */
    d = printed_article(m, "a1", NULL, text_, strlen(text_), &r);
    CHECK(d && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(d, "path")));
    cJSON_Delete(d);
    slant_model_free(m);
}

static void fragments_should_carry_both_offsets_text_and_explanation(void) {
    slant_result r; slant_fragment f[3]; slant_sentence s[3];
    make_result(&r, f, s);
    cJSON *d = printed_article(NULL, "a1", NULL, text_, strlen(text_), &r);
    CHECK(d != NULL);
    if (!d) return;
    const cJSON *fr = cJSON_GetObjectItemCaseSensitive(d, "fragments");
    CHECK_EQ_INT(cJSON_GetArraySize(fr), 3);
    const cJSON *f0 = cJSON_GetArrayItem(fr, 0);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(f0, "text")->valuestring, "liars");
    CHECK_EQ_INT(num(f0, "start"), 5);
    CHECK_EQ_INT(num(f0, "byte_start"), 6);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(f0, "technique");
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(t, "name")->valuestring, "Loaded_Language");
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(t, "short")->valuestring, "LOAD");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(f0, "explanation");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(e, "probabilities");
    CHECK(cJSON_GetArraySize(p) >= 2);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(p, 0), "technique")->valuestring, "Loaded_Language");
    CHECK_NEAR(num(cJSON_GetArrayItem(p, 0), "p"), 0.75, 1e-12);
    CHECK_NEAR(num(e, "span_confidence"), 0.8, 1e-12);
    /* an unlabelled span: technique null, no probabilities */
    const cJSON *f2 = cJSON_GetArrayItem(fr, 2);
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(f2, "technique")));
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(f2, "explanation"), "probabilities")), 0);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(f2, "text")->valuestring, "They lie");
    CHECK_EQ_INT(num(d, "unlabelled_fragments"), 1);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "technique_counts")), 2);
    cJSON_Delete(d);
}

static void document_should_refuse_a_result_beyond_the_text(void) {
    slant_result r; slant_fragment f[3]; slant_sentence s[3];
    make_result(&r, f, s);
    f[2].end = 1000;
    CHECK(printed_article(NULL, "a1", NULL, text_, strlen(text_), &r) == NULL);
}

static void techniques_should_list_fourteen_with_colours_and_definitions(void) {
    cJSON *a = report_json_techniques();
    CHECK_EQ_INT(cJSON_GetArraySize(a), SLANT_N_TECHNIQUES);
    const cJSON *t;
    cJSON_ArrayForEach(t, a) {
        CHECK(has(t, "name", cJSON_IsString) && has(t, "definition", cJSON_IsString));
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(t, "colour");
        CHECK(cJSON_IsString(c) && strlen(c->valuestring) == 7 && c->valuestring[0] == '#');
    }
    cJSON_Delete(a);
}

static void model_document_should_have_null_dev_without_meta(void) {
    cJSON *o = report_json_model(NULL);
    CHECK(o && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "dev")));
    const cJSON *un = cJSON_GetObjectItemCaseSensitive(o, "unreported");
    CHECK(cJSON_IsArray(un) && cJSON_GetArraySize(un) == 0);
    cJSON_Delete(o);
}

/* Strips ANSI SGR escapes. */
static void strip_escapes(char *s) {
    char *w = s;
    for (char *p = s; *p;) {
        if (*p == '\033') { while (*p && *p != 'm') p++; if (*p) p++; continue; }
        *w++ = *p++;
    }
    *w = '\0';
}

static void text_report_should_mark_fragments_and_match_without_colour(void) {
    slant_result r; slant_fragment f[3]; slant_sentence s[3];
    make_result(&r, f, s);
    rbuf plain, colour;
    rbuf_init(&plain); rbuf_init(&colour);
    CHECK_EQ_INT(report_text_article(&plain, "a1", text_, strlen(text_), &r, 0), SLANT_OK);
    CHECK_EQ_INT(report_text_article(&colour, "a1", text_, strlen(text_), &r, 1), SLANT_OK);
    CHECK(plain.p && strstr(plain.p, "[liars]{LOAD,NAME}") != NULL);
    CHECK(plain.p && strstr(plain.p, "[They lie]{SPAN}") != NULL);
    CHECK(plain.p && strchr(plain.p, '\033') == NULL);
    CHECK(colour.p && strchr(colour.p, '\033') != NULL);
    if (colour.p) strip_escapes(colour.p);
    CHECK(plain.p && colour.p && strcmp(plain.p, colour.p) == 0);
    /* summary: score, counts, top sentences in score order */
    CHECK(plain.p && strstr(plain.p, "article score 0.250") != NULL);
    const char *s1 = plain.p ? strstr(plain.p, "0.900") : NULL, *s2 = plain.p ? strstr(plain.p, "0.500") : NULL;
    CHECK(s1 && s2 && s1 < s2);
    rbuf_fini(&plain); rbuf_fini(&colour);
}

static void html_page_should_be_self_contained_and_escape_the_data(void) {
    slant_result r; slant_fragment f[3]; slant_sentence s[3];
    make_result(&r, f, s);
    const char *t = "A </script><b>bold</b> claim.";
    r.n_fragments = 0; r.n_sentences = 0;
    cJSON *d = printed_article(NULL, "x<y", NULL, t, strlen(t), &r);
    rbuf b;
    rbuf_init(&b);
    CHECK_EQ_INT(report_html_article(&b, d), SLANT_OK);
    CHECK(b.p && strstr(b.p, "<!DOCTYPE html>") == b.p);
    CHECK(b.p && strstr(b.p, "SlantReport") != NULL);
    CHECK(b.p && strstr(b.p, "@@DATA@@") == NULL && strstr(b.p, "@@JS@@") == NULL);
    CHECK(b.p && strstr(b.p, "</script><b>") == NULL);      /* the text cannot close the data element */
    CHECK(b.p && strstr(b.p, "<title>slant: x&lt;y</title>") != NULL);
    CHECK(b.p && strstr(b.p, "src=\"http") == NULL && strstr(b.p, "href=\"http") == NULL);
    rbuf_fini(&b);
    cJSON_Delete(d);
}

static void real_analysis_should_give_a_valid_document(void) {
    slant_model *m = NULL;
    if (slant_model_load("models/default.slant", &m, NULL) != SLANT_OK) SKIP("models/default.slant is missing");
    const char *t = "The corrupt elites are destroying our great nation. Everyone knows it. "
                    "We must stand up now or lose everything forever!";
    slant_result *r = NULL;
    CHECK_EQ_INT(slant_analyze(m, t, strlen(t), NULL, &r, NULL), SLANT_OK);
    cJSON *d = r ? printed_article(m, "real", NULL, t, strlen(t), r) : NULL;
    CHECK(d && valid_document(d));
    const cJSON *f;
    size_t n = 0;
    const cJSON *frs = d ? cJSON_GetObjectItemCaseSensitive(d, "fragments") : NULL;
    cJSON_ArrayForEach(f, frs) {
        size_t b0 = (size_t)num(f, "byte_start"), b1 = (size_t)num(f, "byte_end");
        const char *ft = cJSON_GetObjectItemCaseSensitive(f, "text")->valuestring;
        CHECK(b1 - b0 == strlen(ft) && memcmp(t + b0, ft, b1 - b0) == 0);
        n++;
    }
    CHECK(r && n == r->n_fragments);
    cJSON_Delete(d);
    slant_result_free(r);
    slant_model_free(m);
}

/* Reals: six decimals at most, no trailing zeros, and a value that reads
 * back within half a millionth. */
static void reals_should_have_six_decimals_at_most(void) {
    static const struct { double x; const char *want; } cases[] = {
        {0.0, "0"}, {1.0, "1"}, {0.5, "0.5"}, {0.32693911928678143, "0.326939"},
        {-2.5, "-2.5"}, {6.5733644182328135, "6.573364"}, {0.0000004, "0"}, {-0.0000004, "0"},
        {0.0000005, "0.000001"}, {0.9999996, "1"}, {12.000001, "12.000001"}, {100, "100"},
        {-0.12, "-0.12"},
    };
    char buf[REPORT_JSON_REAL_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int n = report_json_real(cases[i].x, buf);
        CHECK(strcmp(buf, cases[i].want) == 0);
        CHECK_EQ_INT(n, (int)strlen(cases[i].want));
        if (strcmp(buf, cases[i].want) != 0) fprintf(stderr, "  %.17g -> %s, expected %s\n", cases[i].x, buf, cases[i].want);
    }
    report_json_real(NAN, buf);
    CHECK(strcmp(buf, "null") == 0);
    report_json_real(INFINITY, buf);
    CHECK(strcmp(buf, "null") == 0);
    for (int i = 0; i < 2000; i++) {
        double x = (i - 1000) * 0.0123456789 + i * 1e-7;
        report_json_real(x, buf);
        cJSON *v = cJSON_Parse(buf);
        CHECK(cJSON_IsNumber(v) && fabs(v->valuedouble - x) <= 5e-7);
        cJSON_Delete(v);
    }
}

/* The writer's bytes are what cJSON prints for the same document, so
 * -F jsonl (the writer) and -F json, HTML and the API (the tree) agree:
 * checked on a text with every control character, quotes, backslashes and
 * non-ASCII letters, in the text, a fragment and a cue; and the text reads
 * back as it was. */
static void writer_should_match_the_printed_tree(void) {
    char text[64];
    size_t n = 0;
    for (int c = 1; c < 32; c++) text[n++] = (char)c;
    static const char tail[] = "\"q\"\\ \xC3\xA9 \x7F end, and more words";
    memcpy(text + n, tail, sizeof tail - 1);
    n += sizeof tail - 1;
    slant_result r;
    slant_fragment f[3];
    slant_sentence s[3];
    make_result(&r, f, s);
    r.n_codepoints = n - 1;   /* one 2-byte letter */
    r.n_fragments = 1;
    f[0].start = 5; f[0].end = 40; f[0].cp_start = 5; f[0].cp_end = 39;
    f[0].n_cues = 1;
    f[0].cues[0] = (slant_cue){8, 12, 8, 12, 2.5};
    f[0].span_confidence = 0.0000581;
    s[0] = (slant_sentence){0, n, 0, n - 1, 0.00004};
    r.n_sentences = 1;
    rbuf b;
    rbuf_init(&b);
    CHECK_EQ_INT(report_json_write_article(&b, NULL, "a\"1", "p\\x", text, n, &r), SLANT_OK);
    cJSON *tree = report_json_article(NULL, "a\"1", "p\\x", text, n, &r);
    char *printed = tree ? cJSON_PrintUnformatted(tree) : NULL;
    CHECK(printed && b.p && strlen(printed) == b.len && memcmp(printed, b.p, b.len) == 0);
    CHECK(b.p && strstr(b.p, "\"span_confidence\":0.000058") != NULL);
    cJSON *back = b.p ? cJSON_Parse(b.p) : NULL;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(back, "text");
    CHECK(cJSON_IsString(t) && strlen(t->valuestring) == n && memcmp(t->valuestring, text, n) == 0);
    /* a result beyond the text appends nothing */
    size_t len0 = b.len;
    f[0].end = n + 1;
    CHECK_EQ_INT(report_json_write_article(&b, NULL, "a", NULL, text, n, &r), SLANT_EINVAL);
    CHECK_EQ_INT(b.len, len0);
    cJSON_Delete(back);
    cJSON_free(printed);
    cJSON_Delete(tree);
    rbuf_fini(&b);
}

int main(void) {
    TEST(document_should_hold_every_required_field);
    TEST(fragments_should_carry_both_offsets_text_and_explanation);
    TEST(document_should_refuse_a_result_beyond_the_text);
    TEST(techniques_should_list_fourteen_with_colours_and_definitions);
    TEST(model_document_should_have_null_dev_without_meta);
    TEST(text_report_should_mark_fragments_and_match_without_colour);
    TEST(html_page_should_be_self_contained_and_escape_the_data);
    TEST(real_analysis_should_give_a_valid_document);
    TEST(reals_should_have_six_decimals_at_most);
    TEST(writer_should_match_the_printed_tree);
    return test_summary("report_json");
}
