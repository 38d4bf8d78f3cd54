/*
 * Token features for the span tagger (token_features.h). One pass computes, per
 * token, hashes of its lower-cased form, stem and shape; a second pass emits
 * window, sentence and article features from them.
 *
 * Word templates (feat_word: one token of the window alone):
 *   2..6 lower w[-2..+2]   7..9 stem w[-1..+1]   10..12 shape w[-1..+1]
 *   15,16 prefix3, suffix3 of w[0]   17 its kind   30 all-caps word
 *   27..29 word cluster prefixes of w[0] (4, 8, 12 bits)
 * Context templates (the number is mixed into the hash, never reuse one):
 *   13,14 bigrams w[-1]w[0], w[0]w[+1]   18 inside quotes
 *   19 position in sentence   20 sentence length  21 sentence punctuation
 *   22 sentence persons       23 sentence in article  24 title line
 *   25 word repeated in article  26 bigram repeated
 *   31 lower w[0] x in-quotes
 *   32 stem bigram w[-1]w[0]  33 sentence first word   34 distance to quote
 *   35 trigram w[-1]w[0]w[+1]
 *   38..40 sentence score bin, alone and x position, x in-quotes
 * Sentence templates (feat_sentence): 101 bias, 102 punctuation, 103 persons,
 *   104 length, 105 title, 106 stems, 107 bigrams, 108 all-caps, 109 repeated
 * The feature set was chosen by dev-set SI F1 (bench/RESULTS.md).
 */
#include <stdlib.h>
#include <string.h>
#include <libstemmer.h>
#include <utf8proc.h>
#include "token_features.h"
#include "util/u64_sorted.h"
#include "word_memo.h"
#include "util/mix64.h"
#include "util/u64_counts.h"

/* Words are memoised per context (word_memo.h): lower-casing, shapes and
 * above all the Snowball stemmer were most of feat_prepare's cost
 * (bench/RESULTS.md), and news repeats its words. A memo slot keeps what
 * pass 1 computes from the token alone. */
typedef struct {
    uint64_t lower, mlow, stem, shape, pre, suf;  /* as in feat_ctx */
    uint8_t flags;                 /* the token's own FLAG_* */
} word_values_t;


enum { WORD_STOP = 1, WORD_P1 = 2, WORD_P2 = 4 };   /* word classes of a lower-cased word */

struct feat_ctx {
    struct sb_stemmer *stemmer;   /* not thread-safe: one per context */
    word_memo *memo;              /* token -> slot of vals */
    word_values_t *vals;          /* WORD_MEMO_SLOTS: pass-1 values by slot */
    uint64_t *lower, *stem, *shape, *pre, *suf; /* T each: per-token hashes */
    uint64_t *mlow;               /* T: mix64(lower), shared by the bigram templates */
    uint32_t *slot;               /* T: memo slot of the token, WORD_MEMO_NONE if none */
    uint8_t *added;               /* T: 1 if the token's slot is new (values to compute) */
    uint64_t *key;                /* T: memo key of the token (word_key) */
    uint64_t small_hash[FEAT_SMALL_N]; /* feat_small_hash of each small feature */
    uint8_t *kind;                /* T: tok_kind */
    uint8_t *in_quote;            /* T: 1 inside a quotation */
    uint8_t *flags;               /* T: FLAG_* */
    u64_counts counts;            /* repetition counts of the article */
    size_t cap;                   /* capacity of the per-token arrays */
};

/* FLAG_P1, FLAG_P2: a word of at most 5 bytes that is a first or second
 * person pronoun (the sentence's person cues). */
enum { FLAG_ALLCAPS = 1, FLAG_CONTENT = 2, FLAG_REPEATED = 4, FLAG_REPEATED3 = 8,
       FLAG_BIGRAM_REPEATED = 16, FLAG_P1 = 32, FLAG_P2 = 64 };

/* Most hashes feat_tokens writes for one token: 5 word positions (1 + 3 +
 * FEAT_WORD_MAX + 3 + 1) and FEAT_CONTEXT_MAX context templates. It
 * reserves T times this, so the writes need no capacity checks. */
