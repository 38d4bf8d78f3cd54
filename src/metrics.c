/*
 * Official scores of SemEval-2020 Task 11 (metrics.h): SI and FLC span
 * scores with partial credit, TC accuracy. Does not read files nor check
 * spans against article lengths (labels.c).
 *
 * Notation: a span s = [start,end) stands for the set of code point indices
 * set(range(start,end)), as in the official scorer, so |s| = end-start and
 * |s&t| = max(0, min(ends) - max(starts)). P_num/R_num are the summed
 * overlap ratios, N_pred/N_gold the span counts after merging.
 *
 * Rules, as in tools/task-SI_scorer.py and tools/task-TC_scorer.py of the
 * task (Giovanni Da San Martino, 2019-2020; the copy read was that of
 * github.com/aschern/semeval2020_task11, tools/; the FLC variant is the same
 * compute_score_pr with prop_vs_non_propaganda=False, from the NLP4IF-2019
 * scorer "span_f1_scorer"):
 *  1. Merging. Within one article, spans whose index sets intersect (share at
 *     least one code point) are merged into their union, transitively
 *     (merge_spans). Touching spans, [0,5) and [5,9), do not merge. Identical
 *     duplicates intersect, so they merge into one. The scorer always merges
 *     gold; it merges the submission only with -m and otherwise refuses an
 *     overlapping submission outright. We always merge both sides, i.e. we
 *     score like `task-SI_scorer.py -m`. FLC merges only spans of the same
 *     technique (check_annotation_spans_with_category_matching).
 *  2. Numerators. Over every pair (pred s, gold t) of the same article (and,
 *     for FLC, the same technique): P_num += |s&t|/|s|, R_num += |s&t|/|t|.
 *     A predicted span may earn credit from several gold spans and vice versa.
 *  3. Denominators. N_pred = merged predicted spans over all predicted
 *     articles, N_gold = merged gold spans over all gold articles; gold
 *     articles without predictions count. Sums run over all articles before
 *     dividing (micro, not a mean over articles).
 *  4. Articles predicted but absent from gold: the 2020 scorer looks gold up
 *     with gold_annotations.get(article_id, []) (an older copy raised
 *     KeyError), so their spans count in N_pred and earn nothing. It also
 *     logs an error for them and stops if the submission names more articles
 *     than gold; we score, and leave such warnings to the caller.
 *  5. P = P_num/N_pred, 0 when N_pred = 0; R = R_num/N_gold, 0 when N_gold
 *     = 0; F1 = 1.0 when N_pred = N_gold = 0, 2*(P*R/(P+R)) when P > 0 and
 *     R > 0, else 0 (compute_prec_rec_f1).
 *  6. FLC per technique: the same with counts and sums of that technique
 *     (so a technique absent on both sides gets F1 = 1.0). One deviation:
 *     the scorer's per-technique log line passes the precision numerator as
 *     the recall numerator too (compute_score_pr calls compute_prec_rec_f1
 *     with technique_Spr_prec twice); we use the recall numerator, as the
 *     overall R does. Overall P/R/F1 are unaffected.
 *  7. TC (task-TC_scorer.py): scoring is refused unless both sides hold the
 *     same articles and, per article, the same multiset of spans
 *     (compare_annotations_identical). Labels of identical spans are then
 *     paired to maximise matches (align_annotations), and micro P = R = F1
 *     = accuracy (sklearn). Per-technique P/R/F1 are sklearn's: 0 where a
 *     denominator is 0 (including F1 for a technique absent on both sides).
 * Sums are accumulated in a different order from the Python dict walk, so
 * results agree with it to rounding (about 1e-15), not bit for bit.
 */
#include <stdlib.h>
#include <string.h>
#include "metrics.h"
#include "status.h"

/* ---- spans as sorted, merged intervals ---- */

typedef struct {
    const char *id;      /* article id, borrowed from the lab_list */
    int group;           /* technique for FLC/TC, 0 for SI */
    uint32_t start, end; /* [start,end) code points */
    uint32_t line;       /* source line, for TC errors */
} ival;

static int cmp_key(const ival *a, const ival *b) {
    int c = strcmp(a->id, b->id);
    if (c) return c;
    return (a->group > b->group) - (a->group < b->group);
}

