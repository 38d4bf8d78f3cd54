/*
 * Tests of the official SemEval-2020 Task 11 scores (metrics.c), one case
 * per rule of the scorer, each with its expected numbers worked out by hand
 * in the comment above it. Notation: "1:[0,10)" is a span of article 1;
 * P = sum |s&t|/|s| / N_pred, R = sum |s&t|/|t| / N_gold after merging.
 */
#include <string.h>
#include "test.h"
#include "labels.h"
#include "metrics.h"

#define EPS 1e-9

static lab_list make(const char *text, lab_kind kind) {
    lab_list l;
    slant_error err;
    lab_list_init(&l);
    slant_status st = lab_parse(text, strlen(text), "fixture", kind, &l, &err);
    if (st != SLANT_OK) fprintf(stderr, "  fixture: line %ld: %s\n", err.line, err.message);
    CHECK_EQ_INT(st, SLANT_OK);
    return l;
}

/* Scores SI of two fixtures and checks P, R, F1 and the merged counts. */
static void check_si(const char *pred, const char *gold, double p, double r, double f1,
                     size_t n_pred, size_t n_gold) {
    lab_list lp = make(pred, LAB_SI), lg = make(gold, LAB_SI);
    metric_prf m;
    CHECK_EQ_INT(metric_si(&lp, &lg, &m), SLANT_OK);
    CHECK_NEAR(m.precision, p, EPS);
    CHECK_NEAR(m.recall, r, EPS);
    CHECK_NEAR(m.f1, f1, EPS);
    CHECK_EQ_INT(m.n_pred, n_pred);
    CHECK_EQ_INT(m.n_gold, n_gold);
    lab_list_fini(&lp);
    lab_list_fini(&lg);
}

/* ---- SI ---- */

/* 1:[0,10) vs 1:[0,10): P = 10/10 = 1, R = 1, F1 = 1. */
static void si_should_give_one_for_identical_spans(void) {
    check_si("1\t0\t10\n", "1\t0\t10\n", 1, 1, 1, 1, 1);
}

/* pred [5,15), gold [0,10): |s&t| = 5; P = 5/10, R = 5/10, F1 = 0.5. */
static void si_should_give_partial_credit_for_partial_overlap(void) {
    check_si("1\t5\t15\n", "1\t0\t10\n", 0.5, 0.5, 0.5, 1, 1);
}

/* pred [2,4) inside gold [0,10): P = 2/2 = 1, R = 2/10 = 0.2,
 * F1 = 2*(1*0.2/1.2) = 1/3. */
static void si_should_divide_by_each_sides_own_length(void) {
    check_si("1\t2\t4\n", "1\t0\t10\n", 1, 0.2, 1.0 / 3, 1, 1);
}

/* pred [0,6) and [4,10) share 4,5 -> one span [0,10); gold [0,10):
 * P = R = 1 with N_pred = 1 (unmerged, R would be (6/10+6/10)/1 = 1.2). */
static void si_should_merge_overlapping_predictions(void) {
    check_si("1\t0\t6\n1\t4\t10\n", "1\t0\t10\n", 1, 1, 1, 1, 1);
}

/* gold [0,5) and [3,8) -> [0,8); pred [0,4): P = 4/4 = 1, R = 4/8 = 0.5,
 * F1 = 2*(0.5/1.5) = 2/3; N_gold = 1. */
static void si_should_merge_overlapping_gold(void) {
    check_si("1\t0\t4\n", "1\t0\t5\n1\t3\t8\n", 1, 0.5, 2.0 / 3, 1, 1);
}

/* pred [0,2) and [2,10) only touch: no shared code point, no merge.
 * gold [0,2): P = (2/2 + 0/8)/2 = 0.5 (merged it would be 2/10 = 0.2),
 * R = 2/2 = 1, F1 = 2*(0.5/1.5) = 2/3; N_pred = 2. */
