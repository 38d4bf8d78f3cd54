/*
 * Token features for the span tagger (token_features.h). One pass computes, per
 * token, hashes of its lower-cased form, stem and shape; a second pass emits
 * window, sentence and article features from them.
 *
 * Templates (the number is mixed into the hash, never reuse one):
 *   1 bias                    2..6  lower w[-2..+2]      7..9  stem w[-1..+1]
 *   10..12 shape w[-1..+1]    13,14 bigrams w[-1]w[0], w[0]w[+1]
 *   15,16 prefix3, suffix3    17 kind             18 inside quotes
 *   19 position in sentence   20 sentence length  21 sentence punctuation
 *   22 sentence persons       23 sentence in article  24 title line
 *   25 word repeated in article  26 bigram repeated
 *   30 all-caps word          31 lower w[0] x in-quotes
 *   32 stem bigram w[-1]w[0]  33 sentence first word   34 distance to quote
 *   35 trigram w[-1]w[0]w[+1]
 *   38..40 sentence score bin, alone and x position, x in-quotes
 *   27..29 word cluster prefixes of w[0] (4, 8, 12 bits)
 * Sentence templates (feat_sentence): 101 bias, 102 punctuation, 103 persons,
 *   104 length, 105 title, 106 stems, 107 bigrams, 108 all-caps, 109 repeated
 * The feature set was chosen by dev-set SI F1 (bench/RESULTS.md).
 */
#include <stdlib.h>
#include <string.h>
#include <libstemmer.h>
#include <utf8proc.h>
#include "token_features.h"
#include "util/mix64.h"
#include "util/u64_sorted.h"

/* Stems are memoised per context: news repeats its words, and the Snowball
 * stemmer was the largest single cost of feat_prepare (bench/RESULTS.md).
 * The memo maps a lower-cased word (its hash, then its bytes, so hash
 * collisions cannot change a result) to its stem hash and word class. */
#define MEMO_SLOTS 32768u          /* power of two */
#define MEMO_MAX_WORD 64u          /* longer words are stemmed every time */
#define MEMO_CHARS ((size_t)(MEMO_SLOTS / 2) * 16)
typedef struct {
    uint64_t word;                 /* hash_bytes of the word, 0 = empty slot */
    uint64_t stem;                 /* hash_bytes of its stem */
    uint32_t off;                  /* the word's bytes in chars */
    uint8_t len;                   /* its length */
    uint8_t cls;                   /* WORD_* */
} memo_slot;
typedef struct {
    memo_slot *slots;              /* MEMO_SLOTS */
    char *chars;                   /* MEMO_CHARS: words, concatenated */
    size_t n, n_chars;             /* slots used, bytes used of chars */
} stem_memo;

enum { WORD_STOP = 1, WORD_P1 = 2, WORD_P2 = 4 };   /* word classes of a lower-cased word */

struct feat_ctx {
    struct sb_stemmer *stemmer;   /* not thread-safe: one per context */
    stem_memo memo;               /* lower-cased word -> stem hash, class */
    uint64_t *lower, *stem, *shape, *pre, *suf; /* T each: per-token hashes */
    uint64_t *mlow;               /* T: mix64(lower), shared by the bigram templates */
    uint64_t *cl4, *cl8, *cl12;   /* T each: cluster path prefixes, 0 = no cluster */
    uint8_t *in_quote;            /* T: 1 inside a quotation */
    uint8_t *flags;               /* T: FLAG_* */
    uint64_t *sorted;             /* 2T: scratch for repetition counts */
    size_t cap;                   /* capacity of the per-token arrays */
};

/* FLAG_P1, FLAG_P2: a word of at most 5 bytes that is a first or second
 * person pronoun (the sentence's person cues). */
enum { FLAG_ALLCAPS = 1, FLAG_CONTENT = 2, FLAG_REPEATED = 4, FLAG_REPEATED3 = 8,
       FLAG_BIGRAM_REPEATED = 16, FLAG_P1 = 32, FLAG_P2 = 64 };

/* Most hashes feat_tokens writes for one token: 32 always, 3 with
 * sentence scores, 3 with a word cluster. It reserves T times this, so the
 * writes need no capacity checks. */
#define FEAT_MAX_PER_TOKEN (32 + 3 + 3)

/* ---- hashing ---- */

/* FNV-1a over the bytes, then mix64 (util/mix64.h) to spread the bits. */
static uint64_t hash_bytes(const char *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;   /* FNV-1a offset basis */
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)p[i]; h *= 0x100000001b3ULL; }
    return mix64(h);
}

