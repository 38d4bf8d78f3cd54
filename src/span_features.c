/*
 * Span features (span_features.h). T = tokens of the article; a span is the
 * token range [a,b) of the tokens it overlaps, L = b - a.
 *
 * Templates (the number is mixed into the hash; never reuse one):
 *   1 bias                     20 exact-text count, bucketed
 *   2 word                     21 an earlier copy of the text exists
 *   3 stem                     22 a later copy exists
 *   4 bigram (with <s>, </s>)  23 share of content words found elsewhere
 *   5 char n-gram              24 most frequent content word's count elsewhere
 *   6 first word               25 share of content words in the title
 *   7 last word                26 span has no content word
 *   8 second word              27 length x exact count
 *   9 second-to-last word      28 length x first word
 *  10 tokens, bucketed         29 length x content share
 *  11 characters, bucketed     30 quote before / after / inside
 *  12 word before              31 capitals: all-caps word, share of capitalised words
 *  13 two words before         32 ! or ? in span / at its end / in its sentence
 *  14 word after               33 number in span
 *  15 two words after          34 starts / ends sentence, covers it
 *  16 sentence word (bag)      35 sentence index, bucketed
 *  17 stem of a repeated       36 relative place in the article
 *     content word             37 in the title
 *  38 sentence length, bucketed
 *  39 the whole span's lower-cased text (EDGES)
 *  40 3-letter prefix of a span word (AFFIX)
 *  41 3-letter suffix of a span word (AFFIX)
 *  42 cluster prefix of a span word (bag)  (CLUSTERS; every cluster value
 *  43 cluster of the word before            is (prefix bits, prefix length),
 *  44 cluster of the word after             the path cut to 8, 12 or 16 bits
 *  45 cluster of the first word             or the word's depth if shorter)
 *  46 cluster of the last word
 *  47 length x cluster of the first word
 *  48 other batch spans with the same text elsewhere, bucketed (BATCH)
 *  49 one of them comes before / after
 *  50 a batch span with the same offsets / holding it / inside it / overlapping
 *  51 batch spans in its sentence, bucketed
 *  52 dimension k of the span's mean word vector (VECTORS; real value)
 *  53 no word of the span has a vector
 *  54 dimension k of the mean word vector of the rest of the sentence (VEC_SENT)
 *  55 no other word of the sentence has a vector
 *  56 (length class, k): dimension k of the span's mean vector (VEC_LEN)
 *  60 shapes of the first and last word, one word or more (SHAPE)
 *  61 shapes of the words just before and after
 *  62 3-letter suffix of the last word   63 its 2-letter suffix
 *  64 3-letter suffix of the first word
 *  65 determiner/pronoun at the start and just before, x length bucket
 *  66 all words capitalised, one word, shape of the last word
 */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <libstemmer.h>
#include "span_features.h"
#include "util/mix64.h"
#include "util/u64_counts.h"
#include "util/u64_sorted.h"
#include "token_features.h"
#include "word_memo.h"

enum {
    F_CONTENT = 1, F_ALLCAPS = 2, F_CAPITAL = 4, F_QUOTE = 8, F_WORD = 16
};

/* What spf_article computes from a token alone, remembered per distinct
 * token across articles (word_memo.h): lower-casing and above all Snowball
 * stemming (~1,800 instructions a word) were most of its cost, and news
 * reuses a small vocabulary. */
typedef struct {
    uint64_t lower, stem;          /* as in spf_ctx */
    uint32_t cpath;                /* as in spf_ctx, once looked up */
    int32_t vrow;                  /* as in spf_ctx, once looked up */
    uint8_t cdepth;                /* as in spf_ctx: CLUSTER_UNSET until looked up */
    uint8_t flags;                 /* F_* */
} token_values;

#define LOW_UNSET UINT32_MAX       /* lo_len: not lower-cased yet */
#define CLUSTER_UNSET 0xFF         /* cdepth: not looked up yet */

struct spf_ctx {
    struct sb_stemmer *stemmer;  /* not thread-safe: one per context */
    const char *text;            /* borrowed article text */
    const tok_doc *doc;          /* borrowed tokens; NULL before spf_article */
    size_t cap;                  /* capacity of the per-token arrays */
    uint64_t *lower, *stem;      /* T: hashes of lower-cased form and stem */
    uint8_t *flags;              /* T: F_* */
    /* Only spans' tokens need these, so they are filled on first use:
     * cdepth CLUSTER_UNSET and lo_len LOW_UNSET mean not yet. */
    const feat_clusters *clusters; /* borrowed word clusters, may be NULL */
    uint32_t *cpath;             /* T: cluster path bits, left-aligned */
    uint8_t *cdepth;             /* T: cluster depth, 0 = no cluster */
    uint32_t *lo_off, *lo_len;   /* T: each token's lower-cased bytes in low */
    char *low; size_t low_len, low_cap; /* lower-cased tokens, concatenated */
    u64_counts content;          /* stems of the article's content tokens */
    u64_counts title;            /* stems of its title's content tokens */
    char *buf; size_t buf_cap;   /* span text for character n-grams */
    uint64_t *grams; size_t grams_cap; /* 3 x buf length: its n-gram hashes */
    /* Per-word values by word-memo slot: of the memo whose slots
     * spf_use_slots lends (the tagger's, in analysis), else of our own
     * (created when first needed). A value is current when its stamp is
     * gen; gen moves on whenever the slots name other words (another memo,
     * or a memo that started again: vals_naming). */
    word_memo *memo;             /* own memo, NULL until needed */
    token_values *vals;          /* WORD_MEMO_SLOTS, by slot */
    uint32_t *stamp;             /* WORD_MEMO_SLOTS */
    uint32_t gen;
    uint64_t vals_naming;        /* word_memo_naming the slots of vals follow */
    uint64_t res_id;             /* spf_set_vectors' id: 0 = keep no cluster or vector row */
    uint64_t vals_res_id;        /* the res_id of the cluster and vector rows in vals */
    const uint32_t *given_slots; /* spf_use_slots, for the next article only */
    uint64_t given_naming;
    const uint64_t *given_lower, *given_stem;
    uint64_t *key;               /* T: memo keys (own memo) */
    uint32_t *slot;              /* T: memo slot of each token */
    uint8_t *added;              /* T: word_memo_article's flags (unused: stamps decide) */
    size_t n_batch, batch_cap;   /* spans of the batch (spf_batch) */
    uint32_t *b_first, *b_last;  /* n_batch: token range [first,last) */
    uint32_t *b_cps, *b_cpe;     /* n_batch: code points [start,end) */
    uint64_t *b_text;            /* n_batch: hash of the lower-cased tokens */
    /* Long articles only (T > LONG_ARTICLE): token positions sorted by
     * (lower-cased hash, position), so finding copies of a span looks at
     * the tokens that start like it instead of the whole article, and
     * scratch for a long span's content stems. Short articles keep the
     * plain scans, which are cheaper there; both give the same counts. */
    struct word_pos { uint64_t h; uint32_t pos; } *by_word;
    size_t by_word_cap, n_by_word;
    uint64_t *span_stems; size_t span_stems_cap;
    const spf_vectors *vec;      /* borrowed word vectors, NULL: none */
    int32_t *vrow;               /* T: row of each token in vec->q, -1 = none,
                                    -2 = not looked up yet */
    int32_t *vacc; size_t vacc_cap; /* SPF_VECTORS sums, vec->dim */
};