static int cmp_ival(const void *pa, const void *pb) {
    const ival *a = pa, *b = pb;
    int c = cmp_key(a, b);
    if (c) return c;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end < b->end ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

/* Copies l into a new sorted array (*out, free it); by_technique selects
 * the technique as group, else every span is in group 0. */
static slant_status to_ivals(const lab_list *l, int by_technique, ival **out) {
    *out = NULL;
    if (l->len == 0) return SLANT_OK;
    if (l->len > SIZE_MAX / sizeof(ival)) return SLANT_ENOMEM;
    ival *a = malloc(l->len * sizeof *a);
    if (!a) return SLANT_ENOMEM;
    for (size_t i = 0; i < l->len; i++) {
        const lab_span *s = &l->items[i];
        a[i] = (ival){s->id, by_technique ? s->technique : 0, s->start, s->end, s->line};
    }
    qsort(a, l->len, sizeof *a, cmp_ival);
    *out = a;
    return SLANT_OK;
}

/* Merges, in place, intervals of one key that share a code point; returns
 * the new count. Sorted by start, so one pass suffices: the next interval
 * joins the current one iff it starts before the current end. */
static size_t merge(ival *a, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && cmp_key(&a[k - 1], &a[i]) == 0 && a[i].start < a[k - 1].end) {
            if (a[i].end > a[k - 1].end) a[k - 1].end = a[i].end;
        } else {
            a[k++] = a[i];
        }
    }
    return k;
}

/* ---- SI / FLC ---- */

static void finish_prf(metric_prf *m) {
    double p = 0, r = 0, f1 = 0;
    if (m->n_pred > 0) p = m->p_sum / (double)m->n_pred;
    if (m->n_gold > 0) r = m->r_sum / (double)m->n_gold;
    if (m->n_pred == 0 && m->n_gold == 0) f1 = 1.0;
    if (p > 0 && r > 0) f1 = 2 * (p * r / (p + r));
    m->precision = p;
    m->recall = r;
    m->f1 = f1;
}

/* Adds the overlap ratios of two merged, sorted arrays into out (and into
 * per[group] when per is non-NULL). Within a key both sides are disjoint
 * and sorted, so a two-pointer sweep visits every overlapping pair. */
static void add_overlaps(const ival *p, size_t np, const ival *g, size_t ng,
                         metric_prf *out, metric_prf *per) {
    size_t i = 0, j = 0;
    while (i < np && j < ng) {
        int c = cmp_key(&p[i], &g[j]);
        if (c < 0) { i++; continue; }
        if (c > 0) { j++; continue; }
        uint32_t lo = p[i].start > g[j].start ? p[i].start : g[j].start;
        uint32_t hi = p[i].end < g[j].end ? p[i].end : g[j].end;
        if (lo < hi) {
            double inter = (double)(hi - lo);
            double dp = inter / (double)(p[i].end - p[i].start);
            double dr = inter / (double)(g[j].end - g[j].start);
            out->p_sum += dp;
            out->r_sum += dr;
            if (per && p[i].group >= 0 && p[i].group < SLANT_N_TECHNIQUES) {
                per[p[i].group].p_sum += dp;
                per[p[i].group].r_sum += dr;
            }
        }
        /* the one ending first cannot overlap anything further on the other side */
        if (p[i].end <= g[j].end) i++;
        else j++;
    }
}

static slant_status score_spans(const lab_list *pred, const lab_list *gold, int by_technique,
                                metric_prf *out, metric_prf *per) {
    ival *p = NULL, *g = NULL;
    slant_status st;
    memset(out, 0, sizeof *out);
    if (per) memset(per, 0, SLANT_N_TECHNIQUES * sizeof *per);

    if ((st = to_ivals(pred, by_technique, &p)) != SLANT_OK) goto fail;
    if ((st = to_ivals(gold, by_technique, &g)) != SLANT_OK) goto fail;
    size_t np = merge(p, pred->len), ng = merge(g, gold->len);
    out->n_pred = np;
    out->n_gold = ng;
    add_overlaps(p, np, g, ng, out, per);
    finish_prf(out);
    if (per) {
        for (size_t i = 0; i < np; i++)
            if (p[i].group >= 0 && p[i].group < SLANT_N_TECHNIQUES) per[p[i].group].n_pred++;
        for (size_t i = 0; i < ng; i++)
            if (g[i].group >= 0 && g[i].group < SLANT_N_TECHNIQUES) per[g[i].group].n_gold++;
        for (int t = 0; t < SLANT_N_TECHNIQUES; t++) finish_prf(&per[t]);
    }

fail:
    free(p);
    free(g);
    return st;
}

slant_status metric_si(const lab_list *pred, const lab_list *gold, metric_prf *out) {
    return score_spans(pred, gold, 0, out, NULL);
}

slant_status metric_flc(const lab_list *pred, const lab_list *gold,
                        metric_prf *out, metric_prf per_tech[SLANT_N_TECHNIQUES]) {
    return score_spans(pred, gold, 1, out, per_tech);
}

/* ---- TC ---- */

/* Orders by id, span, then technique: equal spans become one run whose
 * labels are sorted, so the maximal pairing is a sorted-list intersection. */
