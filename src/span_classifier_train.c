/*
 * Technique classifier training (span_classifier_train.h). N = labelled
 * spans, F = kept features, K = SLANT_N_TECHNIQUES.
 *
 * Calibration: the temperature must come from spans the weights never saw,
 * or it would only undo the overconfidence on training data. Held-out
 * articles (not spans: copies of a repeated phrase share an article, and
 * Repetition would leak) train a first model whose held-out scores fix T;
 * the final model is then trained on everything with the same settings and
 * given that T. It costs one extra training run (seconds).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "span_classifier_train.h"
#include "linear.h"
#include "linear_train.h"
#include "status.h"
#include "util/u64_sorted.h"

#define K SLANT_N_TECHNIQUES

void sct_opts_init(sct_opts *o) {
    o->groups = SPF_DEFAULT;
    o->c2 = 1e-4;
    o->max_iter = 300;
    o->min_count = 3;
    o->threads = 1;
    o->class_weight_power = 0;
    o->holdout = 5;
    o->clusters = NULL;
    o->extra = NULL;
    o->extra_weight = 1.0;
    o->vectors = NULL;
    o->bias_folds = 0;
}

/* ---- examples ---- */

typedef struct {
    size_t N, n_gold;      /* examples, of which the first n_gold are gold */
    uint64_t *hash; float *val; size_t n, cap;  /* all spans' features */
    size_t *offs;          /* N+1: span i has [offs[i], offs[i+1]) */
    int *y;                /* N gold techniques */
    size_t *article;       /* N: rank of the span's article in id order */
} examples;

static void examples_fini(examples *e) {
    free(e->hash); free(e->val); free(e->offs); free(e->y); free(e->article);
}

typedef struct { const char *id; size_t i; } id_index;

static int cmp_id_index(const void *a, const void *b) {
    const id_index *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Appends b's examples to a (b is emptied). */
static slant_status examples_append(examples *a, examples *b) {
    size_t N = a->N + b->N, n = a->n + b->n;
    uint64_t *h = realloc(a->hash, (n ? n : 1) * sizeof *h);
    if (!h) return SLANT_ENOMEM;
    a->hash = h;
    float *v = realloc(a->val, (n ? n : 1) * sizeof *v);
    if (!v) return SLANT_ENOMEM;
    a->val = v;
    size_t *o = realloc(a->offs, (N + 1) * sizeof *o);
    if (!o) return SLANT_ENOMEM;
    a->offs = o;
    int *y = realloc(a->y, (N ? N : 1) * sizeof *y);
    if (!y) return SLANT_ENOMEM;
    a->y = y;
    size_t *r = realloc(a->article, (N ? N : 1) * sizeof *r);
    if (!r) return SLANT_ENOMEM;
    a->article = r;
    memcpy(a->hash + a->n, b->hash, b->n * sizeof *h);
    memcpy(a->val + a->n, b->val, b->n * sizeof *v);
    for (size_t i = 0; i < b->N; i++) {
        a->offs[a->N + i + 1] = a->n + b->offs[i + 1];
        a->y[a->N + i] = b->y[i];
        a->article[a->N + i] = b->article[i];
    }
    a->N = N; a->n = a->cap = n;
    examples_fini(b);
    memset(b, 0, sizeof *b);
    return SLANT_OK;
}

/* Rank of article id among the sorted distinct ids of gold's labelled spans
 * (ids not among them: mixed into the same range by hashing), so that the
 * held-out articles are the same whichever list a span comes from. */
static size_t article_rank(const char *const *ids, size_t n, const char *id) {
    size_t lo = 0, hi = n;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (strcmp(ids[m], id) < 0) lo = m + 1; else hi = m; }
    if (lo < n && strcmp(ids[lo], id) == 0) return lo;
    size_t h = 0;
    for (const char *p = id; *p; p++) h = h * 31 + (unsigned char)*p;
    return h;
}

