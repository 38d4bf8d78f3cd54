/*
 * Hierarchical binary k-means and the clusters file (wordclust.h).
 * n = words, D = vector size; x = the vectors scaled to unit length, so a
 * dot product is a cosine. A split is spherical 2-means (Dhillon & Modha
 * 2001): centroids are normalised means, a word goes to the centroid with
 * the larger cosine, i.e. to side 1 when x . (c1 - c0) > 0. Each internal
 * node keeps that hyperplane (c1 - c0) so later words can descend the tree.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "status.h"
#include "util/mix64.h"
#include "util/vec_dot.h"
#include "wordclust.h"

/* ---- random numbers ---- */

static double rng_unit(rng *r) { return (double)(rng_next(r) >> 11) * 0x1p-53; }

/* ---- clustering ---- */

void wc_opts_init(wc_opts *o) {
    o->max_depth = 16; o->iterations = 20; o->restarts = 2; o->min_size = 2; o->seed = 1;
}


typedef struct {
    int32_t child[2];    /* node ids, -1 at a leaf */
} wc_node;

typedef struct {
    const wc_opts *o;
    size_t D;
    float *x;            /* n x D: unit vectors */
    uint32_t *idx;       /* n_fit: row numbers, each node a contiguous range */
    uint32_t *tmp;       /* n_fit: partition scratch */
    uint8_t *side;       /* n_fit: current assignment, by position in the range */
    uint8_t *best;       /* n_fit: best assignment over restarts */
    double *sum;         /* 2 x D: centroid sums */
    float *cent;         /* 2 x D: unit centroids */
    float *h;            /* D: c1 - c0 */
    wc_node *nodes;      /* n_nodes */
    float *planes;       /* n_nodes x D: hyperplane of each internal node */
    size_t n_nodes, cap_nodes;
    uint32_t *path;      /* n: output */
    uint8_t *depth;      /* n: output */
} wc_ctx;

static void normalise(float *v, size_t D) {
    double s = 0;
    for (size_t k = 0; k < D; k++) s += (double)v[k] * v[k];
    if (s > 0) { float inv = (float)(1.0 / sqrt(s)); for (size_t k = 0; k < D; k++) v[k] *= inv; }
}

/* Centroids of the current assignment of rows p[0..m); 0 if a side is empty. */
static int centroids(wc_ctx *c, const uint32_t *p, size_t m) {
    size_t D = c->D, count[2] = {0, 0};
    memset(c->sum, 0, 2 * D * sizeof *c->sum);
    for (size_t i = 0; i < m; i++) {
        const float *xi = c->x + (size_t)p[i] * D;
        double *s = c->sum + c->side[i] * D;
        for (size_t k = 0; k < D; k++) s[k] += xi[k];
        count[c->side[i]]++;
    }
    if (!count[0] || !count[1]) return 0;
    for (size_t j = 0; j < 2; j++) {
        for (size_t k = 0; k < D; k++) c->cent[j * D + k] = (float)c->sum[j * D + k];
        normalise(c->cent + j * D, D);
    }
    for (size_t k = 0; k < D; k++) c->h[k] = c->cent[D + k] - c->cent[k];
    return 1;
}

/* One 2-means run from a k-means++ start; returns the cohesion
 * sum_i cos(x_i, own centroid), or -INFINITY when no split was found. */
static double two_means(wc_ctx *c, const uint32_t *p, size_t m, rng *r) {
    size_t D = c->D;
    const float *a = c->x + (size_t)p[rng_next(r) % m] * D;
    /* second seed drawn with probability proportional to 1 - cos(x, a) */
    double total = 0;
    for (size_t i = 0; i < m; i++) total += fmax(0.0, 1.0 - vec_dot(c->x + (size_t)p[i] * D, a, D));
    if (!(total > 1e-9)) return -INFINITY;   /* all words point one way */
    double u = rng_unit(r) * total, acc = 0;
    size_t b = m - 1;
    for (size_t i = 0; i < m; i++) {
        acc += fmax(0.0, 1.0 - vec_dot(c->x + (size_t)p[i] * D, a, D));
        if (acc > u) { b = i; break; }
    }
    const float *xb = c->x + (size_t)p[b] * D;
    for (size_t k = 0; k < D; k++) c->h[k] = xb[k] - a[k];
    for (int it = 0; it < c->o->iterations; it++) {
        size_t changed = 0;
        for (size_t i = 0; i < m; i++) {
            uint8_t s = vec_dot(c->x + (size_t)p[i] * D, c->h, D) > 0;
            changed += it == 0 || s != c->side[i];
            c->side[i] = s;
        }
        if (!centroids(c, p, m)) return -INFINITY;
        if (!changed) break;
    }
    double cohesion = 0;
    for (size_t i = 0; i < m; i++)
        cohesion += vec_dot(c->x + (size_t)p[i] * D, c->cent + c->side[i] * D, D);
    return cohesion;
}

