/* Memo of distinct tokens (word_memo.h): open addressing, linear probing,
 * at most half full; the tokens' bytes live in one arena. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "word_memo.h"
#include "util/mix64.h"

#define AHEAD 16u                            /* tokens between a slot's prefetch and its use */
#define MAX_TOKEN 64u                        /* longer tokens get no slot */
/* Filled to 3/4 before it starts again: linear probing is still short
 * there (about 2.5 probes for a known token), and each start again costs
 * every cached word (on 2,000 distinct news articles, 3/4 instead of 1/2
 * was 3.4% less CPU). */
#define MAX_FILL (WORD_MEMO_SLOTS / 4 * 3)
#define ARENA ((size_t)MAX_FILL * MAX_TOKEN)  /* never full before the slots are */

typedef struct {
    uint64_t key;       /* 0 = empty */
    uint32_t off;       /* the token's bytes in the arena */
    uint32_t len;
} slot;

struct word_memo {
    slot *slots;        /* WORD_MEMO_SLOTS */
    char *arena;        /* ARENA */
    size_t n, used;     /* slots taken, arena bytes used */
    uint32_t epoch;
    uint64_t naming;    /* word_memo_naming */
};

static uint64_t new_naming(void) {
    static atomic_uint_fast64_t next = 1;
    return (uint64_t)atomic_fetch_add(&next, 1);
}

word_memo *word_memo_new(void) {
    word_memo *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->slots = calloc(WORD_MEMO_SLOTS, sizeof *m->slots);
    m->arena = malloc(ARENA);
    if (!m->slots || !m->arena) { word_memo_free(m); return NULL; }
    m->naming = new_naming();
    return m;
}

void word_memo_free(word_memo *m) {
    if (!m) return;
    free(m->slots); free(m->arena);
    free(m);
}

void word_memo_begin(word_memo *m, size_t n_tokens) {
    if (m->n == 0 || m->n + n_tokens <= MAX_FILL) return;
    memset(m->slots, 0, WORD_MEMO_SLOTS * sizeof *m->slots);
    m->n = m->used = 0;
    m->epoch++;
    m->naming = new_naming();
}

uint32_t word_memo_epoch(const word_memo *m) { return m->epoch; }
uint64_t word_memo_naming(const word_memo *m) { return m->naming; }

uint64_t word_memo_key(const char *p, size_t n, unsigned kind) {
    /* Eight bytes at a time (tokens are short; a byte loop was ~3% of all
     * analysis time), the length and kind mixed in. Only ever compared
     * with keys from this same function. */
    uint64_t h = ((uint64_t)n << 8 | kind) * 0x9e3779b97f4a7c15ULL;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        h = mix64(h ^ v);
        p += 8; n -= 8;
    }
    if (n) {
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++) v |= (uint64_t)(unsigned char)p[i] << (8 * i);
        h = mix64(h ^ v);
    }
    h = mix64(h);
    return h ? h : 1;
}

static size_t home(uint64_t key) { return (size_t)(key ^ (key >> 29)) & (WORD_MEMO_SLOTS - 1); }

uint32_t word_memo_find(word_memo *m, uint64_t key, const char *p, size_t n, int *added) {
    *added = 0;
    if (n > MAX_TOKEN) return WORD_MEMO_NONE;
    size_t i = home(key);
    for (const slot *s = &m->slots[i]; s->key; i = (i + 1) & (WORD_MEMO_SLOTS - 1), s = &m->slots[i])
        if (s->key == key && s->len == n && memcmp(m->arena + s->off, p, n) == 0) return (uint32_t)i;
    if (m->n >= MAX_FILL || m->used + n > ARENA) return WORD_MEMO_NONE;
    m->slots[i] = (slot){key, (uint32_t)m->used, (uint32_t)n};
    memcpy(m->arena + m->used, p, n);
    m->used += n;
    m->n++;
    *added = 1;
    return (uint32_t)i;
}

void word_memo_article(word_memo *m, const char *text, const tok_doc *d, uint64_t *keys,
                       uint32_t *slots, uint8_t *added, const void *vals, size_t stride) {
    size_t T = d->n_tokens;
    word_memo_begin(m, T);
    for (size_t t = 0; t < T; t++) {
        const tok_token *k = &d->tokens[t];
        keys[t] = word_memo_key(text + k->start, k->end - k->start, k->kind);
    }
    for (size_t t = 0; t < T; t++) {
#if defined(__GNUC__)
        /* The home slot AHEAD tokens on; the bytes and the caller's values
         * of the token AHEAD / 2 on, whose slot is in cache by then. */
        if (t + AHEAD < T) __builtin_prefetch(&m->slots[home(keys[t + AHEAD])]);
        if (t + AHEAD / 2 < T) {
            size_t h = home(keys[t + AHEAD / 2]);
            if (m->slots[h].key == keys[t + AHEAD / 2]) __builtin_prefetch(m->arena + m->slots[h].off);
            if (vals) __builtin_prefetch((const char *)vals + h * stride);
        }
#else
        (void)vals; (void)stride;
#endif
        const tok_token *k = &d->tokens[t];
        int a;
        slots[t] = word_memo_find(m, keys[t], text + k->start, k->end - k->start, &a);
        added[t] = (uint8_t)a;
    }
}