/* Features of every labelled span of gold, in list order. */
static slant_status extract(const corpus *train, const lab_list *gold, const char *name,
                            uint32_t groups, const feat_clusters *clusters,
                            const spf_vectors *vectors,
                            const char *const *rank_ids, size_t n_rank_ids, examples *e,
                            slant_error *err) {
    id_index *ord = NULL;
    size_t *which = NULL;
    span_classifier_work w;
    tok_doc d;
    tok_doc_init(&d);
    slant_status st = span_classifier_work_init(&w);
    memset(e, 0, sizeof *e);
    size_t N = 0;
    for (size_t i = 0; i < gold->len; i++) N += gold->items[i].technique >= 0;
    if (st != SLANT_OK) goto fail;
    if (N == 0) { st = err_set(err, SLANT_EINVAL, name, -1, -1, "no span carries a technique"); goto fail; }
    e->N = e->n_gold = N;
    ord = malloc(N * sizeof *ord);
    which = malloc(N * sizeof *which);
    e->offs = calloc(N + 1, sizeof *e->offs);
    e->y = malloc(N * sizeof *e->y);
    e->article = malloc(N * sizeof *e->article);
    size_t *len = calloc(N, sizeof *len);
    if (!ord || !which || !e->offs || !e->y || !e->article || !len) { free(len); st = SLANT_ENOMEM; goto fail; }
    for (size_t i = 0, n = 0; i < gold->len; i++)
        if (gold->items[i].technique >= 0) { ord[n].id = gold->items[i].id; ord[n].i = i; which[n] = n; n++; }
    qsort(ord, N, sizeof *ord, cmp_id_index);
    /* Example n is the n-th labelled span in list order; find it from i. */
    for (size_t i = 0, n = 0; i < gold->len; i++)
        if (gold->items[i].technique >= 0) which[n++] = i;

    /* Pass over articles in id order, storing each span's features in a
     * temporary per-span order, then laying them out in list order. */
    uint64_t **h = calloc(N, sizeof *h);
    float **v = calloc(N, sizeof *v);
    uint32_t *bstart = malloc(2 * N * sizeof *bstart);
    if (!h || !v || !bstart) { free(h); free(v); free(len); free(bstart); st = SLANT_ENOMEM; goto fail; }
    const corpus_article *cur = NULL;
    size_t rank = 0;
    for (size_t r = 0; r < N && st == SLANT_OK; r++) {
        const lab_span *s = &gold->items[ord[r].i];
        /* Position of this span among the labelled ones (list order). */
        size_t lo = 0, hi = N;
        while (lo < hi) { size_t m = (lo + hi) / 2; if (which[m] < ord[r].i) lo = m + 1; else hi = m; }
        size_t n = lo;
        if (!cur || strcmp(cur->id, s->id) != 0) {
            if (cur) rank++;
            if (!(cur = corpus_find(train, s->id))) {
                st = err_set(err, SLANT_EINVAL, name, (long)s->line, -1,
                             "span names article %s, which is not among the articles", s->id);
                break;
            }
            if ((st = tok_tokenize(cur->text.data, cur->text.len, &d)) != SLANT_OK) break;
            spf_set_vectors(w.spf, vectors, 0);
            if ((st = spf_article(w.spf, cur->text.data, &d, clusters)) != SLANT_OK) break;
            /* The batch: this article's labelled spans, as in
             * span_classifier_score_list. */
            size_t q = r;
            while (q < N && strcmp(gold->items[ord[q].i].id, s->id) == 0) q++;
            uint32_t *be = bstart + (q - r);
            for (size_t j = r; j < q; j++) {
                bstart[j - r] = gold->items[ord[j].i].start;
                be[j - r] = gold->items[ord[j].i].end;
            }
            if ((st = span_classifier_batch(&w, bstart, be, q - r)) != SLANT_OK) break;
        }
        if (s->end > cur->text.n_cp || s->start >= s->end) {
            st = err_set(err, SLANT_EINVAL, name, (long)s->line, -1,
                         "span [%u,%u) lies beyond article %s (%zu code points)",
                         s->start, s->end, s->id, cur->text.n_cp);
            break;
        }
        if ((st = spf_span(w.spf, groups, s->start, s->end, &w.feats)) != SLANT_OK) break;
        h[n] = malloc((w.feats.n ? w.feats.n : 1) * sizeof **h);
        v[n] = malloc((w.feats.n ? w.feats.n : 1) * sizeof **v);
        if (!h[n] || !v[n]) { st = SLANT_ENOMEM; break; }
        memcpy(h[n], w.feats.hash, w.feats.n * sizeof **h);
        memcpy(v[n], w.feats.val, w.feats.n * sizeof **v);
        len[n] = w.feats.n;
        e->y[n] = s->technique;
        e->article[n] = rank_ids ? article_rank(rank_ids, n_rank_ids, s->id) : rank;
    }
    if (st == SLANT_OK) {
        for (size_t n = 0; n < N; n++) e->offs[n + 1] = e->offs[n] + len[n];
        e->n = e->cap = e->offs[N];
        e->hash = malloc((e->n ? e->n : 1) * sizeof *e->hash);
        e->val = malloc((e->n ? e->n : 1) * sizeof *e->val);
        if (!e->hash || !e->val) st = SLANT_ENOMEM;
        for (size_t n = 0; n < N && st == SLANT_OK; n++) {
            memcpy(e->hash + e->offs[n], h[n], len[n] * sizeof *e->hash);
            memcpy(e->val + e->offs[n], v[n], len[n] * sizeof *e->val);
        }
    }
    for (size_t n = 0; n < N; n++) { free(h[n]); free(v[n]); }
    free(h); free(v); free(len); free(bstart);
    if (st != SLANT_OK) goto fail;
    free(ord); free(which);
    span_classifier_work_fini(&w);
    tok_doc_fini(&d);
    return SLANT_OK;
fail:
    if (st == SLANT_ENOMEM) err_set(err, st, name, -1, -1, "out of memory");
    free(ord); free(which);
    span_classifier_work_fini(&w);
    tok_doc_fini(&d);
    examples_fini(e);
    memset(e, 0, sizeof *e);
    return st;
}

