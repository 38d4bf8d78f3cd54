/*
 * The scores of metrics.c against an independent, deliberately plain
 * reimplementation of the official scorer (tools/task-SI_scorer.py): every
 * span becomes the set of its code point indices (a byte map here, a
 * Python set there), merged incrementally with any set it intersects, and
 * every (pred, gold) pair of an article adds |s&t|/|s| and |s&t|/|t|.
 *
 * On the PTC dev set (env SLANT_PTC, e.g. /work/shared/data/ptc; skipped
 * when unset) it scores the gold against itself and deterministic
 * perturbations of it. Random small fixtures run always.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "labels.h"
#include "metrics.h"

#define EPS 1e-6

/* ---- reference scorer ---- */

typedef struct {
    int group;             /* technique for FLC, 0 for SI */
    unsigned char *in;     /* in[i] = 1 iff code point i is in the set; L bytes */
    size_t lo, hi;         /* no member outside [lo,hi): only bounds the scans */
} ref_set;

typedef struct {
    ref_set *sets; size_t len, cap;
} ref_side;

static size_t set_size(const ref_set *s) {
    size_t n = 0;
    for (size_t i = s->lo; i < s->hi; i++) n += s->in[i];
    return n;
}

static size_t set_inter(const ref_set *a, const ref_set *b) {
    size_t n = 0, lo = a->lo > b->lo ? a->lo : b->lo, hi = a->hi < b->hi ? a->hi : b->hi;
    for (size_t i = lo; i < hi; i++) n += a->in[i] & b->in[i];
    return n;
}

/* Adds [start,end) as a new set, then, like merge_spans, repeatedly unions
 * the newest set into any other set of its group that it intersects. */
static void ref_add(ref_side *side, int group, uint32_t start, uint32_t end, size_t L) {
    if (side->len == side->cap) {
        side->cap = side->cap ? side->cap * 2 : 16;
        side->sets = realloc(side->sets, side->cap * sizeof *side->sets);
    }
    ref_set s = {group, calloc(L, 1), start, end};
    for (uint32_t i = start; i < end; i++) s.in[i] = 1;
    side->sets[side->len++] = s;
    size_t cur = side->len - 1;
    for (;;) {
        size_t j, found = (size_t)-1;
        for (j = 0; j < side->len; j++)
            if (j != cur && side->sets[j].group == side->sets[cur].group &&
                set_inter(&side->sets[j], &side->sets[cur]) > 0) { found = j; break; }
        if (found == (size_t)-1) break;
        ref_set *into = &side->sets[found], *from = &side->sets[cur];
        for (size_t i = from->lo; i < from->hi; i++) into->in[i] |= from->in[i];
        if (from->lo < into->lo) into->lo = from->lo;
        if (from->hi > into->hi) into->hi = from->hi;
        free(side->sets[cur].in);
        memmove(&side->sets[cur], &side->sets[cur + 1], (side->len - cur - 1) * sizeof *side->sets);
        side->len--;
        cur = found > cur ? found - 1 : found;
    }
}

static void ref_clear(ref_side *side) {
    for (size_t i = 0; i < side->len; i++) free(side->sets[i].in);
    side->len = 0;
}

static int cmp_by_id(const void *a, const void *b) {
    return strcmp(((const lab_span *)a)->id, ((const lab_span *)b)->id);
}