static int add_node(wc_ctx *c) {
    if (c->n_nodes == c->cap_nodes) {
        size_t cap = c->cap_nodes ? c->cap_nodes * 2 : 256;
        wc_node *nn = realloc(c->nodes, cap * sizeof *nn);
        if (!nn) return -1;
        c->nodes = nn;
        float *pl = realloc(c->planes, cap * c->D * sizeof *pl);
        if (!pl) return -1;
        c->planes = pl;
        c->cap_nodes = cap;
    }
    c->nodes[c->n_nodes].child[0] = c->nodes[c->n_nodes].child[1] = -1;
    return (int)c->n_nodes++;
}

/* Splits the words idx[lo..hi) of node `node` at depth d with path bits. */
static slant_status split(wc_ctx *c, size_t lo, size_t hi, int d, uint32_t bits, int node) {
    size_t m = hi - lo, D = c->D;
    uint32_t *p = c->idx + lo;
    double best = -INFINITY;
    if (d < c->o->max_depth && m >= c->o->min_size && m >= 2) {
        for (int r = 0; r < c->o->restarts; r++) {
            rng g = {mix64(c->o->seed ^ mix64((uint64_t)bits << 8 ^ (uint64_t)d ^ (uint64_t)r << 40))};
            double q = two_means(c, p, m, &g);
            if (q > best) {
                best = q;
                memcpy(c->best, c->side, m);
                memcpy(c->planes + (size_t)node * D, c->h, D * sizeof *c->h);
            }
        }
    }
    if (best == -INFINITY) {   /* a leaf */
        for (size_t i = 0; i < m; i++) { c->path[p[i]] = bits; c->depth[p[i]] = (uint8_t)d; }
        return SLANT_OK;
    }
    /* The side holding the most frequent word (lowest row) is 0. */
    size_t first = 0;
    for (size_t i = 1; i < m; i++) if (p[i] < p[first]) first = i;
    int flip = c->best[first] == 1;
    if (flip) for (size_t k = 0; k < D; k++) c->planes[(size_t)node * D + k] = -c->planes[(size_t)node * D + k];
    size_t n0 = 0;
    for (size_t i = 0; i < m; i++) if ((c->best[i] ^ flip) == 0) c->tmp[n0++] = p[i];
    size_t n1 = n0;
    for (size_t i = 0; i < m; i++) if ((c->best[i] ^ flip) == 1) c->tmp[n1++] = p[i];
    memcpy(p, c->tmp, m * sizeof *p);
    int l = add_node(c), rr = l < 0 ? -1 : add_node(c);
    if (l < 0 || rr < 0) return SLANT_ENOMEM;
    c->nodes[node].child[0] = l;
    c->nodes[node].child[1] = rr;
    slant_status st = split(c, lo, lo + n0, d + 1, bits, l);
    if (st == SLANT_OK) st = split(c, lo + n0, hi, d + 1, bits | (uint32_t)1 << (31 - d), rr);
    return st;
}