/* keys: the sorted hashes (never 0) found in at least min_count spans. */
static slant_status dictionary(const examples *e, int min_count, uint64_t **keys, size_t *F) {
    uint64_t *all = malloc((e->n ? e->n : 1) * sizeof *all);
    size_t m = 0;
    *keys = NULL; *F = 0;
    if (!all) return SLANT_ENOMEM;
    for (size_t i = 0; i < e->N; i++) {
        size_t a = m;
        for (size_t j = e->offs[i]; j < e->offs[i + 1]; j++) if (e->hash[j]) all[m++] = e->hash[j];
        qsort(all + a, m - a, sizeof *all, cmp_u64);
        size_t u = a;
        for (size_t j = a; j < m; j++) if (j == a || all[j] != all[u - 1]) all[u++] = all[j];
        m = u;
    }
    qsort(all, m, sizeof *all, cmp_u64);
    size_t f = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && all[j] == all[i]) j++;
        if (j - i >= (size_t)(min_count < 1 ? 1 : min_count)) all[f++] = all[i];
        i = j;
    }
    *keys = all;
    *F = f;
    return SLANT_OK;
}

static uint32_t find_key(const uint64_t *keys, size_t F, uint64_t h) {
    long r = u64_find_sorted(keys, F, h);
    return r < 0 ? UINT32_MAX : (uint32_t)r;
}

/* ---- training ---- */

/* Accuracy of argmax(s + off) over N x K scores. */
static size_t hits_with(const double *s, const int *y, size_t N, const double *off) {
    size_t right = 0;
    for (size_t i = 0; i < N; i++) {
        const double *si = s + i * K;
        int best = 0;
        for (int k = 1; k < K; k++)
            if (si[k] + off[k] > si[best] + off[best]) best = k;
        right += best == y[i];
    }
    return right;
}

/* Coordinate ascent on per-class offsets off[K] (from 0, steps of 0.1 in
 * [-1, 1], three rounds), keeping a change only when it gains at least
 * two more right answers, so noise does not move a bias. Returns the
 * accuracy at offsets 0, *tuned the accuracy with off. */
