/*
 * Technique classifier (span_classifier.h): the TECH payload, feature
 * lookup, scoring and the batch helpers. K = SLANT_N_TECHNIQUES classes,
 * F = features, N = spans of a batch.
 *
 * Weights are stored as f32: the classifier's F x K block is its bulk, and
 * f32 halves the model with no measurable change in accuracy; scores are
 * summed in double.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "span_classifier.h"
#include "linear.h"
#include "model_io.h"
#include "status.h"
#include "util/big_alloc.h"

#define K SLANT_N_TECHNIQUES
#define HEADER_BYTES 40u   /* fixed part of the payload before the biases */
#define SC_MAX_WEIGHT 1e6  /* larger weights or biases mean a corrupted file */

/* ---- lifecycle ---- */

span_classifier *span_classifier_new(size_t n_feat) {
    span_classifier *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->temperature = 1.0;
    c->second_threshold = 2.0;
    c->reported = SLANT_ALL_TECHNIQUES;
    c->groups = SPF_ALL;
    c->n_feat = n_feat;
    c->keys = calloc(n_feat ? n_feat : 1, sizeof *c->keys);
    c->w = big_calloc(n_feat * K * sizeof *c->w, 64);   /* megabytes: huge pages */
    if (!c->keys || !c->w) { span_classifier_free(c); return NULL; }
    return c;
}

void span_classifier_free(span_classifier *c) {
    if (!c) return;
    free(c->keys); free(c->w); free(c->slots); free(c->vec_scores);
    key_filter_fini(&c->filter);
    spf_vectors_fini(&c->vectors);
    free(c);
}

_Static_assert(sizeof(sc_slot) == 64, "a classifier slot is one cache line");

static size_t slot_home(uint64_t key, size_t cap) { return (size_t)(key ^ (key >> 29)) & (cap - 1); }

/* The weights of key, NULL when c has none. */
static inline const float *slot_weights(const span_classifier *c, uint64_t key) {
    if (c->slot_cap == 0 || key == 0 || !key_filter_maybe(&c->filter, key)) return NULL;
    for (size_t j = slot_home(key, c->slot_cap); c->slots[j].key; j = (j + 1) & (c->slot_cap - 1))
        if (c->slots[j].key == key) return c->slots[j].w;
    return NULL;
}

/* vec_scores, when the span mean vector is one plain block of features
 * (with SPF_VEC_LEN its sums also feed other features: left expanded). The
 * block adds sum_k (s/m sum_t q_tk) w_kc = s/m sum_t (q_t . w_c) to class
 * c's score, so each row's dot products are summed once here. */
static slant_status index_vectors(span_classifier *c) {
    free(c->vec_scores);
    c->vec_scores = NULL;
    const spf_vectors *v = &c->vectors;
    if (!v->n || !(c->groups & SPF_VECTORS) || (c->groups & SPF_VEC_LEN)) return SLANT_OK;
    float *vs = aligned_alloc(64, v->n * SC_VEC_STRIDE * sizeof *vs);
    float *wd = calloc((size_t)v->dim * SC_VEC_STRIDE, sizeof *wd);   /* dim x stride, 0 = no feature */
    if (!vs || !wd) { free(vs); free(wd); return SLANT_ENOMEM; }
    for (uint32_t k = 0; k < v->dim; k++) {
        const float *w = slot_weights(c, spf_vector_key(k));
        if (w) for (int j = 0; j < K; j++) wd[(size_t)k * SC_VEC_STRIDE + (size_t)j] = w[j];
    }
    /* 12k rows x 100 x 16 multiply-adds: branch-free so that they
     * vectorize, a few ms of the model's load. */
    for (size_t r = 0; r < v->n; r++) {
        const int8_t *q = v->q + r * v->dim;
        float dot[SC_VEC_STRIDE] = {0};
        for (uint32_t k = 0; k < v->dim; k++)
            for (size_t j = 0; j < SC_VEC_STRIDE; j++) dot[j] += (float)q[k] * wd[(size_t)k * SC_VEC_STRIDE + j];
        memcpy(vs + r * SC_VEC_STRIDE, dot, sizeof dot);
    }
    free(wd);
    c->vec_scores = vs;
    return SLANT_OK;
}

