/*
 * Skip-gram with negative sampling (embed.h). V = vocabulary, D = vector
 * size, N = stream positions (words and sentence breaks), T = threads.
 *
 * Parameters: syn0 (V x D, input vectors, the result) and syn1 (V x D,
 * output vectors), one block `2 x V x D` floats, syn0 first. For each kept
 * word w and each context word c within a window sampled from 1..window,
 * syn0[c] is pushed towards syn1[w] and away from syn1 of `negative` words
 * drawn from the unigram distribution raised to 3/4 (Mikolov et al. 2013;
 * roles as in the reference word2vec.c, which updates the context row).
 *
 * Rounds: each epoch is cut into rounds of T chunks of about round_tokens
 * positions, each ending at a sentence break. Thread t trains a private
 * copy on chunk t; then every row that some thread changed is set to
 * old + sum_t (copy_t - old), summed in thread order, and copied back to
 * every thread. Nothing is shared while threads work, so the result does
 * not depend on scheduling; random numbers come from a generator seeded by
 * (seed, epoch, chunk), so it does not depend on timing either.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "embed.h"
#include "util/mix64.h"
#include "util/vec_dot.h"
#include "status.h"
#include "token_features.h"

/* feat_extract lower-cases into 256 bytes: long tokens must truncate, and
 * so hash, the same way here. */
#define LOWER_CAP 256
#define DROP (UINT32_MAX - 1)      /* renumbering: word below min_count */
#define MAX_SENTENCE 1000          /* kept words per window pass */
#define SIG_TABLE 1000             /* sigmoid table entries over [-SIG_MAX, SIG_MAX] */
#define SIG_MAX 6

/* ---- vocabulary and stream ---- */

void emb_corpus_init(emb_corpus *c) {
    memset(c, 0, sizeof *c);
    tok_doc_init(&c->doc);
}

void emb_corpus_fini(emb_corpus *c) {
    free(c->hash); free(c->count); free(c->str_off); free(c->chars);
    free(c->slots); free(c->stream);
    tok_doc_fini(&c->doc);
    memset(c, 0, sizeof *c);
    tok_doc_init(&c->doc);
}

const char *emb_corpus_word(const emb_corpus *c, size_t i) { return c->chars + c->str_off[i]; }

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 1;
    size_t n = *cap ? *cap : 1024;
    while (n < need) n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q) return 0;
    *p = q; *cap = n;
    return 1;
}

static void slot_insert(uint32_t *slots, size_t n_slots, uint64_t hash, uint32_t id) {
    size_t i = (size_t)hash & (n_slots - 1);
    while (slots[i]) i = (i + 1) & (n_slots - 1);
    slots[i] = id + 1;
}

static int rehash(emb_corpus *c) {
    size_t n = c->n_slots ? c->n_slots * 2 : 4096;
    uint32_t *s = calloc(n, sizeof *s);
    if (!s) return 0;
    for (size_t id = 0; id < c->V; id++) slot_insert(s, n, c->hash[id], (uint32_t)id);
    free(c->slots);
    c->slots = s; c->n_slots = n;
    return 1;
}

/* Id of the word with this hash, added (count 0) if new; -1 on no memory. */
static long long intern(emb_corpus *c, uint64_t hash, const char *word, size_t len) {
    if ((c->V + 1) * 2 > c->n_slots && !rehash(c)) return -1;
    size_t i = (size_t)hash & (c->n_slots - 1);
    for (; c->slots[i]; i = (i + 1) & (c->n_slots - 1))
        if (c->hash[c->slots[i] - 1] == hash) return (long long)c->slots[i] - 1;
    if (c->V >= DROP - 1) return -1;
    size_t cap = c->cap, need = c->V + 1;
    if (need > cap) {
        size_t c2 = cap;
        if (!grow((void **)&c->hash, &c2, need, sizeof *c->hash)) return -1;
        c2 = cap;
        if (!grow((void **)&c->count, &c2, need, sizeof *c->count)) return -1;
        c2 = cap;
        if (!grow((void **)&c->str_off, &c2, need, sizeof *c->str_off)) return -1;
        c->cap = c2;
    }
    if (c->chars_len + len + 1 > UINT32_MAX) return -1;
    if (!grow((void **)&c->chars, &c->chars_cap, c->chars_len + len + 1, 1)) return -1;
    memcpy(c->chars + c->chars_len, word, len);
    c->chars[c->chars_len + len] = '\0';
    c->str_off[c->V] = (uint32_t)c->chars_len;
    c->chars_len += len + 1;
    c->hash[c->V] = hash;
    c->count[c->V] = 0;
    c->slots[i] = (uint32_t)c->V + 1;
    return (long long)c->V++;
}