#define FEAT_CONTEXT_MAX (FEAT_SMALL_PER_TOKEN + 6)
#define FEAT_MAX_PER_TOKEN (1 + 3 + FEAT_WORD_MAX + 3 + 1 + FEAT_CONTEXT_MAX)

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

void feat_word_hash_prefixes(const char *p, size_t from, size_t to, uint64_t *out) {
    uint64_t h = 0xcbf29ce484222325ULL;   /* as hash_bytes, one byte at a time */
    for (size_t i = 0; i < to; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
        if (i + 1 >= from) out[i + 1 - from] = mix64(h);
    }
}

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
    for (size_t i = 0; i < FEAT_SMALL_N; i++) c->small_hash[i] = feat_small_hash(i);
    c->memo = word_memo_new();
    c->vals = malloc(WORD_MEMO_SLOTS * sizeof *c->vals);
    if (!c->stemmer || !c->memo || !c->vals) { feat_ctx_free(c); return NULL; }
    return c;
}

void feat_ctx_free(feat_ctx *c) {
    if (!c) return;
    if (c->stemmer) sb_stemmer_delete(c->stemmer);
    word_memo_free(c->memo); free(c->vals);
    free(c->mlow);
    free(c->lower); free(c->stem); free(c->shape); free(c->pre); free(c->suf);
    free(c->slot); free(c->kind); free(c->key); free(c->added);
    free(c->in_quote); free(c->flags); u64_counts_fini(&c->counts);
    free(c);
}

static int ctx_reserve(feat_ctx *c, size_t T) {
    if (T <= c->cap) return 1;
    size_t cap = c->cap ? c->cap : 1024;
    while (cap < T) cap *= 2;
    uint64_t **u64[] = {&c->lower, &c->stem, &c->shape, &c->pre, &c->suf, &c->mlow, &c->key};
    for (size_t i = 0; i < sizeof u64 / sizeof u64[0]; i++) {
        uint64_t *p = realloc(*u64[i], cap * sizeof **u64[i]);
        if (!p) return 0;
        *u64[i] = p;
    }
    uint32_t *sl = realloc(c->slot, cap * sizeof *sl);
    if (!sl) return 0;
    c->slot = sl;
    uint8_t *q = realloc(c->kind, cap);
    if (!q) return 0;
    c->kind = q;
    q = realloc(c->added, cap);
    if (!q) return 0;
    c->added = q;
    q = realloc(c->in_quote, cap);
    if (!q) return 0;
    c->in_quote = q;
    q = realloc(c->flags, cap);
    if (!q) return 0;
    c->flags = q;
    c->cap = cap;
    return 1;
}

void feat_seq_init(feat_seq *s) { memset(s, 0, sizeof *s); }
void feat_seq_fini(feat_seq *s) { free(s->hashes); free(s->offs); free(s->small); memset(s, 0, sizeof *s); }

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

int feat_cluster_of(const feat_clusters *cl, uint64_t word, uint32_t *path, uint8_t *depth) {
    if (!cl || cl->n == 0) return 0;
    size_t i;
    if (cl->index) {   /* one probe, not seventeen dependent loads */
        uint32_t r = feat_table_find(cl->index, word);
        if (r == UINT32_MAX || r >= cl->n) return 0;
        i = r;
    } else {
        long r = u64_find_sorted(cl->word_hash, cl->n, word);
        if (r < 0) return 0;
        i = (size_t)r;
    }
    *path = cl->cluster[i]; *depth = cl->depth[i];
    return 1;
}