slant_status span_classifier_index(span_classifier *c) {
    size_t cap = 16;
    while (cap < 2 * c->n_feat) cap *= 2;
    sc_slot *s = big_calloc(cap * sizeof *s, 64);
    key_filter f = {0};
    if (!s || !key_filter_build(&f, c->keys, c->n_feat)) { free(s); return SLANT_ENOMEM; }
    for (size_t j = 0; j < c->n_feat; j++) {
        uint64_t key = c->keys[j];
        if (key == 0) continue;   /* never stored: 0 marks an empty slot */
        size_t i = slot_home(key, cap);
        while (s[i].key && s[i].key != key) i = (i + 1) & (cap - 1);
        s[i].key = key;
        memcpy(s[i].w, c->w + j * K, sizeof s[i].w);
    }
    free(c->slots);
    key_filter_fini(&c->filter);
    c->slots = s; c->slot_cap = cap; c->filter = f;
    static atomic_uint_fast64_t next_uid = 1;
    c->uid = (uint64_t)atomic_fetch_add(&next_uid, 1);
    return index_vectors(c);
}

/* ---- TECH payload ---- */

/* Version 2 appends the word vectors: u64 n, u32 dim, f32 scale, u32
 * depth, u32 0, n u64 keys, n x dim int8 components. Version 3 then the
 * reported techniques: u32 mask, u32 0. */
#define VEC_HEADER_BYTES 24u
#define REPORTED_BYTES 8u

slant_status span_classifier_serialize(const span_classifier *c, uint8_t **out, size_t *len) {
    const spf_vectors *v = &c->vectors;
    size_t F = c->n_feat, n = HEADER_BYTES + 8 * K + 8 * F + 4 * F * K;
    n += VEC_HEADER_BYTES + v->n * (8 + (size_t)v->dim) + REPORTED_BYTES;
    uint8_t *b = malloc(n);
    *out = NULL; *len = 0;
    if (!b) return SLANT_ENOMEM;
    mio_put_u32(b, SC_PAYLOAD_VERSION);
    mio_put_u32(b + 4, SPF_VERSION);
    mio_put_u32(b + 8, c->groups);
    mio_put_u32(b + 12, K);
    mio_put_f64(b + 16, c->temperature);
    mio_put_f64(b + 24, c->second_threshold);
    mio_put_u64(b + 32, F);
    uint8_t *p = b + HEADER_BYTES;
    for (int k = 0; k < K; k++, p += 8) mio_put_f64(p, c->bias[k]);
    for (size_t f = 0; f < F; f++, p += 8) mio_put_u64(p, c->keys[f]);
    for (size_t i = 0; i < F * K; i++, p += 4) {
        uint32_t bits;
        memcpy(&bits, &c->w[i], 4);
        mio_put_u32(p, bits);
    }
    mio_put_u64(p, v->n);
    mio_put_u32(p + 8, v->dim);
    uint32_t sbits;
    memcpy(&sbits, &v->scale, 4);
    mio_put_u32(p + 12, sbits);
    mio_put_u32(p + 16, v->depth);
    mio_put_u32(p + 20, 0);
    p += VEC_HEADER_BYTES;
    for (size_t i = 0; i < v->n; i++, p += 8) mio_put_u64(p, v->hash[i]);
    if (v->n) memcpy(p, v->q, v->n * v->dim);
    p += v->n * (size_t)v->dim;
    mio_put_u32(p, c->reported);
    mio_put_u32(p + 4, 0);
    *out = b; *len = n;
    return SLANT_OK;
}