static void si_should_not_merge_touching_spans(void) {
    check_si("1\t0\t2\n1\t2\t10\n", "1\t0\t2\n", 0.5, 1, 2.0 / 3, 2, 1);
    /* the same on the gold side: gold [0,2),[2,10); pred [0,2):
     * P = 2/2 = 1, R = (2/2 + 0)/2 = 0.5, F1 = 2/3; N_gold = 2. */
    check_si("1\t0\t2\n", "1\t0\t2\n1\t2\t10\n", 1, 0.5, 2.0 / 3, 1, 2);
}

/* [0,4) and [8,12) are bridged by [3,9) given last: all three -> [0,12).
 * gold [0,6): P = 6/12 = 0.5, R = 6/6 = 1, F1 = 2/3. */
static void si_should_merge_transitively_in_any_order(void) {
    check_si("1\t0\t4\n1\t8\t12\n1\t3\t9\n", "1\t0\t6\n", 0.5, 1, 2.0 / 3, 1, 1);
}

/* three copies of pred [0,4) are one span; gold [0,8): P = 4/4 = 1,
 * R = 4/8 = 0.5, F1 = 2/3; N_pred = 1. */
static void si_should_count_duplicate_spans_once(void) {
    check_si("1\t0\t4\n1\t0\t4\n1\t0\t4\n", "1\t0\t8\n", 1, 0.5, 2.0 / 3, 1, 1);
}

/* article 2 is predicted but has no gold spans: its span counts in N_pred
 * and earns nothing. P = (1 + 0)/2 = 0.5, R = 1, F1 = 2/3. */
static void si_should_count_predictions_for_articles_absent_from_gold(void) {
    check_si("1\t0\t10\n2\t0\t5\n", "1\t0\t10\n", 0.5, 1, 2.0 / 3, 2, 1);
}

/* article 2 has gold but no predictions: P = 1, R = (1 + 0)/2 = 0.5. */
static void si_should_count_gold_of_unpredicted_articles(void) {
    check_si("1\t0\t10\n", "1\t0\t10\n2\t0\t10\n", 1, 0.5, 2.0 / 3, 1, 2);
}

/* no predictions: P = 0 (no denominator), R = 0/1 = 0, F1 = 0. */
static void si_should_give_zero_for_empty_predictions(void) {
    check_si("", "1\t0\t10\n", 0, 0, 0, 0, 1);
}

/* no gold: P = 0/1 = 0, R = 0 (no denominator), F1 = 0. */
static void si_should_give_zero_for_empty_gold(void) {
    check_si("1\t0\t10\n", "", 0, 0, 0, 1, 0);
}

/* neither side has a span: compute_prec_rec_f1 gives F1 = 1.0, P = R = 0. */
static void si_should_give_f1_one_when_both_sides_are_empty(void) {
    check_si("", "", 0, 0, 1, 0, 0);
}

/* Micro over articles. Article 1: gold [0,10), pred [0,5): P += 5/5 = 1,
 * R += 5/10 = 0.5. Article 2: gold [0,4), [10,20), pred [2,12): overlaps
 * 2 and 2 -> P += 2/10 + 2/10 = 0.4, R += 2/4 + 2/10 = 0.7.
 * P = 1.4/2 = 0.7, R = 1.2/3 = 0.4, F1 = 2*(0.28/1.1) = 0.509090...
 * (the mean of per-article F1s, 2/3 and 2*(0.4*0.35/0.75) = 0.37333, would
 * be 0.52). */
static void si_should_sum_over_articles_before_dividing(void) {
    check_si("1\t0\t5\n2\t2\t12\n", "1\t0\t10\n2\t0\t4\n2\t10\t20\n",
             0.7, 0.4, 2 * (0.28 / 1.1), 2, 3);
}

/* ids are strings: "010" and "10" are different articles, so nothing
 * overlaps. P = 0/1, R = 0/1, F1 = 0. */