static double tune_bias(const double *s, const int *y, size_t N, double *off, double *tuned) {
    for (int k = 0; k < K; k++) off[k] = 0;
    size_t base = hits_with(s, y, N, off), cur = base;
    for (int round = 0; round < 3; round++) {
        for (int k = 0; k < K; k++) {
            double keep = off[k], best_v = keep;
            size_t best = cur;
            for (int step = -10; step <= 10; step++) {
                off[k] = step * 0.1;
                size_t h = hits_with(s, y, N, off);
                if (h >= best + 2 || (h > cur && h == best && fabs(off[k]) < fabs(best_v))) { best = h; best_v = off[k]; }
            }
            off[k] = best_v;
            cur = hits_with(s, y, N, off);
        }
    }
    *tuned = N ? (double)cur / (double)N : 0;
    return N ? (double)base / (double)N : 0;
}


/* Trains on the examples with use[i] != 0; w: linear_n_weights(F, K). */
static slant_status fit(const examples *e, const uint32_t *ids, const size_t *id_offs,
                        const float *vals, size_t F, const unsigned char *use,
                        const sct_opts *o, double *w, int *iters, slant_error *err) {
    size_t n = 0;
    linear_example *x = malloc(e->N * sizeof *x);
    int *y = malloc(e->N * sizeof *y);
    double *ew = malloc(e->N * sizeof *ew);
    slant_status st = SLANT_OK;
    if (!x || !y || !ew) { st = SLANT_ENOMEM; goto done; }
    double count[K] = {0}, cw[K];
    for (size_t i = 0; i < e->N; i++) {
        if (use && !use[i]) continue;
        x[n].ids = ids + id_offs[i];
        x[n].vals = vals + id_offs[i];
        x[n].n = (uint32_t)(id_offs[i + 1] - id_offs[i]);
        y[n] = e->y[i];
        ew[n] = i < e->n_gold ? 1.0 : o->extra_weight;
        count[y[n]] += 1;
        n++;
    }
    for (int k = 0; k < K; k++)
        cw[k] = count[k] > 0 && o->class_weight_power != 0
                    ? pow((double)n / (K * count[k]), o->class_weight_power) : 1.0;
    linear_data data = { x, y, n, F, K };
    linear_train_opts lo;
    linear_train_opts_init(&lo);
    lo.c2 = o->c2;
    lo.max_iter = o->max_iter;
    lo.threads = o->threads;
    lo.class_weight = o->class_weight_power != 0 ? cw : NULL;
    lo.example_weight = e->N > e->n_gold ? ew : NULL;
    memset(w, 0, linear_n_weights(F, K) * sizeof *w);
    linear_train_info info;
    st = linear_train(&data, &lo, w, &info, err);
    if (iters) *iters = info.iterations;
done:
    free(x); free(y); free(ew);
    return st;
}

