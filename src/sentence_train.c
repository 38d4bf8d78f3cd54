/*
 * Sentence scorer training (sentence_train.h). N = sentences, F = features.
 * The optimizer is the softmax classifier of linear_train.h with K = 2;
 * the binary weights kept are w[f,1] - w[f,0], the same log-odds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "linear.h"
#include "linear_train.h"
#include "sentence_train.h"
#include "token_features.h"
#include "tokenize.h"

enum { MAX_SENT_FEATS = 2048 };

/* Feature hashes of every sentence of a corpus. */
typedef struct {
    uint64_t *h; size_t n_h, cap_h;   /* all hashes, sentence after sentence */
    size_t *off;                      /* N+1: sentence i has h[off[i]..off[i+1]) */
    int *label;                       /* N: 1 when it overlaps a gold span */
    size_t *article;                  /* N: its article index */
    size_t *first_of;                 /* n_articles+1: first sentence of article a */
    size_t n, cap;
} sent_set;

static void set_fini(sent_set *s) {
    free(s->h); free(s->off); free(s->label); free(s->article); free(s->first_of);
    memset(s, 0, sizeof *s);
}

static int set_add(sent_set *s, const uint64_t *h, size_t n, int label, size_t article) {
    if (s->n + 2 > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 4096;
        size_t *o = realloc(s->off, cap * sizeof *o);
        if (!o) return 0;
        s->off = o;
        int *l = realloc(s->label, cap * sizeof *l);
        if (!l) return 0;
        s->label = l;
        size_t *a = realloc(s->article, cap * sizeof *a);
        if (!a) return 0;
        s->article = a;
        s->cap = cap;
    }
    if (s->n_h + n > s->cap_h) {
        size_t cap = s->cap_h ? 2 * s->cap_h : 65536;
        while (cap < s->n_h + n) cap *= 2;
        uint64_t *p = realloc(s->h, cap * sizeof *p);
        if (!p) return 0;
        s->h = p; s->cap_h = cap;
    }
    if (s->n == 0) s->off[0] = 0;
    memcpy(s->h + s->n_h, h, n * sizeof *h);
    s->n_h += n;
    s->label[s->n] = label;
    s->article[s->n] = article;
    s->off[++s->n] = s->n_h;
    return 1;
}

static int overlaps_gold(const lab_list *gold, const char *id, uint32_t start, uint32_t end) {
    for (size_t i = 0; i < gold->len; i++)
        if (gold->items[i].start < end && gold->items[i].end > start && strcmp(gold->items[i].id, id) == 0)
            return 1;
    return 0;
}

static slant_status collect(const corpus *c, const lab_list *gold, sent_set *out) {
    slant_status st = SLANT_OK;
    tok_doc d;
    tok_doc_init(&d);
    feat_ctx *fc = feat_ctx_new();
    uint64_t *buf = malloc(MAX_SENT_FEATS * sizeof *buf);
    memset(out, 0, sizeof *out);
    out->first_of = malloc((c->len + 1) * sizeof *out->first_of);
    if (!fc || !buf || !out->first_of) { st = SLANT_ENOMEM; goto done; }
    for (size_t a = 0; a < c->len && st == SLANT_OK; a++) {
        const corpus_article *art = &c->items[a];
        out->first_of[a] = out->n;
        if ((st = tok_tokenize(art->text.data, art->text.len, &d)) != SLANT_OK) break;
        if ((st = feat_prepare(fc, art->text.data, &d)) != SLANT_OK) break;
        for (size_t si = 0; si < d.n_sentences; si++) {
            size_t n = 0;
            if ((st = feat_sentence(fc, art->text.data, &d, si, buf, MAX_SENT_FEATS, &n)) != SLANT_OK) break;
            int label = gold ? overlaps_gold(gold, art->id, d.sentences[si].cp_start, d.sentences[si].cp_end) : 0;
            if (!set_add(out, buf, n, label, a)) { st = SLANT_ENOMEM; break; }
        }
    }
    if (out->first_of) out->first_of[c->len] = out->n;
done:
    free(buf);
    feat_ctx_free(fc);
    tok_doc_fini(&d);
    return st;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Trains on the sentences with take[i] != 0; weights into w (K = 2). */
static slant_status fit(const linear_example *x, const int *y, const unsigned char *take,
                        size_t n, size_t F, double c2, int threads, double *w) {
    linear_example *xs = malloc((n ? n : 1) * sizeof *xs);
    int *ys = malloc((n ? n : 1) * sizeof *ys);
    slant_status st = SLANT_ENOMEM;
    if (xs && ys) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (!take || take[i]) { xs[k] = x[i]; ys[k] = y[i]; k++; }
        linear_data d = {xs, ys, k, F, 2};
        linear_train_opts o;
        linear_train_opts_init(&o);
        o.c2 = c2;
        o.threads = threads;
        o.max_iter = 300;
        memset(w, 0, linear_n_weights(F, 2) * sizeof *w);
        st = linear_train(&d, &o, w, NULL, NULL);
    }
    free(xs); free(ys);
    return st;
}

static float log_odds_score(const double *w, size_t F, const linear_example *x) {
    double z = w[2 * F + 1] - w[2 * F];
    for (uint32_t j = 0; j < x->n; j++) z += w[(size_t)x->ids[j] * 2 + 1] - w[(size_t)x->ids[j] * 2];
    return (float)(1.0 / (1.0 + exp(-z)));
}