static uint64_t feat(uint64_t tmpl, uint64_t v) { return mix64(v ^ (tmpl * 0x9e3779b97f4a7c15ULL)); }
static uint64_t feat2(uint64_t tmpl, uint64_t a, uint64_t b) { return feat(tmpl, mix64(a) ^ (b * 31)); }

uint64_t feat_word_hash(const char *lower, size_t len) { return hash_bytes(lower, len); }

/* ---- per-token values ---- */

size_t feat_lower(const char *text, size_t len, char *out, size_t cap) {
    size_t o = 0, i = 0;
    if (cap == 0) return 0;
    while (i < len && o + 4 < cap) {
        unsigned char ch = (unsigned char)text[i];
        if (ch < 0x80) {
            out[o++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) { i++; continue; }
        i += (size_t)n;
        /* The curly apostrophe reads as the straight one: "Putin’s" = "Putin's". */
        if (cp == 0x2019) { out[o++] = '\''; continue; }
        o += (size_t)utf8proc_encode_char(utf8proc_tolower(cp), (utf8proc_uint8_t *)out + o);
    }
    out[o] = '\0';
    return o;
}

/* Word shape with runs collapsed: "Putin" -> "Xx", "2,300" -> "d,d". */
static uint64_t shape_hash(const char *p, size_t n, int *allcaps) {
    char buf[16];
    size_t o = 0;
    int upper = 0, lower = 0;
    for (size_t i = 0; i < n && o < sizeof buf; i++) {
        unsigned char ch = (unsigned char)p[i];
        char c = ch >= 'A' && ch <= 'Z' ? 'X' : ch >= 'a' && ch <= 'z' ? 'x'
               : ch >= '0' && ch <= '9' ? 'd' : ch >= 0x80 ? 'u' : (char)ch;
        if (c == 'X') upper++;
        if (c == 'x') lower++;
        if (ch >= 0x80 && (ch & 0xC0) == 0x80) continue;  /* continuation byte */
        if (o == 0 || buf[o - 1] != c) buf[o++] = c;
    }
    *allcaps = upper >= 2 && lower == 0;
    return hash_bytes(buf, o);
}

static const char *const stop_words[] = {
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for",
    "with", "by", "from", "as", "is", "are", "was", "were", "be", "been", "it",
    "its", "that", "this", "he", "she", "they", "his", "her", "their", "said",
    "has", "have", "had", "not", "will", "would", "who", "which", "what", NULL};

static int word_is(const char *w, size_t n, const char *const *list) {
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0) return 1;
    return 0;
}

static const char *const first_person[] = {"i", "we", "us", "our", "ours", "my", "me", "mine", NULL};
static const char *const second_person[] = {"you", "your", "yours", NULL};

/* WORD_* classes of the lower-cased word w[0..n). */
static int word_class(const char *w, size_t n) {
    if (n > 5) return 0;   /* no listed word is longer */
    return (word_is(w, n, stop_words) ? WORD_STOP : 0) |
           (word_is(w, n, first_person) ? WORD_P1 : 0) |
           (word_is(w, n, second_person) ? WORD_P2 : 0);
}

/* ---- context ---- */

feat_ctx *feat_ctx_new(void) {
    feat_ctx *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->stemmer = sb_stemmer_new("english", NULL);
    c->memo.slots = calloc(MEMO_SLOTS, sizeof *c->memo.slots);
    c->memo.chars = malloc(MEMO_CHARS);
    if (!c->stemmer || !c->memo.slots || !c->memo.chars) { feat_ctx_free(c); return NULL; }
    return c;
}

void feat_ctx_free(feat_ctx *c) {
    if (!c) return;
    if (c->stemmer) sb_stemmer_delete(c->stemmer);
    free(c->memo.slots); free(c->memo.chars);
    free(c->mlow);
    free(c->lower); free(c->stem); free(c->shape); free(c->pre); free(c->suf);
    free(c->cl4); free(c->cl8); free(c->cl12);
    free(c->in_quote); free(c->flags); free(c->sorted);
    free(c);
}

