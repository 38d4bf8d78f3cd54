/*
 * Span tagging (tagger.h). T = tokens, L = labels (0 = O). Emissions are
 * the sums of the float weights of each token's known features; the CRF
 * kernels (crf.h) give posterior marginals; P(inside) = 1 - P(O).
 *
 * Speed. A model's feature table and weights are megabytes, so looking up
 * ~38 hashes per token was most of the time. Half of them are word
 * templates (token_features.h), which depend on one word of the window and
 * where it stands: their weights are summed once per distinct word and
 * position and cached across articles (news repeats its vocabulary), so a
 * token costs five cached sums. Most context templates take a handful of
 * values (token_features.h: small features), whose weights sit in a small
 * table; the six others are looked up per token. Context lookups run
 * a block of tokens ahead of the sums, prefetching table slots a few hashes
 * ahead and each found weight row, so the misses overlap. Emissions equal
 * the training path's (feat_tokens) up to the order of additions; the sums
 * are in double of float weights, so the difference is rounding at most
 * (tests/test_tagger_emit.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "crf.h"
#include "tagger.h"

slant_status tagger_work_init(tagger_work *w) {
    memset(w, 0, sizeof *w);
    feat_seq_init(&w->feats);
    w->fctx = feat_ctx_new();
    w->sent_hashes = malloc(TAGGER_SENT_FEATS * sizeof *w->sent_hashes);
    return w->fctx && w->sent_hashes ? SLANT_OK : SLANT_ENOMEM;
}

void tagger_work_fini(tagger_work *w) {
    free(w->word_sums); free(w->stamp); free(w->small_w);
    feat_ctx_free(w->fctx);
    feat_seq_fini(&w->feats);
    free(w->ids); free(w->id_offs);
    free(w->emit); free(w->alpha); free(w->beta); free(w->p_span); free(w->p_group);
    free(w->sent_scores); free(w->sent_hashes);
    memset(w, 0, sizeof *w);
}

static int grow_tokens(tagger_work *w, size_t T) {
    if (T + 1 <= w->cap_tok) return 1;
    size_t cap = w->cap_tok ? w->cap_tok : 1024;
    while (cap < T + 1) cap *= 2;
    size_t tl = cap * TAGGER_MAX_LABELS;
    double **bufs[] = {&w->emit, &w->alpha, &w->beta};
    for (size_t i = 0; i < 3; i++) {
        double *p = realloc(*bufs[i], tl * sizeof *p);
        if (!p) return 0;
        *bufs[i] = p;
    }
    double *ps = realloc(w->p_span, cap * sizeof *ps);
    if (!ps) return 0;
    w->p_span = ps;
    if (!(ps = realloc(w->p_group, cap * TAGGER_MAX_GROUPS * sizeof *ps))) return 0;
    w->p_group = ps;
    uint32_t *o = realloc(w->id_offs, (cap + 1) * sizeof *o);
    if (!o) return 0;
    w->id_offs = o;
    w->cap_tok = cap;
    return 1;
}

/* ---- emissions ---- */

#define EMIT_BLOCK 8      /* tokens looked up ahead of their sums */
#define EMIT_PREFETCH 32  /* hashes between a slot's prefetch and its probe */

/* emit[t*L+y] = sum, in feature order, of the weights w[row*L+y] of token
 * t's known features. ids: fs->n scratch rows; id_offs: T+1 scratch. */