enum { LONG_ARTICLE = 4096, LONG_SPAN = 64 };

static int index_words(spf_ctx *c);

/* ---- hashing ---- */

static uint64_t fh(uint64_t tmpl, uint64_t v) { return mix64(v ^ (tmpl * 0x9e3779b97f4a7c15ULL)); }
static uint64_t fh2(uint64_t tmpl, uint64_t a, uint64_t b) { return fh(tmpl, mix64(a) ^ (b * 31)); }

/* ---- lists ---- */

void spf_list_init(spf_list *l) { memset(l, 0, sizeof *l); }

void spf_list_fini(spf_list *l) {
    free(l->hash);
    free(l->val);
    free(l->rows);
    free(l->runs);
    memset(l, 0, sizeof *l);
}

static int push_row(spf_list *l, int32_t row) {
    if (l->n_rows == l->rows_cap) {
        size_t cap = l->rows_cap ? 2 * l->rows_cap : 64;
        int32_t *r = realloc(l->rows, cap * sizeof *r);
        if (!r) return 0;
        l->rows = r; l->rows_cap = cap;
    }
    l->rows[l->n_rows++] = row;
    return 1;
}

uint64_t spf_vector_key(uint32_t k) { return fh(52, k); }

static int push_run(spf_list *l, uint64_t key, size_t off, size_t len) {
    if (l->n_runs == l->runs_cap) {
        size_t cap = l->runs_cap ? 2 * l->runs_cap : 64;
        spf_run *r = realloc(l->runs, cap * sizeof *r);
        if (!r) return 0;
        l->runs = r; l->runs_cap = cap;
    }
    l->runs[l->n_runs++] = (spf_run){key ? key : 1, (uint32_t)off, (uint32_t)len};
    return 1;
}

/* The SPF_CHARS feature of a g-gram whose feat_word_hash is h: the one
 * formula both the expanded and the by-runs paths must share. */
static uint64_t gram_key(uint64_t h, size_t g) { return fh(5, h + g); }

size_t spf_char_grams(const char *s, size_t n, uint64_t *out) {
    /* Each start position's three prefixes hashed in one pass; 4- and
     * 5-grams parked at out + n and out + 2n until the 3-grams are out. */
    size_t n3 = 0, n4 = 0, n5 = 0;
    uint64_t *g4 = out + n, *g5 = out + 2 * n;
    for (size_t i = 0; i + 3 <= n; i++) {
        uint64_t h[3];
        size_t to = i + 5 <= n ? 5 : n - i;
        feat_word_hash_prefixes(s + i, 3, to, h);
        out[n3++] = gram_key(h[0], 3);
        if (to >= 4) g4[n4++] = gram_key(h[1], 4);
        if (to >= 5) g5[n5++] = gram_key(h[2], 5);
    }
    memmove(out + n3, g4, n4 * sizeof *out);
    memmove(out + n3 + n4, g5, n5 * sizeof *out);
    return n3 + n4 + n5;
}

static int push(spf_list *l, uint64_t h, double v) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        uint64_t *a = realloc(l->hash, cap * sizeof *a);
        if (!a) return 0;
        l->hash = a;
        float *b = realloc(l->val, cap * sizeof *b);
        if (!b) return 0;
        l->val = b;
        l->cap = cap;
    }
    l->hash[l->n] = h;
    l->val[l->n++] = (float)v;
    return 1;
}

/* Scales the values from index `from` on by 1/sqrt(count). */
static void normalize_from(spf_list *l, size_t from, uint32_t mask) {
    if (l->n <= from || (mask & SPF_NONORM)) return;
    float s = (float)(1.0 / sqrt((double)(l->n - from)));
    for (size_t i = from; i < l->n; i++) l->val[i] *= s;
}

/* ---- words ---- */

/* Function words: never content words, so never a repetition cue. */
static const char *const stop_words[] = {
    "about", "after", "again", "also", "been", "before", "being", "both", "but",
    "could", "does", "down", "each", "even", "from", "further", "have", "having",
    "here", "into", "just", "more", "most", "much", "must", "only", "other",
    "over", "said", "same", "says", "should", "some", "such", "than", "that",
    "their", "them", "then", "there", "these", "they", "this", "those", "through",
    "under", "until", "very", "was", "were", "what", "when", "where", "which",
    "while", "will", "with", "would", "your", NULL};

static int is_stop(const char *w, size_t n) {
    /* Every stop word has 4..7 letters; the list is only read on memo misses. */
    if (n < 4 || n > 7) return 0;
    for (int i = 0; stop_words[i]; i++)
        if (stop_words[i][0] == w[0] && strlen(stop_words[i]) == n && memcmp(stop_words[i], w, n) == 0)
            return 1;
    return 0;
}

static int is_quote(const char *p, size_t n) {
    return (n == 1 && (*p == '"' || *p == '\'')) ||
           (n == 3 && (memcmp(p, "\xe2\x80\x9c", 3) == 0 || memcmp(p, "\xe2\x80\x9d", 3) == 0 ||
                       memcmp(p, "\xe2\x80\x98", 3) == 0 || memcmp(p, "\xe2\x80\x99", 3) == 0));
}

static uint64_t bucket(size_t v, const size_t *edges, size_t n_edges) {
    uint64_t b = 0;
    while (b < n_edges && v >= edges[b]) b++;
    return b;
}

