/*
 * Tests of article listing and loading (corpus.c): ids from paths, folder
 * order, errors for missing paths and duplicate ids, lookup by id. Every
 * fixture lives in a temporary folder made here and removed at the end.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"
#include "corpus.h"

static char root[64];

static void put(const char *rel, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static void dir(const char *rel) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    CHECK(mkdir(path, 0700) == 0);
}

static const char *rel(const char *path) {
    size_t n = strlen(root);
    return strncmp(path, root, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

static void id_should_follow_the_file_name_rules(void) {
    static const struct { const char *path, *id; } cases[] = {
        {"data/article111111111.txt", "111111111"},
        {"article7.task-si.labels", "7"},
        {"/x/y/article0042.txt", "0042"},
        {"news/story.txt", "story"},
        {"my.article.txt", "my.article"},
        {"article.txt", "article"},
        {"articleX1.txt", "articleX1"},
        {"README", "README"},
        {".hidden", ".hidden"},
        {"-", "stdin"},
        {"./-", "-"},
    };
    char id[LAB_ID_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        corpus_id_from_path(cases[i].path, id);
        CHECK_STR(id, cases[i].id);
    }
    char longname[200];
    memset(longname, 'n', 150);
    strcpy(longname + 150, ".txt");
    corpus_id_from_path(longname, id);
    CHECK_EQ_INT(strlen(id), LAB_ID_MAX - 1);
}

static void folders_should_list_txt_files_recursively_by_name(void) {
    corpus_paths p;
    slant_error err;
    corpus_paths_init(&p);
    CHECK_EQ_INT(corpus_paths_add(&p, root, &err), SLANT_OK);
    static const char *want[] = {"a.txt", "article10.txt", "article9.txt", "b.txt",
                                 "dup/article9.txt", "sub/c.txt", "sub/deeper/d.txt"};
    CHECK_EQ_INT(p.len, 7);
    for (size_t i = 0; i < p.len && i < 7; i++) CHECK_STR(rel(p.paths[i]), want[i]);
    /* a file given by name is taken whatever its extension; "-" as is */
    char path[512];
    snprintf(path, sizeof path, "%s/notes.md", root);
    CHECK_EQ_INT(corpus_paths_add(&p, path, &err), SLANT_OK);
    CHECK_EQ_INT(corpus_paths_add(&p, "-", &err), SLANT_OK);
    CHECK_EQ_INT(p.len, 9);
    CHECK_STR(rel(p.paths[7]), "notes.md");
    CHECK_STR(p.paths[8], "-");
    corpus_paths_fini(&p);
}

static void missing_paths_should_fail_naming_the_path(void) {
    corpus_paths p;
    slant_error err;
    char path[512];
    corpus_paths_init(&p);
    snprintf(path, sizeof path, "%s/nope", root);
    slant_error_clear(&err);
    CHECK_EQ_INT(corpus_paths_add(&p, path, &err), SLANT_EIO);
    CHECK_STR(err.file, path);
    CHECK_EQ_INT(p.len, 0);
    corpus c;
    corpus_init(&c);
    CHECK_EQ_INT(corpus_load(&c, path, 0, &err), SLANT_EIO);
    CHECK_STR(err.file, path);
    CHECK_EQ_INT(c.len, 0);
    corpus_fini(&c);
    corpus_paths_fini(&p);
}