static void emissions(const tagger_model *tm, const feat_seq *fs, uint32_t *ids,
                      uint32_t *id_offs, double *emit) {
    size_t T = fs->T, n = fs->n, L = (size_t)tm->L;
    const feat_table *tab = &tm->table;
    const uint64_t *h = fs->hashes;
    if (tab->cap == 0) {   /* no known features */
        for (size_t k = 0; k < T * L; k++) emit[k] = 0.0;
        return;
    }
#if defined(__GNUC__)
    /* Every slot the article will probe, fetched towards L2 first: back to
     * back, as many misses are in flight as the CPU allows. */
    for (size_t k = 0; k < n; k++)
        if (feat_table_maybe(tab, h[k])) __builtin_prefetch(&tab->slots[feat_table_home(tab, h[k])], 0, 2);
#endif
    for (size_t k = 0; k < n && k < EMIT_PREFETCH; k++) feat_table_prefetch_nonempty(tab, h[k]);
    uint32_t nid = 0;
    for (size_t t0 = 0; t0 < T; t0 += EMIT_BLOCK) {
        size_t t1 = t0 + EMIT_BLOCK < T ? t0 + EMIT_BLOCK : T;
        for (size_t t = t0; t < t1; t++) {
            id_offs[t] = nid;
            for (size_t k = fs->offs[t]; k < fs->offs[t + 1]; k++) {
                if (k + EMIT_PREFETCH < n) feat_table_prefetch_nonempty(tab, h[k + EMIT_PREFETCH]);
                uint32_t row = feat_table_find_nonempty(tab, h[k]);
                if (row == UINT32_MAX) continue;
#if defined(__GNUC__)
                __builtin_prefetch(tm->w + (size_t)row * L);
#endif
                ids[nid++] = row;
            }
        }
        id_offs[t1] = nid;
        for (size_t t = t0; t < t1; t++) {
            double *e = emit + t * L;
            if (L == 3) {   /* the default O/B/I model: sums kept in registers */
                double e0 = 0.0, e1 = 0.0, e2 = 0.0;
                for (uint32_t k = id_offs[t]; k < id_offs[t + 1]; k++) {
                    const float *wr = tm->w + (size_t)ids[k] * 3;
                    e0 += (double)wr[0]; e1 += (double)wr[1]; e2 += (double)wr[2];
                }
                e[0] = e0; e[1] = e1; e[2] = e2;
                continue;
            }
            if (L == 5) {   /* two label groups: the same */
                double e0 = 0.0, e1 = 0.0, e2 = 0.0, e3 = 0.0, e4 = 0.0;
                for (uint32_t k = id_offs[t]; k < id_offs[t + 1]; k++) {
                    const float *wr = tm->w + (size_t)ids[k] * 5;
                    e0 += (double)wr[0]; e1 += (double)wr[1]; e2 += (double)wr[2];
                    e3 += (double)wr[3]; e4 += (double)wr[4];
                }
                e[0] = e0; e[1] = e1; e[2] = e2; e[3] = e3; e[4] = e4;
                continue;
            }
            for (size_t y = 0; y < L; y++) e[y] = 0.0;
            for (uint32_t k = id_offs[t]; k < id_offs[t + 1]; k++) {
                const float *wr = tm->w + (size_t)ids[k] * L;
                for (size_t y = 0; y < L; y++) e[y] += (double)wr[y];
            }
        }
    }
}

/* ---- word sums ---- */

/* A word's sums (tagger_work.word_sums): sums[(o+2)*L+y] = the weights for
 * label y of token t's word templates seen from offset o (feat_word), for
 * o = -2..2, then sums[(5+q)*L+y] = those of its word-in-quotes template
 * in quotation state q. t may be FEAT_OUTSIDE (no word-in-quotes: 0).
 *
 * They are computed in three steps, so that fill_new_sums can run each
 * step over a batch of words: the hashes of block b (word_hashes), then
 * their rows in the weight table, in place, then the sums. */
typedef struct {
    uint64_t h[TAGGER_WORD_BLOCKS][FEAT_WORD_MAX];  /* hashes, then rows (ABSENT: no row) */
    uint8_t n[TAGGER_WORD_BLOCKS];                  /* used entries of h[b] */
} word_hashes;

#define ABSENT UINT64_MAX

static void word_hashes_of(const slant_model *m, const feat_ctx *c, size_t t, word_hashes *wh) {
    for (int o = -2; o <= 2; o++)
        wh->n[o + 2] = (uint8_t)feat_word(c, &m->resources, t, o, wh->h[o + 2]);
    for (int q = 0; q < 2; q++) {
        wh->h[5 + q][0] = t == FEAT_OUTSIDE ? 0 : feat_word_in_quotes(c, t, q);
        wh->n[5 + q] = t == FEAT_OUTSIDE ? 0 : 1;
    }
}