/* Pass 1 for one token computed from scratch: into c's arrays at t. */
static void word_values(feat_ctx *c, const char *p, size_t n, tok_kind kind, size_t t) {
    char low[256];
    size_t ln = feat_lower(p, n, low, sizeof low);
    int allcaps = 0;
    uint64_t lw = hash_bytes(low, ln);
    c->lower[t] = lw;
    c->mlow[t] = mix64(lw);
    c->shape[t] = shape_hash(p, n, &allcaps);
    uint8_t f = allcaps ? FLAG_ALLCAPS : 0;
    if (kind == TOK_WORD) {
        const sb_symbol *st = sb_stemmer_stem(c->stemmer, (const sb_symbol *)low, (int)ln);
        /* NULL: out of memory; the word stands for its stem. */
        c->stem[t] = st ? hash_bytes((const char *)st, (size_t)sb_stemmer_length(c->stemmer)) : lw;
        int cls = word_class(low, ln);
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

slant_status feat_prepare(feat_ctx *c, const char *text, const tok_doc *d) {
    size_t T = d->n_tokens;
    if (!ctx_reserve(c, T + 1)) return SLANT_ENOMEM;

    /* Pass 1: per-token hashes, from the memo or computed and remembered. */
    word_memo_article(c->memo, text, d, c->key, c->slot, c->added, c->vals, sizeof *c->vals);
    for (size_t t = 0; t < T; t++) {
        const tok_token *k = &d->tokens[t];
        const char *p = text + k->start;
        size_t n = k->end - k->start;
        uint32_t slot = c->slot[t];
        c->kind[t] = (uint8_t)k->kind;
        if (slot != WORD_MEMO_NONE && !c->added[t]) {
            const word_values_t *v = &c->vals[slot];
            c->lower[t] = v->lower; c->mlow[t] = v->mlow; c->stem[t] = v->stem;
            c->shape[t] = v->shape; c->pre[t] = v->pre; c->suf[t] = v->suf;
            c->flags[t] = v->flags;
            continue;
        }
        word_values(c, p, n, (tok_kind)k->kind, t);
        if (slot != WORD_MEMO_NONE)
            c->vals[slot] = (word_values_t){c->lower[t], c->mlow[t], c->stem[t], c->shape[t],
                                            c->pre[t], c->suf[t], c->flags[t]};
    }

    /* Repetition: content words and bigrams that recur in the article. */
    if (!u64_counts_reset(&c->counts, T)) return SLANT_ENOMEM;
    for (size_t t = 0; t < T; t++)
        if (c->flags[t] & FLAG_CONTENT) u64_counts_add(&c->counts, c->stem[t]);
    for (size_t t = 0; t < T; t++) {
        if (!(c->flags[t] & FLAG_CONTENT)) continue;
        uint32_t k = u64_counts_get(&c->counts, c->stem[t]);
        if (k >= 2) c->flags[t] |= FLAG_REPEATED;
        if (k >= 3) c->flags[t] |= FLAG_REPEATED3;
    }
    if (!u64_counts_reset(&c->counts, T)) return SLANT_ENOMEM;
    for (size_t t = 0; t + 1 < T; t++)
        if (d->tokens[t].kind == TOK_WORD && d->tokens[t + 1].kind == TOK_WORD)
            u64_counts_add(&c->counts, c->mlow[t] ^ c->lower[t + 1]);
    for (size_t t = 0; t + 1 < T; t++)
        if (d->tokens[t].kind == TOK_WORD && d->tokens[t + 1].kind == TOK_WORD &&
            u64_counts_get(&c->counts, c->mlow[t] ^ c->lower[t + 1]) >= 2) {
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

/* A position outside the article: its word, stem and shape take this value. */
#define OUTSIDE 0x5bd1e995u

/* The templates of the lower-cased word at offsets -2..2 (feat_word). */
static const uint64_t LOWER_AT[5] = {2, 3, 4, 5, 6};

uint64_t feat_word_lower_key(int off, uint64_t lower) { return feat(LOWER_AT[off + 2], lower); }

size_t feat_word(const feat_ctx *c, const feat_resources *r, size_t t, int off, uint64_t *out) {
    int inside = t != FEAT_OUTSIDE;
    uint64_t low = inside ? c->lower[t] : OUTSIDE;
    switch (off) {
    case -2: case 2: out[0] = feat(LOWER_AT[off + 2], low); return 1;
    case -1: case 1: {
        uint64_t stem = inside ? c->stem[t] : OUTSIDE, shape = inside ? c->shape[t] : OUTSIDE;
        out[0] = feat(LOWER_AT[off + 2], low);
        out[1] = feat(off < 0 ? 7 : 9, stem);
        out[2] = feat(off < 0 ? 10 : 12, shape);
        return 3;
    }
    default: break;
    }
    if (!inside) return 0;   /* the token itself is always inside */
    size_t n = 0;
    out[n++] = feat(LOWER_AT[2], low);
    out[n++] = feat(8, c->stem[t]);
    out[n++] = feat(11, c->shape[t]);
    out[n++] = feat(15, c->pre[t]);
    out[n++] = feat(16, c->suf[t]);
    out[n++] = feat(17, c->kind[t]);
    out[n++] = feat(30, (c->flags[t] & FLAG_ALLCAPS) != 0);
    /* The word's cluster path cut to 4, 8 and 12 bits: the value is (bits,
     * length) so prefixes of different lengths never collide. Neighbours'
     * clusters and the full path were tried and did not help on dev
     * (bench/RESULTS.md). */
    uint32_t path; uint8_t depth;
    if (r && feat_cluster_of(r->clusters, low, &path, &depth) && depth > 0) {
        static const uint8_t lens[3] = {4, 8, 12};
        for (int i = 0; i < 3; i++) {
            uint8_t dl = lens[i] < depth ? lens[i] : depth;
            out[n++] = feat((uint64_t)27 + (uint64_t)i, (uint64_t)(path >> (32 - dl)) | (uint64_t)dl << 32);
        }
    }
    return n;
}

uint64_t feat_word_in_quotes(const feat_ctx *c, size_t t, int inq) {
    return feat(31, c->mlow[t] ^ ((uint64_t)(inq != 0) * 31));
}

int feat_in_quotes(const feat_ctx *c, size_t t) { return c->in_quote[t] != 0; }

uint32_t feat_word_slot(const feat_ctx *c, size_t t) { return c->slot[t]; }

void feat_word_prefetch(const feat_ctx *c, const feat_resources *r, size_t t) {
    if (r) feat_cluster_prefetch(r->clusters, c->lower[t]);
}
const uint32_t *feat_token_slots(const feat_ctx *c) { return c->slot; }
uint64_t feat_word_naming(const feat_ctx *c) { return word_memo_naming(c->memo); }
const uint64_t *feat_token_lower(const feat_ctx *c) { return c->lower; }
const uint64_t *feat_token_stem(const feat_ctx *c) { return c->stem; }
uint32_t feat_word_epoch(const feat_ctx *c) { return word_memo_epoch(c->memo); }

/* Small-domain context templates: each takes a handful of values, so its
 * features are numbered (FEAT_SMALL_N of them) and a tagger can keep their
 * weights in a small table instead of hashing and looking them up per
 * token. Blocks: template, first index, number of values. */
enum {
    S_BIAS = 0, S_INQ = 1, S_POS = 3, S_SLEN = 10, S_SPUNCT = 17, S_PERS = 25,
    S_SIDX = 29, S_TITLE = 36, S_REP = 38, S_BREP = 42, S_QDIST = 44,
    S_SBIN = 54, S_SBIN_POS = 64, S_SBIN_INQ = 134, S_END = 154
};
static const struct { uint8_t tmpl, first, n; } small_blocks[] = {
    {1, S_BIAS, 1}, {18, S_INQ, 2}, {19, S_POS, 7}, {20, S_SLEN, 7}, {21, S_SPUNCT, 8},
    {22, S_PERS, 4}, {23, S_SIDX, 7}, {24, S_TITLE, 2}, {25, S_REP, 4}, {26, S_BREP, 2},
    {34, S_QDIST, 10}, {38, S_SBIN, 10}};

uint64_t feat_small_hash(size_t i) {
    if (i >= S_SBIN_INQ) return feat2(40, (i - S_SBIN_INQ) / 2, (i - S_SBIN_INQ) % 2);
    if (i >= S_SBIN_POS) return feat2(39, (i - S_SBIN_POS) / 7, (i - S_SBIN_POS) % 7);
    size_t b = sizeof small_blocks / sizeof small_blocks[0];
    while (b-- > 0)
        if (i >= small_blocks[b].first) return feat(small_blocks[b].tmpl, i - small_blocks[b].first);
    return 0;
}

/* feat_tokens (words = 1: small features as hashes) or feat_context
 * (words = 0: small features as numbers in s->small). */
static slant_status token_features(feat_ctx *c, const feat_resources *r, const char *text,
                                   const tok_doc *d, const float *sentence_score, feat_seq *s,
                                   int words) {
    size_t T = d->n_tokens;
    size_t n_small = sentence_score ? FEAT_SMALL_PER_TOKEN : FEAT_SMALL_PER_TOKEN - 3;
    s->n = 0;
    s->T = T;
    s->small_per_token = words ? 0 : n_small;
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
    if (!words && T * FEAT_SMALL_PER_TOKEN > s->cap_small) {
        size_t cap = s->cap_small ? s->cap_small : 4096;
        while (cap < T * FEAT_SMALL_PER_TOKEN) cap *= 2;
        uint8_t *p = realloc(s->small, cap);
        if (!p) return SLANT_ENOMEM;
        s->small = p; s->cap_small = cap;
    }
    static const size_t len_edges[] = {4, 8, 13, 20, 30, 45};
    static const size_t sent_edges[] = {1, 2, 4, 8, 16, 32};
    uint64_t none = OUTSIDE;
    uint64_t mnone = mix64(none);
    uint64_t *out = s->hashes;
    uint8_t *sm = s->small;
    for (size_t si = 0; si < d->n_sentences; si++) {
        const tok_sentence *sn = &d->sentences[si];
        size_t first = sn->first, last = sn->last, len = last - first;
        sentence_cues_t q;
        sentence_cues(c, text, d, si, &q);
        uint8_t sent_punct = (uint8_t)(q.excl | q.quest << 1 | (q.quotes > 0) << 2);
        uint8_t persons = (uint8_t)(q.p1 | q.p2 << 1);
        /* The sentence scorer's view, in ten bins (stacked: see tagger_train.c). */
        size_t sbin = sentence_score ? (size_t)(sentence_score[si] * 10.0f) : 0;
        if (sbin > 9) sbin = 9;
        int title = si == 0;   /* line 1 of a corpus article is its title */
        uint64_t first_word = c->lower[first];
        uint8_t sent_small[5] = {(uint8_t)(S_SLEN + bucket(len, len_edges, 6)),
                                 (uint8_t)(S_SPUNCT + sent_punct), (uint8_t)(S_PERS + persons),
                                 (uint8_t)(S_SIDX + bucket(si, sent_edges, 6)),
                                 (uint8_t)(S_TITLE + title)};
        uint64_t f33[2] = {feat2(33, first_word, 0), feat2(33, first_word, 1)};
        size_t last_quote = (size_t)-1;

        for (size_t t = first; t < last; t++) {
            s->offs[t] = (uint32_t)(out - s->hashes);
            const tok_token *k = &d->tokens[t];
            size_t pos = t - first;
            size_t posb = pos == 0 ? 0 : pos == len - 1 ? 1 : 2 + 5 * pos / len;
            if (is_quote(text + k->start, k->end - k->start)) last_quote = t;
            size_t qdist = last_quote == (size_t)-1 ? 9 : t - last_quote > 8 ? 8 : t - last_quote;
            uint8_t inq = c->in_quote[t], fl = c->flags[t];
            uint8_t small[FEAT_SMALL_PER_TOKEN] = {
                S_BIAS, (uint8_t)(S_INQ + inq), (uint8_t)(S_POS + posb),
                sent_small[0], sent_small[1], sent_small[2], sent_small[3], sent_small[4],
                (uint8_t)(S_REP + (((fl & FLAG_REPEATED) != 0) | ((fl & FLAG_REPEATED3) != 0) << 1)),
                (uint8_t)(S_BREP + ((fl & FLAG_BIGRAM_REPEATED) != 0)), (uint8_t)(S_QDIST + qdist),
                (uint8_t)(S_SBIN + sbin), (uint8_t)(S_SBIN_POS + sbin * 7 + posb),
                (uint8_t)(S_SBIN_INQ + sbin * 2 + inq)};
            uint64_t lw2 = c->lower[t], lw3 = t + 1 < T ? c->lower[t + 1] : none;
            uint64_t mlw1 = t > 0 ? c->mlow[t - 1] : mnone, mlw2 = c->mlow[t];   /* mix64(lower) */
            uint64_t stm1 = t > 0 ? c->stem[t - 1] : none;
            /* feat2(a, b) is written out as feat(mix64(a) ^ b * 31) to reuse mlow. */
            uint64_t big[6] = {feat(13, mlw1 ^ (lw2 * 31)), feat(14, mlw2 ^ (lw3 * 31)),
                               feat(31, mlw2 ^ ((uint64_t)inq * 31)), feat2(32, stm1, c->stem[t]),
                               f33[posb == 0], feat(35, mix64(mlw1 ^ lw2) ^ (lw3 * 31))};
            if (!words) {   /* all but big[2], the word in quotes (feat_word_in_quotes) */
                out[0] = big[0]; out[1] = big[1];
                memcpy(out + 2, big + 3, 3 * sizeof *big);
                out += 5;
                memcpy(sm, small, n_small);
                sm += n_small;
                continue;
            }
            /* Training: every template, in the order the bundled model was
             * trained in. Training sums weights in this order, and L-BFGS
             * carries the last bits of a sum far (dev SI F1 moved by 0.015
             * when only the order changed), so the order is kept for models
             * to be reproducible from one version to the next. */
            uint64_t wf[5][FEAT_WORD_MAX];   /* the window's word templates, t-2 .. t+2 */
            size_t n0 = 0;
            for (int o = -2; o <= 2; o++) {
                long u = (long)t + o;
                size_t n = feat_word(c, r, u >= 0 && (size_t)u < T ? (size_t)u : FEAT_OUTSIDE, o, wf[o + 2]);
                if (o == 0) n0 = n;
            }
            *out++ = c->small_hash[small[0]];                       /* bias */
            for (int o = 0; o < 5; o++) *out++ = wf[o][0];          /* lower, -2..+2 */
            for (int o = 1; o < 4; o++) *out++ = wf[o][1];          /* stem, -1..+1 */
            for (int o = 1; o < 4; o++) *out++ = wf[o][2];          /* shape, -1..+1 */
            *out++ = big[0]; *out++ = big[1];                       /* bigrams */
            for (int i = 3; i < 6; i++) *out++ = wf[2][i];          /* prefix, suffix, kind */
            for (int i = 1; i < 10; i++) *out++ = c->small_hash[small[i]];   /* quotes .. repetition */
            *out++ = wf[2][6];                                      /* all-caps */
            for (int i = 2; i < 5; i++) *out++ = big[i];            /* lower x quotes, stem bigram, first word */
            *out++ = c->small_hash[small[10]];                      /* quote distance */
            *out++ = big[5];                                        /* trigram */
            for (size_t i = 11; i < n_small; i++) *out++ = c->small_hash[small[i]];   /* sentence score */
            for (size_t i = 7; i < n0; i++) *out++ = wf[2][i];      /* clusters */
        }
    }
    s->n = (size_t)(out - s->hashes);
    s->offs[T] = (uint32_t)s->n;
    return SLANT_OK;
}

slant_status feat_tokens(feat_ctx *c, const feat_resources *r, const char *text,
                         const tok_doc *d, const float *sentence_score, feat_seq *s) {
    return token_features(c, r, text, d, sentence_score, s, 1);
}

slant_status feat_context(feat_ctx *c, const char *text, const tok_doc *d,
                          const float *sentence_score, feat_seq *s) {
    return token_features(c, NULL, text, d, sentence_score, s, 0);
}

slant_status feat_extract(feat_ctx *c, const feat_resources *r, const char *text,
                          const tok_doc *d, feat_seq *s) {
    slant_status st = feat_prepare(c, text, d);
    return st == SLANT_OK ? feat_tokens(c, r, text, d, NULL, s) : st;
}