static int ctx_reserve(feat_ctx *c, size_t T) {
    if (T <= c->cap) return 1;
    size_t cap = c->cap ? c->cap : 1024;
    while (cap < T) cap *= 2;
    uint64_t **u64[] = {&c->lower, &c->stem, &c->shape, &c->pre, &c->suf,
                        &c->cl4, &c->cl8, &c->cl12, &c->mlow};
    for (size_t i = 0; i < sizeof u64 / sizeof u64[0]; i++) {
        uint64_t *p = realloc(*u64[i], cap * sizeof **u64[i]);
        if (!p) return 0;
        *u64[i] = p;
    }
    uint8_t *q = realloc(c->in_quote, cap);
    if (!q) return 0;
    c->in_quote = q;
    q = realloc(c->flags, cap);
    if (!q) return 0;
    c->flags = q;
    uint64_t *s = realloc(c->sorted, 2 * cap * sizeof *s);
    if (!s) return 0;
    c->sorted = s;
    c->cap = cap;
    return 1;
}

void feat_seq_init(feat_seq *s) { memset(s, 0, sizeof *s); }
void feat_seq_fini(feat_seq *s) { free(s->hashes); free(s->offs); memset(s, 0, sizeof *s); }

static int is_quote(const char *p, size_t n) {
    return (n == 1 && *p == '"') || (n == 3 && (memcmp(p, "\xe2\x80\x9c", 3) == 0 ||
                                               memcmp(p, "\xe2\x80\x9d", 3) == 0));
}

/* ---- extraction ---- */

static uint64_t bucket(size_t v, const size_t *edges, size_t n_edges) {
    uint64_t b = 0;
    while (b < n_edges && v >= edges[b]) b++;
    return b;
}

static int cluster_of(const feat_clusters *cl, uint64_t word, uint32_t *path, uint8_t *depth) {
    if (!cl || cl->n == 0) return 0;
    size_t lo = 0, hi = cl->n;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (cl->word_hash[m] < word) lo = m + 1; else hi = m; }
    if (lo == cl->n || cl->word_hash[lo] != word) return 0;
    *path = cl->cluster[lo]; *depth = cl->depth[lo];
    return 1;
}

/* The stem hash and WORD_* class of the lower-cased word low[0..ln), whose
 * hash_bytes is hash: from the memo, or computed and remembered. */
static void stem_of(feat_ctx *c, const char *low, size_t ln, uint64_t hash,
                    uint64_t *stem, int *cls) {
    stem_memo *m = &c->memo;
    uint64_t key = hash ? hash : 1;   /* 0 marks an empty slot */
    size_t i = (size_t)(key ^ (key >> 29)) & (MEMO_SLOTS - 1);
    if (ln <= MEMO_MAX_WORD) {
        for (; m->slots[i].word; i = (i + 1) & (MEMO_SLOTS - 1)) {
            const memo_slot *e = &m->slots[i];
            if (e->word == key && e->len == ln && memcmp(m->chars + e->off, low, ln) == 0) {
                *stem = e->stem;
                *cls = e->cls;
                return;
            }
        }
    }
    const sb_symbol *st = sb_stemmer_stem(c->stemmer, (const sb_symbol *)low, (int)ln);
    *stem = st ? hash_bytes((const char *)st, (size_t)sb_stemmer_length(c->stemmer)) : hash;
    *cls = word_class(low, ln);
    if (!st || ln > MEMO_MAX_WORD) return;   /* NULL: out of memory, do not remember */
    if (m->n >= MEMO_SLOTS / 2 || m->n_chars + ln > MEMO_CHARS) {
        memset(m->slots, 0, MEMO_SLOTS * sizeof *m->slots);   /* full: start again */
        m->n = m->n_chars = 0;
        i = (size_t)(key ^ (key >> 29)) & (MEMO_SLOTS - 1);
    }
    memo_slot *e = &m->slots[i];
    e->word = key; e->stem = *stem;
    e->off = (uint32_t)m->n_chars; e->len = (uint8_t)ln; e->cls = (uint8_t)*cls;
    memcpy(m->chars + m->n_chars, low, ln);
    m->n_chars += ln;
    m->n++;
}