/* Hashes to rows, asking the CPU for each weight row found. */
static void word_rows(const tagger_model *tm, word_hashes *wh) {
    for (int b = 0; b < TAGGER_WORD_BLOCKS; b++)
        for (size_t k = 0; k < wh->n[b]; k++) {
            uint32_t row = feat_table_find(&tm->table, wh->h[b][k]);
            wh->h[b][k] = row == UINT32_MAX ? ABSENT : row;
#if defined(__GNUC__)
            if (row != UINT32_MAX) __builtin_prefetch(tm->w + (size_t)row * (size_t)tm->L);
#endif
        }
}

static void word_sums_of_rows(const tagger_model *tm, const word_hashes *wh, double *sums) {
    size_t L = (size_t)tm->L;
    for (int b = 0; b < TAGGER_WORD_BLOCKS; b++, sums += L) {
        for (size_t y = 0; y < L; y++) sums[y] = 0.0;
        for (size_t k = 0; k < wh->n[b]; k++) {
            if (wh->h[b][k] == ABSENT) continue;
            const float *wr = tm->w + (size_t)wh->h[b][k] * L;
            for (size_t y = 0; y < L; y++) sums[y] += (double)wr[y];
        }
    }
}

static void word_sums(const slant_model *m, const feat_ctx *c, size_t t, double *sums) {
    word_hashes wh;
    word_hashes_of(m, c, t, &wh);
    word_rows(&m->tagger, &wh);
    word_sums_of_rows(&m->tagger, &wh, sums);
}

#define NEW_WORD_BATCH 16   /* new words whose lookups are in flight together */

/* Fills the sums of every word of the article that has a memo slot but no
 * sums under the current generation. A new word's ~20 lookups miss the
 * cache twice each (the table slot, then the weight row), and word by word
 * they wait in series (on distinct news most words of an article are new
 * to the cache). So a batch of words goes through each step of word_sums
 * together, every slot and row it will read fetched first, and the misses
 * overlap: 2-5% less CPU on distinct news. Same sums as word_sums. */
static void fill_new_sums(const slant_model *m, tagger_work *w, size_t T) {
    const tagger_model *tm = &m->tagger;
    const feat_ctx *c = w->fctx;
    size_t LW = TAGGER_WORD_BLOCKS * (size_t)tm->L;
    word_hashes wh[NEW_WORD_BATCH];
    uint32_t slots[NEW_WORD_BATCH];
    size_t toks[NEW_WORD_BATCH];
    size_t t = 0;
    while (t < T) {
        size_t nb = 0;
        for (; t < T && nb < NEW_WORD_BATCH; t++) {
            uint32_t slot = feat_word_slot(c, t);
            if (slot == WORD_MEMO_NONE || w->stamp[slot] == w->gen) continue;
            w->stamp[slot] = w->gen;   /* later copies in the article are not new */
            slots[nb] = slot;
            toks[nb++] = t;
            feat_word_prefetch(c, &m->resources, t);
        }
        for (size_t i = 0; i < nb; i++) {
            word_hashes_of(m, c, toks[i], &wh[i]);
            if (tm->table.cap == 0) continue;
            for (int b = 0; b < TAGGER_WORD_BLOCKS; b++)
                for (size_t k = 0; k < wh[i].n[b]; k++) feat_table_prefetch_nonempty(&tm->table, wh[i].h[b][k]);
        }
        for (size_t i = 0; i < nb; i++) {
#if defined(__GNUC__)
            const char *dst = (const char *)(w->word_sums + (size_t)slots[i] * LW);
            for (size_t b = 0; b < LW * sizeof *w->word_sums; b += 64) __builtin_prefetch(dst + b, 1);
#endif
            word_rows(tm, &wh[i]);
        }
        for (size_t i = 0; i < nb; i++) word_sums_of_rows(tm, &wh[i], w->word_sums + (size_t)slots[i] * LW);
    }
}

#define WORD_PREFETCH 8   /* tokens between a word's prefetch and its use */

#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/* add_word_sums' sums, inlined with L a constant for the O/B/I tag set and
 * for two label groups (O and B/I twice). */
