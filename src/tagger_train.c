/*
 * Span tagger training (tagger_train.h). T = tokens of one article,
 * L = 3 labels: 0 = O, 1 = B (first token of a span), 2 = I.
 *
 * A token is inside a gold span when their code point ranges overlap; the
 * corpus's SI spans are already merged, so BIO loses nothing. The feature
 * dictionary is every hash seen at least min_count times in training,
 * found by sorting all hashes once (no hash table to tune).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crf.h"
#include "crf_train.h"
#include "sentence_train.h"
#include "status.h"
#include "tagger.h"
#include "tagger_train.h"
#include "token_features.h"

enum { LBL_O = 0 };

/* Label of the first (B) and following (I) tokens of a span of group g:
 * 1 + 2g and 2 + 2g. With one group this is plain BIO. */
#define LBL_B(g) (1 + 2 * (g))
#define LBL_I(g) (2 + 2 * (g))

/* The label group of a technique: 0 for every span when the tagger learns
 * plain spans, else the technique itself (gold SI spans carry -1: group 0). */
static int group_of(int technique, int groups) {
    return groups > 1 && technique >= 0 && technique < groups ? technique : 0;
}

void tagger_train_opts_init(tagger_train_opts *o) {
    memset(o, 0, sizeof *o);
    o->c1 = 0.0;
    o->c2 = 1.0;
    o->max_iter = 300;
    o->min_count = 2;
    o->threads = 2;
    o->eval_every = 0;
    o->sentence_c2 = 0.0;
    o->label_groups = 1;
    o->prune = 0.02;
}

/* One article ready for the CRF. */
typedef struct {
    char id[LAB_ID_MAX];
    size_t T;
    uint64_t *hashes;       /* before the dictionary: offs[T] hashes */
    uint32_t *feat;         /* after: known feature rows */
    uint32_t *offs;         /* T+1 */
    int *labels;            /* T, training only */
    uint32_t *cp_start, *cp_end; /* T: code point offsets of each token */
} prep_seq;