slant_status emb_corpus_add_text(emb_corpus *c, const char *text, size_t len) {
    if (c->finished) return SLANT_EINVAL;
    slant_status st = tok_tokenize(text, len, &c->doc);
    if (st != SLANT_OK) return st;
    char low[LOWER_CAP];
    const tok_doc *d = &c->doc;
    if (!grow((void **)&c->stream, &c->cap_stream, c->n_stream + d->n_tokens + d->n_sentences,
              sizeof *c->stream))
        return SLANT_ENOMEM;
    for (size_t s = 0; s < d->n_sentences; s++) {
        const tok_sentence *se = &d->sentences[s];
        if (se->first >= se->last) continue;
        for (uint32_t t = se->first; t < se->last; t++) {
            const tok_token *k = &d->tokens[t];
            size_t n = feat_lower(text + k->start, k->end - k->start, low, sizeof low);
            long long id = intern(c, feat_word_hash(low, n), low, n);
            if (id < 0) return SLANT_ENOMEM;
            c->count[id]++;
            c->stream[c->n_stream++] = (uint32_t)id;
        }
        c->stream[c->n_stream++] = EMB_BREAK;
        c->n_tokens += se->last - se->first;
    }
    c->n_articles++;
    return SLANT_OK;
}

typedef struct { uint64_t count; uint32_t id; } rank_item;

