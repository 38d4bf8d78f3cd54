/*
 * Tests of the label file parser, reader, writer and sorter (labels.c) and
 * of the technique table (techniques.c). Every parse error is checked with
 * the file name and line it must report. Fixtures are written here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"
#include "labels.h"

/* Parses s (copied into a buffer of exactly strlen(s) bytes, so that ASan
 * catches any read past len) as file "f.labels". */
static slant_status parse(const char *s, lab_kind kind, lab_list *out, slant_error *err) {
    size_t n = strlen(s);
    char *buf = malloc(n ? n : 1);
    memcpy(buf, s, n);
    slant_error_clear(err);
    slant_status st = lab_parse(buf, n, "f.labels", kind, out, err);
    free(buf);
    return st;
}

/* Expects s to fail on line `line` with a message containing `what`. */
static void expect_error(const char *s, lab_kind kind, long line, const char *what) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(parse(s, kind, &l, &err), SLANT_EFORMAT);
    CHECK_EQ_INT(err.status, SLANT_EFORMAT);
    CHECK_STR(err.file, "f.labels");
    CHECK_EQ_INT(err.line, line);
    if (!strstr(err.message, what)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.message, what);
        CHECK(0);
    }
    CHECK_EQ_INT(l.len, 0);
    lab_list_fini(&l);
}

/* ---- techniques ---- */

static const char *corpus_names[SLANT_N_TECHNIQUES] = {
    "Appeal_to_Authority", "Appeal_to_fear-prejudice", "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy", "Causal_Oversimplification", "Doubt",
    "Exaggeration,Minimisation", "Flag-Waving", "Loaded_Language", "Name_Calling,Labeling",
    "Repetition", "Slogans", "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
};

static void techniques_should_follow_the_corpus_list_in_order(void) {
    for (int i = 0; i < SLANT_N_TECHNIQUES; i++) {
        const slant_technique *t = slant_technique_get(i);
        CHECK(t != NULL);
        if (!t) continue;
        CHECK_STR(t->name, corpus_names[i]);
        CHECK(strlen(t->short_name) >= 1 && strlen(t->short_name) <= 5);
        CHECK(strlen(t->display) > 0 && strlen(t->definition) > 40);
        CHECK_EQ_INT(slant_technique_find(t->name, strlen(t->name)), i);
        for (int j = 0; j < i; j++) CHECK(strcmp(slant_technique_get(j)->short_name, t->short_name) != 0);
    }
    CHECK(slant_technique_get(-1) == NULL);
    CHECK(slant_technique_get(SLANT_N_TECHNIQUES) == NULL);
}

static void technique_find_should_use_the_length_not_a_terminator(void) {
    CHECK_EQ_INT(slant_technique_find("DoubtX", 5), 5);
    CHECK_EQ_INT(slant_technique_find("Doubt", 4), -1);
    CHECK_EQ_INT(slant_technique_find("doubt", 5), -1);
    CHECK_EQ_INT(slant_technique_find(NULL, 0), -1);
}

static void techniques_should_match_the_corpus_file_when_present(void) {
    const char *root = getenv("SLANT_PTC");
    char path[1024], line[256];
    if (!root || !*root) SKIP("SLANT_PTC not set (e.g. SLANT_PTC=/work/shared/data/ptc)");
    snprintf(path, sizeof path, "%s/techniques.txt", root);
    FILE *f = fopen(path, "r");
    if (!f) SKIP("SLANT_PTC has no techniques.txt");
    int i = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line) continue;
        CHECK(i < SLANT_N_TECHNIQUES);
        if (i < SLANT_N_TECHNIQUES) CHECK_STR(slant_technique_get(i)->name, line);
        i++;
    }
    fclose(f);
    CHECK_EQ_INT(i, SLANT_N_TECHNIQUES);
}

/* ---- parsing ---- */

static void parse_should_read_si_lines(void) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(parse("111\t0\t5\n222\t10\t4294967295\n", LAB_SI, &l, &err), SLANT_OK);
    CHECK_EQ_INT(l.len, 2);
    CHECK_STR(l.items[0].id, "111");
    CHECK_EQ_INT(l.items[0].technique, -1);
    CHECK_EQ_INT(l.items[0].start, 0);
    CHECK_EQ_INT(l.items[0].end, 5);
    CHECK_EQ_INT(l.items[0].line, 1);
    CHECK_EQ_INT(l.items[1].end, 4294967295u);
    CHECK_EQ_INT(l.items[1].line, 2);
    lab_list_fini(&l);
}