static void prep_free(prep_seq *p, size_t n) {
    for (size_t i = 0; p && i < n; i++) {
        free(p[i].hashes); free(p[i].feat); free(p[i].offs); free(p[i].labels);
        free(p[i].cp_start); free(p[i].cp_end);
    }
    free(p);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_span_start(const void *a, const void *b) {
    const lab_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* BIO labels of d's tokens from the gold spans of one article. A token
 * inside several spans takes the shortest one's group (the more specific
 * technique); B marks the first token of that span. */
static void assign_labels(const tok_doc *d, const lab_span *spans, size_t n, int groups, int *labels) {
    for (size_t t = 0; t < d->n_tokens; t++) {
        const tok_token *k = &d->tokens[t];
        size_t best = n;
        for (size_t i = 0; i < n; i++) {
            if (k->cp_end <= spans[i].start || k->cp_start >= spans[i].end) continue;
            if (best == n || spans[i].end - spans[i].start < spans[best].end - spans[best].start) best = i;
        }
        if (best == n) { labels[t] = LBL_O; continue; }
        int g = group_of(spans[best].technique, groups);
        int starts = t == 0 || d->tokens[t - 1].cp_end <= spans[best].start;
        labels[t] = starts ? LBL_B(g) : LBL_I(g);
    }
}

/* Tokenizes and extracts features of every article of c. gold may be NULL. */
static slant_status prepare(const slant_model *m, const corpus *c, const lab_list *gold,
                            int groups, float **sent_scores, prep_seq **out) {
    slant_status st = SLANT_OK;
    prep_seq *p = calloc(c->len ? c->len : 1, sizeof *p);
    lab_span *spans = NULL;
    tok_doc d;
    feat_seq fs;
    feat_ctx *fc = feat_ctx_new();
    tok_doc_init(&d);
    feat_seq_init(&fs);
    if (!p || !fc) { st = SLANT_ENOMEM; goto done; }
    if (gold && !(spans = malloc((gold->len ? gold->len : 1) * sizeof *spans))) { st = SLANT_ENOMEM; goto done; }
    for (size_t a = 0; a < c->len; a++) {
        const corpus_article *art = &c->items[a];
        prep_seq *s = &p[a];
        memcpy(s->id, art->id, LAB_ID_MAX);
        if ((st = tok_tokenize(art->text.data, art->text.len, &d)) != SLANT_OK) goto done;
        if ((st = feat_prepare(fc, art->text.data, &d)) != SLANT_OK) goto done;
        if ((st = feat_tokens(fc, &m->resources, art->text.data, &d,
                              sent_scores ? sent_scores[a] : NULL, &fs)) != SLANT_OK) goto done;
        size_t T = d.n_tokens;
        s->T = T;
        s->hashes = malloc((fs.n ? fs.n : 1) * sizeof *s->hashes);
        s->offs = malloc((T + 1) * sizeof *s->offs);
        s->labels = malloc((T ? T : 1) * sizeof *s->labels);
        s->cp_start = malloc((T ? T : 1) * sizeof *s->cp_start);
        s->cp_end = malloc((T ? T : 1) * sizeof *s->cp_end);
        if (!s->hashes || !s->offs || !s->labels || !s->cp_start || !s->cp_end) { st = SLANT_ENOMEM; goto done; }
        memcpy(s->hashes, fs.hashes, fs.n * sizeof *fs.hashes);
        memcpy(s->offs, fs.offs, (T + 1) * sizeof *fs.offs);
        for (size_t t = 0; t < T; t++) { s->cp_start[t] = d.tokens[t].cp_start; s->cp_end[t] = d.tokens[t].cp_end; }
        if (gold) {
            size_t n = 0;
            for (size_t i = 0; i < gold->len; i++)
                if (strcmp(gold->items[i].id, art->id) == 0) spans[n++] = gold->items[i];
            qsort(spans, n, sizeof *spans, cmp_span_start);
            assign_labels(&d, spans, n, groups, s->labels);
        }
    }
done:
    free(spans);
    feat_ctx_free(fc);
    feat_seq_fini(&fs);
    tok_doc_fini(&d);
    if (st != SLANT_OK) { prep_free(p, c->len); p = NULL; }
    *out = p;
    return st;
}

/* Sorted unique hashes seen at least min_count times in the training set. */
static slant_status build_dictionary(const prep_seq *p, size_t n, int min_count,
                                     uint64_t **keys_out, size_t *n_keys) {
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += p[i].offs[p[i].T];
    uint64_t *all = malloc((total ? total : 1) * sizeof *all);
    if (!all) return SLANT_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(all + k, p[i].hashes, p[i].offs[p[i].T] * sizeof *all);
        k += p[i].offs[p[i].T];
    }
    qsort(all, total, sizeof *all, cmp_u64);
    size_t out = 0;
    for (size_t i = 0; i < total;) {
        size_t j = i;
        while (j < total && all[j] == all[i]) j++;
        if ((long)(j - i) >= min_count && all[i] != 0) all[out++] = all[i];
        i = j;
    }
    *keys_out = all;
    *n_keys = out;
    return SLANT_OK;
}

static long find_key(const uint64_t *keys, size_t n, uint64_t h) {
    size_t lo = 0, hi = n;
    while (lo < hi) { size_t mid = (lo + hi) / 2; if (keys[mid] < h) lo = mid + 1; else hi = mid; }
    return lo < n && keys[lo] == h ? (long)lo : -1;
}

/* Replaces each sequence's hashes by dictionary rows, dropping unknowns. */
static slant_status map_features(prep_seq *p, size_t n, const uint64_t *keys, size_t n_keys) {
    for (size_t i = 0; i < n; i++) {
        prep_seq *s = &p[i];
        size_t total = s->offs[s->T], k = 0;
        s->feat = malloc((total ? total : 1) * sizeof *s->feat);
        if (!s->feat) return SLANT_ENOMEM;
        for (size_t t = 0; t < s->T; t++) {
            uint32_t from = s->offs[t], to = s->offs[t + 1];
            s->offs[t] = (uint32_t)k;
            for (uint32_t j = from; j < to; j++) {
                long r = find_key(keys, n_keys, s->hashes[j]);
                if (r >= 0) s->feat[k++] = (uint32_t)r;
            }
        }
        s->offs[s->T] = (uint32_t)k;
        free(s->hashes);
        s->hashes = NULL;
    }
    return SLANT_OK;
}