slant_status span_classifier_parse(const uint8_t *p, size_t len, span_classifier **out) {
    span_classifier *c = NULL;
    slant_status st = SLANT_EFORMAT;
    *out = NULL;
    if (len < HEADER_BYTES) goto fail;
    uint32_t pv = mio_get_u32(p), fv = mio_get_u32(p + 4);
    if (pv < 1 || pv > SC_PAYLOAD_VERSION || fv < 1 || fv > SPF_VERSION) {
        st = pv > SC_PAYLOAD_VERSION || fv > SPF_VERSION ? SLANT_EVERSION : SLANT_EFORMAT;
        goto fail;
    }
    if (mio_get_u32(p + 12) != K) goto fail;
    uint64_t F = mio_get_u64(p + 32);
    size_t fixed = HEADER_BYTES + 8 * K;
    if (len < fixed || F > (len - fixed) / (8 + 4 * K)) goto fail;
    size_t w_end = fixed + (size_t)F * (8 + 4 * K);
    uint64_t n_vec = 0, dim = 0, depth = 0;
    if (pv == 1) {
        if (len != w_end) goto fail;
    } else {
        if (len - w_end < VEC_HEADER_BYTES) goto fail;
        n_vec = mio_get_u64(p + w_end);
        dim = mio_get_u32(p + w_end + 8);
        depth = mio_get_u32(p + w_end + 16);
        if (depth > 32 || mio_get_u32(p + w_end + 20) != 0) goto fail;
        size_t rest = len - w_end - VEC_HEADER_BYTES;
        size_t tail = pv >= 3 ? REPORTED_BYTES : 0;
        if (rest < tail) goto fail;
        rest -= tail;
        if (dim > 4096 || n_vec > rest / (8 + dim) || rest != n_vec * (8 + dim)) goto fail;
    }
    if (!(c = span_classifier_new((size_t)F))) { st = SLANT_ENOMEM; goto fail; }
    c->groups = mio_get_u32(p + 8);
    c->temperature = mio_get_f64(p + 16);
    c->second_threshold = mio_get_f64(p + 24);
    /* Training fits T in [0.01, 100] (linear_fit_temperature); a T near 0
     * makes 1/T infinite and every probability NaN (fuzz/fuzz_model_full.c).
     * Weights beyond +-1e6 are corruption too: trained ones stay near 1. */
    if (!(c->temperature >= 1e-3 && c->temperature <= 1e3) || isnan(c->second_threshold)) goto fail;
    const uint8_t *q = p + HEADER_BYTES;
    for (int k = 0; k < K; k++, q += 8) {
        c->bias[k] = mio_get_f64(q);
        if (!(fabs(c->bias[k]) <= SC_MAX_WEIGHT)) goto fail;
    }
    for (size_t f = 0; f < F; f++, q += 8) {
        c->keys[f] = mio_get_u64(q);
        if (c->keys[f] == 0 || (f && c->keys[f] <= c->keys[f - 1])) goto fail;
    }
    for (size_t i = 0; i < F * K; i++, q += 4) {
        uint32_t bits = mio_get_u32(q);
        memcpy(&c->w[i], &bits, 4);
        if (!(fabs((double)c->w[i]) <= SC_MAX_WEIGHT)) goto fail;
    }
    if (n_vec) {
        if (spf_vectors_alloc(&c->vectors, (size_t)n_vec, (uint32_t)dim) != SLANT_OK) { st = SLANT_ENOMEM; goto fail; }
        uint32_t sbits = mio_get_u32(q + 12);
        memcpy(&c->vectors.scale, &sbits, 4);
        c->vectors.depth = (uint32_t)depth;
        if (!(fabs((double)c->vectors.scale) <= SC_MAX_WEIGHT)) goto fail;
        q += VEC_HEADER_BYTES;
        for (size_t i = 0; i < n_vec; i++, q += 8) {
            c->vectors.hash[i] = mio_get_u64(q);
            if (i && c->vectors.hash[i] <= c->vectors.hash[i - 1]) goto fail;
        }
        memcpy(c->vectors.q, q, (size_t)(n_vec * dim));
    }
    if (pv >= 3) {
        const uint8_t *r = p + len - REPORTED_BYTES;
        c->reported = mio_get_u32(r);
        /* No reported technique would empty every FLC output: corruption. */
        if (c->reported == 0 || (c->reported & ~SLANT_ALL_TECHNIQUES) || mio_get_u32(r + 4) != 0) goto fail;
    }
    if ((st = span_classifier_index(c)) != SLANT_OK) goto fail;
    *out = c;
    return SLANT_OK;
fail:
    span_classifier_free(c);
    return st;
}