static void parse_should_read_tc_lines(void) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(parse("7\tLoaded_Language\t3\t9\n7\tName_Calling,Labeling\t1\t2\n", LAB_TC, &l, &err),
                 SLANT_OK);
    CHECK_EQ_INT(l.len, 2);
    CHECK_EQ_INT(l.items[0].technique, 8);
    CHECK_EQ_INT(l.items[1].technique, 9);
    CHECK_EQ_INT(l.items[1].start, 1);
    lab_list_fini(&l);
}

static void parse_should_accept_crlf_blank_lines_and_no_final_newline(void) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(parse("\r\n1\t0\t5\r\n\n   \n2\t 6 \t8 \t\r\n2\t9\t10", LAB_SI, &l, &err), SLANT_OK);
    CHECK_EQ_INT(l.len, 3);
    CHECK_EQ_INT(l.items[0].line, 2);
    CHECK_EQ_INT(l.items[1].line, 5);
    CHECK_EQ_INT(l.items[1].start, 6);
    CHECK_EQ_INT(l.items[1].end, 8);
    CHECK_EQ_INT(l.items[2].line, 6);
    CHECK_EQ_INT(l.items[2].end, 10);
    lab_list_fini(&l);
}

static void parse_should_accept_empty_input(void) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(lab_parse(NULL, 0, "f", LAB_TC, &l, &err), SLANT_OK);
    CHECK_EQ_INT(parse("\n\r\n", LAB_AUTO, &l, &err), SLANT_OK);
    CHECK_EQ_INT(l.len, 0);
    lab_list_fini(&l);
}

static void parse_should_append_and_keep_the_list_on_error(void) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(parse("1\t0\t5\n", LAB_SI, &l, &err), SLANT_OK);
    CHECK_EQ_INT(parse("2\t0\t5\n2\t5\t1\n", LAB_SI, &l, &err), SLANT_EFORMAT);
    CHECK_EQ_INT(l.len, 1);
    CHECK_EQ_INT(parse("3\t1\t2\n", LAB_SI, &l, &err), SLANT_OK);
    CHECK_EQ_INT(l.len, 2);
    CHECK_STR(l.items[1].id, "3");
    lab_list_fini(&l);
}

static void parse_should_report_wrong_column_counts(void) {
    expect_error("1\tDoubt\t0\t5\n1\t0\t5\n", LAB_TC, 2, "expected 4 tab-separated columns, found 3");
    expect_error("1\t0\t5\n\n1\tDoubt\t0\t5\n", LAB_SI, 3, "expected 3 tab-separated columns, found 4");
    expect_error("1 0 5\n", LAB_SI, 1, "expected 3 tab-separated columns, found 1");
    expect_error("1\t0\t5\t6\t7\n", LAB_AUTO, 1, "expected 3 or 4 tab-separated columns, found 5");
    expect_error("1\t2\t3\t4\t5\t6\t7\t8\t9\t10\n", LAB_TC_ANY, 1, "found 10");
    /* AUTO decides on the first line, later lines must agree */
    expect_error("1\t0\t5\n1\tDoubt\t6\t9\n", LAB_AUTO, 2, "expected 3 tab-separated columns, found 4");
    expect_error("1\tDoubt\t6\t9\n1\t0\t5\n", LAB_AUTO, 2, "expected 4 tab-separated columns, found 3");
}

static void parse_should_report_bad_offsets(void) {
    expect_error("1\tx5\t9\n", LAB_SI, 1, "start offset 'x5' is not a number");
    expect_error("1\t5\t9.0\n", LAB_SI, 1, "end offset '9.0' is not a number");
    expect_error("1\t\t9\n", LAB_SI, 1, "start offset is empty");
    expect_error("1\t5\t\n1\t1\t2\n", LAB_TC_ANY, 1, "expected 3 or 4 tab-separated columns, found 2");
    expect_error("1\t-3\t9\n", LAB_SI, 1, "start offset -3 is negative");
    expect_error("1\t0\t5\n1\tDoubt\t3\t-9\n", LAB_TC_ANY, 2, "end offset -9 is negative");
    expect_error("1\t+3\t9\n", LAB_SI, 1, "not a number");
}