/* Scores pred against gold, by_technique = FLC. Fills P, R, F1, counts. */
static void ref_score(const lab_list *pred, const lab_list *gold, int by_technique, metric_prf *m) {
    lab_span *p = malloc((pred->len + 1) * sizeof *p), *g = malloc((gold->len + 1) * sizeof *g);
    if (pred->len) memcpy(p, pred->items, pred->len * sizeof *p);
    if (gold->len) memcpy(g, gold->items, gold->len * sizeof *g);
    qsort(p, pred->len, sizeof *p, cmp_by_id);
    qsort(g, gold->len, sizeof *g, cmp_by_id);
    ref_side sp = {0}, sg = {0};
    double p_num = 0, r_num = 0;
    size_t n_pred = 0, n_gold = 0, i = 0, j = 0;
    while (i < pred->len || j < gold->len) {
        const char *id = i == pred->len ? g[j].id
                       : j == gold->len ? p[i].id
                       : strcmp(p[i].id, g[j].id) <= 0 ? p[i].id : g[j].id;
        size_t i_end = i, j_end = j, L = 1;
        while (i_end < pred->len && strcmp(p[i_end].id, id) == 0) {
            if (p[i_end].end + (size_t)1 > L) L = p[i_end].end + (size_t)1;
            i_end++;
        }
        while (j_end < gold->len && strcmp(g[j_end].id, id) == 0) {
            if (g[j_end].end + (size_t)1 > L) L = g[j_end].end + (size_t)1;
            j_end++;
        }
        for (size_t k = i; k < i_end; k++) ref_add(&sp, by_technique ? p[k].technique : 0, p[k].start, p[k].end, L);
        for (size_t k = j; k < j_end; k++) ref_add(&sg, by_technique ? g[k].technique : 0, g[k].start, g[k].end, L);
        for (size_t a = 0; a < sp.len; a++)
            for (size_t b = 0; b < sg.len; b++) {
                if (sp.sets[a].group != sg.sets[b].group) continue;
                double inter = (double)set_inter(&sp.sets[a], &sg.sets[b]);
                p_num += inter / (double)set_size(&sp.sets[a]);
                r_num += inter / (double)set_size(&sg.sets[b]);
            }
        n_pred += sp.len;
        n_gold += sg.len;
        ref_clear(&sp);
        ref_clear(&sg);
        i = i_end;
        j = j_end;
    }
    memset(m, 0, sizeof *m);
    m->n_pred = n_pred;
    m->n_gold = n_gold;
    m->p_sum = p_num;
    m->r_sum = r_num;
    m->precision = n_pred ? p_num / (double)n_pred : 0;
    m->recall = n_gold ? r_num / (double)n_gold : 0;
    m->f1 = n_pred == 0 && n_gold == 0 ? 1.0 : 0;
    if (m->precision > 0 && m->recall > 0)
        m->f1 = 2 * (m->precision * m->recall / (m->precision + m->recall));
    free(sp.sets);
    free(sg.sets);
    free(p);
    free(g);
}

/* Checks metric_si (or metric_flc) against the reference. */
static void compare(const char *what, const lab_list *pred, const lab_list *gold, int flc) {
    metric_prf got, want;
    if (flc) CHECK_EQ_INT(metric_flc(pred, gold, &got, NULL), SLANT_OK);
    else CHECK_EQ_INT(metric_si(pred, gold, &got), SLANT_OK);
    ref_score(pred, gold, flc, &want);
    fprintf(stderr, "  %-34s P=%.6f R=%.6f F1=%.6f (pred %zu, gold %zu)\n", what,
            got.precision, got.recall, got.f1, got.n_pred, got.n_gold);
    CHECK_NEAR(got.precision, want.precision, EPS);
    CHECK_NEAR(got.recall, want.recall, EPS);
    CHECK_NEAR(got.f1, want.f1, EPS);
    CHECK_EQ_INT(got.n_pred, want.n_pred);
    CHECK_EQ_INT(got.n_gold, want.n_gold);
}

/* ---- perturbations (deterministic) ---- */

typedef void (*perturb_fn)(const lab_span *in, size_t i, lab_list *out);

static void push(lab_list *out, const lab_span *s, uint32_t start, uint32_t end) {
    if (start >= end) return;
    lab_span t = *s;
    t.start = start;
    t.end = end;
    lab_list_push(out, &t);
}

/* shift by (i mod 7) - 3 code points */
static void shift(const lab_span *s, size_t i, lab_list *out) {
    long d = (long)(i % 7) - 3;
    long a = (long)s->start + d, b = (long)s->end + d;
    if (a < 0) a = 0;
    push(out, s, (uint32_t)a, (uint32_t)b);
}

/* cut a quarter off each end (keeping at least one code point) */
static void shrink(const lab_span *s, size_t i, lab_list *out) {
    (void)i;
    uint32_t q = (s->end - s->start) / 4;
    push(out, s, s->start + q, s->end - q > s->start + q ? s->end - q : s->start + q + 1);
}

/* keep every other span */
static void halve(const lab_span *s, size_t i, lab_list *out) {
    if (i % 2 == 0) push(out, s, s->start, s->end);
}