static slant_status split_scores(const sent_set *s, size_t n_articles, const float *flat, float ***out) {
    float **sc = calloc(n_articles ? n_articles : 1, sizeof *sc);
    if (!sc) return SLANT_ENOMEM;
    for (size_t a = 0; a < n_articles; a++) {
        size_t n = s->first_of[a + 1] - s->first_of[a];
        sc[a] = malloc((n ? n : 1) * sizeof **sc);
        if (!sc[a]) { sentence_scores_free(sc, n_articles); return SLANT_ENOMEM; }
        memcpy(sc[a], flat + s->first_of[a], n * sizeof *flat);
    }
    *out = sc;
    return SLANT_OK;
}

void sentence_scores_free(float **scores, size_t n) {
    for (size_t i = 0; scores && i < n; i++) free(scores[i]);
    free(scores);
}

slant_status sentence_score_corpus(const sentence_model *m, const corpus *c, float ***scores) {
    sent_set s;
    slant_status st = collect(c, NULL, &s);
    float *flat = malloc((s.n ? s.n : 1) * sizeof *flat);
    if (st == SLANT_OK && !flat) st = SLANT_ENOMEM;
    if (st == SLANT_OK) {
        for (size_t i = 0; i < s.n; i++)
            flat[i] = (float)sentence_model_score(m, s.h + s.off[i], s.off[i + 1] - s.off[i]);
        st = split_scores(&s, c->len, flat, scores);
    }
    free(flat);
    set_fini(&s);
    return st;
}

slant_status sentence_train(const corpus *train, const lab_list *gold, const corpus *dev,
                            double c2, int threads, sentence_model *out,
                            float ***train_scores, float ***dev_scores) {
    sent_set s;
    uint64_t *keys = NULL;
    uint32_t *ids = NULL;
    linear_example *x = NULL;
    double *w = NULL;
    float *flat = NULL;
    unsigned char *take = NULL;
    size_t F = 0;
    *train_scores = NULL;
    if (dev_scores) *dev_scores = NULL;
    slant_status st = collect(train, gold, &s);
    if (st != SLANT_OK) goto done;

    /* Dictionary: hashes seen in at least two training sentences' worth. */
    keys = malloc((s.n_h ? s.n_h : 1) * sizeof *keys);
    ids = malloc((s.n_h ? s.n_h : 1) * sizeof *ids);
    x = malloc((s.n ? s.n : 1) * sizeof *x);
    flat = malloc((s.n ? s.n : 1) * sizeof *flat);
    take = calloc(s.n ? s.n : 1, 1);
    if (!keys || !ids || !x || !flat || !take) { st = SLANT_ENOMEM; goto done; }
    memcpy(keys, s.h, s.n_h * sizeof *keys);
    qsort(keys, s.n_h, sizeof *keys, cmp_u64);
    for (size_t i = 0; i < s.n_h;) {
        size_t j = i;
        while (j < s.n_h && keys[j] == keys[i]) j++;
        if (j - i >= 2 && keys[i] != 0) keys[F++] = keys[i];
        i = j;
    }
    /* Sentences as sparse examples over dictionary ids. */
    for (size_t i = 0; i < s.n; i++) {
        uint32_t k = 0;
        for (size_t j = s.off[i]; j < s.off[i + 1]; j++) {
            const uint64_t *hit = bsearch(&s.h[j], keys, F, sizeof *keys, cmp_u64);
            if (hit) ids[s.off[i] + k++] = (uint32_t)(hit - keys);
        }
        x[i] = (linear_example){ids + s.off[i], NULL, k};
    }
    if (!(w = malloc(linear_n_weights(F, 2) * sizeof *w))) { st = SLANT_ENOMEM; goto done; }
    /* Cross-fitted scores for the training articles. */
    for (int fold = 0; fold < SENTENCE_FOLDS; fold++) {
        for (size_t i = 0; i < s.n; i++) take[i] = (unsigned char)(s.article[i] % SENTENCE_FOLDS != (size_t)fold);
        if ((st = fit(x, s.label, take, s.n, F, c2, threads, w)) != SLANT_OK) goto done;
        for (size_t i = 0; i < s.n; i++)
            if (!take[i]) flat[i] = log_odds_score(w, F, &x[i]);
    }
    if ((st = split_scores(&s, train->len, flat, train_scores)) != SLANT_OK) goto done;
    /* The final model, on everything. */
    if ((st = fit(x, s.label, NULL, s.n, F, c2, threads, w)) != SLANT_OK) goto done;
    sentence_model_fini(out);
    out->w = malloc((F ? F : 1) * sizeof *out->w);
    if (!out->w) { st = SLANT_ENOMEM; goto done; }
    for (size_t f = 0; f < F; f++) out->w[f] = (float)(w[2 * f + 1] - w[2 * f]);
    out->bias = w[2 * F + 1] - w[2 * F];
    out->n_feat = F;
    if ((st = feat_table_build(&out->table, keys, F)) != SLANT_OK) goto done;
    if (dev && dev_scores) st = sentence_score_corpus(out, dev, dev_scores);
done:
    if (st != SLANT_OK) { sentence_scores_free(*train_scores, train->len); *train_scores = NULL; }
    set_fini(&s);
    free(keys); free(ids); free(x); free(w); free(flat); free(take);
    return st;
}