static void parse_should_report_offsets_beyond_32_bits(void) {
    expect_error("1\t0\t4294967296\n", LAB_SI, 1, "end offset 4294967296 is too large");
    expect_error("1\t99999999999999999999999\t5\n", LAB_SI, 1, "is too large");
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(parse("1\t4294967294\t4294967295\n", LAB_SI, &l, &err), SLANT_OK);
    lab_list_fini(&l);
}

static void parse_should_report_empty_or_reversed_spans(void) {
    expect_error("1\t5\t5\n", LAB_SI, 1, "start 5 is not before end 5");
    expect_error("\n1\t0\t1\n1\t9\t4\n", LAB_SI, 3, "start 9 is not before end 4");
}

static void parse_should_report_unknown_techniques_with_a_hint(void) {
    expect_error("1\tLoaded_language\t0\t5\n", LAB_TC, 1,
                 "unknown technique 'Loaded_language'; did you mean 'Loaded_Language'?");
    expect_error("1\tFlag_Waving\t0\t5\n", LAB_AUTO, 1, "did you mean 'Flag-Waving'?");
    expect_error("1\tpropaganda\t0\t5\n", LAB_TC, 1, "unknown technique 'propaganda'; names are");
    expect_error("1\t?\t0\t5\n", LAB_TC, 1, "unknown technique '?'");
}

static void parse_should_report_bad_ids(void) {
    char line[200];
    memset(line, 'a', 64);
    snprintf(line + 64, sizeof line - 64, "\t0\t5\n");
    expect_error(line, LAB_SI, 1, "is 64 bytes long, at most 63");
    memset(line, 'a', 63);
    snprintf(line + 63, sizeof line - 63, "\t0\t5\n");
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(parse(line, LAB_SI, &l, &err), SLANT_OK);
    CHECK_EQ_INT(strlen(l.items[0].id), 63);
    lab_list_fini(&l);
    expect_error("\t0\t5\n", LAB_SI, 1, "empty article id");
    expect_error("a\x01z\t0\t5\n", LAB_SI, 1, "control character");
}

static void parse_should_accept_nul_bytes_only_where_harmless(void) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    const char bad[] = "1\0\t0\t5\n";   /* NUL inside the id */
    CHECK_EQ_INT(lab_parse(bad, sizeof bad - 1, "f.labels", LAB_SI, &l, &err), SLANT_EFORMAT);
    CHECK_EQ_INT(err.line, 1);
    const char tech[] = "1\tDoubt\0\t0\t5\n";
    CHECK_EQ_INT(lab_parse(tech, sizeof tech - 1, "f.labels", LAB_TC, &l, &err), SLANT_EFORMAT);
    CHECK_EQ_INT(l.len, 0);
    lab_list_fini(&l);
}

static void parse_any_should_take_unknown_techniques_and_three_columns(void) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(parse("1\t?\t0\t5\n1\tSomething\t2\t3\n1\t4\t6\n1\tDoubt\t7\t8\n", LAB_TC_ANY, &l, &err),
                 SLANT_OK);
    CHECK_EQ_INT(l.len, 4);
    CHECK_EQ_INT(l.items[0].technique, -1);
    CHECK_EQ_INT(l.items[1].technique, -1);
    CHECK_EQ_INT(l.items[2].technique, -1);
    CHECK_EQ_INT(l.items[2].start, 4);
    CHECK_EQ_INT(l.items[3].technique, 5);
    lab_list_fini(&l);
}

/* ---- writing, sorting, reading ---- */