/* ---- word vectors ---- */

void spf_vectors_init(spf_vectors *v) { memset(v, 0, sizeof *v); }

void spf_vectors_fini(spf_vectors *v) {
    free(v->hash);
    free(v->q);
    memset(v, 0, sizeof *v);
}

slant_status spf_vectors_alloc(spf_vectors *v, size_t n, uint32_t dim) {
    spf_vectors_fini(v);
    v->hash = calloc(n ? n : 1, sizeof *v->hash);
    v->q = calloc(n * dim != 0 ? n * dim : 1, 1);
    if (!v->hash || !v->q) { spf_vectors_fini(v); return SLANT_ENOMEM; }
    v->n = n;
    v->dim = dim;
    return SLANT_OK;
}

int32_t spf_vectors_find(const spf_vectors *v, uint64_t key) {
    return (int32_t)u64_find_sorted(v->hash, v->n, key);
}

void spf_use_slots(spf_ctx *c, const uint32_t *slots, uint64_t naming,
                   const uint64_t *lower, const uint64_t *stem) {
    c->given_slots = slots;
    c->given_naming = naming;
    c->given_lower = lower;
    c->given_stem = stem;
}

void spf_set_vectors(spf_ctx *c, const spf_vectors *v, uint64_t id) {
    c->vec = v && v->n && v->dim ? v : NULL;
    c->res_id = id;
    c->doc = NULL;   /* the per-token rows must be looked up again */
}

static int reserve_acc(spf_ctx *c, size_t D) {
    if (D <= c->vacc_cap) return 1;
    int32_t *p = realloc(c->vacc, D * sizeof *p);
    if (!p) return 0;
    c->vacc = p; c->vacc_cap = D;
    return 1;
}

/* ---- context ---- */

spf_ctx *spf_ctx_new(void) {
    spf_ctx *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->stemmer = sb_stemmer_new("english", NULL);
    c->vals = malloc(WORD_MEMO_SLOTS * sizeof *c->vals);
    c->stamp = calloc(WORD_MEMO_SLOTS, sizeof *c->stamp);
    if (!c->stemmer || !c->vals || !c->stamp) { spf_ctx_free(c); return NULL; }
    return c;
}

void spf_ctx_free(spf_ctx *c) {
    if (!c) return;
    if (c->stemmer) sb_stemmer_delete(c->stemmer);
    free(c->lower); free(c->stem); free(c->flags); free(c->lo_off); free(c->lo_len);
    free(c->cpath); free(c->cdepth);
    free(c->low); free(c->buf); free(c->grams);
    u64_counts_fini(&c->content); u64_counts_fini(&c->title);
    word_memo_free(c->memo); free(c->vals); free(c->stamp); free(c->key); free(c->slot); free(c->added);
    free(c->b_first); free(c->b_last); free(c->b_cps); free(c->b_cpe); free(c->b_text);
    free(c->by_word); free(c->span_stems);
    free(c->vrow); free(c->vacc);
    free(c);
}

static int reserve(spf_ctx *c, size_t T) {
    if (T <= c->cap) return 1;
    size_t cap = c->cap ? c->cap : 1024;
    while (cap < T) cap *= 2;
    uint64_t **u64[] = {&c->lower, &c->stem, &c->key};
    for (size_t i = 0; i < sizeof u64 / sizeof u64[0]; i++) {
        uint64_t *p = realloc(*u64[i], cap * sizeof **u64[i]);
        if (!p) return 0;
        *u64[i] = p;
    }
    int32_t *vr = realloc(c->vrow, cap * sizeof *vr);
    if (!vr) return 0;
    c->vrow = vr;
    uint32_t **u32[] = {&c->lo_off, &c->lo_len, &c->cpath, &c->slot};
    for (size_t i = 0; i < sizeof u32 / sizeof u32[0]; i++) {
        uint32_t *p = realloc(*u32[i], cap * sizeof **u32[i]);
        if (!p) return 0;
        *u32[i] = p;
    }
    uint8_t **u8[] = {&c->flags, &c->cdepth, &c->added};
    for (size_t i = 0; i < sizeof u8 / sizeof u8[0]; i++) {
        uint8_t *p = realloc(*u8[i], cap);
        if (!p) return 0;
        *u8[i] = p;
    }
    c->cap = cap;
    return 1;
}

static int grow_chars(char **p, size_t *cap, size_t need) {
    if (need <= *cap) return 1;
    size_t n = *cap ? *cap : 4096;
    while (n < need) n *= 2;
    char *q = realloc(*p, n);
    if (!q) return 0;
    *p = q; *cap = n;
    return 1;
}

/* The cluster of the word with lower-case hash `word`: its path and depth
 * (0 when the word has none). */
static void cluster_of(const feat_clusters *cl, uint64_t word, uint32_t *path, uint8_t *depth) {
    if (!feat_cluster_of(cl, word, path, depth)) { *path = 0; *depth = 0; }
}

/* Token t's values computed from scratch; its lower-cased and stem hashes
 * are taken from lower and stem when not NULL (they are the same hashes
 * of the same lower-casing and stemming). */
static token_values compute_values(spf_ctx *c, const char *p, size_t n, tok_kind kind,
                                   const uint64_t *lower, const uint64_t *stem) {
    char low[256];
    size_t ln = feat_lower(p, n, low, sizeof low);
    token_values v = {lower ? *lower : feat_word_hash(low, ln), 0, 0, -2, CLUSTER_UNSET, 0};
    if (kind == TOK_WORD) {
        if (stem) v.stem = *stem;
        else {
            const sb_symbol *st = sb_stemmer_stem(c->stemmer, (const sb_symbol *)low, (int)ln);
            /* NULL: out of memory; the word stands for its stem. */
            v.stem = st ? feat_word_hash((const char *)st, (size_t)sb_stemmer_length(c->stemmer)) : v.lower;
        }
        v.flags |= F_WORD;
        if (ln >= 4 && !is_stop(low, ln)) v.flags |= F_CONTENT;
        unsigned char ch = (unsigned char)p[0];
        if (ch >= 'A' && ch <= 'Z') v.flags |= F_CAPITAL;
        int caps = n >= 2;
        for (size_t i = 0; i < n && caps; i++)
            if (!((unsigned char)p[i] >= 'A' && (unsigned char)p[i] <= 'Z')) caps = 0;
        if (caps) v.flags |= F_ALLCAPS;
    } else {
        v.stem = v.lower;
        if (kind == TOK_PUNCT && is_quote(p, n)) v.flags |= F_QUOTE;
    }
    return v;
}