slant_status feat_prepare(feat_ctx *c, const char *text, const tok_doc *d) {
    size_t T = d->n_tokens;
    char low[256];
    if (!ctx_reserve(c, T + 1)) return SLANT_ENOMEM;

    /* Pass 1: per-token hashes. */
    for (size_t t = 0; t < T; t++) {
        const tok_token *k = &d->tokens[t];
        const char *p = text + k->start;
        size_t n = k->end - k->start;
        size_t ln = feat_lower(p, n, low, sizeof low);
        int allcaps = 0;
        uint64_t lw = hash_bytes(low, ln);
        c->lower[t] = lw;
        c->mlow[t] = mix64(lw);
        c->shape[t] = shape_hash(p, n, &allcaps);
        uint8_t f = allcaps ? FLAG_ALLCAPS : 0;
        if (k->kind == TOK_WORD) {
            int cls;
            stem_of(c, low, ln, lw, &c->stem[t], &cls);
            if (ln >= 4 && !(cls & WORD_STOP)) f |= FLAG_CONTENT;
            /* Person cues come from words of at most 5 bytes. */
            if (n <= 5) f |= (uint8_t)((cls & WORD_P1 ? FLAG_P1 : 0) | (cls & WORD_P2 ? FLAG_P2 : 0));
        } else {
            c->stem[t] = lw;
        }
        c->pre[t] = hash_bytes(low, ln < 3 ? ln : 3);
        c->suf[t] = hash_bytes(low + (ln < 3 ? 0 : ln - 3), ln < 3 ? ln : 3);
        c->flags[t] = f;
    }

    /* Repetition: content words and bigrams that recur in the article. */
    size_t nw = 0;
    for (size_t t = 0; t < T; t++)
        if (c->flags[t] & FLAG_CONTENT) c->sorted[nw++] = c->stem[t];
    u64_sort(c->sorted, nw);
    for (size_t t = 0; t < T; t++) {
        if (!(c->flags[t] & FLAG_CONTENT)) continue;
        size_t k = u64_count_sorted(c->sorted, nw, c->stem[t]);
        if (k >= 2) c->flags[t] |= FLAG_REPEATED;
        if (k >= 3) c->flags[t] |= FLAG_REPEATED3;
    }
    size_t nb = 0;
    for (size_t t = 0; t + 1 < T; t++)
        if (d->tokens[t].kind == TOK_WORD && d->tokens[t + 1].kind == TOK_WORD)
            c->sorted[nb++] = c->mlow[t] ^ c->lower[t + 1];
    u64_sort(c->sorted, nb);
    for (size_t t = 0; t + 1 < T; t++)
        if (d->tokens[t].kind == TOK_WORD && d->tokens[t + 1].kind == TOK_WORD &&
            u64_count_sorted(c->sorted, nb, c->mlow[t] ^ c->lower[t + 1]) >= 2) {
            c->flags[t] |= FLAG_BIGRAM_REPEATED;
            c->flags[t + 1] |= FLAG_BIGRAM_REPEATED;
        }

    return SLANT_OK;
}

/* ---- sentence features ---- */

/* Lower-cased word hashes of tokens [first,last) of the sentence, its
 * punctuation and person cues. Filled by sentence_cues(). */
typedef struct {
    int excl, quest, quotes, p1, p2;
} sentence_cues_t;

static void sentence_cues(feat_ctx *c, const char *text, const tok_doc *d, size_t si,
                          sentence_cues_t *q) {
    const tok_sentence *sn = &d->sentences[si];
    int inq = 0;
    memset(q, 0, sizeof *q);
    for (size_t t = sn->first; t < sn->last; t++) {
        const tok_token *k = &d->tokens[t];
        const char *p = text + k->start;
        size_t n = k->end - k->start;
        if (k->kind == TOK_PUNCT) {
            if (n == 1 && *p == '!') q->excl = 1;
            if (n == 1 && *p == '?') q->quest = 1;
            if (is_quote(p, n)) { q->quotes++; inq = !inq; c->in_quote[t] = 1; continue; }
        }
        c->in_quote[t] = (uint8_t)inq;
        if (k->kind == TOK_WORD) {   /* FLAG_P1/P2 are set for words only */
            if (c->flags[t] & FLAG_P1) q->p1 = 1;
            if (c->flags[t] & FLAG_P2) q->p2 = 1;
        }
    }
}

slant_status feat_sentence(feat_ctx *c, const char *text, const tok_doc *d, size_t si,
                           uint64_t *out, size_t cap, size_t *n_out) {
    const tok_sentence *sn = &d->sentences[si];
    sentence_cues_t q;
    size_t n = 0;
    sentence_cues(c, text, d, si, &q);
    static const size_t len_edges[] = {4, 8, 13, 20, 30, 45};
    size_t len = sn->last - sn->first;
#define PUSH(h) do { if (n < cap) out[n++] = (h); } while (0)
    PUSH(feat(101, 0));
    PUSH(feat(102, (uint64_t)(q.excl | q.quest << 1 | (q.quotes > 0) << 2)));
    PUSH(feat(103, (uint64_t)(q.p1 | q.p2 << 1)));
    PUSH(feat(104, bucket(len, len_edges, 6)));
    PUSH(feat(105, si == 0));
    for (size_t t = sn->first; t < sn->last; t++) {
        if (d->tokens[t].kind == TOK_PUNCT) continue;
        PUSH(feat(106, c->stem[t]));
        if (t + 1 < sn->last) PUSH(feat2(107, c->lower[t], c->lower[t + 1]));
        if (c->flags[t] & FLAG_ALLCAPS) PUSH(feat(108, 1));
        if (c->flags[t] & FLAG_REPEATED3) PUSH(feat(109, 1));
    }
#undef PUSH
    *n_out = n;
    return SLANT_OK;
}

