/* JSON Lines article input (input_jsonl.h): ids, text, errors naming lines. */
#include <unistd.h>
#include "test.h"
#include "input_jsonl.h"

static slant_status parse(const char *line, input_jsonl_item *it, int *got, slant_error *err) {
    return input_jsonl_parse_line(line, strlen(line), "in.jsonl", 7, it, got, err);
}

static void parse_should_read_id_and_text(void) {
    input_jsonl_item it; input_jsonl_item_init(&it);
    int got = 0;
    CHECK_EQ_INT(parse("{\"id\": \"a1\", \"text\": \"Caf\\u00e9 \\\"ok\\\"\\n\", \"x\": [1, {}]}", &it, &got, NULL), SLANT_OK);
    CHECK_EQ_INT(got, 1);
    CHECK_STR(it.id, "a1");
    CHECK_STR(it.text, "Caf\xC3\xA9 \"ok\"\n");
    CHECK_EQ_INT(it.len, 11);
    CHECK_EQ_INT(it.line, 7);
    input_jsonl_item_fini(&it);
}

static void parse_should_take_integer_ids_and_default_to_the_line(void) {
    input_jsonl_item it; input_jsonl_item_init(&it);
    int got = 0;
    CHECK_EQ_INT(parse("{\"id\": 111111112, \"text\": \"t\"}", &it, &got, NULL), SLANT_OK);
    CHECK_STR(it.id, "111111112");
    CHECK_EQ_INT(parse("{\"text\": \"t\"}", &it, &got, NULL), SLANT_OK);
    CHECK_STR(it.id, "7");
    input_jsonl_item_fini(&it);
}

static void parse_should_skip_blank_lines(void) {
    input_jsonl_item it; input_jsonl_item_init(&it);
    int got = 1;
    CHECK_EQ_INT(parse("   \r", &it, &got, NULL), SLANT_OK);
    CHECK_EQ_INT(got, 0);
    input_jsonl_item_fini(&it);
}

static void parse_should_name_the_line_of_each_error(void) {
    const char *bad[] = {
        "not json", "[1,2]", "{\"id\": \"a\"}", "{\"text\": 3}", "{\"text\": \"a\"} x",
        "{\"id\": -1, \"text\": \"a\"}", "{\"id\": 1.5, \"text\": \"a\"}", "{\"id\": \"\", \"text\": \"a\"}",
        "{\"id\": \"a\\tb\", \"text\": \"a\"}", "{\"id\": true, \"text\": \"a\"}",
        "{\"text\": \"a\\u0000b\"}", "{\"text\": \"a\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        input_jsonl_item it; input_jsonl_item_init(&it);
        slant_error err; slant_error_clear(&err);
        int got = 1;
        CHECK_EQ_INT(parse(bad[i], &it, &got, &err), SLANT_EFORMAT);
        CHECK_EQ_INT(got, 0);
        CHECK_EQ_INT(err.line, 7);
        CHECK_STR(err.file, "in.jsonl");
        if (err.line != 7) fprintf(stderr, "  for: %s\n", bad[i]);
        input_jsonl_item_fini(&it);
    }
}

static void escaped_backslash_before_u0000_is_not_a_nul(void) {
    input_jsonl_item it; input_jsonl_item_init(&it);
    int got = 0;
    CHECK_EQ_INT(parse("{\"text\": \"a\\\\u0000\"}", &it, &got, NULL), SLANT_OK);
    CHECK_STR(it.text, "a\\u0000");
    input_jsonl_item_fini(&it);
}

static void reader_should_go_on_after_a_bad_line(void) {
    char path[] = "/tmp/slant-test-jsonl-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    const char *body = "\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"one\"}\r\n\nbroken\n{\"id\":\"c\",\"text\":\"three\"}";
    CHECK(write(fd, body, strlen(body)) == (ssize_t)strlen(body));
    close(fd);
    input_jsonl *r = NULL;
    CHECK_EQ_INT(input_jsonl_open(path, &r, NULL), SLANT_OK);
    input_jsonl_item it; input_jsonl_item_init(&it);
    int got = 0;
    slant_error err; slant_error_clear(&err);
    CHECK_EQ_INT(input_jsonl_next(r, &it, &got, &err), SLANT_OK);
    CHECK(got && strcmp(it.id, "a") == 0 && strcmp(it.text, "one") == 0 && it.line == 1);
    CHECK_EQ_INT(input_jsonl_next(r, &it, &got, &err), SLANT_EFORMAT);
    CHECK_EQ_INT(err.line, 3);
    CHECK_EQ_INT(input_jsonl_next(r, &it, &got, &err), SLANT_OK);
    CHECK(got && strcmp(it.id, "c") == 0 && it.line == 4);
    CHECK_EQ_INT(input_jsonl_next(r, &it, &got, &err), SLANT_OK);
    CHECK_EQ_INT(got, 0);
    input_jsonl_item_fini(&it);
    input_jsonl_close(r);
    unlink(path);
}

static void open_should_name_a_missing_file(void) {
    input_jsonl *r = NULL;
    slant_error err; slant_error_clear(&err);
    CHECK_EQ_INT(input_jsonl_open("/nonexistent/x.jsonl", &r, &err), SLANT_EIO);
    CHECK(r == NULL);
    CHECK_STR(err.file, "/nonexistent/x.jsonl");
    input_jsonl_close(NULL);
}

int main(void) {
    TEST(parse_should_read_id_and_text);
    TEST(parse_should_take_integer_ids_and_default_to_the_line);
    TEST(parse_should_skip_blank_lines);
    TEST(parse_should_name_the_line_of_each_error);
    TEST(escaped_backslash_before_u0000_is_not_a_nul);
    TEST(reader_should_go_on_after_a_bad_line);
    TEST(open_should_name_a_missing_file);
    return test_summary("input_jsonl");
}