/* (prefix bits, length) of a path cut to `bits`, as cluster_prefix below. */
static uint64_t prefix_key(uint32_t path, unsigned depth, unsigned bits) {
    unsigned dl = depth < bits ? depth : bits;
    return dl == 0 ? 0 : (uint64_t)(path >> (32 - dl)) | (uint64_t)dl << 32;
}

uint64_t spf_cluster_key(const feat_clusters *cl, uint64_t word, unsigned bits) {
    uint32_t path;
    uint8_t depth;
    cluster_of(cl, word, &path, &depth);
    return prefix_key(path, depth, bits);
}

slant_status spf_article(spf_ctx *c, const char *text, const tok_doc *d,
                         const feat_clusters *clusters) {
    size_t T = d->n_tokens;
    c->doc = NULL;
    c->n_batch = 0;
    if (!reserve(c, T + 1)) return SLANT_ENOMEM;
    c->low_len = 0;
    if (!u64_counts_reset(&c->content, T) || !u64_counts_reset(&c->title, T)) return SLANT_ENOMEM;
    c->clusters = clusters;
    uint64_t naming;
    const uint64_t *lower = NULL, *stem = NULL;
    if (c->given_slots) {
        memcpy(c->slot, c->given_slots, T * sizeof *c->slot);
        naming = c->given_naming;
        lower = c->given_lower;
        stem = c->given_stem;
        c->given_slots = NULL;
    } else {
        if (!c->memo && !(c->memo = word_memo_new())) return SLANT_ENOMEM;
        word_memo_article(c->memo, text, d, c->key, c->slot, c->added, c->vals, sizeof *c->vals);
        naming = word_memo_naming(c->memo);
    }
    /* New values when the slots name other words now, or when the kept
     * cluster and vector rows were looked up in other resources. */
    if (naming != c->vals_naming || c->res_id != c->vals_res_id || c->gen == 0) {
        if (++c->gen == 0) {   /* wrapped: no stamp may look current */
            memset(c->stamp, 0, WORD_MEMO_SLOTS * sizeof *c->stamp);
            c->gen = 1;
        }
        c->vals_naming = naming;
        c->vals_res_id = c->res_id;
    }
    for (size_t t = 0; t < T; t++) {
#if defined(__GNUC__)
        /* vals and stamps are megabytes: fetch a few tokens ahead. */
        if (t + 8 < T && c->slot[t + 8] != WORD_MEMO_NONE) {
            __builtin_prefetch(&c->vals[c->slot[t + 8]]);
            __builtin_prefetch(&c->stamp[c->slot[t + 8]]);
        }
#endif
        const tok_token *k = &d->tokens[t];
        uint32_t slot = c->slot[t];
        token_values v;
        if (slot != WORD_MEMO_NONE && c->stamp[slot] == c->gen) v = c->vals[slot];
        else {
            v = compute_values(c, text + k->start, k->end - k->start, (tok_kind)k->kind,
                               lower ? lower + t : NULL, stem ? stem + t : NULL);
            if (slot != WORD_MEMO_NONE) { c->vals[slot] = v; c->stamp[slot] = c->gen; }
        }
        c->lower[t] = v.lower;
        c->stem[t] = v.stem;
        c->flags[t] = v.flags;
        c->lo_len[t] = LOW_UNSET;
        /* Looked up when a span first needs them, unless kept. */
        c->cpath[t] = v.cpath;
        c->cdepth[t] = v.cdepth;
        c->vrow[t] = v.vrow;
        if (v.flags & F_CONTENT) {
            u64_counts_add(&c->content, v.stem);
            if (k->sentence == 0) u64_counts_add(&c->title, v.stem);
        }
    }
    c->text = text;
    c->doc = d;
    if (!index_words(c)) return SLANT_ENOMEM;
    return SLANT_OK;
}

/* Lower-cases tokens [a,b) into low, those not done yet; 0 on out of memory. */
static int lower_tokens(spf_ctx *c, size_t a, size_t b) {
    char low[256];
    for (size_t t = a; t < b; t++) {
        if (c->lo_len[t] != LOW_UNSET) continue;
        const tok_token *k = &c->doc->tokens[t];
        size_t ln = feat_lower(c->text + k->start, k->end - k->start, low, sizeof low);
        if (!grow_chars(&c->low, &c->low_cap, c->low_len + ln + 1)) return 0;
        memcpy(c->low + c->low_len, low, ln);
        c->lo_off[t] = (uint32_t)c->low_len;
        c->lo_len[t] = (uint32_t)ln;
        c->low_len += ln;
    }
    return 1;
}

/* Token t's slot in vals when what it looked up in the resources
 * (cluster, vector row) may be kept there. */
static uint32_t keep_slot(const spf_ctx *c, size_t t) {
    return c->res_id ? c->slot[t] : WORD_MEMO_NONE;
}

/* Looks up the clusters of tokens [a,b), those not done yet. */
static void cluster_tokens(spf_ctx *c, size_t a, size_t b) {
    for (size_t t = a; t < b; t++)   /* misses overlap: every fetch first */
        if (c->cdepth[t] == CLUSTER_UNSET) feat_cluster_prefetch(c->clusters, c->lower[t]);
    for (size_t t = a; t < b; t++)
        if (c->cdepth[t] == CLUSTER_UNSET) {
            cluster_of(c->clusters, c->lower[t], &c->cpath[t], &c->cdepth[t]);
            uint32_t slot = keep_slot(c, t);
            if (slot != WORD_MEMO_NONE) { c->vals[slot].cpath = c->cpath[t]; c->vals[slot].cdepth = c->cdepth[t]; }
        }
}

/* ---- one span ---- */

/* First token with cp_end > cp. */
static size_t first_token_after(const tok_doc *d, uint32_t cp) {
    size_t lo = 0, hi = d->n_tokens;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (d->tokens[m].cp_end <= cp) lo = m + 1; else hi = m; }
    return lo;
}

/* Occurrences of tokens [a,b)'s lower-cased sequence in the article, and
 * whether one starts before a / after a. */
static int cmp_word_pos(const void *x, const void *y) {
    const struct word_pos *p = x, *q = y;
    if (p->h != q->h) return p->h < q->h ? -1 : 1;
    return p->pos < q->pos ? -1 : p->pos > q->pos;
}