/* ---- token features ---- */

slant_status feat_tokens(feat_ctx *c, const feat_resources *r, const char *text,
                         const tok_doc *d, const float *sentence_score, feat_seq *s) {
    size_t T = d->n_tokens;
    s->n = 0;
    s->T = T;
    if (T + 1 > s->cap_offs) {
        uint32_t *o = realloc(s->offs, (T + 1) * sizeof *o);
        if (!o) return SLANT_ENOMEM;
        s->offs = o; s->cap_offs = T + 1;
    }
    size_t need = T * FEAT_MAX_PER_TOKEN;
    if (need > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < need) cap *= 2;
        uint64_t *p = realloc(s->hashes, cap * sizeof *p);
        if (!p) return SLANT_ENOMEM;
        s->hashes = p; s->cap = cap;
    }
    static const size_t len_edges[] = {4, 8, 13, 20, 30, 45};
    static const size_t sent_edges[] = {1, 2, 4, 8, 16, 32};
    /* Cluster path prefixes of every token: the value is (bits, depth) so
     * prefixes of different lengths never collide. */
    int has_clusters = r && r->clusters && r->clusters->n;
    for (size_t t = 0; has_clusters && t < T; t++) {
        uint32_t path; uint8_t depth;
        c->cl4[t] = c->cl8[t] = c->cl12[t] = 0;
        if (!cluster_of(r->clusters, c->lower[t], &path, &depth) || depth == 0) continue;
        static const uint8_t lens[3] = {4, 8, 12};
        uint64_t *dst[3] = {&c->cl4[t], &c->cl8[t], &c->cl12[t]};
        for (int i = 0; i < 3; i++) {
            uint8_t dl = lens[i] < depth ? lens[i] : depth;
            *dst[i] = (uint64_t)(path >> (32 - dl)) | (uint64_t)dl << 32;
        }
    }
    uint64_t none = 0x5bd1e995u;   /* value for positions outside the article */
    uint64_t mnone = mix64(none);
    /* Templates whose value takes a few values are hashed once per article
     * (or sentence, below) and looked up per token. */
    uint64_t f_bias = feat(1, 0), f17[5], f18[2], f19[7], f25[4], f26[2], f30[2], f34[10];
    for (uint64_t v = 0; v < 10; v++) {
        if (v < 5) f17[v] = feat(17, v);
        if (v < 2) { f18[v] = feat(18, v); f26[v] = feat(26, v); f30[v] = feat(30, v); }
        if (v < 7) f19[v] = feat(19, v);
        if (v < 4) f25[v] = feat(25, v);
        f34[v] = feat(34, v);
    }
    uint64_t *out = s->hashes;
    for (size_t si = 0; si < d->n_sentences; si++) {
        const tok_sentence *sn = &d->sentences[si];
        size_t first = sn->first, last = sn->last, len = last - first;
        sentence_cues_t q;
        sentence_cues(c, text, d, si, &q);
        uint64_t sent_punct = (uint64_t)(q.excl | q.quest << 1 | (q.quotes > 0) << 2);
        uint64_t persons = (uint64_t)(q.p1 | q.p2 << 1);
        /* The sentence scorer's view, in ten bins (stacked: see tagger_train.c). */
        uint64_t sbin = sentence_score ? (uint64_t)(sentence_score[si] * 10.0f) : 11;
        if (sbin == 10) sbin = 9;
        int title = si == 0;   /* line 1 of a corpus article is its title */
        uint64_t first_word = c->lower[first];
        uint64_t f20 = feat(20, bucket(len, len_edges, 6)), f21 = feat(21, sent_punct),
                 f22 = feat(22, persons), f23 = feat(23, bucket(si, sent_edges, 6)),
                 f24 = feat(24, (uint64_t)title);
        uint64_t f33[2] = {feat2(33, first_word, 0), feat2(33, first_word, 1)};
        uint64_t f38 = 0, f39[7] = {0}, f40[2] = {0};
        if (sentence_score) {
            f38 = feat(38, sbin);
            for (uint64_t v = 0; v < 7; v++) f39[v] = feat2(39, sbin, v);
            for (uint64_t v = 0; v < 2; v++) f40[v] = feat2(40, sbin, v);
        }
        size_t last_quote = (size_t)-1;

        for (size_t t = first; t < last; t++) {
            s->offs[t] = (uint32_t)(out - s->hashes);
            const tok_token *k = &d->tokens[t];
            uint64_t lw[5];
            for (int o = -2; o <= 2; o++) {
                long u = (long)t + o;
                lw[o + 2] = u >= 0 && (size_t)u < T ? c->lower[u] : none;
            }
            uint64_t mlw1 = t > 0 ? c->mlow[t - 1] : mnone, mlw2 = c->mlow[t];   /* mix64(lw[1]), mix64(lw[2]) */
            uint64_t stm1 = t > 0 ? c->stem[t - 1] : none, stp1 = t + 1 < T ? c->stem[t + 1] : none;
            uint64_t shm1 = t > 0 ? c->shape[t - 1] : none, shp1 = t + 1 < T ? c->shape[t + 1] : none;
            size_t pos = t - first;
            uint64_t posb = pos == 0 ? 0 : pos == len - 1 ? 1 : 2 + (uint64_t)(5 * pos / len);
            if (is_quote(text + k->start, k->end - k->start)) last_quote = t;
            uint64_t qdist = last_quote == (size_t)-1 ? 9 : t - last_quote > 8 ? 8 : t - last_quote;
            uint64_t inq = c->in_quote[t], fl = c->flags[t];
            /* The order is the feature order the model was trained with:
             * weights are summed in it, so it must not change. feat2(a, b)
             * is written out as feat(mix64(a) ^ b * 31) to reuse mlow. */
            out[0] = f_bias;
            out[1] = feat(2, lw[0]); out[2] = feat(3, lw[1]); out[3] = feat(4, lw[2]);
            out[4] = feat(5, lw[3]); out[5] = feat(6, lw[4]);
            out[6] = feat(7, stm1); out[7] = feat(8, c->stem[t]); out[8] = feat(9, stp1);
            out[9] = feat(10, shm1); out[10] = feat(11, c->shape[t]); out[11] = feat(12, shp1);
            out[12] = feat(13, mlw1 ^ (lw[2] * 31));
            out[13] = feat(14, mlw2 ^ (lw[3] * 31));
            out[14] = feat(15, c->pre[t]); out[15] = feat(16, c->suf[t]);
            out[16] = k->kind < 5 ? f17[k->kind] : feat(17, k->kind);
            out[17] = f18[inq];
            out[18] = f19[posb];
            out[19] = f20; out[20] = f21; out[21] = f22; out[22] = f23; out[23] = f24;
            out[24] = f25[((fl & FLAG_REPEATED) != 0) | ((fl & FLAG_REPEATED3) != 0) << 1];
            out[25] = f26[(fl & FLAG_BIGRAM_REPEATED) != 0];
            out[26] = f30[(fl & FLAG_ALLCAPS) != 0];
            out[27] = feat(31, mlw2 ^ (inq * 31));
            out[28] = feat2(32, stm1, c->stem[t]);
            out[29] = f33[posb == 0];
            out[30] = f34[qdist];
            out[31] = feat(35, mix64(mlw1 ^ lw[2]) ^ (lw[3] * 31));
            out += 32;
            if (sentence_score) {
                out[0] = f38; out[1] = f39[posb]; out[2] = f40[inq];
                out += 3;
            }
            /* Neighbours' clusters and the full path were tried and did not
             * help on dev (bench/RESULTS.md); the word's own prefixes do. */
            if (has_clusters && c->cl4[t]) {
                out[0] = feat(27, c->cl4[t]); out[1] = feat(28, c->cl8[t]); out[2] = feat(29, c->cl12[t]);
                out += 3;
            }
        }
    }
    s->n = (size_t)(out - s->hashes);
    s->offs[T] = (uint32_t)s->n;
    return SLANT_OK;
}

slant_status feat_extract(feat_ctx *c, const feat_resources *r, const char *text,
                          const tok_doc *d, feat_seq *s) {
    slant_status st = feat_prepare(c, text, d);
    return st == SLANT_OK ? feat_tokens(c, r, text, d, NULL, s) : st;
}
