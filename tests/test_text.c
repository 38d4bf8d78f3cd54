/* Tests for text.c: UTF-8 validation and repair, NUL refusal, size limit,
 * file reading, and byte <-> code point offsets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"
#include "text.h"

/* Loads s (n bytes) strictly; returns the status and fills err. */
static slant_status load(text_buf *t, const char *s, size_t n, int replace,
                         slant_error *err) {
    slant_error_clear(err);
    return text_load(t, s, n, replace, err);
}

/* ---- valid input ---- */

static void load_should_accept_ascii_and_count_code_points(void) {
    text_buf t; slant_error e; text_init(&t);
    const char *s = "Hello, world! This line is longer than eight bytes.";
    CHECK_EQ_INT(load(&t, s, strlen(s), 0, &e), SLANT_OK);
    CHECK_EQ_INT(t.len, strlen(s));
    CHECK_EQ_INT(t.n_cp, strlen(s));
    CHECK_STR(t.data, s);
    CHECK_EQ_INT(t.byte_of_cp[t.n_cp], t.len);
    for (size_t i = 0; i <= t.n_cp; i++) CHECK_EQ_INT(t.byte_of_cp[i], i);
    CHECK_EQ_INT(t.n_replaced, 0);
    text_fini(&t);
}

static void load_should_accept_every_utf8_length(void) {
    /* A (1 byte), é (2), € (3), 😀 (4), then ASCII to cross the fast path */
    const char s[] = "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 and then some ascii";
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, s, sizeof s - 1, 0, &e), SLANT_OK);
    CHECK_EQ_INT(t.n_cp, 4 + strlen(" and then some ascii"));
    CHECK_EQ_INT(t.byte_of_cp[0], 0);
    CHECK_EQ_INT(t.byte_of_cp[1], 1);
    CHECK_EQ_INT(t.byte_of_cp[2], 3);
    CHECK_EQ_INT(t.byte_of_cp[3], 6);
    CHECK_EQ_INT(t.byte_of_cp[4], 10);
    CHECK_EQ_INT(t.byte_of_cp[t.n_cp], sizeof s - 1);
    text_fini(&t);
}

static void load_should_accept_the_edges_of_each_range(void) {
    static const char *ok[] = {
        "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
        "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\x7F",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        text_buf t; slant_error e; text_init(&t);
        CHECK_EQ_INT(load(&t, ok[i], strlen(ok[i]), 0, &e), SLANT_OK);
        CHECK_EQ_INT(t.n_cp, 1);
        text_fini(&t);
    }
}

static void load_should_count_the_bom_as_one_code_point(void) {
    const char s[] = "\xEF\xBB\xBFTitle";
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, s, sizeof s - 1, 0, &e), SLANT_OK);
    CHECK_EQ_INT(t.n_cp, 6);
    CHECK_EQ_INT(t.byte_of_cp[1], 3);
    CHECK(memcmp(t.data, s, sizeof s) == 0);   /* BOM kept */
    text_fini(&t);
}

static void load_should_keep_crlf_and_lone_cr_as_they_are(void) {
    const char s[] = "a\r\nb\rc\n";
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, s, sizeof s - 1, 0, &e), SLANT_OK);
    CHECK_EQ_INT(t.n_cp, 7);
    CHECK(memcmp(t.data, s, sizeof s) == 0);
    text_fini(&t);
}

static void load_should_accept_empty_input(void) {
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, "", 0, 0, &e), SLANT_OK);
    CHECK_EQ_INT(t.len, 0);
    CHECK_EQ_INT(t.n_cp, 0);
    CHECK(t.data && t.data[0] == '\0');
    CHECK(t.byte_of_cp && t.byte_of_cp[0] == 0);
    CHECK_EQ_INT(text_cp_to_byte(&t, 0), 0);
    CHECK_EQ_INT(text_byte_to_cp(&t, 5), 0);
    text_fini(&t);
    CHECK_EQ_INT(load(&t, NULL, 0, 0, &e), SLANT_OK);
    text_fini(&t);
}