static ALWAYS_INLINE void add_sums(const slant_model *m, tagger_work *w, size_t T, int L) {
    size_t LW = TAGGER_WORD_BLOCKS * (size_t)L;
    const feat_ctx *c = w->fctx;
    /* The small features: weights from the table above. */
    const feat_seq *fs = &w->feats;
    for (size_t t = 0; t < T; t++) {
        double *e = w->emit + t * (size_t)L;
        const uint8_t *sm = fs->small + t * fs->small_per_token;
        for (size_t k = 0; k < fs->small_per_token; k++) {
            const double *sw = w->small_w + (size_t)sm[k] * (size_t)L;
            for (int y = 0; y < L; y++) e[y] += sw[y];
        }
    }
    for (size_t t = 0; t < T; t++) {
#if defined(__GNUC__)
        /* The cache is megabytes: fetch a few words ahead. */
        if (t + WORD_PREFETCH < T) {
            uint32_t ahead = feat_word_slot(c, t + WORD_PREFETCH);
            if (ahead != WORD_MEMO_NONE) {
                const double *p = w->word_sums + (size_t)ahead * LW;
                __builtin_prefetch(&w->stamp[ahead]);
                for (size_t b = 0; b < LW * sizeof *p; b += 64) __builtin_prefetch((const char *)p + b);
            }
        }
#endif
        uint32_t slot = feat_word_slot(c, t);
        double *s = w->uncached;
        if (slot == WORD_MEMO_NONE) word_sums(m, c, t, s);
        else {
            s = w->word_sums + (size_t)slot * LW;
            if (w->stamp[slot] != w->gen) {
                word_sums(m, c, t, s);
                w->stamp[slot] = w->gen;
            }
        }
        for (int o = -2; o <= 2; o++) {
            long v = (long)t - o;   /* the token that sees t at offset o */
            if (v < 0 || (size_t)v >= T) continue;
            double *e = w->emit + (size_t)v * (size_t)L;
            const double *so = s + (size_t)(o + 2) * (size_t)L;
            for (int y = 0; y < L; y++) e[y] += so[y];
        }
        const double *sq = s + (size_t)(5 + feat_in_quotes(c, t)) * (size_t)L;
        double *e = w->emit + t * (size_t)L;
        for (int y = 0; y < L; y++) e[y] += sq[y];
    }
    /* Window positions outside the article. */
    for (size_t t = 0; t < T; t = t < 1 || t + 3 >= T ? t + 1 : T - 2)   /* 0, 1, T-2, T-1 */
        for (int o = -2; o <= 2; o++) {
            long u = (long)t + o;
            if (u >= 0 && (size_t)u < T) continue;
            double *e = w->emit + t * (size_t)L;
            for (int y = 0; y < L; y++) e[y] += w->outside[(size_t)(o + 2) * (size_t)L + (size_t)y];
        }
}

/* Adds the weights of the small features (from a per-model table) and
 * every token's word sums to the emissions of the tokens that see it
 * (emit[(t-o)*L+y] += sums[(o+2)*L+y]), computing the sums not cached under
 * the current model and memo, while each is in cache. */
static slant_status add_word_sums(const slant_model *m, tagger_work *w, size_t T) {
    const tagger_model *tm = &m->tagger;
    int L = tm->L;
    size_t LW = TAGGER_WORD_BLOCKS * (size_t)L;
    const feat_ctx *c = w->fctx;
    if (!w->word_sums || w->sums_L < tm->L) {
        free(w->word_sums); free(w->stamp); free(w->small_w);
        w->word_sums = malloc(WORD_MEMO_SLOTS * LW * sizeof *w->word_sums);
        w->stamp = calloc(WORD_MEMO_SLOTS, sizeof *w->stamp);
        w->small_w = malloc(FEAT_SMALL_N * (size_t)L * sizeof *w->small_w);
        w->gen = 0;
        if (!w->word_sums || !w->stamp || !w->small_w) {
            free(w->word_sums); free(w->stamp); free(w->small_w);
            w->word_sums = NULL; w->stamp = NULL; w->small_w = NULL;
            return SLANT_ENOMEM;
        }
        w->sums_L = tm->L;
        w->model_uid = tm->uid + 1;   /* forces a new generation below */
    }
    if (w->model_uid != tm->uid || w->epoch != feat_word_epoch(c) || w->gen == 0) {
        if (++w->gen == 0) {   /* wrapped: no stamp may look current */
            memset(w->stamp, 0, WORD_MEMO_SLOTS * sizeof *w->stamp);
            w->gen = 1;
        }
        w->model_uid = tm->uid;
        w->epoch = feat_word_epoch(c);
        word_sums(m, c, FEAT_OUTSIDE, w->outside);
        for (size_t i = 0; i < FEAT_SMALL_N; i++) {
            uint32_t row = feat_table_find(&tm->table, feat_small_hash(i));
            for (int y = 0; y < L; y++)
                w->small_w[i * (size_t)L + (size_t)y] = row == UINT32_MAX ? 0.0 : (double)tm->w[(size_t)row * (size_t)L + (size_t)y];
        }
    }
    fill_new_sums(m, w, T);
    if (L == 3) add_sums(m, w, T, 3);
    else if (L == 5) add_sums(m, w, T, 5);
    else add_sums(m, w, T, L);
    return SLANT_OK;
}