static int by_count_desc(const void *a, const void *b) {
    const rank_item *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

slant_status emb_corpus_finish(emb_corpus *c, uint64_t min_count, slant_error *err) {
    slant_status st = SLANT_OK;
    rank_item *items = NULL;
    uint32_t *map = NULL, *off = NULL;
    uint64_t *hash = NULL, *count = NULL;
    size_t n = 0;
    if (c->finished) return err_set(err, SLANT_EINVAL, NULL, -1, -1, "corpus already finished");
    if (!(items = malloc((c->V ? c->V : 1) * sizeof *items)) || !(map = malloc((c->V ? c->V : 1) * sizeof *map))) {
        st = err_set(err, SLANT_ENOMEM, NULL, -1, -1, "out of memory"); goto done;
    }
    for (size_t i = 0; i < c->V; i++)
        if (c->count[i] >= min_count) items[n++] = (rank_item){c->count[i], (uint32_t)i};
    if (n == 0) {
        st = err_set(err, SLANT_EINVAL, NULL, -1, -1, "no word occurs %llu times or more",
                     (unsigned long long)min_count);
        goto done;
    }
    qsort(items, n, sizeof *items, by_count_desc);
    if (!(hash = malloc(n * sizeof *hash)) || !(count = malloc(n * sizeof *count)) ||
        !(off = malloc(n * sizeof *off))) {
        st = err_set(err, SLANT_ENOMEM, NULL, -1, -1, "out of memory"); goto done;
    }
    for (size_t i = 0; i < c->V; i++) map[i] = DROP;
    for (size_t r = 0; r < n; r++) {
        uint32_t id = items[r].id;
        map[id] = (uint32_t)r;
        hash[r] = c->hash[id]; count[r] = c->count[id]; off[r] = c->str_off[id];
    }
    /* Renumber in place, dropping rare words and empty sentences. */
    size_t o = 0;
    uint64_t kept = 0;
    for (size_t i = 0; i < c->n_stream; i++) {
        uint32_t w = c->stream[i];
        if (w == EMB_BREAK) {
            if (o > 0 && c->stream[o - 1] != EMB_BREAK) c->stream[o++] = EMB_BREAK;
        } else if (map[w] != DROP) {
            c->stream[o++] = map[w];
            kept++;
        }
    }
    c->n_stream = o;
    c->n_tokens = kept;
    free(c->hash); free(c->count); free(c->str_off); free(c->slots);
    c->hash = hash; c->count = count; c->str_off = off;
    hash = NULL; count = NULL; off = NULL;
    c->slots = NULL; c->n_slots = 0;
    c->V = c->cap = n;
    c->finished = 1;
done:
    free(items); free(map); free(hash); free(count); free(off);
    return st;
}

/* ---- vector kernels ---- */


/* y += g x */
static void axpy(float g, const float *restrict x, float *restrict y, size_t D) {
    size_t i = 0;
    for (; i + 8 <= D; i += 8)
        for (size_t k = 0; k < 8; k++) y[i + k] += g * x[i + k];
    for (; i < D; i++) y[i] += g * x[i];
}

/* ---- training ---- */

typedef struct {
    const emb_corpus *c;
    const emb_opts *o;
    size_t V, D, T;
    float *master;           /* 2 x V x D: syn0, then syn1 */
    float **copy;            /* T (T > 1): each thread's 2 x V x D */
    uint8_t **dirty;         /* T (T > 1): 2V flags, row changed this round */
    float sig[SIG_TABLE + 1];/* sigmoid over [-SIG_MAX, SIG_MAX] */
    uint64_t *neg_thresh;    /* V: alias table acceptance, scaled by 2^32 */
    uint32_t *neg_alias;     /* V: alias of each entry */
    uint64_t *keep_thresh;   /* V: subsampling keep probability, scaled by 2^32 */
    uint64_t total;          /* epochs x N */
} trainer;

typedef struct {
    trainer *tr;
    size_t t;                /* thread index */
    int phase;               /* 0 train a chunk, 1 merge rows */
    size_t lo, hi;           /* phase 0: stream positions [lo,hi); phase 1: rows */
    int epoch;
    uint64_t chunk;          /* chunk number within the epoch, seeds the generator */
    uint32_t sent[MAX_SENTENCE];  /* kept word ids of the current sentence */
    float *neu1e;            /* D: accumulated change of the context row */
} worker;

/* Vose's alias method over count^0.75: O(1) draws, V entries. */
static int build_alias(trainer *tr) {
    size_t V = tr->V;
    double *p = malloc(V * sizeof *p);
    size_t *small = malloc(V * sizeof *small), *large = malloc(V * sizeof *large);
    int ok = p && small && large;
    if (ok) {
        double sum = 0;
        for (size_t i = 0; i < V; i++) sum += pow((double)tr->c->count[i], 0.75);
        size_t ns = 0, nl = 0;
        for (size_t i = 0; i < V; i++) {
            p[i] = pow((double)tr->c->count[i], 0.75) * (double)V / sum;
            if (p[i] < 1.0) small[ns++] = i; else large[nl++] = i;
        }
        while (ns && nl) {
            size_t s = small[--ns], l = large[nl - 1];
            tr->neg_thresh[s] = (uint64_t)(p[s] * 4294967296.0);
            tr->neg_alias[s] = (uint32_t)l;
            p[l] -= 1.0 - p[s];
            if (p[l] < 1.0) { nl--; small[ns++] = l; }
        }
        while (nl) { size_t l = large[--nl]; tr->neg_thresh[l] = 4294967296ULL; tr->neg_alias[l] = (uint32_t)l; }
        while (ns) { size_t s = small[--ns]; tr->neg_thresh[s] = 4294967296ULL; tr->neg_alias[s] = (uint32_t)s; }
    }
    free(p); free(small); free(large);
    return ok;
}

static uint32_t draw_negative(const trainer *tr, rng *r) {
    uint64_t u = rng_next(r);
    uint32_t i = (uint32_t)(((u >> 32) * (uint64_t)tr->V) >> 32);
    return (u & 0xffffffffULL) < tr->neg_thresh[i] ? i : tr->neg_alias[i];
}

/* One (word, context) pair: w = parameters (2 x V x D) being trained. */
static void train_pair(worker *wk, float *w, uint8_t *dirty, uint32_t word, uint32_t ctx,
                       float alpha, rng *r) {
    const trainer *tr = wk->tr;
    size_t D = tr->D, V = tr->V;
    float *l1 = w + (size_t)ctx * D, *syn1 = w + V * D, *e = wk->neu1e;
    memset(e, 0, D * sizeof *e);
    for (int d = 0; d <= tr->o->negative; d++) {
        uint32_t target = word;
        float label = 1;
        if (d > 0) {
            target = draw_negative(tr, r);
            if (target == word) continue;
            label = 0;
        }
        float *l2 = syn1 + (size_t)target * D;
        float f = vec_dot(l1, l2, D), g;
        if (f > SIG_MAX) g = (label - 1) * alpha;
        else if (f < -SIG_MAX) g = label * alpha;
        else g = (label - tr->sig[(int)((f + SIG_MAX) * ((float)SIG_TABLE / (2 * SIG_MAX)))]) * alpha;
        axpy(g, l2, e, D);
        axpy(g, l1, l2, D);
        if (dirty) dirty[V + target] = 1;
    }
    axpy(1, e, l1, D);
    if (dirty) dirty[ctx] = 1;
}

static void train_chunk(worker *wk) {
    trainer *tr = wk->tr;
    const emb_opts *o = tr->o;
    const uint32_t *s = tr->c->stream;
    size_t N = tr->c->n_stream;
    float *w = tr->T > 1 ? tr->copy[wk->t] : tr->master;
    uint8_t *dirty = tr->T > 1 ? tr->dirty[wk->t] : NULL;
    rng r = {mix64(o->seed ^ mix64((uint64_t)wk->epoch << 40 ^ wk->chunk))};
    size_t pos = wk->lo;
    while (pos < wk->hi) {
        size_t start = pos, n = 0;
        while (pos < wk->hi && s[pos] != EMB_BREAK && n < MAX_SENTENCE) {
            uint32_t id = s[pos++];
            if ((rng_next(&r) & 0xffffffffULL) < tr->keep_thresh[id]) wk->sent[n++] = id;
        }
        if (pos < wk->hi && s[pos] == EMB_BREAK) pos++;
        double progress = ((double)wk->epoch * (double)N + (double)start) / (double)tr->total;
        float alpha = (float)(o->alpha * fmax(1e-4, 1.0 - progress));
        for (size_t i = 0; i < n; i++) {
            size_t b = (size_t)(rng_next(&r) % (uint64_t)o->window);
            size_t reach = (size_t)o->window - b;
            size_t j0 = i > reach ? i - reach : 0, j1 = i + reach + 1 < n ? i + reach + 1 : n;
            for (size_t j = j0; j < j1; j++)
                if (j != i) train_pair(wk, w, dirty, wk->sent[i], wk->sent[j], alpha, &r);
        }
    }
}

/* Rows [lo,hi) of 2V: master = master + sum_t (copy_t - master), in t order. */
static void merge_rows(worker *wk) {
    trainer *tr = wk->tr;
    size_t D = tr->D, T = tr->T;
    for (size_t row = wk->lo; row < wk->hi; row++) {
        int any = 0;
        for (size_t t = 0; t < T; t++) any |= tr->dirty[t][row];
        if (!any) continue;
        float *m = tr->master + row * D;
        for (size_t k = 0; k < D; k++) {
            float old = m[k], acc = old;
            for (size_t t = 0; t < T; t++) acc += tr->copy[t][row * D + k] - old;
            m[k] = acc;
        }
        for (size_t t = 0; t < T; t++) {
            memcpy(tr->copy[t] + row * D, m, D * sizeof *m);
            tr->dirty[t][row] = 0;
        }
    }
}

static void *run_worker(void *arg) {
    worker *wk = arg;
    if (wk->phase == 0) train_chunk(wk); else merge_rows(wk);
    return NULL;
}

/* Runs workers 1..T-1 on threads and worker 0 here. Workers never touch
 * each other's memory, so running one inline when a thread cannot start
 * gives the same result. */
static void run_all(worker *w, size_t T) {
    pthread_t th[64];
    int started[64] = {0};
    for (size_t t = 1; t < T; t++)
        started[t] = pthread_create(&th[t], NULL, run_worker, &w[t]) == 0;
    run_worker(&w[0]);
    for (size_t t = 1; t < T; t++) {
        if (started[t]) pthread_join(th[t], NULL);
        else run_worker(&w[t]);
    }
}

void emb_opts_init(emb_opts *o) {
    memset(o, 0, sizeof *o);
    o->dim = 100; o->window = 5; o->negative = 5; o->epochs = 3; o->threads = 1;
    o->alpha = 0.025; o->sample = 1e-4; o->round_tokens = 65536; o->seed = 1;
}

slant_status emb_train(const emb_corpus *c, const emb_opts *o, float **vecs, slant_error *err) {
    slant_status st = SLANT_OK;
    trainer tr;
    worker *w = NULL;
    memset(&tr, 0, sizeof tr);
    *vecs = NULL;
    if (!c->finished || c->V == 0)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "the corpus has no vocabulary yet");
    if (o->dim < 1 || o->dim > 4096 || o->window < 1 || o->negative < 0 || o->epochs < 1 ||
        o->threads < 1 || o->threads > 64 || !(o->alpha > 0) || o->sample < 0 || o->round_tokens < 1)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "bad embedding options");
    tr.c = c; tr.o = o;
    tr.V = c->V; tr.D = (size_t)o->dim; tr.T = (size_t)o->threads;
    tr.total = (uint64_t)o->epochs * (uint64_t)c->n_stream;
    if (tr.total == 0) tr.total = 1;
    size_t V = tr.V, D = tr.D, T = tr.T, n_par = 2 * V * D;
    if (!(tr.master = malloc(n_par * sizeof *tr.master)) ||
        !(tr.neg_thresh = malloc(V * sizeof *tr.neg_thresh)) ||
        !(tr.neg_alias = malloc(V * sizeof *tr.neg_alias)) ||
        !(tr.keep_thresh = malloc(V * sizeof *tr.keep_thresh)) ||
        !(w = calloc(T, sizeof *w)) || !build_alias(&tr)) goto nomem;
    for (size_t t = 0; t < T; t++) {
        w[t].tr = &tr; w[t].t = t;
        if (!(w[t].neu1e = malloc(D * sizeof *w[t].neu1e))) goto nomem;
    }
    for (int i = 0; i <= SIG_TABLE; i++) {
        double x = ((double)i / SIG_TABLE * 2 - 1) * SIG_MAX;
        tr.sig[i] = (float)(1.0 / (1.0 + exp(-x)));
    }
    for (size_t i = 0; i < V; i++) {
        double keep = 1.0;
        if (o->sample > 0) {
            double f = (double)c->count[i] / (double)c->n_tokens;
            keep = (sqrt(f / o->sample) + 1) * o->sample / f;
        }
        tr.keep_thresh[i] = keep >= 1.0 ? 4294967296ULL : (uint64_t)(keep * 4294967296.0);
    }
    rng r = {mix64(o->seed)};
    for (size_t i = 0; i < V * D; i++)
        tr.master[i] = (float)(((double)(rng_next(&r) >> 11) * 0x1p-53 - 0.5) / (double)D);
    memset(tr.master + V * D, 0, V * D * sizeof *tr.master);
    if (T > 1) {
        if (!(tr.copy = calloc(T, sizeof *tr.copy)) || !(tr.dirty = calloc(T, sizeof *tr.dirty))) goto nomem;
        for (size_t t = 0; t < T; t++) {
            if (!(tr.copy[t] = malloc(n_par * sizeof *tr.master)) ||
                !(tr.dirty[t] = calloc(2 * V, 1))) goto nomem;
            memcpy(tr.copy[t], tr.master, n_par * sizeof *tr.master);
        }
    }

    const uint32_t *s = c->stream;
    size_t N = c->n_stream;
    uint64_t trained = 0;
    for (int e = 0; e < o->epochs; e++) {
        size_t pos = 0;
        uint64_t chunk = 0;
        while (pos < N) {
            for (size_t t = 0; t < T; t++) {
                size_t hi = pos + o->round_tokens < N ? pos + o->round_tokens : N;
                while (hi < N && s[hi - 1] != EMB_BREAK) hi++;   /* end at a sentence end */
                w[t].phase = 0; w[t].epoch = e; w[t].chunk = chunk++;
                w[t].lo = pos; w[t].hi = hi;
                pos = hi;
            }
            run_all(w, T);
            if (T > 1) {
                for (size_t t = 0; t < T; t++) {
                    w[t].phase = 1;
                    w[t].lo = 2 * V * t / T; w[t].hi = 2 * V * (t + 1) / T;
                }
                run_all(w, T);
            }
            trained = (uint64_t)e * N + pos;
            if (o->progress)
                o->progress(o->progress_ctx, trained, tr.total,
                            o->alpha * fmax(1e-4, 1.0 - (double)trained / (double)tr.total));
        }
    }
    /* syn0 is the first half of the block: keep it, give the rest back. */
    float *out = realloc(tr.master, V * D * sizeof *out);
    *vecs = out ? out : tr.master;
    tr.master = NULL;
    goto done;
nomem:
    st = err_set(err, SLANT_ENOMEM, NULL, -1, -1, "out of memory for %zu x %zu vectors", tr.V, tr.D);
done:
    if (tr.copy) for (size_t t = 0; t < T; t++) free(tr.copy[t]);
    if (tr.dirty) for (size_t t = 0; t < T; t++) free(tr.dirty[t]);
    free(tr.copy); free(tr.dirty);
    if (w) for (size_t t = 0; t < T; t++) free(w[t].neu1e);
    free(w);
    free(tr.master); free(tr.neg_thresh); free(tr.neg_alias); free(tr.keep_thresh);
    return st;
}