static void si_should_compare_ids_as_strings(void) {
    check_si("010\t0\t5\n", "10\t0\t5\n", 0, 0, 0, 1, 1);
}

/* SI ignores techniques: TC fixtures merge across techniques. pred
 * Doubt [0,6) + Slogans [4,10) -> [0,10); gold [0,10): P = R = 1. */
static void si_should_ignore_techniques(void) {
    lab_list lp = make("1\tDoubt\t0\t6\n1\tSlogans\t4\t10\n", LAB_TC);
    lab_list lg = make("1\t0\t10\n", LAB_SI);
    metric_prf m;
    CHECK_EQ_INT(metric_si(&lp, &lg, &m), SLANT_OK);
    CHECK_NEAR(m.f1, 1, EPS);
    CHECK_EQ_INT(m.n_pred, 1);
    lab_list_fini(&lp);
    lab_list_fini(&lg);
}

/* ---- FLC ---- */

/* Doubt [0,10) predicted where gold says Slogans [0,10): no pair counts.
 * P = 0/1, R = 0/1, F1 = 0 (SI of the same would be 1). */
static void flc_should_credit_only_matching_techniques(void) {
    lab_list lp = make("1\tDoubt\t0\t10\n", LAB_TC), lg = make("1\tSlogans\t0\t10\n", LAB_TC);
    metric_prf m, per[SLANT_N_TECHNIQUES];
    CHECK_EQ_INT(metric_flc(&lp, &lg, &m, per), SLANT_OK);
    CHECK_NEAR(m.precision, 0, EPS);
    CHECK_NEAR(m.recall, 0, EPS);
    CHECK_NEAR(m.f1, 0, EPS);
    CHECK_EQ_INT(metric_si(&lp, &lg, &m), SLANT_OK);
    CHECK_NEAR(m.f1, 1, EPS);
    lab_list_fini(&lp);
    lab_list_fini(&lg);
}

/* pred: Doubt [0,6), Slogans [4,10), Doubt [5,8). Merging within a
 * technique only: Doubt -> [0,8), Slogans [4,10) stays: N_pred = 2.
 * gold: Doubt [0,8), Slogans [4,10), Loaded [20,30): N_gold = 3.
 * Pairs: Doubt 8/8 both ways, Slogans 6/6 both ways.
 * P = 2/2 = 1, R = 2/3, F1 = 2*((2/3)/(5/3)) = 0.8.
 * Per technique: Doubt and Slogans P = R = F1 = 1 (1 pred, 1 gold);
 * Loaded_Language P = 0 (no pred), R = 0/1, F1 = 0; a technique absent on
 * both sides gets F1 = 1.0 (compute_prec_rec_f1 with 0/0 and 0/0).
 * SI of the same: pred -> [0,10) (N=1), gold -> [0,10), [20,30) (N=2):
 * P = 10/10 = 1, R = (1 + 0)/2 = 0.5, F1 = 2/3. */