/* ---- marginals ---- */

/* p_group[g*T + t] = sum of marg[t*L + y] over the labels y of group g,
 * kept within [0,1] (a NaN becomes 0). */
static void group_marginals(const tagger_model *tm, const double *marg, size_t T, double *p_group) {
    size_t L = (size_t)tm->L, G = (size_t)tm->n_groups;
    memset(p_group, 0, G * T * sizeof *p_group);
    for (size_t t = 0; t < T; t++)
        for (size_t y = 1; y < L; y++) p_group[tm->label_group[y] * T + t] += marg[t * L + y];
    for (size_t k = 0; k < G * T; k++) {
        double p = p_group[k];
        p_group[k] = p > 0 ? (p < 1 ? p : 1) : 0;
    }
}

slant_status tagger_marginals(const slant_model *m, tagger_work *w,
                              const char *text, const tok_doc *d) {
    const tagger_model *tm = &m->tagger;
    size_t T = d->n_tokens;
    int L = tm->L;
    slant_status st = feat_prepare(w->fctx, text, d);
    if (st != SLANT_OK) return st;
    const float *scores = NULL;
    if (tm->has_sentence) {
        if (d->n_sentences > w->cap_sent) {
            float *p = realloc(w->sent_scores, d->n_sentences * sizeof *p);
            if (!p) return SLANT_ENOMEM;
            w->sent_scores = p; w->cap_sent = d->n_sentences;
        }
        for (size_t si = 0; si < d->n_sentences; si++) {
            size_t n = 0;
            if ((st = feat_sentence(w->fctx, text, d, si, w->sent_hashes, TAGGER_SENT_FEATS, &n)) != SLANT_OK)
                return st;
            w->sent_scores[si] = (float)sentence_model_score(&tm->sentence, w->sent_hashes, n);
        }
        scores = w->sent_scores;
    }
    if ((st = feat_context(w->fctx, text, d, scores, &w->feats)) != SLANT_OK) return st;
    if (!grow_tokens(w, T)) return SLANT_ENOMEM;

    if (w->feats.n > w->cap_ids) {
        size_t cap = w->cap_ids ? w->cap_ids : 4096;
        while (cap < w->feats.n) cap *= 2;
        uint32_t *p = realloc(w->ids, cap * sizeof *p);
        if (!p) return SLANT_ENOMEM;
        w->ids = p; w->cap_ids = cap;
    }
    emissions(tm, &w->feats, w->ids, w->id_offs, w->emit);
    if ((st = add_word_sums(m, w, T)) != SLANT_OK) return st;
    if (T == 0) return SLANT_OK;
    /* P(inside) = 1 - P(O); the scaled kernel serves every ordinary article,
     * the log-space one any whose scores it cannot take. */
    if (crf_marginals_scaled((int)T, L, w->emit, tm->trans, tm->start, w->alpha, w->beta)) {
        for (size_t t = 0; t < T; t++) {
            double p = 1.0 - w->alpha[t * (size_t)L];
            w->p_span[t] = p > 0 ? (p < 1 ? p : 1) : 0;
        }
        if (tm->n_groups >= 2) group_marginals(tm, w->alpha, T, w->p_group);
        return SLANT_OK;
    }
    double log_z = crf_forward_backward((int)T, L, w->emit, tm->trans, tm->start,
                                        w->alpha, w->beta, NULL);
    for (size_t t = 0; t < T; t++) {
        /* P(O) as crf_forward_backward's marg[t*L] would give it. */
        size_t k = t * (size_t)L;
        double p = 1.0 - exp(w->alpha[k] + w->beta[k] - log_z);
        w->p_span[t] = p > 0 ? (p < 1 ? p : 1) : 0;   /* NaN -> 0, never out of [0,1] */
    }
    if (tm->n_groups >= 2) {
        /* The marginals in place of alpha, as the scaled kernel leaves them. */
        for (size_t k = 0; k < T * (size_t)L; k++) w->alpha[k] = exp(w->alpha[k] + w->beta[k] - log_z);
        group_marginals(tm, w->alpha, T, w->p_group);
    }
    return SLANT_OK;
}