/* widen by 40 on both sides: neighbours overlap and merge */
static void widen(const lab_span *s, size_t i, lab_list *out) {
    (void)i;
    push(out, s, s->start > 40 ? s->start - 40 : 0, s->end + 40);
}

/* split into two touching halves, which must not merge */
static void split(const lab_span *s, size_t i, lab_list *out) {
    (void)i;
    uint32_t mid = s->start + (s->end - s->start) / 2;
    push(out, s, s->start, mid);
    push(out, s, mid, s->end);
}

/* duplicate every span, and predict spans in an article with no gold */
static void duplicate(const lab_span *s, size_t i, lab_list *out) {
    push(out, s, s->start, s->end);
    push(out, s, s->start, s->end);
    if (i % 5 == 0) {
        lab_span t = *s;
        snprintf(t.id, sizeof t.id, "999999999");
        push(out, &t, s->start, s->end);
    }
}

/* FLC: rotate the technique of every third span, shift every fourth */
static void relabel(const lab_span *s, size_t i, lab_list *out) {
    lab_span t = *s;
    if (i % 3 == 0) t.technique = (t.technique + 1) % SLANT_N_TECHNIQUES;
    if (i % 4 == 0) push(out, &t, t.start + 2, t.end + 5);
    else push(out, &t, t.start, t.end);
}

static lab_list perturbed(const lab_list *gold, perturb_fn f) {
    lab_list out;
    lab_list_init(&out);
    for (size_t i = 0; i < gold->len; i++) f(&gold->items[i], i, &out);
    return out;
}

/* ---- tests ---- */

static int load_dev(lab_list *si, lab_list *tc) {
    const char *root = getenv("SLANT_PTC");
    char path[1024];
    slant_error err;
    lab_list_init(si);
    lab_list_init(tc);
    if (!root || !*root) return 0;
    snprintf(path, sizeof path, "%s/dev/SI.labels", root);
    if (lab_read(path, LAB_SI, si, &err) != SLANT_OK) return 0;
    snprintf(path, sizeof path, "%s/dev/TC.labels", root);
    if (lab_read(path, LAB_TC, tc, &err) != SLANT_OK) { lab_list_fini(si); return 0; }
    return 1;
}

#define NEED_DEV(si, tc) do { if (!load_dev(&si, &tc)) \
    SKIP("set SLANT_PTC to the PTC corpus folder (with dev/SI.labels, dev/TC.labels) to run"); } while (0)

static void dev_gold_should_score_one_against_itself(void) {
    lab_list si, tc;
    metric_prf m, per[SLANT_N_TECHNIQUES];
    double acc;
    slant_error err;
    NEED_DEV(si, tc);
    CHECK_EQ_INT(metric_si(&si, &si, &m), SLANT_OK);
    CHECK_NEAR(m.f1, 1, 1e-12);
    CHECK_EQ_INT(metric_flc(&tc, &tc, &m, per), SLANT_OK);
    CHECK_NEAR(m.f1, 1, 1e-12);
    for (int t = 0; t < SLANT_N_TECHNIQUES; t++) CHECK_NEAR(per[t].f1, 1, 1e-12);
    CHECK_EQ_INT(metric_tc(&tc, &tc, &acc, per, &err), SLANT_OK);
    CHECK_NEAR(acc, 1, 1e-12);
    compare("SI gold vs itself", &si, &si, 0);
    lab_list_fini(&si);
    lab_list_fini(&tc);
}

static void dev_si_gold_should_equal_merged_tc_gold(void) {
    lab_list si, tc;
    metric_prf m;
    NEED_DEV(si, tc);
    /* SI.labels is TC.labels without techniques, overlaps merged */
    CHECK_EQ_INT(metric_si(&tc, &si, &m), SLANT_OK);
    CHECK_EQ_INT(m.n_pred, m.n_gold);
    CHECK_NEAR(m.f1, 1, 1e-12);
    compare("TC spans vs SI gold", &tc, &si, 0);
    lab_list_fini(&si);
    lab_list_fini(&tc);
}