/* ---- classifying ---- */

slant_status span_classifier_work_init(span_classifier_work *w) {
    memset(w, 0, sizeof *w);
    spf_list_init(&w->feats);
    w->spf = spf_ctx_new();
    return w->spf ? SLANT_OK : SLANT_ENOMEM;
}

void span_classifier_work_fini(span_classifier_work *w) {
    spf_ctx_free(w->spf);
    spf_list_fini(&w->feats);
    free(w->runs);
    free(w->grams);
    memset(w, 0, sizeof *w);
}

slant_status span_classifier_article(span_classifier_work *w, const span_classifier *c,
                                     const char *text, const tok_doc *d,
                                     const feat_clusters *clusters) {
    spf_set_vectors(w->spf, c ? &c->vectors : NULL, c ? c->uid : 0);
    return spf_article(w->spf, text, d, clusters);
}

slant_status span_classifier_batch(span_classifier_work *w, const uint32_t *start,
                                   const uint32_t *end, size_t n) {
    return spf_batch(w->spf, start, end, n);
}

/* Sets the batch of the article of spans->items[ix[n]]: the spans
 * ix[n..m) with its id, m returned in *next. */
static slant_status batch_of_article(span_classifier_work *w, const lab_list *spans,
                                     const size_t *ix, size_t n, size_t *next,
                                     uint32_t **buf, size_t *cap) {
    const char *id = spans->items[ix[n]].id;
    size_t m = n;
    while (m < spans->len && strcmp(spans->items[ix[m]].id, id) == 0) m++;
    *next = m;
    if (2 * (m - n) > *cap) {
        size_t c = 2 * (m - n);
        uint32_t *p = realloc(*buf, c * sizeof *p);
        if (!p) return SLANT_ENOMEM;
        *buf = p; *cap = c;
    }
    uint32_t *start = *buf, *end = *buf + (m - n);
    for (size_t i = n; i < m; i++) {
        start[i - n] = spans->items[ix[i]].start;
        end[i - n] = spans->items[ix[i]].end;
    }
    return spf_batch(w->spf, start, end, m - n);
}

_Static_assert(sizeof(sc_run_sum) == 128, "a run sum is two cache lines");

/* The summed weights of run r's n-grams (spf_list), from w's cache or
 * looked up now; NULL when out of memory. */
static const double *run_sum(const span_classifier *c, span_classifier_work *w,
                             const spf_list *f, const spf_run *r) {
    if (!w->runs) {
        if (!(w->runs = big_calloc(SC_RUN_SLOTS * sizeof *w->runs, 64))) return NULL;
        w->runs_used = 0;
        w->run_uid = c->uid;
    }
    if (w->run_uid != c->uid || w->runs_used >= SC_RUN_SLOTS / 2) {
        memset(w->runs, 0, SC_RUN_SLOTS * sizeof *w->runs);
        w->runs_used = 0;
        w->run_uid = c->uid;
    }
    size_t i = slot_home(r->key, SC_RUN_SLOTS);
    while (w->runs[i].key && w->runs[i].key != r->key) i = (i + 1) & (SC_RUN_SLOTS - 1);
    sc_run_sum *e = &w->runs[i];
    if (e->key) return e->sum;
    if (3 * (size_t)r->len > w->grams_cap) {
        size_t cap = 3 * (size_t)r->len;
        uint64_t *g = realloc(w->grams, cap * sizeof *g);
        if (!g) return NULL;
        w->grams = g; w->grams_cap = cap;
    }
    size_t m = spf_char_grams(f->run_text + r->off, r->len, w->grams);
    for (int k = 0; k < K; k++) e->sum[k] = 0.0;
    for (size_t j = 0; j < m; j++) {
        const float *wt = slot_weights(c, w->grams[j]);
        if (wt) for (int k = 0; k < K; k++) e->sum[k] += (double)wt[k];
    }
    e->key = r->key;
    w->runs_used++;
    return e->sum;
}

/* Adds features [from, to) of f to the K sums. Features are added in
 * their order, so the same bits whatever the table layout. */