slant_status wc_cluster(const float *vecs, size_t n, size_t D, size_t n_fit, const wc_opts *o,
                        uint32_t *path, uint8_t *depth, slant_error *err) {
    slant_status st = SLANT_OK;
    wc_ctx c;
    memset(&c, 0, sizeof c);
    if (n_fit > n) n_fit = n;
    if (D == 0 || o->max_depth < 0 || o->max_depth > WC_MAX_DEPTH || o->iterations < 1 ||
        o->restarts < 1 || n > UINT32_MAX)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "bad clustering options");
    if (n == 0) return SLANT_OK;
    c.o = o; c.D = D; c.path = path; c.depth = depth;
    size_t nf = n_fit ? n_fit : 1;
    if (!(c.x = malloc(n * D * sizeof *c.x)) || !(c.idx = malloc(nf * sizeof *c.idx)) ||
        !(c.tmp = malloc(nf * sizeof *c.tmp)) || !(c.side = malloc(nf)) || !(c.best = malloc(nf)) ||
        !(c.sum = malloc(2 * D * sizeof *c.sum)) || !(c.cent = malloc(2 * D * sizeof *c.cent)) ||
        !(c.h = malloc(D * sizeof *c.h))) { st = SLANT_ENOMEM; goto done; }
    memcpy(c.x, vecs, n * D * sizeof *c.x);
    for (size_t i = 0; i < n; i++) normalise(c.x + i * D, D);
    for (size_t i = 0; i < n_fit; i++) c.idx[i] = (uint32_t)i;
    if (add_node(&c) < 0) { st = SLANT_ENOMEM; goto done; }
    if (n_fit && (st = split(&c, 0, n_fit, 0, 0, 0)) != SLANT_OK) goto done;
    /* the rest descend the tree */
    for (size_t i = n_fit; i < n; i++) {
        int node = 0, d = 0;
        uint32_t bits = 0;
        while (n_fit && c.nodes[node].child[0] >= 0) {
            int go = vec_dot(c.x + i * D, c.planes + (size_t)node * D, D) > 0;
            if (go) bits |= (uint32_t)1 << (31 - d);
            node = c.nodes[node].child[go];
            d++;
        }
        path[i] = bits; depth[i] = (uint8_t)d;
    }
done:
    if (st == SLANT_ENOMEM) err_set(err, st, NULL, -1, -1, "out of memory clustering %zu words", n);
    free(c.x); free(c.idx); free(c.tmp); free(c.side); free(c.best);
    free(c.sum); free(c.cent); free(c.h); free(c.nodes); free(c.planes);
    return st;
}

/* ---- clusters file: writing ---- */

typedef struct { uint32_t bits; uint8_t depth; uint64_t count, hash; size_t i; } row_key;

/* Path order (a prefix before its extensions), then commoner first, then hash. */
static int by_path(const void *a, const void *b) {
    const row_key *x = a, *y = b;
    if (x->bits != y->bits) return x->bits < y->bits ? -1 : 1;
    if (x->depth != y->depth) return x->depth < y->depth ? -1 : 1;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return x->hash < y->hash ? -1 : x->hash > y->hash;
}

#define MADE_BY "# made by: "

slant_status wc_write(const char *path, size_t n, const uint64_t *hash, const uint32_t *bits,
                      const uint8_t *depth, const char *const *words, const uint64_t *counts,
                      const char *made_by, slant_error *err) {
    slant_status st = SLANT_OK;
    row_key *order = malloc((n ? n : 1) * sizeof *order);
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 5);
    FILE *f = NULL;
    if (!order || !tmp) { st = err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory"); goto done; }
    for (size_t i = 0; i < n; i++) {
        if (depth[i] > WC_MAX_DEPTH) { st = err_set(err, SLANT_EINVAL, path, -1, -1, "depth %u > 32", depth[i]); goto done; }
        order[i] = (row_key){bits[i], depth[i], counts ? counts[i] : 0, hash[i], i};
    }
    qsort(order, n, sizeof *order, by_path);
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    if (!(f = fopen(tmp, "w"))) { st = err_set(err, SLANT_EIO, tmp, -1, -1, "cannot write: %s", strerror(errno)); goto done; }
    fprintf(f, "# slant word clusters %d\n", WC_FORMAT_VERSION);
    if (made_by) {
        fputs(MADE_BY, f);
        for (const char *q = made_by; *q; q++) fputc(*q == '\n' || *q == '\r' ? ' ' : *q, f);
        fputc('\n', f);
    }
    fputs("# hash\tbits\tdepth\tword\tcount\n", f);
    for (size_t r = 0; r < n; r++) {
        size_t i = order[r].i;
        char b[WC_MAX_DEPTH + 1];
        for (int k = 0; k < depth[i]; k++) b[k] = (char)('0' + (bits[i] >> (31 - k) & 1));
        b[depth[i]] = '\0';
        fprintf(f, "%016llx\t%s\t%u", (unsigned long long)hash[i], b, depth[i]);
        if (words) {
            fputc('\t', f);
            /* the word column is for reading only: keep the row on one line */
            for (const char *w = words[i]; *w; w++) fputc(*w == '\t' || *w == '\n' || *w == '\r' ? '?' : *w, f);
            if (counts) fprintf(f, "\t%llu", (unsigned long long)counts[i]);
        }
        fputc('\n', f);
    }
    if (ferror(f)) { st = err_set(err, SLANT_EIO, tmp, -1, -1, "write error"); goto done; }
    if (fclose(f) != 0) { f = NULL; st = err_set(err, SLANT_EIO, tmp, -1, -1, "write error: %s", strerror(errno)); goto done; }
    f = NULL;
    if (rename(tmp, path) != 0) st = err_set(err, SLANT_EIO, path, -1, -1, "cannot rename %s: %s", tmp, strerror(errno));
done:
    if (f) fclose(f);
    if (st != SLANT_OK && tmp && st != SLANT_ENOMEM) remove(tmp);
    free(order); free(tmp);
    return st;
}