static int cmp_tc(const void *pa, const void *pb) {
    const ival *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    if (c) return c;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end < b->end ? -1 : 1;
    if (a->group != b->group) return a->group < b->group ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

static int same_span(const ival *a, const ival *b) {
    return strcmp(a->id, b->id) == 0 && a->start == b->start && a->end == b->end;
}

static size_t run_end(const ival *a, size_t n, size_t i) {
    size_t k = i + 1;
    while (k < n && same_span(&a[i], &a[k])) k++;
    return k;
}

static slant_status unmatched(slant_error *err, const char *name, const char *other,
                              const ival *s, size_t have, size_t want) {
    if (have == 1 && want == 0)
        return err_set(err, SLANT_EINVAL, name, s->line ? (long)s->line : -1, -1,
                       "span %s [%lu,%lu) has no counterpart in %s: TC scores "
                       "the techniques of exactly the gold spans", s->id,
                       (unsigned long)s->start, (unsigned long)s->end, other);
    return err_set(err, SLANT_EINVAL, name, s->line ? (long)s->line : -1, -1,
                   "span %s [%lu,%lu) appears %zu times here but %zu times in %s",
                   s->id, (unsigned long)s->start, (unsigned long)s->end, have, want, other);
}

slant_status metric_tc_named(const lab_list *pred, const char *pred_name,
                             const lab_list *gold, const char *gold_name,
                             double *accuracy, metric_prf per_tech[SLANT_N_TECHNIQUES],
                             slant_error *err) {
    ival *p = NULL, *g = NULL;
    size_t np = pred->len, ng = gold->len, i = 0, j = 0, correct = 0;
    slant_status st;
    metric_prf per[SLANT_N_TECHNIQUES];
    memset(per, 0, sizeof per);
    *accuracy = 0;

    if ((st = to_ivals(pred, 1, &p)) != SLANT_OK) goto fail;
    if ((st = to_ivals(gold, 1, &g)) != SLANT_OK) goto fail;
    if (np) qsort(p, np, sizeof *p, cmp_tc);
    if (ng) qsort(g, ng, sizeof *g, cmp_tc);

    while (i < np || j < ng) {
        int c = i == np ? 1 : j == ng ? -1 : cmp_tc(&p[i], &g[j]);
        if (c != 0 && i < np && j < ng && same_span(&p[i], &g[j])) c = 0;
        if (c < 0) { st = unmatched(err, pred_name, gold_name, &p[i], 1, 0); goto fail; }
        if (c > 0) { st = unmatched(err, gold_name, pred_name, &g[j], 1, 0); goto fail; }
        size_t pe = run_end(p, np, i), ge = run_end(g, ng, j);
        if (pe - i != ge - j) {
            st = unmatched(err, pred_name, gold_name, &p[i], pe - i, ge - j);
            goto fail;
        }
        for (size_t a = i; a < pe; a++)
            if (p[a].group >= 0 && p[a].group < SLANT_N_TECHNIQUES) per[p[a].group].n_pred++;
        for (size_t b = j; b < ge; b++)
            if (g[b].group >= 0 && g[b].group < SLANT_N_TECHNIQUES) per[g[b].group].n_gold++;
        /* both runs sorted by technique: count the multiset intersection */
        size_t a = i, b = j;
        while (a < pe && b < ge) {
            if (p[a].group < g[b].group) a++;
            else if (p[a].group > g[b].group) b++;
            else {
                if (g[b].group >= 0 && g[b].group < SLANT_N_TECHNIQUES) {
                    per[g[b].group].p_sum += 1;
                    per[g[b].group].r_sum += 1;
                }
                correct++;
                a++;
                b++;
            }
        }
        i = pe;
        j = ge;
    }
    if (ng > 0) *accuracy = (double)correct / (double)ng;
    for (int t = 0; t < SLANT_N_TECHNIQUES; t++) {
        metric_prf *m = &per[t];
        m->precision = m->n_pred ? m->p_sum / (double)m->n_pred : 0;
        m->recall = m->n_gold ? m->r_sum / (double)m->n_gold : 0;
        m->f1 = m->precision + m->recall > 0
                    ? 2 * m->precision * m->recall / (m->precision + m->recall) : 0;
    }
    if (per_tech) memcpy(per_tech, per, sizeof per);

fail:
    free(p);
    free(g);
    if (st == SLANT_ENOMEM) err_set(err, st, NULL, -1, -1, "out of memory");
    return st;
}

slant_status metric_tc(const lab_list *pred, const lab_list *gold,
                       double *accuracy, metric_prf per_tech[SLANT_N_TECHNIQUES],
                       slant_error *err) {
    return metric_tc_named(pred, "prediction", gold, "gold", accuracy, per_tech, err);
}