static void add_features(const span_classifier *c, const spf_list *f, size_t from, size_t to,
                         double *acc) {
    for (size_t i = from; i < to; i++) {
        const float *w = slot_weights(c, f->hash[i]);
        if (!w) continue;
        double v = f->val[i];
#if defined(__GNUC__)
#pragma GCC unroll 14
#endif
        for (int k = 0; k < K; k++) acc[k] += v * (double)w[k];
    }
}

slant_status span_classifier_scores(const span_classifier *c, span_classifier_work *w,
                                    uint32_t cp_start, uint32_t cp_end, double *scores) {
    spf_list *f = &w->feats;
    f->rows_wanted = c->vec_scores != NULL;
    f->runs_wanted = 1;
    slant_status st = spf_span(w->spf, c->groups, cp_start, cp_end, f);
    if (st != SLANT_OK) return st;
    /* Summed in a local array: through `scores` the compiler must assume it
     * may alias the weights and load and store every class each time; here
     * the K sums live in registers. */
    double acc[K];
    for (int k = 0; k < K; k++) acc[k] = c->bias[k];
    if (c->slot_cap) {
#if defined(__GNUC__)
        /* A span has a few hundred features: fetch every slot first, back to
         * back, so that as many misses are in flight as the CPU allows. */
        for (size_t i = 0; i < f->n; i++)
            if (key_filter_maybe(&c->filter, f->hash[i]))
                __builtin_prefetch(&c->slots[slot_home(f->hash[i], c->slot_cap)]);
        for (size_t i = 0; i < f->n_rows; i++)
            __builtin_prefetch(c->vec_scores + (size_t)f->rows[i] * SC_VEC_STRIDE);
#endif
        /* The features in list order, with the two factored blocks
         * (spf_list) where they stand: the runs' character n-grams, then
         * (later in the list) the mean vector. */
        size_t runs_at = f->n_runs ? f->chars_at : f->n;
        size_t rows_at = f->n_rows ? f->rows_at : f->n;
        add_features(c, f, 0, runs_at, acc);
        if (f->n_runs) {
            double sum[K] = {0};
            for (size_t i = 0; i < f->n_runs; i++) {
                const double *r = run_sum(c, w, f, &f->runs[i]);
                if (!r) return SLANT_ENOMEM;
                for (int k = 0; k < K; k++) sum[k] += r[k];
            }
            for (int k = 0; k < K; k++) acc[k] += f->chars_scale * sum[k];
        }
        add_features(c, f, runs_at, rows_at, acc);
        if (f->n_rows) {
            double sum[K] = {0};
            for (size_t i = 0; i < f->n_rows; i++) {
                const float *r = c->vec_scores + (size_t)f->rows[i] * SC_VEC_STRIDE;
                for (int k = 0; k < K; k++) sum[k] += (double)r[k];
            }
            for (int k = 0; k < K; k++) acc[k] += f->rows_scale * sum[k];
        }
        add_features(c, f, rows_at, f->n, acc);
    }
    for (int k = 0; k < K; k++) scores[k] = acc[k];
    return SLANT_OK;
}

slant_status span_classifier_predict(const span_classifier *c, span_classifier_work *w,
                                     uint32_t cp_start, uint32_t cp_end, double *p) {
    slant_status st = span_classifier_scores(c, w, cp_start, cp_end, p);
    if (st == SLANT_OK) linear_softmax(p, K, c->temperature, p);
    return st;
}

int span_classifier_flc_labels(const double *p, double threshold, int out[2]) {
    int best = linear_argmax(p, K), second = -1;
    for (int k = 0; k < K; k++)
        if (k != best && (second < 0 || p[k] > p[second])) second = k;
    out[0] = best;
    if (second >= 0 && p[second] >= threshold) { out[1] = second; return 2; }
    return 1;
}

/* ---- batches ---- */

typedef struct { const char *id; size_t i; } id_index;

