/*
 * Articles on disk (corpus.h): listing files and folders, article ids from
 * file names, loading a set of articles and finding one by id. Does not
 * validate or decode text itself (text.c) nor read labels (labels.c).
 *
 * Notation: a folder is walked depth first, each folder's entries in
 * strcmp order of their names, so the listing is the sorted order of the
 * paths' components; names starting with '.' are skipped. Only regular
 * files ending in ".txt" are taken from folders; a path given directly is
 * taken whatever its name. Ids: "article<digits>..." -> <digits> (as the
 * official scorer's regex "article([0-9]+).*"), else the base name up to
 * its last '.', "-" -> "stdin".
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "corpus.h"
#include "status.h"

#define CORPUS_MAX_DEPTH 32   /* guards against folder loops via symlinks */

/* ---- paths ---- */

void corpus_paths_init(corpus_paths *p) {
    p->paths = NULL;
    p->len = p->cap = 0;
}

void corpus_paths_fini(corpus_paths *p) {
    if (!p) return;
    for (size_t i = 0; i < p->len; i++) free(p->paths[i]);
    free(p->paths);
    corpus_paths_init(p);
}

/* Appends a copy of path. */
static slant_status push_path(corpus_paths *p, const char *path) {
    if (p->len == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **grown = realloc(p->paths, cap * sizeof *grown);
        if (!grown) return SLANT_ENOMEM;
        p->paths = grown;
        p->cap = cap;
    }
    if (!(p->paths[p->len] = strdup(path))) return SLANT_ENOMEM;
    p->len++;
    return SLANT_OK;
}

static int has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Joins dir and name into a new string (free it), or NULL. */
static char *join(const char *dir, const char *name) {
    size_t nd = strlen(dir), nn = strlen(name);
    int slash = nd > 0 && dir[nd - 1] != '/';
    char *s = malloc(nd + (size_t)slash + nn + 1);
    if (!s) return NULL;
    memcpy(s, dir, nd);
    if (slash) s[nd] = '/';
    memcpy(s + nd + (size_t)slash, name, nn + 1);
    return s;
}

static slant_status add_folder(corpus_paths *p, const char *dir, int depth, slant_error *err) {
    DIR *d;
    struct dirent *e;
    char **names = NULL, **grown, *full = NULL;
    size_t n = 0, cap = 0;
    slant_status st = SLANT_OK;

    if (depth > CORPUS_MAX_DEPTH)
        return err_set(err, SLANT_EIO, dir, -1, -1,
                       "folders nested more than %d deep (a symlink loop?)", CORPUS_MAX_DEPTH);
    if (!(d = opendir(dir)))
        return err_set(err, SLANT_EIO, dir, -1, -1, "cannot open folder: %s", strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            if (!(grown = realloc(names, cap * sizeof *names))) { st = SLANT_ENOMEM; goto done; }
            names = grown;
        }
        if (!(names[n] = strdup(e->d_name))) { st = SLANT_ENOMEM; goto done; }
        n++;
    }
    if (n) qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (!(full = join(dir, names[i]))) { st = SLANT_ENOMEM; goto done; }
        if (stat(full, &sb) != 0) {
            /* a dangling symlink is not an article; skip it */
        } else if (S_ISDIR(sb.st_mode)) {
            if ((st = add_folder(p, full, depth + 1, err)) != SLANT_OK) goto done;
        } else if (S_ISREG(sb.st_mode) && has_suffix(names[i], ".txt")) {
            if ((st = push_path(p, full)) != SLANT_OK) goto done;
        }
        free(full);
        full = NULL;
    }

done:
    if (st == SLANT_ENOMEM) err_set(err, st, dir, -1, -1, "out of memory");
    free(full);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    closedir(d);
    return st;
}

slant_status corpus_paths_add(corpus_paths *p, const char *path, slant_error *err) {
    struct stat sb;
    size_t old_len = p->len;
    slant_status st;

    if (!path || !*path) return err_set(err, SLANT_EINVAL, NULL, -1, -1, "empty path");
    if (strcmp(path, "-") == 0) {
        st = push_path(p, path);
    } else if (stat(path, &sb) != 0) {
        return err_set(err, SLANT_EIO, path, -1, -1, "cannot read: %s", strerror(errno));
    } else if (S_ISDIR(sb.st_mode)) {
        st = add_folder(p, path, 0, err);
    } else {
        st = push_path(p, path);
    }
    if (st != SLANT_OK) {
        if (st == SLANT_ENOMEM) err_set(err, st, path, -1, -1, "out of memory");
        while (p->len > old_len) free(p->paths[--p->len]);
    }
    return st;
}

