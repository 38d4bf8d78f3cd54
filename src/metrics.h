/*
 * The official scores of SemEval-2020 Task 11 (Da San Martino et al. 2020).
 * SI: per article, overlapping spans (sharing at least one character) are
 * merged on each side; P = sum_{s in pred, t in gold} |s&t|/|s| / |pred|,
 * R = sum |s&t|/|t| / |gold|, both summed over all articles before dividing;
 * F1 = 2PR/(P+R), 0 when P+R == 0 but 1 when neither side has a span;
 * P (R) is 0 when there are no predicted (gold) spans. Predicted articles
 * absent from gold count in |pred| and earn nothing. FLC: the same,
 * counting a pair only when techniques match, merging only within one
 * technique. TC: gold and predicted spans are matched
 * by (id,start,end); micro-F1 = accuracy. metrics.c lists every rule with
 * the function of the official scorer it follows.
 */
#ifndef SLANT_METRICS_H
#define SLANT_METRICS_H

#include "labels.h"

typedef struct {
    double precision, recall, f1;
    double p_sum, r_sum;       /* numerators: summed overlap ratios */
    size_t n_pred, n_gold;     /* denominators, after merging */
} metric_prf;

/* SI score. Techniques in pred/gold are ignored. */
slant_status metric_si(const lab_list *pred, const lab_list *gold, metric_prf *out);

/* FLC score, overall and per technique (per_tech may be NULL). */
slant_status metric_flc(const lab_list *pred, const lab_list *gold,
                        metric_prf *out, metric_prf per_tech[SLANT_N_TECHNIQUES]);

/* TC score: every gold span must have exactly one prediction with the same
 * (id,start,end) and vice versa, else SLANT_EINVAL with err naming the
 * first unmatched span. accuracy = micro-F1; per-technique P/R/F1. */
slant_status metric_tc(const lab_list *pred, const lab_list *gold,
                       double *accuracy, metric_prf per_tech[SLANT_N_TECHNIQUES],
                       slant_error *err);

/* metric_tc naming the two sides in err (err->file is pred_name or
 * gold_name, err->line the unmatched span's line), e.g. their file paths. */
slant_status metric_tc_named(const lab_list *pred, const char *pred_name,
                             const lab_list *gold, const char *gold_name,
                             double *accuracy, metric_prf per_tech[SLANT_N_TECHNIQUES],
                             slant_error *err);

#endif