static void flc_should_merge_within_each_technique_only(void) {
    lab_list lp = make("1\tDoubt\t0\t6\n1\tSlogans\t4\t10\n1\tDoubt\t5\t8\n", LAB_TC);
    lab_list lg = make("1\tDoubt\t0\t8\n1\tSlogans\t4\t10\n1\tLoaded_Language\t20\t30\n", LAB_TC);
    metric_prf m, per[SLANT_N_TECHNIQUES];
    CHECK_EQ_INT(metric_flc(&lp, &lg, &m, per), SLANT_OK);
    CHECK_EQ_INT(m.n_pred, 2);
    CHECK_EQ_INT(m.n_gold, 3);
    CHECK_NEAR(m.precision, 1, EPS);
    CHECK_NEAR(m.recall, 2.0 / 3, EPS);
    CHECK_NEAR(m.f1, 0.8, EPS);
    int doubt = slant_technique_find("Doubt", 5), slog = slant_technique_find("Slogans", 7);
    int loaded = slant_technique_find("Loaded_Language", 15);
    CHECK_NEAR(per[doubt].f1, 1, EPS);
    CHECK_EQ_INT(per[doubt].n_pred, 1);
    CHECK_NEAR(per[slog].precision, 1, EPS);
    CHECK_NEAR(per[slog].recall, 1, EPS);
    CHECK_NEAR(per[loaded].precision, 0, EPS);
    CHECK_NEAR(per[loaded].recall, 0, EPS);
    CHECK_NEAR(per[loaded].f1, 0, EPS);
    CHECK_EQ_INT(per[loaded].n_gold, 1);
    CHECK_NEAR(per[0].f1, 1, EPS);        /* Appeal_to_Authority: on neither side */
    CHECK_EQ_INT(per[0].n_pred + per[0].n_gold, 0);
    CHECK_EQ_INT(metric_flc(&lp, &lg, &m, NULL), SLANT_OK);   /* per_tech optional */
    CHECK_NEAR(m.f1, 0.8, EPS);
    CHECK_EQ_INT(metric_si(&lp, &lg, &m), SLANT_OK);
    CHECK_NEAR(m.precision, 1, EPS);
    CHECK_NEAR(m.recall, 0.5, EPS);
    CHECK_NEAR(m.f1, 2.0 / 3, EPS);
    lab_list_fini(&lp);
    lab_list_fini(&lg);
}

/* gold Doubt [0,10) and Slogans [5,15) overlap but differ in technique: no
 * merge, N_gold = 2. pred Doubt [0,10): P = 10/10 = 1, R = (1 + 0)/2 = 0.5. */
static void flc_should_not_merge_across_techniques(void) {
    lab_list lp = make("1\tDoubt\t0\t10\n", LAB_TC);
    lab_list lg = make("1\tDoubt\t0\t10\n1\tSlogans\t5\t15\n", LAB_TC);
    metric_prf m;
    CHECK_EQ_INT(metric_flc(&lp, &lg, &m, NULL), SLANT_OK);
    CHECK_EQ_INT(m.n_gold, 2);
    CHECK_NEAR(m.precision, 1, EPS);
    CHECK_NEAR(m.recall, 0.5, EPS);
    lab_list_fini(&lp);
    lab_list_fini(&lg);
}

/* pred Doubt [0,5), gold Doubt [0,10): per Doubt P = 5/5 = 1,
 * R = 5/10 = 0.5, F1 = 2/3. (The official log line would print R = 1/1:
 * it divides the precision numerator by the gold count; see metrics.c.) */
static void flc_per_technique_recall_should_use_gold_lengths(void) {
    lab_list lp = make("1\tDoubt\t0\t5\n", LAB_TC), lg = make("1\tDoubt\t0\t10\n", LAB_TC);
    metric_prf m, per[SLANT_N_TECHNIQUES];
    CHECK_EQ_INT(metric_flc(&lp, &lg, &m, per), SLANT_OK);
    CHECK_NEAR(per[5].precision, 1, EPS);
    CHECK_NEAR(per[5].recall, 0.5, EPS);
    CHECK_NEAR(per[5].f1, 2.0 / 3, EPS);
    CHECK_NEAR(per[5].p_sum, 1, EPS);
    CHECK_NEAR(per[5].r_sum, 0.5, EPS);
    CHECK_NEAR(m.f1, 2.0 / 3, EPS);
    lab_list_fini(&lp);
    lab_list_fini(&lg);
}

/* ---- TC ---- */

