/* Memo of distinct tokens (word_memo.h): open addressing, linear probing,
 * at most half full; the tokens' bytes live in one arena. */
#include <stdlib.h>
#include <string.h>
#include "word_memo.h"
#include "util/mix64.h"

#define MAX_TOKEN 64u                        /* longer tokens get no slot */
#define MAX_FILL (WORD_MEMO_SLOTS / 2)
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
};

word_memo *word_memo_new(void) {
    word_memo *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->slots = calloc(WORD_MEMO_SLOTS, sizeof *m->slots);
    m->arena = malloc(ARENA);
    if (!m->slots || !m->arena) { word_memo_free(m); return NULL; }
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
}

uint32_t word_memo_epoch(const word_memo *m) { return m->epoch; }

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

static size_t home(uint64_t key) { return word_memo_home(key); }

void word_memo_prefetch(const word_memo *m, uint64_t key) {
#if defined(__GNUC__)
    __builtin_prefetch(&m->slots[home(key)]);
#else
    (void)m; (void)key;
#endif
}

void word_memo_prefetch_bytes(const word_memo *m, uint64_t key) {
#if defined(__GNUC__)
    const slot *s = &m->slots[home(key)];
    if (s->key == key) __builtin_prefetch(m->arena + s->off);
#else
    (void)m; (void)key;
#endif
}

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