/* ---- dev evaluation ---- */

typedef struct {
    const prep_seq *seqs; size_t n;
    const lab_list *gold;
    double *p_span;             /* sum of T over seqs */
    size_t n_feat;
    int L;
    double *emit, *alpha, *beta, *marg; /* max T x L */
} dev_eval;

static slant_status dev_marginals(dev_eval *e, const double *w) {
    int L = e->L;
    const double *trans = w + e->n_feat * (size_t)L, *start = trans + L * L;
    double *ps = e->p_span;
    for (size_t i = 0; i < e->n; i++) {
        const prep_seq *s = &e->seqs[i];
        crf_seq cs = {(int)s->T, s->feat, s->offs, NULL};
        if (s->T == 0) continue;
        crf_emissions(&cs, L, w, e->emit);
        crf_forward_backward((int)s->T, L, e->emit, trans, start, e->alpha, e->beta, e->marg);
        for (size_t t = 0; t < s->T; t++) *ps++ = 1.0 - e->marg[t * (size_t)L];
    }
    return SLANT_OK;
}

static slant_status dev_score(const dev_eval *e, const tagger_decoding *dec, metric_prf *out) {
    lab_list pred;
    tagger_spans sp = {0};
    lab_list_init(&pred);
    const double *ps = e->p_span;
    slant_status st = SLANT_OK;
    for (size_t i = 0; i < e->n && st == SLANT_OK; i++) {
        const prep_seq *s = &e->seqs[i];
        if ((st = tagger_decode(ps, s->T, dec, &sp)) != SLANT_OK) break;
        for (size_t k = 0; k < sp.len && st == SLANT_OK; k++) {
            lab_span l;
            memset(&l, 0, sizeof l);
            memcpy(l.id, s->id, LAB_ID_MAX);
            l.technique = -1;
            l.start = s->cp_start[sp.items[k].first];
            l.end = s->cp_end[sp.items[k].last - 1];
            st = lab_list_push(&pred, &l);
        }
        ps += s->T;
    }
    if (st == SLANT_OK) st = metric_si(&pred, e->gold, out);
    tagger_spans_fini(&sp);
    lab_list_fini(&pred);
    return st;
}

/* Best decoding rule for the official SI F1 on the dev set: a coarse
 * grid over threshold x low x gap x min_len. */
static slant_status tune_decoding(const dev_eval *e, tagger_decoding *best, metric_prf *best_score) {
    best_score->f1 = -1;
    for (int hi = 0; hi <= 16; hi++) {
        double high = 0.15 + 0.025 * hi;
        for (int li = 0; li <= 6; li++) {
            double low = high * (1.0 - 0.125 * li);
            for (uint32_t gap = 0; gap <= 4; gap += 2) {
                for (uint32_t ml = 1; ml <= 3; ml++) {
                    tagger_decoding d = {high, low, gap, ml};
                    metric_prf s;
                    slant_status st = dev_score(e, &d, &s);
                    if (st != SLANT_OK) return st;
                    if (s.f1 > best_score->f1) { *best_score = s; *best = d; }
                }
            }
        }
    }
    return SLANT_OK;
}

/* ---- training ---- */

typedef struct {
    const tagger_train_opts *o;
    dev_eval *dev;
    tagger_train_report *rep;
} progress_ctx;

static int on_iteration(void *ctx, int iter, double loss, const double *w) {
    progress_ctx *p = ctx;
    double f1 = -1;
    p->rep->iterations = iter;
    if (p->dev && p->o->eval_every > 0 && iter % p->o->eval_every == 0) {
        tagger_decoding d = {0.35, 0.35, 1, 1};
        metric_prf s;
        if (dev_marginals(p->dev, w) == SLANT_OK && dev_score(p->dev, &d, &s) == SLANT_OK) f1 = s.f1;
    }
    if (p->o->progress) p->o->progress(p->o->ctx, iter, p->o->max_iter, loss, f1);
    return 0;
}