static int cmp_id_index(const void *a, const void *b) {
    const id_index *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* Indices 0..N-1 ordered by article id, then list order; a new array. */
static size_t *order_by_article(const lab_list *l) {
    size_t N = l->len;
    id_index *t = malloc((N ? N : 1) * sizeof *t);
    size_t *ix = malloc((N ? N : 1) * sizeof *ix);
    if (!t || !ix) { free(t); free(ix); return NULL; }
    for (size_t i = 0; i < N; i++) { t[i].id = l->items[i].id; t[i].i = i; }
    qsort(t, N, sizeof *t, cmp_id_index);
    for (size_t i = 0; i < N; i++) ix[i] = t[i].i;
    free(t);
    return ix;
}

slant_status span_classifier_score_list(const span_classifier *c, const feat_clusters *clusters,
                                        const corpus *articles, const lab_list *spans,
                                        const char *name, int calibrated, double *out,
                                        slant_error *err) {
    span_classifier_work w;
    tok_doc d;
    tok_doc_init(&d);
    slant_status st = span_classifier_work_init(&w);
    size_t *ix = order_by_article(spans);
    const corpus_article *cur = NULL;
    uint32_t *bbuf = NULL;
    size_t bcap = 0, next = 0;
    if (st != SLANT_OK || !ix) { st = SLANT_ENOMEM; goto done; }
    for (size_t n = 0; n < spans->len; n++) {
        const lab_span *s = &spans->items[ix[n]];
        if (!cur || strcmp(cur->id, s->id) != 0) {
            if (!(cur = corpus_find(articles, s->id))) {
                st = err_set(err, SLANT_EINVAL, name, (long)s->line, -1,
                             "span names article %s, which is not among the articles", s->id);
                goto done;
            }
            if ((st = tok_tokenize(cur->text.data, cur->text.len, &d)) != SLANT_OK) goto done;
            if ((st = span_classifier_article(&w, c, cur->text.data, &d, clusters)) != SLANT_OK) goto done;
            if ((st = batch_of_article(&w, spans, ix, n, &next, &bbuf, &bcap)) != SLANT_OK) goto done;
        }
        if (s->end > cur->text.n_cp || s->start >= s->end) {
            st = err_set(err, SLANT_EINVAL, name, (long)s->line, -1,
                         "span [%u,%u) lies beyond article %s (%zu code points)",
                         s->start, s->end, s->id, cur->text.n_cp);
            goto done;
        }
        double *o = out + ix[n] * K;
        st = calibrated ? span_classifier_predict(c, &w, s->start, s->end, o)
                        : span_classifier_scores(c, &w, s->start, s->end, o);
        if (st != SLANT_OK) goto done;
    }
done:
    if (st == SLANT_ENOMEM) err_set(err, st, name, -1, -1, "out of memory");
    free(ix);
    free(bbuf);
    span_classifier_work_fini(&w);
    tok_doc_fini(&d);
    return st;
}

static int same_span(const lab_span *a, const lab_span *b) {
    return a->start == b->start && a->end == b->end && strcmp(a->id, b->id) == 0;
}

slant_status span_classifier_assign(const lab_list *spans, const double *p, int *pred) {
    size_t *ix = order_by_article(spans);
    if (!ix) return SLANT_ENOMEM;
    /* In id order copies of one span are adjacent only after sorting by
     * offsets too; count earlier copies in the same article instead. */
    size_t a = 0;
    while (a < spans->len) {
        size_t b = a;
        while (b < spans->len && strcmp(spans->items[ix[b]].id, spans->items[ix[a]].id) == 0) b++;
        for (size_t i = a; i < b; i++) {
            size_t rank = 0;
            for (size_t j = a; j < i; j++)
                rank += same_span(&spans->items[ix[j]], &spans->items[ix[i]]) ? 1u : 0u;
            const double *q = p + ix[i] * K;
            int used[K] = {0}, best = 0;
            for (size_t r = 0; r <= rank && r < K; r++) {
                best = -1;
                for (int k = 0; k < K; k++)
                    if (!used[k] && (best < 0 || q[k] > q[best])) best = k;
                used[best] = 1;
            }
            pred[ix[i]] = best;
        }
        a = b;
    }
    free(ix);
    return SLANT_OK;
}