static void load_should_not_need_a_terminating_nul(void) {
    char s[12];
    memcpy(s, "abcdefghij\xC3\xA9", 12);   /* no NUL after it */
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, s, 12, 0, &e), SLANT_OK);
    CHECK_EQ_INT(t.n_cp, 11);
    CHECK_EQ_INT(t.data[12], '\0');
    text_fini(&t);
}

static void load_should_replace_what_the_buffer_held(void) {
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, "first text", 10, 0, &e), SLANT_OK);
    CHECK_EQ_INT(load(&t, "2nd", 3, 0, &e), SLANT_OK);
    CHECK_STR(t.data, "2nd");
    CHECK_EQ_INT(t.n_cp, 3);
    text_fini(&t);
    text_fini(&t);   /* twice is harmless */
}

static void load_should_leave_the_buffer_unchanged_on_failure(void) {
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, "kept", 4, 0, &e), SLANT_OK);
    CHECK_EQ_INT(load(&t, "bad\xFF", 4, 0, &e), SLANT_EENCODING);
    CHECK_STR(t.data, "kept");
    text_fini(&t);
}

/* ---- strict mode errors ---- */

/* Expects s to fail strictly with SLANT_EENCODING at byte off. */
static void expect_bad(const char *s, size_t n, long long off, const char *msg_part) {
    text_buf t; slant_error e; text_init(&t);
    slant_status st = load(&t, s, n, 0, &e);
    CHECK_EQ_INT(st, SLANT_EENCODING);
    CHECK_EQ_INT(e.status, SLANT_EENCODING);
    CHECK_EQ_INT(e.offset, off);
    if (msg_part && !strstr(e.message, msg_part)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", e.message, msg_part);
        CHECK(0);
    }
    CHECK(t.data == NULL);
    text_fini(&t);
}

static void load_should_report_invalid_byte_at_the_start(void) {
    expect_bad("\xFFhello", 6, 0, "invalid UTF-8 byte 0xFF at byte 0");
}

static void load_should_report_invalid_byte_in_the_middle(void) {
    /* past the 8-byte fast path, so the offset is computed after it */
    const char s[] = "0123456789abcdef\xC3(rest";
    expect_bad(s, sizeof s - 1, 16, "invalid UTF-8 byte 0xC3 at byte 16");
}

static void load_should_report_a_sequence_truncated_at_the_end(void) {
    const char s[] = "plain text, then \xE2\x82";
    expect_bad(s, sizeof s - 1, 17, "truncated sequence at end of input");
    expect_bad("\xF0\x9F\x98", 3, 0, "truncated");
    expect_bad("x\xC3", 2, 1, "0xC3 at byte 1");
}

static void load_should_reject_a_lone_continuation_byte(void) {
    expect_bad("ab\x80", 3, 2, "continuation");
}

static void load_should_reject_overlong_encodings(void) {
    expect_bad("\xC0\xAF", 2, 0, "overlong");             /* '/' in 2 bytes */
    expect_bad("\xC1\xBF", 2, 0, "overlong");
    expect_bad("ok \xE0\x80\xAF", 6, 3, "overlong");      /* '/' in 3 bytes */
    expect_bad("\xE0\x9F\xBF", 3, 0, "overlong");
    expect_bad("\xF0\x80\x80\xAF", 4, 0, "overlong");     /* '/' in 4 bytes */
    expect_bad("\xF0\x8F\xBF\xBF", 4, 0, "overlong");
    expect_bad("\xC0\x80", 2, 0, "overlong");             /* "modified UTF-8" NUL */
}

static void load_should_reject_surrogates(void) {
    expect_bad("\xED\xA0\x80", 3, 0, "surrogate");        /* U+D800 */
    expect_bad("x\xED\xBF\xBF", 4, 1, "surrogate");       /* U+DFFF */
    /* a CESU-8 pair for U+1F600 */
    expect_bad("\xED\xA0\xBD\xED\xB8\x80", 6, 0, "surrogate");
}