/* gold: 1 Doubt [0,5), 1 Slogans [6,9), 2 Loaded [0,3), 2 Loaded [5,8).
 * pred (shuffled): Doubt [0,5) ok, Doubt [6,9) wrong, Loaded [0,3) ok,
 * Name_Calling [5,8) wrong. accuracy = 2/4 = 0.5.
 * Doubt: TP 1, 2 predicted, 1 gold: P = 0.5, R = 1, F1 = 2/3.
 * Slogans: TP 0, 0 predicted, 1 gold: 0, 0, 0.
 * Loaded: TP 1, 1 predicted, 2 gold: P = 1, R = 0.5, F1 = 2/3.
 * Name_Calling: 1 predicted, 0 gold: 0, 0, 0. Others (none): 0, 0, 0. */
static void tc_should_score_accuracy_and_per_technique(void) {
    lab_list lg = make("1\tDoubt\t0\t5\n1\tSlogans\t6\t9\n2\tLoaded_Language\t0\t3\n"
                       "2\tLoaded_Language\t5\t8\n", LAB_TC);
    lab_list lp = make("2\tName_Calling,Labeling\t5\t8\n1\tDoubt\t6\t9\n2\tLoaded_Language\t0\t3\n"
                       "1\tDoubt\t0\t5\n", LAB_TC);
    metric_prf per[SLANT_N_TECHNIQUES];
    double acc = -1;
    slant_error err;
    CHECK_EQ_INT(metric_tc(&lp, &lg, &acc, per, &err), SLANT_OK);
    CHECK_NEAR(acc, 0.5, EPS);
    CHECK_NEAR(per[5].precision, 0.5, EPS);
    CHECK_NEAR(per[5].recall, 1, EPS);
    CHECK_NEAR(per[5].f1, 2.0 / 3, EPS);
    CHECK_EQ_INT(per[5].n_pred, 2);
    CHECK_EQ_INT(per[5].n_gold, 1);
    CHECK_NEAR(per[11].f1, 0, EPS);
    CHECK_EQ_INT(per[11].n_gold, 1);
    CHECK_NEAR(per[8].precision, 1, EPS);
    CHECK_NEAR(per[8].recall, 0.5, EPS);
    CHECK_NEAR(per[9].f1, 0, EPS);
    CHECK_EQ_INT(per[9].n_pred, 1);
    CHECK_NEAR(per[0].f1, 0, EPS);     /* absent on both sides: sklearn gives 0 */
    lab_list_fini(&lp);
    lab_list_fini(&lg);
}

/* One span with two gold techniques: predictions for it are paired with
 * gold labels so that matches are maximal (align_annotations).
 * gold {Doubt, Slogans} on [0,5), pred {Slogans, Doubt}: 2/2 = 1.
 * pred {Slogans, Slogans}: one Slogans matches, accuracy 1/2. */
static void tc_should_pair_labels_of_one_span_at_best(void) {
    lab_list lg = make("1\tDoubt\t0\t5\n1\tSlogans\t0\t5\n", LAB_TC);
    lab_list lp = make("1\tSlogans\t0\t5\n1\tDoubt\t0\t5\n", LAB_TC);
    lab_list lq = make("1\tSlogans\t0\t5\n1\tSlogans\t0\t5\n", LAB_TC);
    double acc;
    slant_error err;
    CHECK_EQ_INT(metric_tc(&lp, &lg, &acc, NULL, &err), SLANT_OK);
    CHECK_NEAR(acc, 1, EPS);
    CHECK_EQ_INT(metric_tc(&lq, &lg, &acc, NULL, &err), SLANT_OK);
    CHECK_NEAR(acc, 0.5, EPS);
    lab_list_fini(&lp);
    lab_list_fini(&lq);
    lab_list_fini(&lg);
}