slant_status sct_train(const corpus *train, const lab_list *gold, const char *gold_name,
                       const sct_opts *o, span_classifier **out, sct_report *rep,
                       slant_error *err) {
    examples e;
    uint64_t *keys = NULL;
    uint32_t *ids = NULL;
    float *vals = NULL;
    size_t *id_offs = NULL, F = 0;
    double *w = NULL, *scores = NULL;
    int *gold_y = NULL;
    unsigned char *use = NULL;
    span_classifier *c = NULL;
    slant_status st;
    sct_report r;
    double *oof = NULL;
    memset(&r, 0, sizeof r);
    r.temperature = 1.0;
    r.holdout_accuracy = r.cv_accuracy = r.cv_accuracy_tuned = -1.0;
    *out = NULL;
    if ((st = extract(train, gold, gold_name, o->groups, o->clusters, o->vectors, NULL, 0, &e, err)) != SLANT_OK) return st;
    if (o->extra && o->extra->len) {
        /* The gold spans' articles in id order: extract's ranks. */
        const char **rid = malloc(gold->len * sizeof *rid);
        size_t nr = 0;
        if (!rid) { st = SLANT_ENOMEM; goto fail; }
        for (size_t i = 0; i < gold->len; i++)
            if (gold->items[i].technique >= 0) rid[nr++] = gold->items[i].id;
        qsort(rid, nr, sizeof *rid, cmp_str);
        size_t u = 0;
        for (size_t i = 0; i < nr; i++) if (u == 0 || strcmp(rid[i], rid[u - 1]) != 0) rid[u++] = rid[i];
        examples x;
        st = extract(train, o->extra, "extra spans", o->groups, o->clusters, o->vectors, rid, u, &x, err);
        free(rid);
        if (st != SLANT_OK) goto fail;
        if ((st = examples_append(&e, &x)) != SLANT_OK) { examples_fini(&x); goto fail; }
    }
    if ((st = dictionary(&e, o->min_count, &keys, &F)) != SLANT_OK) goto fail;
    ids = malloc((e.n ? e.n : 1) * sizeof *ids);
    vals = malloc((e.n ? e.n : 1) * sizeof *vals);
    id_offs = malloc((e.N + 1) * sizeof *id_offs);
    w = malloc(linear_n_weights(F, K) * sizeof *w);
    use = malloc(e.N);
    if (!ids || !vals || !id_offs || !w || !use) { st = SLANT_ENOMEM; goto fail; }
    size_t m = 0;
    for (size_t i = 0; i < e.N; i++) {
        id_offs[i] = m;
        for (size_t j = e.offs[i]; j < e.offs[i + 1]; j++) {
            uint32_t id = find_key(keys, F, e.hash[j]);
            if (id != UINT32_MAX) { ids[m] = id; vals[m++] = e.val[j]; }
        }
    }
    id_offs[e.N] = m;
    r.n_examples = e.N;
    r.n_feat = F;

    if (o->bias_folds >= 2 || o->bias_folds <= -2) {
        /* Out-of-fold raw scores of every gold span (folds by article),
         * then per-technique bias offsets that maximise their accuracy. */
        size_t folds = (size_t)(o->bias_folds < 0 ? -o->bias_folds : o->bias_folds);
        oof = malloc((e.n_gold ? e.n_gold : 1) * K * sizeof *oof);
        if (!oof) { st = SLANT_ENOMEM; goto fail; }
        linear_model lm = { F, K, w, 1.0 };
        for (size_t f = 0; f < folds; f++) {
            for (size_t i = 0; i < e.N; i++) use[i] = e.article[i] % folds != f;
            if ((st = fit(&e, ids, id_offs, vals, F, use, o, w, NULL, err)) != SLANT_OK) goto fail;
            for (size_t i = 0; i < e.n_gold; i++) {
                if (use[i]) continue;
                linear_example x = { ids + id_offs[i], vals + id_offs[i], (uint32_t)(id_offs[i + 1] - id_offs[i]) };
                linear_scores(&lm, &x, oof + i * K);
            }
        }
        r.cv_accuracy = tune_bias(oof, e.y, e.n_gold, r.bias_offset, &r.cv_accuracy_tuned);
        if (o->bias_folds < 0)   /* measure only */
            for (int k = 0; k < K; k++) r.bias_offset[k] = 0;
    }
    if (o->holdout >= 2) {
        size_t n_held = 0;
        for (size_t i = 0; i < e.N; i++) {
            use[i] = e.article[i] % (size_t)o->holdout != (size_t)o->holdout - 1;
            n_held += !use[i] && i < e.n_gold;
        }
        if (n_held > 0 && n_held < e.N) {
            if ((st = fit(&e, ids, id_offs, vals, F, use, o, w, NULL, err)) != SLANT_OK) goto fail;
            scores = malloc(n_held * K * sizeof *scores);
            gold_y = malloc(n_held * sizeof *gold_y);
            if (!scores || !gold_y) { st = SLANT_ENOMEM; goto fail; }
            linear_model lm = { F, K, w, 1.0 };
            size_t h = 0, right = 0;
            for (size_t i = 0; i < e.N; i++) {
                if (use[i] || i >= e.n_gold) continue;
                linear_example x = { ids + id_offs[i], vals + id_offs[i], (uint32_t)(id_offs[i + 1] - id_offs[i]) };
                linear_scores(&lm, &x, scores + h * K);
                gold_y[h] = e.y[i];
                right += linear_argmax(scores + h * K, K) == e.y[i];
                h++;
            }
            if ((st = linear_fit_temperature(scores, gold_y, n_held, K, &r.temperature, err)) != SLANT_OK) goto fail;
            r.holdout_accuracy = (double)right / (double)n_held;
        }
    }
    if ((st = fit(&e, ids, id_offs, vals, F, NULL, o, w, &r.iterations, err)) != SLANT_OK) goto fail;

    if (!(c = span_classifier_new(F))) { st = SLANT_ENOMEM; goto fail; }
    c->groups = o->groups;
    c->temperature = r.temperature;
    if (o->vectors && o->vectors->n) {
        const spf_vectors *v = o->vectors;
        if ((st = spf_vectors_alloc(&c->vectors, v->n, v->dim)) != SLANT_OK) goto fail;
        c->vectors.scale = v->scale;
        c->vectors.depth = v->depth;
        memcpy(c->vectors.hash, v->hash, v->n * sizeof *v->hash);
        memcpy(c->vectors.q, v->q, v->n * v->dim);
    }
    memcpy(c->keys, keys, F * sizeof *keys);
    for (size_t i = 0; i < F * K; i++) c->w[i] = (float)w[i];
    for (int k = 0; k < K; k++) c->bias[k] = w[F * K + (size_t)k] + r.bias_offset[k];
    if ((st = span_classifier_index(c)) != SLANT_OK) goto fail;
    *out = c;
    c = NULL;
    if (rep) *rep = r;
fail:
    if (st == SLANT_ENOMEM) err_set(err, st, gold_name, -1, -1, "out of memory");
    span_classifier_free(c);
    examples_fini(&e);
    free(keys); free(ids); free(vals); free(id_offs); free(w); free(use);
    free(scores); free(gold_y); free(oof);
    return st;
}