static void load_should_reject_code_points_above_u10ffff(void) {
    expect_bad("\xF4\x90\x80\x80", 4, 0, "U+10FFFF");
    expect_bad("\xF5\x80\x80\x80", 4, 0, "U+10FFFF");
    expect_bad("\xF8\x88\x80\x80\x80", 5, 0, "never");
    expect_bad("\xFE", 1, 0, NULL);
}

static void load_should_reject_a_missing_continuation_byte(void) {
    expect_bad("\xE2\x82" "A", 3, 0, "truncated sequence");
    expect_bad("\xC3 ", 2, 0, "truncated sequence");
}

static void load_should_refuse_nul_bytes_in_both_modes(void) {
    const char s[] = "text\0more";
    for (int mode = 0; mode <= 1; mode++) {
        text_buf t; slant_error e; text_init(&t);
        CHECK_EQ_INT(load(&t, s, sizeof s - 1, mode, &e), SLANT_EENCODING);
        CHECK_EQ_INT(e.offset, 4);
        CHECK(strstr(e.message, "NUL byte at byte 4") != NULL);
        CHECK(strstr(e.message, "binary") != NULL);
        text_fini(&t);
    }
    /* NUL inside an 8-byte ASCII block and as the very first byte */
    const char u[] = "abcdefg\0hijklmnop";
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, u, sizeof u - 1, 0, &e), SLANT_EENCODING);
    CHECK_EQ_INT(e.offset, 7);
    CHECK_EQ_INT(load(&t, "\0", 1, 1, &e), SLANT_EENCODING);
    CHECK_EQ_INT(e.offset, 0);
    text_fini(&t);
}

static void load_should_accept_a_null_error_record(void) {
    text_buf t; text_init(&t);
    CHECK_EQ_INT(text_load(&t, "\xFF", 1, 0, NULL), SLANT_EENCODING);
    CHECK_EQ_INT(text_load(&t, "ok", 2, 0, NULL), SLANT_OK);
    text_fini(&t);
}

static void load_should_refuse_text_over_the_size_limit(void) {
    text_buf t; slant_error e; text_init(&t);
    /* the length is checked before any byte is read */
    CHECK_EQ_INT(load(&t, "x", SLANT_MAX_ARTICLE_BYTES + 1, 0, &e), SLANT_ETOOBIG);
    CHECK_EQ_INT(e.status, SLANT_ETOOBIG);
    text_fini(&t);
}

/* ---- replace mode ---- */

static void replace_should_map_each_maximal_subpart_to_one_fffd(void) {
    /* Unicode 15 ch. 3, Table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64
     * -> a FFFD FFFD FFFD b FFFD c FFFD FFFD d */
    const char s[] = "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64";
    const char want[] = "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD"
                        "c\xEF\xBF\xBD\xEF\xBF\xBD" "d";
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, s, sizeof s - 1, 1, &e), SLANT_OK);
    CHECK_EQ_INT(t.n_replaced, 6);
    CHECK_EQ_INT(t.len, sizeof want - 1);
    CHECK(memcmp(t.data, want, sizeof want) == 0);
    CHECK_EQ_INT(t.n_cp, 10);
    CHECK_EQ_INT(t.byte_of_cp[t.n_cp], t.len);
    text_fini(&t);
}

static void replace_should_split_overlongs_and_surrogates_byte_by_byte(void) {
    /* E0 80 80: E0 cannot take 80, so three subparts of one byte each */
    const char s[] = "\xE0\x80\x80|\xED\xA0\x80|\xF4\x90\x80\x80";
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, s, sizeof s - 1, 1, &e), SLANT_OK);
    CHECK_EQ_INT(t.n_replaced, 10);
    CHECK_EQ_INT(t.n_cp, 12);
    text_fini(&t);
}

static void replace_should_fix_a_truncated_end_and_keep_offsets(void) {
    const char s[] = "abcdefghijk \xE2\x82";
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, s, sizeof s - 1, 1, &e), SLANT_OK);
    CHECK_EQ_INT(t.n_replaced, 1);
    CHECK_EQ_INT(t.n_cp, 13);
    CHECK_EQ_INT(t.len, 15);
    CHECK_EQ_INT(t.byte_of_cp[12], 12);
    CHECK(memcmp(t.data + 12, "\xEF\xBF\xBD", 4) == 0);
    text_fini(&t);
}