static void write_then_parse_should_round_trip(void) {
    lab_list l, back;
    slant_error err;
    lab_list_init(&l);
    lab_list_init(&back);
    CHECK_EQ_INT(parse("9\tDoubt\t3\t9\n10\tSlogans\t0\t4294967295\nabc\tRepetition\t1\t2\n",
                       LAB_TC, &l, &err), SLANT_OK);
    for (int kind = 0; kind < 2; kind++) {
        FILE *f = tmpfile();
        CHECK(f != NULL);
        if (!f) break;
        CHECK_EQ_INT(lab_write(f, &l, kind ? LAB_TC : LAB_SI), SLANT_OK);
        long n = ftell(f);
        rewind(f);
        char *buf = malloc((size_t)n);
        CHECK_EQ_INT(fread(buf, 1, (size_t)n, f), n);
        fclose(f);
        back.len = 0;
        CHECK_EQ_INT(lab_parse(buf, (size_t)n, "tmp", kind ? LAB_TC : LAB_SI, &back, &err), SLANT_OK);
        free(buf);
        CHECK_EQ_INT(back.len, l.len);
        for (size_t i = 0; i < l.len && i < back.len; i++) {
            CHECK_STR(back.items[i].id, l.items[i].id);
            CHECK_EQ_INT(back.items[i].start, l.items[i].start);
            CHECK_EQ_INT(back.items[i].end, l.items[i].end);
            CHECK_EQ_INT(back.items[i].technique, kind ? l.items[i].technique : -1);
        }
    }
    lab_list_fini(&l);
    lab_list_fini(&back);
}

static void write_should_mark_unknown_techniques_with_a_question_mark(void) {
    lab_list l;
    lab_list_init(&l);
    lab_span s = {"5", -1, 1, 2, 0};
    CHECK_EQ_INT(lab_list_push(&l, &s), SLANT_OK);
    char buf[64] = {0};
    FILE *f = tmpfile();
    CHECK_EQ_INT(lab_write(f, &l, LAB_TC_ANY), SLANT_OK);
    rewind(f);
    CHECK(fgets(buf, sizeof buf, f) != NULL);
    CHECK_STR(buf, "5\t?\t1\t2\n");
    fclose(f);
    lab_list_fini(&l);
}

static void sort_should_order_numeric_ids_by_value(void) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(parse("10\tDoubt\t5\t9\n9\tSlogans\t1\t2\n10\tDoubt\t1\t9\n10\tAppeal_to_Authority\t1\t9\n"
                       "b\tDoubt\t1\t2\na\tDoubt\t1\t2\n010\tDoubt\t0\t1\n",
                       LAB_TC, &l, &err), SLANT_OK);
    lab_sort(&l);
    const char *ids[] = {"9", "010", "10", "10", "10", "a", "b"};
    for (size_t i = 0; i < 7; i++) CHECK_STR(l.items[i].id, ids[i]);
    CHECK_EQ_INT(l.items[2].start, 1);
    CHECK_EQ_INT(l.items[2].technique, 0);
    CHECK_EQ_INT(l.items[3].technique, 5);
    CHECK_EQ_INT(l.items[4].start, 5);
    lab_list_fini(&l);
}

static long long fixed_lengths(void *ctx, const char *id) {
    (void)ctx;
    if (strcmp(id, "1") == 0) return 10;
    return -1;
}

static void check_bounds_should_name_the_file_and_line(void) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(parse("1\t0\t10\n", LAB_SI, &l, &err), SLANT_OK);
    CHECK_EQ_INT(lab_check_bounds(&l, fixed_lengths, NULL, "p.labels", &err), SLANT_OK);
    CHECK_EQ_INT(parse("1\t5\t11\n", LAB_SI, &l, &err), SLANT_OK);
    CHECK_EQ_INT(lab_check_bounds(&l, fixed_lengths, NULL, "p.labels", &err), SLANT_EFORMAT);
    CHECK_STR(err.file, "p.labels");
    CHECK_EQ_INT(err.line, 1);
    CHECK(strstr(err.message, "10 code points") != NULL);
    l.len = 0;
    CHECK_EQ_INT(parse("\n2\t0\t1\n", LAB_SI, &l, &err), SLANT_OK);
    CHECK_EQ_INT(lab_check_bounds(&l, fixed_lengths, NULL, "p.labels", &err), SLANT_EFORMAT);
    CHECK_EQ_INT(err.line, 2);
    CHECK(strstr(err.message, "article 2 is not") != NULL);
    lab_list_fini(&l);
}