int tagger_spans_push(tagger_spans *s, tagger_span v) {
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        tagger_span *p = realloc(s->items, cap * sizeof *p);
        if (!p) return 0;
        s->items = p; s->cap = cap;
    }
    s->items[s->len++] = v;
    return 1;
}

/* tagger_decode without clearing out first. */
static slant_status decode_append(const double *p_span, size_t T, const tagger_decoding *dec,
                                  tagger_spans *out) {
    double low = dec->low < dec->threshold ? dec->low : dec->threshold;
    size_t min_len = dec->min_len ? dec->min_len : 1;
    size_t t = 0;
    while (t < T) {
        if (p_span[t] < low) { t++; continue; }
        size_t first = t, last = t + 1;
        /* Extend over short dips: the run goes on if another token at or
         * above `low` follows within `gap` tokens. */
        for (;;) {
            while (last < T && p_span[last] >= low) last++;
            size_t next = last;
            while (next < T && next - last < dec->gap && p_span[next] < low) next++;
            if (next < T && next > last && p_span[next] >= low) { last = next; continue; }
            break;
        }
        double sum = 0, peak = 0;
        for (size_t k = first; k < last; k++) {
            sum += p_span[k];
            if (p_span[k] > peak) peak = p_span[k];
        }
        if (last - first >= min_len && peak >= dec->threshold) {
            tagger_span sp = {(uint32_t)first, (uint32_t)last, sum / (double)(last - first)};
            if (!tagger_spans_push(out, sp)) return SLANT_ENOMEM;
        }
        t = last;
    }
    return SLANT_OK;
}

slant_status tagger_decode(const double *p_span, size_t T, const tagger_decoding *dec,
                           tagger_spans *out) {
    out->len = 0;
    return decode_append(p_span, T, dec, out);
}

slant_status tagger_decode_fragments(const tagger_model *tm, const tagger_work *w, size_t T,
                                     const tagger_decoding *dec, tagger_spans *out) {
    if (tm->n_groups < 2) return tagger_decode(w->p_span, T, dec, out);
    out->len = 0;
    slant_status st = SLANT_OK;
    for (size_t g = 0; g < (size_t)tm->n_groups && st == SLANT_OK; g++)
        st = decode_append(w->p_group + g * T, T, dec, out);
    return st;
}

static int cmp_first(const void *x, const void *y) {
    const tagger_span *a = x, *b = y;
    return a->first < b->first ? -1 : a->first > b->first;
}

slant_status tagger_spans_union(tagger_spans *spans, const tagger_spans *add, const double *p_span) {
    if (!add->len) return SLANT_OK;
    for (size_t i = 0; i < add->len; i++)
        if (!tagger_spans_push(spans, add->items[i])) return SLANT_ENOMEM;
    qsort(spans->items, spans->len, sizeof *spans->items, cmp_first);
    size_t k = 0;
    for (size_t i = 0; i < spans->len; i++) {
        tagger_span s = spans->items[i];
        if (k && s.first < spans->items[k - 1].last) {
            if (s.last > spans->items[k - 1].last) spans->items[k - 1].last = s.last;
        } else spans->items[k++] = s;
    }
    spans->len = k;
    for (size_t i = 0; i < k; i++) {
        tagger_span *s = &spans->items[i];
        double sum = 0;
        for (uint32_t t = s->first; t < s->last; t++) sum += p_span[t];
        s->confidence = sum / (double)(s->last - s->first);
    }
    return SLANT_OK;
}

void tagger_spans_fini(tagger_spans *s) {
    free(s->items);
    memset(s, 0, sizeof *s);
}