/* TC refuses to score unless both sides hold the same spans. */
static void tc_should_refuse_mismatched_spans(void) {
    lab_list lg = make("1\tDoubt\t0\t5\n1\tSlogans\t6\t9\n", LAB_TC);
    lab_list moved = make("1\tDoubt\t0\t5\n1\tSlogans\t6\t10\n", LAB_TC);
    lab_list twice = make("1\tDoubt\t0\t5\n1\tDoubt\t0\t5\n1\tSlogans\t6\t9\n", LAB_TC);
    lab_list fewer = make("1\tDoubt\t0\t5\n", LAB_TC);
    double acc;
    slant_error err;
    slant_error_clear(&err);
    /* pred [6,10) (line 2 of pred.tsv) has no gold twin; it sorts after the
     * gold [6,9), which is reported first as missing from pred */
    CHECK_EQ_INT(metric_tc_named(&moved, "pred.tsv", &lg, "gold.tsv", &acc, NULL, &err), SLANT_EINVAL);
    CHECK_STR(err.file, "gold.tsv");
    CHECK_EQ_INT(err.line, 2);
    CHECK(strstr(err.message, "[6,9)") != NULL);
    CHECK(strstr(err.message, "pred.tsv") != NULL);
    CHECK_EQ_INT(metric_tc_named(&twice, "pred.tsv", &lg, "gold.tsv", &acc, NULL, &err), SLANT_EINVAL);
    CHECK_STR(err.file, "pred.tsv");
    CHECK_EQ_INT(err.line, 1);
    CHECK(strstr(err.message, "2 times here but 1") != NULL);
    CHECK_EQ_INT(metric_tc(&fewer, &lg, &acc, NULL, &err), SLANT_EINVAL);
    CHECK_STR(err.file, "gold");
    CHECK_EQ_INT(err.line, 2);
    CHECK_EQ_INT(metric_tc(&lg, &fewer, &acc, NULL, &err), SLANT_EINVAL);
    CHECK_STR(err.file, "prediction");
    lab_list_fini(&lg);
    lab_list_fini(&moved);
    lab_list_fini(&twice);
    lab_list_fini(&fewer);
}

/* unknown techniques ("?", from LAB_TC_ANY) never count as correct */
static void tc_should_count_unknown_predictions_as_wrong(void) {
    lab_list lg = make("1\tDoubt\t0\t5\n1\tSlogans\t6\t9\n", LAB_TC);
    lab_list lp = make("1\t?\t0\t5\n1\tSlogans\t6\t9\n", LAB_TC_ANY);
    double acc;
    slant_error err;
    CHECK_EQ_INT(metric_tc(&lp, &lg, &acc, NULL, &err), SLANT_OK);
    CHECK_NEAR(acc, 0.5, EPS);
    lab_list_fini(&lp);
    lab_list_fini(&lg);
}

int main(void) {
    TEST(si_should_give_one_for_identical_spans);
    TEST(si_should_give_partial_credit_for_partial_overlap);
    TEST(si_should_divide_by_each_sides_own_length);
    TEST(si_should_merge_overlapping_predictions);
    TEST(si_should_merge_overlapping_gold);
    TEST(si_should_not_merge_touching_spans);
    TEST(si_should_merge_transitively_in_any_order);
    TEST(si_should_count_duplicate_spans_once);
    TEST(si_should_count_predictions_for_articles_absent_from_gold);
    TEST(si_should_count_gold_of_unpredicted_articles);
    TEST(si_should_give_zero_for_empty_predictions);
    TEST(si_should_give_zero_for_empty_gold);
    TEST(si_should_give_f1_one_when_both_sides_are_empty);
    TEST(si_should_sum_over_articles_before_dividing);
    TEST(si_should_compare_ids_as_strings);
    TEST(si_should_ignore_techniques);
    TEST(flc_should_credit_only_matching_techniques);
    TEST(flc_should_merge_within_each_technique_only);
    TEST(flc_should_not_merge_across_techniques);
    TEST(flc_per_technique_recall_should_use_gold_lengths);
    TEST(tc_should_score_accuracy_and_per_technique);
    TEST(tc_should_pair_labels_of_one_span_at_best);
    TEST(tc_should_refuse_mismatched_spans);
    TEST(tc_should_count_unknown_predictions_as_wrong);
    return test_summary("test_metrics");
}