/* ---- evaluation and tuning ---- */

slant_status sct_accuracy(const span_classifier *c, const feat_clusters *clusters,
                          const corpus *articles,
                          const lab_list *gold, const char *gold_name,
                          double *accuracy, slant_error *err) {
    size_t N = gold->len;
    double *p = malloc((N ? N : 1) * K * sizeof *p);
    int *pred = malloc((N ? N : 1) * sizeof *pred);
    lab_list pl, gl;
    lab_list_init(&pl);
    lab_list_init(&gl);
    slant_status st = SLANT_ENOMEM;
    *accuracy = 0;
    if (!p || !pred) goto done;
    if ((st = span_classifier_score_list(c, clusters, articles, gold, gold_name, 0, p, err)) != SLANT_OK) goto done;
    if ((st = span_classifier_assign(gold, p, pred)) != SLANT_OK) goto done;
    /* Scored by the official rule (metric_tc): copies of a span match as a
     * multiset, so their order does not matter. */
    for (size_t i = 0; i < N && st == SLANT_OK; i++) {
        if (gold->items[i].technique < 0) continue;
        lab_span s = gold->items[i];
        if ((st = lab_list_push(&gl, &s)) != SLANT_OK) break;
        s.technique = pred[i];
        st = lab_list_push(&pl, &s);
    }
    if (st == SLANT_OK) st = metric_tc_named(&pl, "prediction", &gl, gold_name, accuracy, NULL, err);
done:
    if (st == SLANT_ENOMEM) err_set(err, st, gold_name, -1, -1, "out of memory");
    free(p); free(pred);
    lab_list_fini(&pl); lab_list_fini(&gl);
    return st;
}

slant_status sct_tune_second(span_classifier *c, const feat_clusters *clusters,
                             const corpus *articles,
                             const lab_list *pred, const lab_list *gold,
                             metric_prf *best, metric_prf *top1, slant_error *err) {
    /* 2.0 (never) first, so a runner-up must earn its place. */
    static const double grid[] = {2.0, 0.6, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05};
    size_t N = pred->len;
    double *p = malloc((N ? N : 1) * K * sizeof *p);
    lab_list flc;
    lab_list_init(&flc);
    slant_status st = SLANT_ENOMEM;
    metric_prf top;
    memset(&top, 0, sizeof top);
    if (!p) goto done;
    if ((st = span_classifier_score_list(c, clusters, articles, pred, "predicted spans", 1, p, err)) != SLANT_OK) goto done;
    double best_t = 2.0;
    for (size_t g = 0; g < sizeof grid / sizeof grid[0]; g++) {
        flc.len = 0;
        for (size_t i = 0; i < N && st == SLANT_OK; i++) {
            int t[2], n = span_classifier_flc_labels(p + i * K, grid[g], t);
            for (int j = 0; j < n && st == SLANT_OK; j++) {
                lab_span s = pred->items[i];
                s.technique = t[j];
                st = lab_list_push(&flc, &s);
            }
        }
        metric_prf m;
        if (st == SLANT_OK) st = metric_flc(&flc, gold, &m, NULL);
        if (st != SLANT_OK) goto done;
        if (g == 0) { top = m; *best = m; }
        else if (m.f1 > best->f1) { *best = m; best_t = grid[g]; }
    }
    c->second_threshold = best_t;
    if (top1) *top1 = top;
done:
    if (st == SLANT_ENOMEM) err_set(err, st, NULL, -1, -1, "out of memory");
    free(p);
    lab_list_fini(&flc);
    return st;
}