static void write_file(const char *dir, const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static void read_should_take_a_folder_of_per_article_files(void) {
    char dir[] = "/tmp/slant-labels-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    write_file(dir, "article2.task-si.labels", "2\t1\t4\n");
    write_file(dir, "article2.task-flc-tc.labels", "2\tDoubt\t1\t4\n2\tSlogans\t2\t3\n");
    write_file(dir, "article10.task-si.labels", "");
    write_file(dir, "article10.task-flc-tc.labels", "");
    write_file(dir, "article1.task-si.labels", "1\t0\t9\r\n");
    write_file(dir, "article1.task-flc-tc.labels", "1\tLoaded_Language\t0\t9\n");
    write_file(dir, "notes.txt", "not labels\n");

    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(lab_read(dir, LAB_SI, &l, &err), SLANT_OK);
    CHECK_EQ_INT(l.len, 2);
    CHECK_STR(l.items[0].id, "1");   /* name order: article1., article10., article2. */
    CHECK_EQ_INT(l.items[1].start, 1);
    l.len = 0;
    CHECK_EQ_INT(lab_read(dir, LAB_TC, &l, &err), SLANT_OK);
    CHECK_EQ_INT(l.len, 3);
    CHECK_EQ_INT(l.items[0].technique, 8);
    l.len = 0;
    CHECK_EQ_INT(lab_read(dir, LAB_AUTO, &l, &err), SLANT_OK);
    CHECK_EQ_INT(l.len, 3);

    /* an error in the second file names it and leaves the list as it was */
    write_file(dir, "article3.task-flc-tc.labels", "3\tDoubt\t1\t4\n3\tDoubt\t9\t4\n");
    l.len = 0;
    CHECK_EQ_INT(lab_read(dir, LAB_TC, &l, &err), SLANT_EFORMAT);
    CHECK(strstr(err.file, "article3.task-flc-tc.labels") != NULL);
    CHECK_EQ_INT(err.line, 2);
    CHECK_EQ_INT(l.len, 0);

    const char *names[] = {"article2.task-si.labels", "article2.task-flc-tc.labels",
                           "article10.task-si.labels", "article10.task-flc-tc.labels",
                           "article1.task-si.labels", "article1.task-flc-tc.labels",
                           "article3.task-flc-tc.labels", "notes.txt"};
    char path[512];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        remove(path);
    }
    CHECK_EQ_INT(lab_read(dir, LAB_SI, &l, &err), SLANT_EIO);
    CHECK(strstr(err.message, "no *.labels") != NULL);
    rmdir(dir);
    lab_list_fini(&l);
}

static void read_should_name_a_missing_file(void) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(lab_read("/nonexistent/x.labels", LAB_SI, &l, &err), SLANT_EIO);
    CHECK_STR(err.file, "/nonexistent/x.labels");
    lab_list_fini(&l);
}

static void read_should_name_the_file_in_parse_errors(void) {
    char path[] = "/tmp/slant-labels-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    fputs("1\tDoubt\t0\t5\n1\tDoubt\t0\n", f);
    fclose(f);
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    CHECK_EQ_INT(lab_read(path, LAB_AUTO, &l, &err), SLANT_EFORMAT);
    CHECK_STR(err.file, path);
    CHECK_EQ_INT(err.line, 2);
    CHECK_STR(err.message, "expected 4 tab-separated columns, found 3");
    remove(path);
    lab_list_fini(&l);
}

int main(void) {
    TEST(techniques_should_follow_the_corpus_list_in_order);
    TEST(technique_find_should_use_the_length_not_a_terminator);
    TEST(techniques_should_match_the_corpus_file_when_present);
    TEST(parse_should_read_si_lines);
    TEST(parse_should_read_tc_lines);
    TEST(parse_should_accept_crlf_blank_lines_and_no_final_newline);
    TEST(parse_should_accept_empty_input);
    TEST(parse_should_append_and_keep_the_list_on_error);
    TEST(parse_should_report_wrong_column_counts);
    TEST(parse_should_report_bad_offsets);
    TEST(parse_should_report_offsets_beyond_32_bits);
    TEST(parse_should_report_empty_or_reversed_spans);
    TEST(parse_should_report_unknown_techniques_with_a_hint);
    TEST(parse_should_report_bad_ids);
    TEST(parse_should_accept_nul_bytes_only_where_harmless);
    TEST(parse_any_should_take_unknown_techniques_and_three_columns);
    TEST(write_then_parse_should_round_trip);
    TEST(write_should_mark_unknown_techniques_with_a_question_mark);
    TEST(sort_should_order_numeric_ids_by_value);
    TEST(check_bounds_should_name_the_file_and_line);
    TEST(read_should_take_a_folder_of_per_article_files);
    TEST(read_should_name_a_missing_file);
    TEST(read_should_name_the_file_in_parse_errors);
    return test_summary("test_labels");
}