static void replace_should_leave_valid_text_untouched(void) {
    const char s[] = "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D";
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, s, sizeof s - 1, 1, &e), SLANT_OK);
    CHECK_EQ_INT(t.n_replaced, 0);
    CHECK(memcmp(t.data, s, sizeof s) == 0);
    text_fini(&t);
}

/* ---- offsets ---- */

static void offsets_should_round_trip_between_bytes_and_code_points(void) {
    const char s[] = "\xEF\xBB\xBFPutin\xE2\x80\x99s \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA"
                     "\xD0\xB2\xD0\xB0 \xF0\x9F\x98\x80 end\r\n";
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, s, sizeof s - 1, 0, &e), SLANT_OK);
    for (size_t cp = 0; cp <= t.n_cp; cp++)
        CHECK_EQ_INT(text_byte_to_cp(&t, text_cp_to_byte(&t, cp)), cp);
    /* every byte maps to the code point that holds it */
    for (size_t b = 0; b < t.len; b++) {
        size_t cp = text_byte_to_cp(&t, b);
        CHECK(t.byte_of_cp[cp] <= b && b < t.byte_of_cp[cp + 1]);
    }
    CHECK_EQ_INT(text_cp_to_byte(&t, 1), 3);          /* after the BOM */
    CHECK_EQ_INT(text_byte_to_cp(&t, 4), 2);          /* inside "Putin" */
    CHECK_EQ_INT(text_byte_to_cp(&t, 1), 0);          /* inside the BOM */
    text_fini(&t);
}

static void offsets_should_clamp_out_of_range_values_to_the_end(void) {
    text_buf t; slant_error e; text_init(&t);
    CHECK_EQ_INT(load(&t, "a\xC3\xA9z", 4, 0, &e), SLANT_OK);
    CHECK_EQ_INT(text_cp_to_byte(&t, 99), 4);
    CHECK_EQ_INT(text_byte_to_cp(&t, 99), 3);
    CHECK_EQ_INT(text_byte_to_cp(&t, 4), 3);
    text_fini(&t);
    text_buf empty; text_init(&empty);   /* never loaded */
    CHECK_EQ_INT(text_cp_to_byte(&empty, 3), 0);
    CHECK_EQ_INT(text_byte_to_cp(&empty, 3), 0);
}

/* ---- files ---- */

static void write_file(const char *path, const char *s, size_t n) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) return;
    CHECK(fwrite(s, 1, n, f) == n);
    fclose(f);
}

static void read_file_should_load_a_file(void) {
    char path[] = "/tmp/slant_test_text_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    close(fd);
    write_file(path, "\xEF\xBB\xBFline one\r\nline two\n", 22);
    text_buf t; slant_error e; text_init(&t); slant_error_clear(&e);
    CHECK_EQ_INT(text_read_file(&t, path, 0, &e), SLANT_OK);
    CHECK_EQ_INT(t.len, 22);
    CHECK_EQ_INT(t.n_cp, 20);
    text_fini(&t);
    remove(path);
}

static void read_file_should_name_the_file_on_bad_utf8(void) {
    char path[] = "/tmp/slant_test_text_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    close(fd);
    write_file(path, "abc\xC3", 4);
    text_buf t; slant_error e; text_init(&t); slant_error_clear(&e);
    CHECK_EQ_INT(text_read_file(&t, path, 0, &e), SLANT_EENCODING);
    CHECK_STR(e.file, path);
    CHECK_EQ_INT(e.offset, 3);
    CHECK_EQ_INT(text_read_file(&t, path, 1, &e), SLANT_OK);
    CHECK_EQ_INT(t.n_replaced, 1);
    text_fini(&t);
    remove(path);
}