/* Builds c->by_word for a long article; 0 when out of memory. */
static int index_words(spf_ctx *c) {
    size_t T = c->doc->n_tokens;
    c->n_by_word = 0;
    if (T <= LONG_ARTICLE) return 1;
    if (T > c->by_word_cap) {
        struct word_pos *p = realloc(c->by_word, T * sizeof *p);
        if (!p) return 0;
        c->by_word = p; c->by_word_cap = T;
    }
    for (size_t t = 0; t < T; t++) c->by_word[t] = (struct word_pos){c->lower[t], (uint32_t)t};
    qsort(c->by_word, T, sizeof *c->by_word, cmp_word_pos);
    c->n_by_word = T;
    return 1;
}

/* Copies of tokens [a,b) in the article (itself included), and whether one
 * starts before / after a. Counting stops at `cap` once both flags are
 * known: callers bucket the count, so larger counts read the same. A long
 * article's candidates are the positions of its first word (c->by_word);
 * a short one's are every position, which is cheaper there. */
static size_t count_copies(const spf_ctx *c, size_t a, size_t b, size_t cap, int *before, int *after) {
    size_t T = c->doc->n_tokens, L = b - a, n = 0, k = 0, end = T;
    *before = *after = 0;
    if (c->n_by_word) {
        size_t hi = c->n_by_word;
        while (k < hi) { size_t m = (k + hi) / 2; if (c->by_word[m].h < c->lower[a]) k = m + 1; else hi = m; }
        end = c->n_by_word;
    }
    for (; k < end; k++) {
        size_t t = k;
        if (c->n_by_word) {
            if (c->by_word[k].h != c->lower[a]) break;
            t = c->by_word[k].pos;
        } else if (c->lower[t] != c->lower[a]) {
            continue;
        }
        if (t + L > T) break;   /* positions ascend: no later one fits either */
        size_t i = 1;
        while (i < L && c->lower[t + i] == c->lower[a + i]) i++;
        if (i < L) continue;
        n++;
        if (t < a) *before = 1;
        if (t > a) *after = 1;
        if (n >= cap && *after) break;
    }
    return n;
}

/* Hash of the lower-cased token sequence [a,b). */
static uint64_t text_hash(const spf_ctx *c, size_t a, size_t b) {
    uint64_t h = 0;
    for (size_t t = a; t < b; t++) h = mix64(h) ^ c->lower[t];
    return h;
}

slant_status spf_batch(spf_ctx *c, const uint32_t *start, const uint32_t *end, size_t n) {
    if (!c->doc) return SLANT_EINVAL;
    c->n_batch = 0;
    if (n > c->batch_cap) {
        size_t cap = c->batch_cap ? c->batch_cap : 64;
        while (cap < n) cap *= 2;
        uint32_t **u32[] = {&c->b_first, &c->b_last, &c->b_cps, &c->b_cpe};
        for (size_t i = 0; i < 4; i++) {
            uint32_t *p = realloc(*u32[i], cap * sizeof **u32[i]);
            if (!p) return SLANT_ENOMEM;
            *u32[i] = p;
        }
        uint64_t *q = realloc(c->b_text, cap * sizeof *q);
        if (!q) return SLANT_ENOMEM;
        c->b_text = q;
        c->batch_cap = cap;
    }
    const tok_doc *d = c->doc;
    for (size_t i = 0; i < n; i++) {
        size_t a = first_token_after(d, start[i]), b = a;
        while (b < d->n_tokens && d->tokens[b].cp_start < end[i]) b++;
        c->b_first[i] = (uint32_t)a; c->b_last[i] = (uint32_t)b;
        c->b_cps[i] = start[i]; c->b_cpe[i] = end[i];
        c->b_text[i] = text_hash(c, a, b);
    }
    c->n_batch = n;
    return SLANT_OK;
}

/* SPF_CHARS of the span text s[0..n) (" w1 w2 ... ": single spaces
 * between runs, one at each end) for a caller that sums runs itself
 * (spf_list): the runs, then the n-grams with a space strictly inside
 * (which cross from one run to the next), each worth the group's value. */
static int chars_by_runs(const char *s, size_t n, uint32_t mask, spf_list *out) {
    size_t total = 0;
    for (size_t g = 3; g <= 5; g++) total += n >= g ? n - g + 1 : 0;
    out->chars_at = out->n;
    out->chars_scale = (mask & SPF_NONORM) || total == 0 ? 1.0 : (double)(float)(1.0 / sqrt((double)total));
    out->run_text = s;
    for (size_t i = 0; i + 1 < n;) {   /* s[i] is a space: the run up to the next one */
        size_t j = i + 1;
        while (j < n && s[j] != ' ') j++;
        if (j >= n) break;
        if (!push_run(out, feat_word_hash(s + i, j - i + 1), i, j - i + 1)) return 0;
        i = j;
    }
    for (size_t g = 3; g <= 5; g++)
        for (size_t i = 0; i + g <= n; i++) {
            int cross = 0;
            for (size_t k = i + 1; k + 1 < i + g; k++) cross |= s[k] == ' ';
            if (cross && !push(out, gram_key(feat_word_hash(s + i, g), g), out->chars_scale)) return 0;
        }
    return 1;
}

#define P(h, v) do { if (!push(out, (h), (v))) return SLANT_ENOMEM; } while (0)

/* Token t's cluster path cut to `bits` (or its depth if shorter), with the
 * length mixed in; `none` when t has no cluster. */
static uint64_t cluster_prefix(const spf_ctx *c, size_t t, unsigned bits, uint64_t none) {
    unsigned dl = c->cdepth[t] < bits ? c->cdepth[t] : bits;
    if (dl == 0) return none;
    return (uint64_t)(c->cpath[t] >> (32 - dl)) | (uint64_t)dl << 32;
}

/* 1: a determiner or possessive (a, an, the, this, that, these, those, his,
 * her, their, our, my, your, its, such); 2: a pronoun (he, she, they, we,
 * you, i, it, who); 0 otherwise. */