slant_status tagger_train(slant_model *m, const corpus *train, const lab_list *train_gold,
                          const corpus *dev, const lab_list *dev_gold,
                          const tagger_train_opts *o, tagger_train_report *rep,
                          slant_error *err) {
    prep_seq *tr = NULL, *dv = NULL;
    uint64_t *keys = NULL;
    crf_seq *cs = NULL;
    double *w = NULL;
    size_t n_keys = 0;
    float **train_scores = NULL, **dev_scores = NULL;
    dev_eval ev;
    memset(&ev, 0, sizeof ev);
    memset(rep, 0, sizeof *rep);
    slant_status st;
    tagger_model *tm = &m->tagger;
    const int L = 1 + 2 * (o->label_groups > 1 ? o->label_groups : 1);
    const size_t N_LABELS = (size_t)L;
    if (L > TAGGER_MAX_LABELS)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "too many label groups: %d", o->label_groups);

    if (o->sentence_c2 > 0) {
        st = sentence_train(train, train_gold, dev, o->sentence_c2, o->threads, &tm->sentence,
                            &train_scores, dev ? &dev_scores : NULL);
        if (st != SLANT_OK) goto fail;
        tm->has_sentence = 1;
    }
    if ((st = prepare(m, train, train_gold, L / 2, train_scores, &tr)) != SLANT_OK) goto fail;
    if ((st = build_dictionary(tr, train->len, o->min_count, &keys, &n_keys)) != SLANT_OK) goto fail;
    if ((st = map_features(tr, train->len, keys, n_keys)) != SLANT_OK) goto fail;
    if (dev && dev_gold) {
        if ((st = prepare(m, dev, NULL, 1, dev_scores, &dv)) != SLANT_OK) goto fail;
        if ((st = map_features(dv, dev->len, keys, n_keys)) != SLANT_OK) goto fail;
        size_t total = 0, maxT = 1;
        for (size_t i = 0; i < dev->len; i++) { total += dv[i].T; if (dv[i].T > maxT) maxT = dv[i].T; }
        ev.seqs = dv; ev.n = dev->len; ev.gold = dev_gold; ev.n_feat = n_keys; ev.L = L;
        ev.p_span = malloc((total ? total : 1) * sizeof *ev.p_span);
        ev.emit = malloc(maxT * N_LABELS * sizeof(double));
        ev.alpha = malloc(maxT * N_LABELS * sizeof(double));
        ev.beta = malloc(maxT * N_LABELS * sizeof(double));
        ev.marg = malloc(maxT * N_LABELS * sizeof(double));
        if (!ev.p_span || !ev.emit || !ev.alpha || !ev.beta || !ev.marg) { st = SLANT_ENOMEM; goto fail; }
    }
    if (!(cs = calloc(train->len ? train->len : 1, sizeof *cs))) { st = SLANT_ENOMEM; goto fail; }
    for (size_t i = 0; i < train->len; i++) {
        cs[i] = (crf_seq){(int)tr[i].T, tr[i].feat, tr[i].offs, tr[i].labels};
        rep->n_tokens += tr[i].T;
    }
    size_t nw = crf_n_weights(n_keys, L);
    if (!(w = calloc(nw, sizeof *w))) { st = SLANT_ENOMEM; goto fail; }

    crf_train_opts co;
    crf_train_opts_init(&co);
    co.c1 = o->c1; co.c2 = o->c2; co.max_iter = o->max_iter; co.threads = o->threads;
    progress_ctx pc = {o, dv ? &ev : NULL, rep};
    co.progress = on_iteration; co.ctx = &pc;
    if ((st = crf_train(cs, train->len, n_keys, L, &co, w, err)) != SLANT_OK) goto fail;

    /* Keep only features with a non-negligible weight: the model stays small
     * and its table cache-friendly. Dropped rows are zeroed in w, and kept
     * ones rounded to float as stored, so the dev scores and the tuned
     * decoding below are those of the model as saved. */
    size_t kept = 0;
    for (size_t f = 0; f < n_keys; f++) {
        double mx = 0;
        for (size_t y = 0; y < N_LABELS; y++) mx = fmax(mx, fabs(w[f * N_LABELS + y]));
        int keep = mx >= o->prune && mx > 0;
        for (size_t y = 0; y < N_LABELS; y++)
            w[f * N_LABELS + y] = keep ? (double)(float)w[f * N_LABELS + y] : 0.0;
        kept += (size_t)keep;
    }
    free(tm->w);
    tm->w = malloc((kept ? kept : 1) * N_LABELS * sizeof *tm->w);
    uint64_t *kk = malloc((kept ? kept : 1) * sizeof *kk);
    if (!tm->w || !kk) { free(kk); st = SLANT_ENOMEM; goto fail; }
    size_t r = 0;
    for (size_t f = 0; f < n_keys; f++) {
        int zero = 1;
        for (size_t y = 0; y < N_LABELS; y++) zero &= w[f * N_LABELS + y] == 0.0;
        if (zero) continue;
        for (size_t y = 0; y < N_LABELS; y++) tm->w[r * N_LABELS + y] = (float)w[f * N_LABELS + y];
        kk[r++] = keys[f];
    }
    tm->L = L;
    tm->feat_version = FEAT_VERSION;
    tm->n_feat = kept;
    const double *trans = w + n_keys * N_LABELS;
    for (int i = 0; i < L * L; i++) tm->trans[i] = trans[i];
    for (int i = 0; i < L; i++) tm->start[i] = trans[L * L + i];
    st = feat_table_build(&tm->table, kk, kept);
    free(kk);
    if (st != SLANT_OK) goto fail;
    tagger_model_changed(tm);
    rep->n_feat = kept;
    tm->decoding = (tagger_decoding){0.35, 0.35, 1, 1};
    if (dv) {
        if ((st = dev_marginals(&ev, w)) != SLANT_OK) goto fail;
        if ((st = tune_decoding(&ev, &tm->decoding, &rep->dev)) != SLANT_OK) goto fail;
    }