static void load_should_find_articles_by_id_and_length(void) {
    corpus c;
    slant_error err;
    corpus_init(&c);
    char path[512];
    snprintf(path, sizeof path, "%s/sub", root);
    CHECK_EQ_INT(corpus_load(&c, path, 0, &err), SLANT_OK);
    snprintf(path, sizeof path, "%s/article9.txt", root);
    CHECK_EQ_INT(corpus_load(&c, path, 0, &err), SLANT_OK);
    CHECK_EQ_INT(c.len, 3);
    const corpus_article *a = corpus_find(&c, "9");
    CHECK(a != NULL);
    if (a) CHECK_EQ_INT(a->text.n_cp, 6);           /* "caf\xc3\xa9\n" + "!": 6 code points */
    CHECK_EQ_INT(corpus_length_of(&c, "9"), 6);
    CHECK_EQ_INT(corpus_length_of(&c, "d"), 3);
    CHECK_EQ_INT(corpus_length_of(&c, "a"), -1);
    CHECK(corpus_find(&c, "c") == &c.items[0]);

    /* lab_check_bounds with the corpus as lookup */
    lab_list l;
    lab_list_init(&l);
    const char *ok = "9\t0\t6\nc\t0\t1\n", *past = "9\t0\t7\n";
    CHECK_EQ_INT(lab_parse(ok, strlen(ok), "ok", LAB_SI, &l, &err), SLANT_OK);
    CHECK_EQ_INT(lab_check_bounds(&l, corpus_length_of, &c, "ok", &err), SLANT_OK);
    CHECK_EQ_INT(lab_parse(past, strlen(past), "past", LAB_SI, &l, &err), SLANT_OK);
    CHECK_EQ_INT(lab_check_bounds(&l, corpus_length_of, &c, "past", &err), SLANT_EFORMAT);
    CHECK_EQ_INT(err.line, 1);
    lab_list_fini(&l);

    /* a second article 9 is refused, naming both files; c is unchanged */
    snprintf(path, sizeof path, "%s/dup", root);
    CHECK_EQ_INT(corpus_load(&c, path, 0, &err), SLANT_EFORMAT);
    CHECK(strstr(err.message, "article9.txt") != NULL);
    CHECK_EQ_INT(c.len, 3);
    CHECK(corpus_find(&c, "9") != NULL);
    corpus_fini(&c);
    corpus_fini(&c);   /* fini twice is harmless */
}

static void find_should_handle_hundreds_of_articles(void) {
    char path[512];
    dir("many");
    for (int i = 0; i < 400; i++) {
        char name[64];
        snprintf(name, sizeof name, "many/article%d.txt", 1000 + i * 7);
        put(name, "x");
    }
    corpus c;
    slant_error err;
    corpus_init(&c);
    snprintf(path, sizeof path, "%s/many", root);
    CHECK_EQ_INT(corpus_load(&c, path, 0, &err), SLANT_OK);
    CHECK_EQ_INT(c.len, 400);
    int found = 0;
    for (int i = 0; i < 400; i++) {
        char id[32];
        snprintf(id, sizeof id, "%d", 1000 + i * 7);
        const corpus_article *a = corpus_find(&c, id);
        found += a != NULL && strcmp(a->id, id) == 0;
    }
    CHECK_EQ_INT(found, 400);
    CHECK(corpus_find(&c, "1001") == NULL);
    corpus_fini(&c);
    for (int i = 0; i < 400; i++) {
        snprintf(path, sizeof path, "%s/many/article%d.txt", root, 1000 + i * 7);
        remove(path);
    }
    snprintf(path, sizeof path, "%s/many", root);
    rmdir(path);
}

static void cleanup(void) {
    static const char *files[] = {"a.txt", "b.txt", "article9.txt", "article10.txt", "x.labels",
                                  ".hidden.txt", "notes.md", "sub/c.txt", "sub/deeper/d.txt",
                                  "dup/article9.txt"};
    static const char *dirs[] = {"sub/deeper", "sub", "dup"};
    char path[512];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", root, files[i]);
        remove(path);
    }
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", root, dirs[i]);
        rmdir(path);
    }
    rmdir(root);
}

int main(void) {
    snprintf(root, sizeof root, "/tmp/slant-corpus-XXXXXX");
    if (!mkdtemp(root)) { perror("mkdtemp"); return 1; }
    put("b.txt", "bee\n");
    put("a.txt", "ay\n");
    put("article10.txt", "ten\n");
    put("article9.txt", "caf\xc3\xa9\n!");
    put("x.labels", "9\t0\t1\n");
    put(".hidden.txt", "hidden\n");
    put("notes.md", "notes\n");
    dir("sub");
    dir("sub/deeper");
    put("sub/c.txt", "c\n");
    put("sub/deeper/d.txt", "dd\n");
    dir("dup");
    put("dup/article9.txt", "again\n");

    TEST(id_should_follow_the_file_name_rules);
    TEST(folders_should_list_txt_files_recursively_by_name);
    TEST(missing_paths_should_fail_naming_the_path);
    TEST(load_should_find_articles_by_id_and_length);
    TEST(find_should_handle_hundreds_of_articles);
    cleanup();
    return test_summary("test_corpus");
}
