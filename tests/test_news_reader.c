/* Tests for news_reader.c: JSON Lines and plain text, blank lines, CRLF,
 * gzip'd shards, and errors that name file:line. Files go in a temp dir. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"
#include "news_reader.h"

static char dir[64];

static void write_file(const char *path, const char *s, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); exit(2); }
    fwrite(s, 1, n, f);
    fclose(f);
}

static const char jsonl[] =
    "{\"id\": \"a\", \"title\": \"First title\", \"text\": \"Line one.\\nLine two \\u201cquoted\\u201d.\"}\n"
    "\n"
    "{\"id\": \"b\", \"title\": \"\", \"text\": \"No title here.\", \"date\": null}\n"
    "   \n"
    "{\"title\": \"T3\", \"text\": \"third\"}";   /* no final newline */

typedef struct { char texts[8][128]; size_t n; } collected;

static int collect(void *ctx, const char *text, size_t len) {
    collected *c = ctx;
    if (c->n < 8 && len < 128) { memcpy(c->texts[c->n], text, len); c->texts[c->n][len] = '\0'; }
    c->n++;
    return 0;
}

/* Reads every article of path into c; returns the status. */
static slant_status read_all(const char *path, collected *c, slant_error *err) {
    news_reader *r = NULL;
    memset(c, 0, sizeof *c);
    slant_error_clear(err);
    slant_status st = news_open(path, NEWS_AUTO, &r, err);
    while (st == SLANT_OK) {
        const char *text; size_t len; int got;
        st = news_next(r, &text, &len, &got, err);
        if (st != SLANT_OK || !got) break;
        CHECK_EQ_INT(text[len], '\0');
        collect(c, text, len);
    }
    news_close(r);
    return st;
}

static void reader_should_yield_title_then_text_and_skip_blank_lines(void) {
    char path[128];
    snprintf(path, sizeof path, "%s/news.jsonl", dir);
    write_file(path, jsonl, sizeof jsonl - 1);
    collected c; slant_error e;
    CHECK_EQ_INT(read_all(path, &c, &e), SLANT_OK);
    CHECK_EQ_INT(c.n, 3);
    CHECK_STR(c.texts[0], "First title\nLine one.\nLine two \xe2\x80\x9cquoted\xe2\x80\x9d.");
    CHECK_STR(c.texts[1], "No title here.");
    CHECK_STR(c.texts[2], "T3\nthird");
}

static void reader_should_name_file_and_line_of_a_malformed_line(void) {
    char path[128];
    snprintf(path, sizeof path, "%s/bad.jsonl", dir);
    const char s[] = "{\"text\": \"ok\"}\n\n{\"text\": \"unterminated}\n{\"text\": \"never read\"}\n";
    write_file(path, s, sizeof s - 1);
    collected c; slant_error e;
    CHECK_EQ_INT(read_all(path, &c, &e), SLANT_EFORMAT);
    CHECK_EQ_INT(c.n, 1);
    CHECK_EQ_INT(e.line, 3);
    CHECK_STR(e.file, path);
    CHECK(strstr(e.message, "malformed JSON") != NULL);
}

static void parser_should_reject_objects_without_a_text_string(void) {
    static const char *bad[] = {
        "{\"title\": \"x\"}", "{\"text\": 3}", "[\"text\"]", "\"text\"", "{\"text\": \"a\"} trailing",
        "{\"text\": \"a\"", "{", "{\"text\": null}",
    };
    news_text t; news_text_init(&t);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        slant_error e; slant_error_clear(&e);
        int got = 1;
        CHECK_EQ_INT(news_parse_line(bad[i], strlen(bad[i]), NEWS_JSONL, "f", 7, &t, &got, &e), SLANT_EFORMAT);
        CHECK_EQ_INT(got, 0);
        CHECK_EQ_INT(e.line, 7);
        CHECK(e.message[0] != '\0');
    }
    news_text_fini(&t);
}

static void parser_should_read_plain_text_one_article_a_line_with_crlf(void) {
    const char s[] = "First article here.\r\n\r\nSecond one\n  \nthird";
    collected c; memset(&c, 0, sizeof c);
    size_t n = 0; slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(news_parse_buffer(s, sizeof s - 1, NEWS_AUTO, "plain", collect, &c, &n, &e), SLANT_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_STR(c.texts[0], "First article here.");
    CHECK_STR(c.texts[1], "Second one");
    CHECK_STR(c.texts[2], "third");
}

static void parser_should_not_read_past_an_unterminated_buffer(void) {
    /* the buffer ends inside a string: no NUL after it */
    char *buf = malloc(16);
    memcpy(buf, "{\"text\": \"abcde", 15);
    collected c; memset(&c, 0, sizeof c);
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(news_parse_buffer(buf, 15, NEWS_AUTO, "cut", collect, &c, NULL, &e), SLANT_EFORMAT);
    CHECK_EQ_INT(e.line, 1);
    free(buf);
}

static void reader_should_read_gzip_shards(void) {
    char path[128], cmd[300];
    snprintf(path, sizeof path, "%s/news.jsonl", dir);
    write_file(path, jsonl, sizeof jsonl - 1);
    snprintf(cmd, sizeof cmd, "gzip -c '%s' > '%s.gz' 2>/dev/null", path, path);
    if (system(cmd) != 0) SKIP("gzip not available");
    char gz[140];
    snprintf(gz, sizeof gz, "%s.gz", path);
    collected c; slant_error e;
    CHECK_EQ_INT(read_all(gz, &c, &e), SLANT_OK);
    CHECK_EQ_INT(c.n, 3);
    CHECK_STR(c.texts[2], "T3\nthird");

    /* a truncated archive: the articles before the cut, then EIO */
    FILE *f = fopen(gz, "rb");
    char bytes[4096];
    size_t n = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    snprintf(gz, sizeof gz, "%s/cut.jsonl.gz", dir);
    write_file(gz, bytes, n - 12);
    CHECK_EQ_INT(read_all(gz, &c, &e), SLANT_EIO);
    CHECK_STR(e.file, gz);
}

static void reader_should_report_a_missing_file(void) {
    news_reader *r = (news_reader *)1;
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(news_open("/nonexistent/news.jsonl", NEWS_AUTO, &r, &e), SLANT_EIO);
    CHECK(r == NULL);
    CHECK_STR(e.file, "/nonexistent/news.jsonl");
    news_close(NULL);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/slant-news-XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    TEST(reader_should_yield_title_then_text_and_skip_blank_lines);
    TEST(reader_should_name_file_and_line_of_a_malformed_line);
    TEST(parser_should_reject_objects_without_a_text_string);
    TEST(parser_should_read_plain_text_one_article_a_line_with_crlf);
    TEST(parser_should_not_read_past_an_unterminated_buffer);
    TEST(reader_should_read_gzip_shards);
    TEST(reader_should_report_a_missing_file);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return test_summary("news_reader");
}