fail:
    if (st != SLANT_OK && err && err->status == SLANT_OK)
        err_set(err, st, NULL, -1, -1, "training failed: %s", slant_strerror(st));
    free(ev.p_span); free(ev.emit); free(ev.alpha); free(ev.beta); free(ev.marg);
    prep_free(tr, train->len);
    if (dev) prep_free(dv, dev->len);
    free(keys); free(cs); free(w);
    sentence_scores_free(train_scores, train->len);
    if (dev) sentence_scores_free(dev_scores, dev->len);
    return st;
}

slant_status tagger_predict_corpus(const slant_model *m, const corpus *c,
                                   const tagger_decoding *dec, lab_list *out) {
    tagger_work wk;
    tagger_spans sp = {0};
    tok_doc d;
    tok_doc_init(&d);
    slant_status st = tagger_work_init(&wk);
    if (!dec) dec = &m->tagger.decoding;
    for (size_t a = 0; a < c->len && st == SLANT_OK; a++) {
        const corpus_article *art = &c->items[a];
        if ((st = tok_tokenize(art->text.data, art->text.len, &d)) != SLANT_OK) break;
        if ((st = tagger_marginals(m, &wk, art->text.data, &d)) != SLANT_OK) break;
        if ((st = tagger_decode(wk.p_span, d.n_tokens, dec, &sp)) != SLANT_OK) break;
        for (size_t k = 0; k < sp.len && st == SLANT_OK; k++) {
            lab_span l;
            memset(&l, 0, sizeof l);
            memcpy(l.id, art->id, LAB_ID_MAX);
            l.technique = -1;
            l.start = d.tokens[sp.items[k].first].cp_start;
            l.end = d.tokens[sp.items[k].last - 1].cp_end;
            st = lab_list_push(&out[0], &l);
        }
    }
    tagger_spans_fini(&sp);
    tagger_work_fini(&wk);
    tok_doc_fini(&d);
    return st;
}