static void read_file_should_report_a_missing_file(void) {
    text_buf t; slant_error e; text_init(&t); slant_error_clear(&e);
    const char *path = "/nonexistent/slant/article1.txt";
    CHECK_EQ_INT(text_read_file(&t, path, 0, &e), SLANT_EIO);
    CHECK_STR(e.file, path);
    CHECK(strstr(e.message, path) != NULL);
    CHECK(strstr(e.message, "No such file") != NULL);
    text_fini(&t);
}

static void read_file_should_refuse_a_directory(void) {
    text_buf t; slant_error e; text_init(&t); slant_error_clear(&e);
    CHECK_EQ_INT(text_read_file(&t, "/tmp", 0, &e), SLANT_EIO);
    CHECK_STR(e.file, "/tmp");
    CHECK(strstr(e.message, "is a directory") != NULL);
    text_fini(&t);
}

static void read_file_should_read_an_empty_file(void) {
    text_buf t; slant_error e; text_init(&t); slant_error_clear(&e);
    CHECK_EQ_INT(text_read_file(&t, "/dev/null", 0, &e), SLANT_OK);
    CHECK_EQ_INT(t.len, 0);
    CHECK_EQ_INT(t.n_cp, 0);
    text_fini(&t);
}

static void read_file_should_read_a_file_larger_than_its_first_buffer(void) {
    char path[] = "/tmp/slant_test_text_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    close(fd);
    size_t n = 100000;
    char *s = malloc(n);
    CHECK(s != NULL);
    if (!s) return;
    for (size_t i = 0; i < n; i++) s[i] = (char)('a' + (int)(i % 26));
    memcpy(s + n - 2, "\xC3\xA9", 2);
    write_file(path, s, n);
    text_buf t; slant_error e; text_init(&t); slant_error_clear(&e);
    CHECK_EQ_INT(text_read_file(&t, path, 0, &e), SLANT_OK);
    CHECK_EQ_INT(t.len, n);
    CHECK_EQ_INT(t.n_cp, n - 1);
    CHECK(memcmp(t.data, s, n) == 0);
    text_fini(&t);
    free(s);
    remove(path);
}

int main(void) {
    TEST(load_should_accept_ascii_and_count_code_points);
    TEST(load_should_accept_every_utf8_length);
    TEST(load_should_accept_the_edges_of_each_range);
    TEST(load_should_count_the_bom_as_one_code_point);
    TEST(load_should_keep_crlf_and_lone_cr_as_they_are);
    TEST(load_should_accept_empty_input);
    TEST(load_should_not_need_a_terminating_nul);
    TEST(load_should_replace_what_the_buffer_held);
    TEST(load_should_leave_the_buffer_unchanged_on_failure);
    TEST(load_should_report_invalid_byte_at_the_start);
    TEST(load_should_report_invalid_byte_in_the_middle);
    TEST(load_should_report_a_sequence_truncated_at_the_end);
    TEST(load_should_reject_a_lone_continuation_byte);
    TEST(load_should_reject_overlong_encodings);
    TEST(load_should_reject_surrogates);
    TEST(load_should_reject_code_points_above_u10ffff);
    TEST(load_should_reject_a_missing_continuation_byte);
    TEST(load_should_refuse_nul_bytes_in_both_modes);
    TEST(load_should_accept_a_null_error_record);
    TEST(load_should_refuse_text_over_the_size_limit);
    TEST(replace_should_map_each_maximal_subpart_to_one_fffd);
    TEST(replace_should_split_overlongs_and_surrogates_byte_by_byte);
    TEST(replace_should_fix_a_truncated_end_and_keep_offsets);
    TEST(replace_should_leave_valid_text_untouched);
    TEST(offsets_should_round_trip_between_bytes_and_code_points);
    TEST(offsets_should_clamp_out_of_range_values_to_the_end);
    TEST(read_file_should_load_a_file);
    TEST(read_file_should_name_the_file_on_bad_utf8);
    TEST(read_file_should_report_a_missing_file);
    TEST(read_file_should_refuse_a_directory);
    TEST(read_file_should_read_an_empty_file);
    TEST(read_file_should_read_a_file_larger_than_its_first_buffer);
    return test_summary("text");
}