static uint64_t is_det(const spf_ctx *c, size_t t) {
    static const char *const dets[] = {"a", "an", "the", "this", "that", "these", "those", "his", "her",
                                       "their", "our", "my", "your", "its", "such", NULL};
    static const char *const prons[] = {"he", "she", "they", "we", "you", "i", "it", "who", NULL};
    const char *w = c->low + c->lo_off[t];
    size_t n = c->lo_len[t];
    if (n > 5) return 0;
    for (int i = 0; dets[i]; i++) if (strlen(dets[i]) == n && memcmp(dets[i], w, n) == 0) return 1;
    for (int i = 0; prons[i]; i++) if (strlen(prons[i]) == n && memcmp(prons[i], w, n) == 0) return 2;
    return 0;
}

slant_status spf_span(spf_ctx *c, uint32_t mask, uint32_t cp_start, uint32_t cp_end,
                      spf_list *out) {
    static const size_t tok_edges[] = {2, 3, 4, 5, 7, 10, 15, 25, 40};
    static const size_t chr_edges[] = {5, 10, 20, 35, 60, 100, 160, 250};
    static const size_t cnt_edges[] = {2, 3, 4, 6};
    static const size_t sent_edges[] = {1, 2, 3, 5, 8, 13, 21};
    const uint64_t none = 0x5bd1e995u;     /* value for a word outside the article */
    out->n = 0;
    out->n_rows = 0;
    out->n_runs = 0;
    if (!c->doc) return SLANT_EINVAL;
    const tok_doc *d = c->doc;
    size_t T = d->n_tokens;
    size_t a = first_token_after(d, cp_start), b = a;
    while (b < T && d->tokens[b].cp_start < cp_end) b++;
    size_t L = b - a;
    uint64_t lenb = bucket(L, tok_edges, 9);

    P(fh(1, 0), 1.0);
    if (mask & SPF_LENGTH) {
        P(fh(10, lenb), 1.0);
        P(fh(11, bucket(cp_end > cp_start ? cp_end - cp_start : 0, chr_edges, 8)), 1.0);
    }
    if (L == 0) return SLANT_OK;
    const tok_token *ta = &d->tokens[a], *tb = &d->tokens[b - 1];
    const tok_sentence *sn = &d->sentences[ta->sentence];

    if (mask & SPF_WORDS) {
        size_t from = out->n;
        for (size_t t = a; t < b; t++) P(fh(2, c->lower[t]), 1.0);
        normalize_from(out, from, mask);
    }
    if (mask & SPF_STEMS) {
        size_t from = out->n;
        for (size_t t = a; t < b; t++) if (c->flags[t] & F_WORD) P(fh(3, c->stem[t]), 1.0);
        normalize_from(out, from, mask);
    }
    if (mask & SPF_BIGRAMS) {
        size_t from = out->n;
        P(fh2(4, none, c->lower[a]), 1.0);
        for (size_t t = a; t + 1 < b; t++) P(fh2(4, c->lower[t], c->lower[t + 1]), 1.0);
        P(fh2(4, c->lower[b - 1], none + 1), 1.0);
        normalize_from(out, from, mask);
    }
    /* Lower-cased text and clusters of the span and its neighbours, for the
     * groups that read them. */
    if ((mask & (SPF_CHARS | SPF_AFFIX | SPF_SHAPE)) && !lower_tokens(c, a > 0 ? a - 1 : 0, b))
        return SLANT_ENOMEM;
    if (mask & SPF_CLUSTERS) cluster_tokens(c, a > 0 ? a - 1 : 0, b < T ? b + 1 : T);
    if (mask & SPF_CHARS) {
        /* " w1 w2 ... wL ": lower-cased tokens joined by one space. */
        size_t need = 2;
        for (size_t t = a; t < b; t++) need += c->lo_len[t] + 1;
        if (!grow_chars(&c->buf, &c->buf_cap, need)) return SLANT_ENOMEM;
        size_t n = 0;
        c->buf[n++] = ' ';
        for (size_t t = a; t < b; t++) {
            if (t > a && d->tokens[t].space_before) c->buf[n++] = ' ';
            memcpy(c->buf + n, c->low + c->lo_off[t], c->lo_len[t]);
            n += c->lo_len[t];
        }
        c->buf[n++] = ' ';
        if (out->runs_wanted) {
            if (!chars_by_runs(c->buf, n, mask, out)) return SLANT_ENOMEM;
        } else {   /* every n-gram, in the order the weights were trained in */
            if (3 * n > c->grams_cap) {
                uint64_t *g = realloc(c->grams, 3 * n * sizeof *g);
                if (!g) return SLANT_ENOMEM;
                c->grams = g; c->grams_cap = 3 * n;
            }
            size_t from = out->n, m = spf_char_grams(c->buf, n, c->grams);
            for (size_t i = 0; i < m; i++) P(c->grams[i], 1.0);
            normalize_from(out, from, mask);
        }
    }
    if (mask & SPF_AFFIX) {
        size_t from = out->n;
        for (size_t t = a; t < b; t++) {
            if (!(c->flags[t] & F_WORD) || c->lo_len[t] < 4) continue;
            const char *w = c->low + c->lo_off[t];
            size_t n = c->lo_len[t];
            P(fh(40, feat_word_hash(w, 3)), 1.0);
            P(fh(41, feat_word_hash(w + n - 3, 3)), 1.0);
        }
        normalize_from(out, from, mask);
    }
    if (mask & SPF_CLUSTERS) {
        static const unsigned cut[3] = {8, 12, 16};
        size_t from = out->n;
        for (size_t t = a; t < b; t++)
            if (c->cdepth[t])
                for (int i = 0; i < 3; i++) P(fh(42, cluster_prefix(c, t, cut[i], none)), 1.0);
        normalize_from(out, from, mask);
        for (unsigned i = 0; i < 3; i++) {
            uint64_t unknown = none + 4 + i, absent = none + 8 + i;   /* no cluster, no word */
            P(fh(43, a > 0 ? cluster_prefix(c, a - 1, cut[i], unknown) : absent), 1.0);
            P(fh(44, b < T ? cluster_prefix(c, b, cut[i], unknown) : absent), 1.0);
            P(fh(45, cluster_prefix(c, a, cut[i], unknown)), 1.0);
            P(fh(46, cluster_prefix(c, b - 1, cut[i], unknown)), 1.0);
        }
        P(fh2(47, lenb, cluster_prefix(c, a, 12, none + 4)), 1.0);
    }

    if ((mask & (SPF_VECTORS | SPF_VEC_SENT | SPF_VEC_LEN)) && c->vec && c->vec->n) {
        /* Mean word vector of the span (SPF_VECTORS) and of the rest of
         * its sentence (SPF_VEC_SENT), one feature per dimension. */
        const spf_vectors *v = c->vec;
        size_t D = v->dim;
        if (!reserve_acc(c, D)) return SLANT_ENOMEM;
        int32_t *acc = c->vacc;
        for (int part = 0; part < 2; part++) {
            if (!(mask & (part ? SPF_VEC_SENT : SPF_VECTORS | SPF_VEC_LEN))) continue;
            size_t lo = part ? sn->first : a, hi = part ? sn->last : b, n = 0;
            int plain = part || (mask & SPF_VECTORS), by_len = !part && (mask & SPF_VEC_LEN);
            int as_rows = !part && plain && !by_len && out->rows_wanted;
            memset(acc, 0, D * sizeof *acc);
            if (v->depth) cluster_tokens(c, lo, hi);
            for (size_t t = lo; t < hi; t++) {
                if (part && t >= a && t < b) continue;
                if (c->vrow[t] == -2) {
                    uint64_t key = v->depth ? prefix_key(c->cpath[t], c->cdepth[t], v->depth) : c->lower[t];
                    c->vrow[t] = key ? spf_vectors_find(v, key) : -1;
                    uint32_t slot = keep_slot(c, t);
                    if (slot != WORD_MEMO_NONE) c->vals[slot].vrow = c->vrow[t];
                }
                if (c->vrow[t] < 0) continue;
                n++;
                if (as_rows) { if (!push_row(out, c->vrow[t])) return SLANT_ENOMEM; continue; }
                const int8_t *q = v->q + (size_t)c->vrow[t] * D;
                for (size_t k = 0; k < D; k++) acc[k] += q[k];
            }
            uint64_t tm = part ? 54 : 52;
            uint64_t lc = L <= 2 ? 0 : L <= 6 ? 1 : 2;
            if (n == 0) {
                if (plain) P(fh(tm + 1, 0), 1.0);
            } else if (as_rows) {
                out->rows_at = out->n;
                out->rows_scale = (double)v->scale / (double)n;
            } else {
                double sc = (double)v->scale / (double)n;
                if (plain) for (size_t k = 0; k < D; k++) P(fh(tm, k), sc * acc[k]);
                if (by_len) for (size_t k = 0; k < D; k++) P(fh2(56, lc, k), sc * acc[k]);
            }
        }
    }
    if (mask & SPF_SHAPE) {
        /* shape: 0 lower word, 1 Capitalised, 2 ALLCAPS, 3 number, 4 quote, 5 other punctuation */
        #define SHAPE(t) ((c->flags[t] & F_QUOTE) ? 4u : d->tokens[t].kind == TOK_NUMBER ? 3u : \
                          !(c->flags[t] & F_WORD) ? 5u : (c->flags[t] & F_ALLCAPS) ? 2u : \
                          (c->flags[t] & F_CAPITAL) ? 1u : 0u)
        uint64_t sa = SHAPE(a), sb = SHAPE(b - 1);
        uint64_t sp = a > 0 ? SHAPE(a - 1) : 6u, sx = b < T ? SHAPE(b) : 6u;
        P(fh(60, sa | sb << 3 | (uint64_t)(L > 1) << 6), 1.0);
        P(fh(61, sp | sx << 3), 1.0);
        const char *wl = c->low + c->lo_off[b - 1];
        size_t nl = c->lo_len[b - 1];
        P(fh(62, (c->flags[b - 1] & F_WORD) && nl >= 4 ? feat_word_hash(wl + nl - 3, 3) : none), 1.0);
        P(fh(63, (c->flags[b - 1] & F_WORD) && nl >= 3 ? feat_word_hash(wl + nl - 2, 2) : none), 1.0);
        const char *wf = c->low + c->lo_off[a];
        size_t nf = c->lo_len[a];
        P(fh(64, (c->flags[a] & F_WORD) && nf >= 4 ? feat_word_hash(wf + nf - 3, 3) : none), 1.0);
        P(fh2(65, is_det(c, a) | (a > 0 ? is_det(c, a - 1) : 0) << 2, lenb), 1.0);
        size_t caps = 0, words = 0;
        for (size_t t = a; t < b; t++) if (c->flags[t] & F_WORD) { words++; caps += (c->flags[t] & F_CAPITAL) != 0; }
        P(fh(66, (uint64_t)(words && caps == words) | (uint64_t)(L == 1) << 1 | sb << 2), 1.0);
        #undef SHAPE
    }
    if (mask & SPF_EDGES) {
        P(fh(6, c->lower[a]), 1.0);
        P(fh(7, c->lower[b - 1]), 1.0);
        P(fh(8, L > 1 ? c->lower[a + 1] : none), 1.0);
        P(fh(9, L > 1 ? c->lower[b - 2] : none), 1.0);
        P(fh(39, text_hash(c, a, b)), 1.0);
    }

    /* Content words: how many recur outside the span, and how often. */
    size_t n_content = 0, n_rep = 0, max_else = 0, n_title = 0, n_span_stems = 0;
    if (L > LONG_SPAN) {
        /* Sorted content stems of the span: counting each stem inside it is
         * then a binary search, not a pass over the span. */
        if (L > c->span_stems_cap) {
            uint64_t *p = realloc(c->span_stems, L * sizeof *p);
            if (!p) return SLANT_ENOMEM;
            c->span_stems = p; c->span_stems_cap = L;
        }
        for (size_t u = a; u < b; u++)
            if (c->flags[u] & F_CONTENT) c->span_stems[n_span_stems++] = c->stem[u];
        u64_sort(c->span_stems, n_span_stems);
    }
    for (size_t t = a; t < b; t++) {
        if (!(c->flags[t] & F_CONTENT)) continue;
        n_content++;
        size_t inside = 0;
        if (L > LONG_SPAN) inside = u64_count_sorted(c->span_stems, n_span_stems, c->stem[t]);
        else for (size_t u = a; u < b; u++) inside += (c->flags[u] & F_CONTENT) && c->stem[u] == c->stem[t];
        size_t all = u64_counts_get(&c->content, c->stem[t]);
        size_t elsewhere = all > inside ? all - inside : 0;
        if (elsewhere) n_rep++;
        if (elsewhere > max_else) max_else = elsewhere;
        if (ta->sentence != 0 && u64_counts_get(&c->title, c->stem[t])) n_title++;
        if ((mask & SPF_REPEAT) && elsewhere) P(fh(17, c->stem[t]), 1.0 / sqrt((double)L));
    }
    uint64_t share = n_content == 0 ? 5 : n_rep == 0 ? 0 : n_rep == n_content ? 4
                   : 1 + (uint64_t)(3 * n_rep / n_content);
    int before = 0, after = 0;
    size_t copies = count_copies(c, a, b, cnt_edges[3], &before, &after);
    uint64_t copyb = bucket(copies, cnt_edges, 4);
    if (mask & SPF_REPEAT) {
        P(fh(20, copyb), 1.0);
        P(fh(21, (uint64_t)before), 1.0);
        P(fh(22, (uint64_t)after), 1.0);
        P(fh(23, share), 1.0);
        P(fh(24, bucket(max_else, cnt_edges, 4)), 1.0);
        P(fh(25, n_content == 0 ? 5 : n_title == 0 ? 0 : n_title == n_content ? 4
                  : 1 + (uint64_t)(3 * n_title / n_content)), 1.0);
        P(fh(26, n_content == 0), 1.0);
    }
    if (mask & SPF_CONJ) {
        P(fh2(27, lenb, copyb), 1.0);
        P(fh2(28, lenb, c->lower[a]), 1.0);
        P(fh2(29, lenb, share), 1.0);
    }

    if (mask & SPF_STYLE) {
        int qb = a > 0 && (c->flags[a - 1] & F_QUOTE);
        int qa = b < T && (c->flags[b] & F_QUOTE);
        int qi = 0, allcaps = 0, excl = 0, quest = 0, num = 0, sexcl = 0, squest = 0;
        size_t words = 0, caps = 0;
        for (size_t t = a; t < b; t++) {
            const tok_token *k = &d->tokens[t];
            if (c->flags[t] & F_QUOTE) qi = 1;
            if (c->flags[t] & F_ALLCAPS) allcaps = 1;
            if (c->flags[t] & F_WORD) { words++; caps += (c->flags[t] & F_CAPITAL) != 0; }
            if (k->kind == TOK_NUMBER) num = 1;
            if (k->kind == TOK_PUNCT && k->end - k->start == 1) {
                if (c->text[k->start] == '!') excl = 1;
                if (c->text[k->start] == '?') quest = 1;
            }
        }
        for (uint32_t t = sn->first; t < sn->last; t++) {
            const tok_token *k = &d->tokens[t];
            if (k->kind == TOK_PUNCT && k->end - k->start == 1) {
                if (c->text[k->start] == '!') sexcl = 1;
                if (c->text[k->start] == '?') squest = 1;
            }
        }
        int end_mark = tb->kind == TOK_PUNCT && tb->end - tb->start == 1 &&
                       (c->text[tb->start] == '!' || c->text[tb->start] == '?');
        P(fh(30, (uint64_t)(qb | qa << 1 | qi << 2)), 1.0);
        P(fh(31, (uint64_t)allcaps << 3 | (words ? (4 * caps + words - 1) / words : 5)), 1.0);
        P(fh(32, (uint64_t)(excl | quest << 1 | end_mark << 2)), 1.0);
        P(fh(32, (uint64_t)(8 | sexcl | squest << 1)), 1.0);
        P(fh(33, (uint64_t)num), 1.0);
    }
    if (mask & SPF_POSITION) {
        /* The sentence's first/last word, ignoring quotes and final punctuation. */
        uint32_t s0 = sn->first, s1 = sn->last;
        while (s0 < s1 && d->tokens[s0].kind == TOK_PUNCT) s0++;
        while (s1 > s0 && d->tokens[s1 - 1].kind == TOK_PUNCT) s1--;
        int starts = a <= s0, ends = b >= s1;
        P(fh(34, (uint64_t)(starts | ends << 1)), 1.0);
        size_t ns = d->n_sentences;
        P(fh(35, bucket(ta->sentence, sent_edges, 7)), 1.0);
        P(fh(36, ns ? 5 * (uint64_t)ta->sentence / ns : 0), 1.0);
        P(fh(37, ta->sentence == 0), 1.0);
        P(fh(38, bucket(sn->last - sn->first, tok_edges, 9)), 1.0);
    }
    if (mask & SPF_BATCH) {
        /* This span is in the batch itself (as it should be) once per
         * technique; copies with its exact offsets count once as "same". */
        uint64_t h = text_hash(c, a, b);
        size_t same_text = 0, in_sentence = 0;
        int earlier = 0, later = 0, same = 0, inside = 0, holds = 0, overlaps = 0, self = 0;
        for (size_t i = 0; i < c->n_batch; i++) {
            uint32_t s0 = c->b_cps[i], s1 = c->b_cpe[i];
            if (s0 == cp_start && s1 == cp_end) { same += self; self = 1; continue; }
            if (c->b_first[i] < T && d->tokens[c->b_first[i]].sentence == ta->sentence) in_sentence++;
            if (c->b_last[i] - c->b_first[i] == L && c->b_text[i] == h) {
                same_text++;
                if (s0 < cp_start) earlier = 1; else later = 1;
            }
            if (s0 <= cp_start && s1 >= cp_end) inside = 1;
            else if (s0 >= cp_start && s1 <= cp_end) holds = 1;
            else if (s0 < cp_end && s1 > cp_start) overlaps = 1;
        }
        P(fh(48, bucket(same_text, cnt_edges, 4)), 1.0);
        P(fh(49, (uint64_t)(earlier | later << 1)), 1.0);
        P(fh(50, (uint64_t)((same > 0) | inside << 1 | holds << 2 | overlaps << 3)), 1.0);
        P(fh(51, bucket(in_sentence, cnt_edges, 4)), 1.0);
    }
    if (mask & SPF_CONTEXT) {
        P(fh(12, a > 0 ? c->lower[a - 1] : none), 1.0);
        P(fh(13, a > 1 ? c->lower[a - 2] : none), 1.0);
        P(fh(14, b < T ? c->lower[b] : none), 1.0);
        P(fh(15, b + 1 < T ? c->lower[b + 1] : none), 1.0);
        size_t from = out->n;
        for (uint32_t t = sn->first; t < sn->last; t++)
            if ((t < a || t >= b) && (c->flags[t] & F_WORD)) P(fh(16, c->stem[t]), 1.0);
        normalize_from(out, from, mask);
    }
    return SLANT_OK;
}