static void dev_perturbations_should_match_the_reference(void) {
    lab_list si, tc;
    NEED_DEV(si, tc);
    static const struct { const char *name; perturb_fn f; } cases[] = {
        {"SI shifted by -3..+3", shift}, {"SI shrunk by a quarter each side", shrink},
        {"SI every other span", halve}, {"SI widened by 40 (merges)", widen},
        {"SI split in touching halves", split}, {"SI duplicated, extra article", duplicate},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        lab_list p = perturbed(&si, cases[k].f);
        compare(cases[k].name, &p, &si, 0);
        compare(cases[k].name, &si, &p, 0);   /* roles swapped */
        lab_list_fini(&p);
    }
    lab_list p = perturbed(&tc, relabel);
    compare("FLC relabelled and shifted", &p, &tc, 1);
    compare("SI of FLC relabelled and shifted", &p, &si, 0);
    lab_list_fini(&p);
    lab_list q = perturbed(&tc, widen);
    compare("FLC widened by 40", &q, &tc, 1);
    lab_list_fini(&q);
    lab_list_fini(&si);
    lab_list_fini(&tc);
}

static void dev_tc_accuracy_should_count_relabelled_spans(void) {
    lab_list si, tc;
    NEED_DEV(si, tc);
    lab_list p;
    lab_list_init(&p);
    size_t changed = 0;
    for (size_t i = 0; i < tc.len; i++) {
        lab_span s = tc.items[i];
        if (i % 3 == 0) { s.technique = (s.technique + 1) % SLANT_N_TECHNIQUES; changed++; }
        lab_list_push(&p, &s);
    }
    /* A relabelled span may still be right when the same span also carries
     * its new technique in gold: count exact multiset matches per span. */
    size_t correct = 0;
    unsigned char *used = calloc(tc.len, 1);
    for (size_t i = 0; i < p.len; i++)
        for (size_t j = 0; j < tc.len; j++)
            if (!used[j] && strcmp(p.items[i].id, tc.items[j].id) == 0 &&
                p.items[i].start == tc.items[j].start && p.items[i].end == tc.items[j].end &&
                p.items[i].technique == tc.items[j].technique) { used[j] = 1; correct++; break; }
    free(used);
    double acc;
    slant_error err;
    CHECK_EQ_INT(metric_tc(&p, &tc, &acc, NULL, &err), SLANT_OK);
    CHECK_NEAR(acc, (double)correct / (double)tc.len, 1e-12);
    CHECK(correct >= tc.len - changed && correct < tc.len);
    fprintf(stderr, "  TC with every third span relabelled: accuracy %.6f\n", acc);
    lab_list_fini(&p);
    lab_list_fini(&si);
    lab_list_fini(&tc);
}

/* xorshift: fixed seed, same fixtures on every run */
static uint32_t rng_state = 2463534242u;
static uint32_t rnd(uint32_t n) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state % n;
}

static void random_list(lab_list *l, size_t n) {
    for (size_t i = 0; i < n; i++) {
        lab_span s;
        memset(&s, 0, sizeof s);
        snprintf(s.id, sizeof s.id, "%u", 1 + rnd(4));
        s.technique = (int)rnd(3);
        s.start = rnd(60);
        s.end = s.start + 1 + rnd(rnd(2) ? 4 : 25);
        lab_list_push(l, &s);
    }
}

static void random_fixtures_should_match_the_reference(void) {
    for (int round = 0; round < 300; round++) {
        lab_list p, g;
        lab_list_init(&p);
        lab_list_init(&g);
        random_list(&p, rnd(12));
        random_list(&g, rnd(12));
        metric_prf got, want;
        for (int flc = 0; flc < 2; flc++) {
            if (flc) metric_flc(&p, &g, &got, NULL);
            else metric_si(&p, &g, &got);
            ref_score(&p, &g, flc, &want);
            CHECK_NEAR(got.precision, want.precision, 1e-12);
            CHECK_NEAR(got.recall, want.recall, 1e-12);
            CHECK_NEAR(got.f1, want.f1, 1e-12);
            CHECK_EQ_INT(got.n_pred, want.n_pred);
            CHECK_EQ_INT(got.n_gold, want.n_gold);
        }
        lab_list_fini(&p);
        lab_list_fini(&g);
    }
}

int main(void) {
    TEST(random_fixtures_should_match_the_reference);
    TEST(dev_gold_should_score_one_against_itself);
    TEST(dev_si_gold_should_equal_merged_tc_gold);
    TEST(dev_perturbations_should_match_the_reference);
    TEST(dev_tc_accuracy_should_count_relabelled_spans);
    return test_summary("test_corpus_scorer");
}