/* ---- clusters file: reading ---- */

void wc_table_init(wc_table *t) { memset(t, 0, sizeof *t); }

void wc_table_fini(wc_table *t) { free(t->word_hash); wc_table_init(t); }

feat_clusters wc_table_view(const wc_table *t) {
    feat_clusters v = {t->word_hash, t->cluster, t->depth, t->n, NULL};
    return v;
}

typedef struct { const char *p; size_t len, off; } cursor;

static int can_read(const cursor *c, size_t n) { return c->off + n <= c->len; }

typedef struct { uint64_t hash; uint32_t bits; uint8_t depth; long line; } parsed_row;

static int by_hash(const void *a, const void *b) {
    const parsed_row *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int hexval(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Parses one data line [c->off, end) into r. */
static slant_status parse_row(cursor *c, size_t end, const char *name, long line, parsed_row *r,
                              slant_error *err) {
    uint64_t h = 0;
    for (int k = 0; k < 16; k++) {
        int v = can_read(c, 1) && c->off < end ? hexval(c->p[c->off]) : -1;
        if (v < 0) return err_set(err, SLANT_EFORMAT, name, line, -1, "hash: expected 16 hex digits");
        h = h << 4 | (uint64_t)v;
        c->off++;
    }
    if (c->off >= end || c->p[c->off] != '\t') return err_set(err, SLANT_EFORMAT, name, line, -1, "expected a tab after the hash");
    c->off++;
    uint32_t bits = 0;
    int nb = 0;
    while (c->off < end && c->p[c->off] != '\t') {
        char ch = c->p[c->off++];
        if (ch != '0' && ch != '1') return err_set(err, SLANT_EFORMAT, name, line, -1, "bits: expected 0 or 1, got byte 0x%02x", (unsigned char)ch);
        if (nb == WC_MAX_DEPTH) return err_set(err, SLANT_EFORMAT, name, line, -1, "bits: more than 32");
        if (ch == '1') bits |= (uint32_t)1 << (31 - nb);
        nb++;
    }
    if (c->off >= end) return err_set(err, SLANT_EFORMAT, name, line, -1, "expected a tab after the bits");
    c->off++;
    int depth = 0, nd = 0;
    while (c->off < end && c->p[c->off] >= '0' && c->p[c->off] <= '9' && nd < 3) {
        depth = depth * 10 + (c->p[c->off++] - '0');
        nd++;
    }
    if (nd == 0 || (c->off < end && c->p[c->off] != '\t'))
        return err_set(err, SLANT_EFORMAT, name, line, -1, "depth: expected a number");
    if (depth != nb) return err_set(err, SLANT_EFORMAT, name, line, -1, "depth %d but %d bits", depth, nb);
    r->hash = h; r->bits = bits; r->depth = (uint8_t)depth; r->line = line;
    return SLANT_OK;
}

slant_status wc_parse(const char *buf, size_t len, const char *name, wc_table *t, slant_error *err) {
    slant_status st = SLANT_OK;
    parsed_row *rows = NULL;
    size_t n = 0, cap = 0;
    cursor c = {buf, len, 0};
    long line = 0;
    static const char magic[] = "# slant word clusters ";
    wc_table_fini(t);
    while (can_read(&c, 1)) {
        const char *nl = memchr(c.p + c.off, '\n', c.len - c.off);
        size_t end = nl ? (size_t)(nl - c.p) : c.len, next = nl ? end + 1 : end;
        if (end > c.off && c.p[end - 1] == '\r') end--;
        line++;
        if (end == c.off) { c.off = next; continue; }
        if (c.p[c.off] == '#') {
            size_t ml = sizeof magic - 1, bl = sizeof MADE_BY - 1;
            if (end - c.off >= bl && memcmp(c.p + c.off, MADE_BY, bl) == 0) {
                /* Kept for the model's metadata: control bytes become spaces,
                 * a long line is cut. */
                size_t k = 0;
                for (size_t i = c.off + bl; i < end && k + 1 < sizeof t->made_by; i++)
                    t->made_by[k++] = (unsigned char)c.p[i] < 0x20 ? ' ' : c.p[i];
                t->made_by[k] = '\0';
            }
            if (line == 1 && end - c.off > ml && memcmp(c.p + c.off, magic, ml) == 0) {
                long v = 0;
                for (size_t i = c.off + ml; i < end && c.p[i] >= '0' && c.p[i] <= '9' && v < 1000000; i++)
                    v = v * 10 + (c.p[i] - '0');
                if (v > WC_FORMAT_VERSION) {
                    st = err_set(err, SLANT_EVERSION, name, line, -1,
                                 "clusters format %ld, this build reads %d: update slant or relearn the clusters",
                                 v, WC_FORMAT_VERSION);
                    goto fail;
                }
            }
            c.off = next;
            continue;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            parsed_row *nr = realloc(rows, nc * sizeof *nr);
            if (!nr) { st = err_set(err, SLANT_ENOMEM, name, line, -1, "out of memory"); goto fail; }
            rows = nr; cap = nc;
        }
        if ((st = parse_row(&c, end, name, line, &rows[n], err)) != SLANT_OK) goto fail;
        n++;
        c.off = next;
    }
    if (n) qsort(rows, n, sizeof *rows, by_hash);
    for (size_t i = 1; i < n; i++)
        if (rows[i].hash == rows[i - 1].hash) {
            st = err_set(err, SLANT_EFORMAT, name, rows[i].line, -1, "hash %016llx already on line %ld",
                         (unsigned long long)rows[i].hash, rows[i - 1].line);
            goto fail;
        }
    /* one block: hashes (8-byte aligned first), then paths, then depths */
    size_t nn = n ? n : 1;
    char *block = malloc(nn * (sizeof(uint64_t) + sizeof(uint32_t) + 1));
    if (!block) { st = err_set(err, SLANT_ENOMEM, name, -1, -1, "out of memory"); goto fail; }
    t->word_hash = (uint64_t *)(void *)block;
    t->cluster = (uint32_t *)(void *)(block + nn * sizeof(uint64_t));
    t->depth = (uint8_t *)(block + nn * (sizeof(uint64_t) + sizeof(uint32_t)));
    for (size_t i = 0; i < n; i++) {
        t->word_hash[i] = rows[i].hash; t->cluster[i] = rows[i].bits; t->depth[i] = rows[i].depth;
    }
    t->n = n;
    free(rows);
    return SLANT_OK;
fail:
    free(rows);
    wc_table_init(t);
    return st;
}

slant_status wc_read(const char *path, wc_table *t, slant_error *err) {
    slant_status st = SLANT_OK;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(err, SLANT_EIO, path, -1, -1, "cannot open: %s", strerror(errno));
    for (;;) {
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 1 << 16;
            char *nb = realloc(buf, nc);
            if (!nb) { st = err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory"); goto done; }
            buf = nb; cap = nc;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) { st = err_set(err, SLANT_EIO, path, -1, -1, "read error"); goto done; }
    st = wc_parse(buf, len, path, t, err);
done:
    fclose(f);
    free(buf);
    return st;
}