void corpus_id_from_path(const char *path, char id[LAB_ID_MAX]) {
    if (strcmp(path, "-") == 0) {
        snprintf(id, LAB_ID_MAX, "stdin");
        return;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n;
    if (strncmp(base, "article", 7) == 0 && base[7] >= '0' && base[7] <= '9') {
        base += 7;
        n = 0;
        while (base[n] >= '0' && base[n] <= '9') n++;
    } else {
        const char *dot = strrchr(base, '.');
        n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    }
    if (n > LAB_ID_MAX - 1) n = LAB_ID_MAX - 1;
    memcpy(id, base, n);
    id[n] = '\0';
}

/* ---- loaded articles ---- */

void corpus_init(corpus *c) {
    c->items = NULL;
    c->len = c->cap = 0;
    c->by_id = NULL;
    c->n_indexed = 0;
}

void corpus_fini(corpus *c) {
    if (!c) return;
    for (size_t i = 0; i < c->len; i++) {
        free(c->items[i].path);
        text_fini(&c->items[i].text);
    }
    free(c->items);
    free(c->by_id);
    corpus_init(c);
}

/* qsort has no context argument: ids are compared through this view. */
typedef struct {
    const char *id;   /* the article's id */
    size_t index;     /* its index in items */
} id_entry;

static int cmp_entry(const void *pa, const void *pb) {
    const id_entry *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    if (c) return c;
    return (a->index > b->index) - (a->index < b->index);
}

/* Rebuilds by_id; fails on a duplicate id. */
static slant_status build_index(corpus *c, slant_error *err) {
    id_entry *e = NULL;
    size_t *idx = NULL;
    slant_status st = SLANT_OK;

    free(c->by_id);
    c->by_id = NULL;
    c->n_indexed = 0;
    if (c->len == 0) return SLANT_OK;
    if (!(e = malloc(c->len * sizeof *e)) || !(idx = malloc(c->len * sizeof *idx))) {
        st = err_set(err, SLANT_ENOMEM, NULL, -1, -1, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < c->len; i++) e[i] = (id_entry){c->items[i].id, i};
    qsort(e, c->len, sizeof *e, cmp_entry);
    for (size_t i = 0; i < c->len; i++) {
        if (i > 0 && strcmp(e[i - 1].id, e[i].id) == 0) {
            st = err_set(err, SLANT_EFORMAT, c->items[e[i].index].path, -1, -1,
                         "article id %s is also that of %s", e[i].id,
                         c->items[e[i - 1].index].path);
            goto fail;
        }
        idx[i] = e[i].index;
    }
    c->by_id = idx;
    c->n_indexed = c->len;
    idx = NULL;

fail:
    free(e);
    free(idx);
    return st;
}

slant_status corpus_load(corpus *c, const char *path, int replace_invalid, slant_error *err) {
    corpus_paths paths;
    size_t old_len = c->len;
    slant_status st;

    corpus_paths_init(&paths);
    if ((st = corpus_paths_add(&paths, path, err)) != SLANT_OK) goto fail;
    if (paths.len > (SIZE_MAX / sizeof *c->items) - c->len) { st = SLANT_ENOMEM; goto fail; }
    if (c->len + paths.len > c->cap) {
        size_t cap = c->len + paths.len;
        corpus_article *grown = realloc(c->items, cap * sizeof *grown);
        if (!grown) { st = err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory"); goto fail; }
        c->items = grown;
        c->cap = cap;
    }
    for (size_t i = 0; i < paths.len; i++) {
        corpus_article *a = &c->items[c->len];
        corpus_id_from_path(paths.paths[i], a->id);
        text_init(&a->text);
        a->path = paths.paths[i];
        if ((st = text_read_file(&a->text, a->path, replace_invalid, err)) != SLANT_OK) {
            text_fini(&a->text);
            goto fail;     /* a->path is still owned by paths */
        }
        paths.paths[i] = NULL;
        c->len++;
    }
    st = build_index(c, err);

fail:
    if (st != SLANT_OK) {
        while (c->len > old_len) {
            c->len--;
            free(c->items[c->len].path);
            text_fini(&c->items[c->len].text);
        }
        if (c->n_indexed != c->len) build_index(c, NULL);
    }
    corpus_paths_fini(&paths);   /* frees the paths not moved into c */
    return st;
}

const corpus_article *corpus_find(const corpus *c, const char *id) {
    if (c->by_id && c->n_indexed == c->len) {
        size_t lo = 0, hi = c->len;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            const corpus_article *a = &c->items[c->by_id[mid]];
            int k = strcmp(id, a->id);
            if (k == 0) return a;
            if (k < 0) hi = mid;
            else lo = mid + 1;
        }
        return NULL;
    }
    for (size_t i = 0; i < c->len; i++)
        if (strcmp(c->items[i].id, id) == 0) return &c->items[i];
    return NULL;
}

long long corpus_length_of(void *ctx, const char *id) {
    const corpus_article *a = corpus_find((const corpus *)ctx, id);
    return a ? (long long)a->text.n_cp : -1;
}