uint32_t sct_reported(const metric_prf per_tech[SLANT_N_TECHNIQUES]) {
    uint32_t keep = SLANT_ALL_TECHNIQUES;
    for (int k = 0; k < SLANT_N_TECHNIQUES; k++)
        if (per_tech[k].n_pred >= SCT_UNREPORTED_MIN_FRAGMENTS && per_tech[k].p_sum <= 0.0)
            keep &= ~(1u << k);
    /* Every technique wrong on dev says more about the dev split (or the
     * tagger) than about the techniques: leave them all in. */
    return keep ? keep : SLANT_ALL_TECHNIQUES;
}

/* ---- word vectors for SPF_VECTORS ---- */

typedef struct { uint64_t key; size_t row; } key_row;

static int cmp_key_row(const void *a, const void *b) {
    const key_row *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);   /* file order within a key */
}

slant_status spf_vectors_from_words(const word_vectors *wv, double weight,
                                    const feat_clusters *clusters, unsigned depth,
                                    spf_vectors *out) {
    size_t n = wv->n, D = (size_t)wv->D;
    key_row *keys = malloc((n ? n : 1) * sizeof *keys);
    float *x = malloc((n ? n : 1) * D * sizeof *x);   /* rows are summed in place */
    if (!keys || !x) { free(keys); free(x); return SLANT_ENOMEM; }
    memcpy(x, wv->unit, n * D * sizeof *x);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t key = depth ? spf_cluster_key(clusters, wv->hash[i], depth) : wv->hash[i];
        if (key) { keys[m].key = key; keys[m].row = i; m++; }   /* no cluster: left out */
    }
    qsort(keys, m, sizeof *keys, cmp_key_row);
    size_t u = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && keys[j].key == keys[i].key) j++;
        if (depth) {
            /* The cluster's vector: its words' sum, in file order, made unit. */
            float *dst = x + keys[i].row * D;
            for (const key_row *kr = keys + i + 1; kr < keys + j; kr++) {
                const float *src = x + kr->row * D;
                for (size_t k = 0; k < D; k++) dst[k] += src[k];
            }
            double norm = 0;
            for (size_t k = 0; k < D; k++) norm += (double)dst[k] * dst[k];
            norm = norm > 0 ? sqrt(norm) : 1;
            for (size_t k = 0; k < D; k++) dst[k] = (float)(dst[k] / norm);
        }
        keys[u++] = keys[i];   /* a repeated word: the first (most frequent) wins */
        i = j;
    }
    double mx = 0;
    for (size_t i = 0; i < u; i++)
        for (size_t k = 0; k < D; k++)
            if (fabs(x[keys[i].row * D + k]) > mx) mx = fabs(x[keys[i].row * D + k]);
    if (mx <= 0) mx = 1;
    slant_status st = spf_vectors_alloc(out, u, (uint32_t)D);
    if (st == SLANT_OK) {
        out->scale = (float)(mx / 127.0 * weight);
        out->depth = depth;
        for (size_t i = 0; i < u; i++) {
            out->hash[i] = keys[i].key;
            for (size_t k = 0; k < D; k++)
                out->q[i * D + k] = (int8_t)lrint(x[keys[i].row * D + k] / mx * 127.0);
        }
    }
    free(keys);
    free(x);
    return st;
}
