/*
 * slant train: trains the span tagger and, when technique labels are
 * given (TC: id technique start end, in --labels or --tc-labels), the
 * technique classifier, from an article folder and a label file; tunes
 * the tagger's decoding on a dev set, reports the classifier's dev TC
 * accuracy and tunes its FLC runner-up threshold on the tagger's dev spans
 * when dev technique labels are given (--dev-labels or --dev-tc-labels);
 * writes one model file. Never overwrites a file without --force.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "commands.h"
#include "options.h"
#include "corpus.h"
#include "labels.h"
#include "analyze.h"
#include "metrics.h"
#include "model.h"
#include "span_classifier_train.h"
#include "tagger_train.h"
#include "wordclust.h"

typedef struct {
    const char *articles, *labels, *dev_articles, *dev_labels, *output, *name;
    const char *tc_labels, *dev_tc_labels, *clusters, *tagger_from, *tc_vectors, *tagger_vectors;
    double tagger_vector_scale;
    int tagger_vector_window, tagger_vector_words;
    double c1, c2, sentence_c2, prune, tc_c2, tc_class_weight, tc_fragments, tc_vector_scale;
    int tc_vector_words, tc_bias_folds, tc_vector_depth;
    int iterations, min_count, threads, eval_every, force, quiet;
    int tc_iterations, tc_min_count, no_classifier, tagger_groups, tc_groups, report_all;
    int bags, bag_bootstrap, bag_seed, scheme, average_from;
    double bag_fraction, bag_dropout;
} train_args;

#define OFF(f) offsetof(train_args, f)
static const cli_option train_options[] = {
    {"articles", 'a', OPT_STRING, NULL, "training articles: a folder of article<ID>.txt", OFF(articles)},
    {"labels", 'l', OPT_STRING, NULL, "training spans: TC (id technique start end) or SI file/folder", OFF(labels)},
    {"dev-articles", 0, OPT_STRING, NULL, "development articles, for dev scores and tuning", OFF(dev_articles)},
    {"dev-labels", 0, OPT_STRING, NULL, "development spans", OFF(dev_labels)},
    {"output", 'o', OPT_STRING, NULL, "model file to write", OFF(output)},
    {"name", 0, OPT_STRING, "custom", "model name recorded in the file", OFF(name)},
    {"c1", 0, OPT_DOUBLE, "0", "L1 regularisation of the tagger (OWL-QN)", OFF(c1)},
    {"c2", 0, OPT_DOUBLE, "1", "L2 regularisation of the tagger", OFF(c2)},
    {"sentence-c2", 0, OPT_DOUBLE, "0", "L2 of a stacked sentence scorer, e.g. 0.001 (0: none; it did not help on PTC dev)", OFF(sentence_c2)},
    {"clusters", 0, OPT_STRING, NULL, "word clusters from 'slant learn clusters': features of both stages, stored in the model", OFF(clusters)},
    {"prune", 0, OPT_DOUBLE, "0.02", "drop tagger features whose largest |weight| is below this (smaller, faster model)", OFF(prune)},
    {"tagger-groups", 0, OPT_INT, "1", "1: the tagger learns spans (B/I/O); 2: B/I for the techniques of short spans (loaded language, name calling, repetition, slogans) and B/I for the rest; 14: B/I per technique. 2 and 14 need technique labels in --labels (TC format)", OFF(tagger_groups)},
    {"tagger-scheme", 0, OPT_INT, "0", "token labels of the span tagger: 0 = O B I, 1 = O I, 2 = O B I E S", OFF(scheme)},
    {"average-from", 0, OPT_INT, "0", "keep the mean of the tagger's L-BFGS iterates from this iteration on (0: the last iterate)", OFF(average_from)},
    {"bags", 0, OPT_INT, "1", "train this many taggers on resampled articles and keep the mean of their weights (one CRF)", OFF(bags)},
    {"bag-fraction", 0, OPT_DOUBLE, "0", "with --bags: 0 = each bag leaves out one fold; in (0,1] = a random subset of that fraction", OFF(bag_fraction)},
    {"bag-bootstrap", 0, OPT_FLAG, NULL, "with --bags: bootstrap samples (n articles drawn with replacement)", OFF(bag_bootstrap)},
    {"bag-dropout", 0, OPT_DOUBLE, "0", "with --bags: each bag also leaves out this fraction of the features (random per bag)", OFF(bag_dropout)},
    {"bag-seed", 0, OPT_INT, "1", "seed of the bags' resampling", OFF(bag_seed)},
    {"iterations", 0, OPT_INT, "300", "L-BFGS iterations of the tagger", OFF(iterations)},
    {"min-count", 0, OPT_INT, "2", "keep features seen at least this often", OFF(min_count)},
    {"threads", 'j', OPT_INT, "2", "training threads", OFF(threads)},
    {"eval-every", 0, OPT_INT, "10", "dev SI F1 every N iterations (0: only at the end)", OFF(eval_every)},
    {"tc-labels", 0, OPT_STRING, NULL, "technique labels (TC) for the classifier when --labels has none", OFF(tc_labels)},
    {"dev-tc-labels", 0, OPT_STRING, NULL, "dev technique labels (TC) when --dev-labels has none", OFF(dev_tc_labels)},
    {"tc-c2", 0, OPT_DOUBLE, "1e-4", "L2 regularisation of the technique classifier", OFF(tc_c2)},
    {"tc-iterations", 0, OPT_INT, "300", "L-BFGS iterations of the technique classifier", OFF(tc_iterations)},
    {"tc-min-count", 0, OPT_INT, "3", "classifier features: keep those seen in at least this many spans", OFF(tc_min_count)},
    {"tc-groups", 0, OPT_INT, "20479", "classifier feature groups, a bit mask of SPF_* (span_features.h); 20479 = the original groups but clusters, +8192 clusters, +32768 shape cues, +65536 span mean vector (added by --tc-vectors), +131072 sentence mean vector, +262144 mean vector per length class", OFF(tc_groups)},
    {"tc-class-weight", 0, OPT_DOUBLE, "0", "class weights (N / (K n_k))^x for the classifier; 0: none", OFF(tc_class_weight)},
    {"tc-fragments", 0, OPT_DOUBLE, "0", "also train the classifier on the tagger's fragments of the training articles, labelled with the technique of the gold spans they overlap most, at this weight (0: no)", OFF(tc_fragments)},
    {"tc-vectors", 0, OPT_STRING, NULL, "word vectors ('slant learn clusters --vectors', word2vec text): the mean vector of a span becomes classifier features; the vectors are stored in the model", OFF(tc_vectors)},
    {"tc-vector-words", 0, OPT_INT, "0", "read the vectors of only this many words (the file's first, i.e. most frequent; 0: all)", OFF(tc_vector_words)},
    {"tc-vector-depth", 0, OPT_INT, "14", "store one mean vector per word cluster cut to this many bits (needs the model's clusters; 1.3 MB for the news vectors at 14) or, at 0, one per word (7 MB)", OFF(tc_vector_depth)},
    {"tc-vector-scale", 0, OPT_DOUBLE, "3", "weight of the vector features (vectors are scaled to unit length first)", OFF(tc_vector_scale)},
    {"tc-bias-folds", 0, OPT_INT, "0", "shift the classifier's technique biases to maximise its cross-validated accuracy on the training articles with this many folds (0: no; -N: only report the N-fold accuracy)", OFF(tc_bias_folds)},
    {"report-all-techniques", 0, OPT_FLAG, NULL, "report fragments of every technique; by default techniques with 3 or more dev fragments, none of them right, are not reported", OFF(report_all)},
    {"no-classifier", 0, OPT_FLAG, NULL, "train the span tagger only", OFF(no_classifier)},
    {"tagger-from", 0, OPT_STRING, NULL, "take the span tagger (and its clusters) from this model instead of training one", OFF(tagger_from)},
    {"tagger-vectors", 0, OPT_STRING, NULL, "word vectors ('slant learn clusters --vectors'): each word's unit vector, and its neighbours', become real-valued tagger features, folded into the word features when training ends (the model stores no vectors)", OFF(tagger_vectors)},
    {"tagger-vector-window", 0, OPT_INT, "1", "with --tagger-vectors: the vectors of the words at offsets -N..N (0 to 2)", OFF(tagger_vector_window)},
    {"tagger-vector-scale", 0, OPT_DOUBLE, "1", "with --tagger-vectors: the scale of the vector values", OFF(tagger_vector_scale)},
    {"tagger-vector-words", 0, OPT_INT, "0", "with --tagger-vectors: the vectors of only this many words (the file's first, i.e. most frequent; 0: all): each word adds up to 2N+1 rows to the model", OFF(tagger_vector_words)},
    {"force", 'f', OPT_FLAG, NULL, "overwrite the output file if it exists", OFF(force)},
    {"quiet", 'q', OPT_FLAG, NULL, "no progress output", OFF(quiet)},
};
#define N_OPTS (sizeof train_options / sizeof train_options[0])

static const char *usage_text =
    "usage: slant train --articles DIR --labels FILE [--dev-articles DIR --dev-labels FILE] -o MODEL";

static void on_progress(void *ctx, int iter, int max_iter, double loss, double dev_f1) {
    (void)ctx;
    int tty = isatty(2);
    if (dev_f1 >= 0)
        fprintf(stderr, "%siteration %d/%d  loss %.2f  dev SI F1 %.4f%s", tty ? "\r\033[K" : "",
                iter, max_iter, loss, dev_f1, tty ? "" : "\n");
    else if (tty)
        fprintf(stderr, "\r\033[Kiteration %d/%d  loss %.2f", iter, max_iter, loss);
    fflush(stderr);
}

static void on_bag(void *ctx, int bag, int bags, double bag_f1, double mean_f1) {
    (void)ctx;
    if (bag_f1 >= 0)
        fprintf(stderr, "%sbag %d/%d: dev SI F1 %.4f alone, %.4f for the mean of %d bag%s\n",
                isatty(2) ? "\r\033[K" : "", bag, bags, bag_f1, mean_f1, bag, bag > 1 ? "s" : "");
    else
        fprintf(stderr, "%sbag %d/%d trained\n", isatty(2) ? "\r\033[K" : "", bag, bags);
}

static int load_set(const char *articles, const char *labels, corpus *c, lab_list *l,
                    const char *what) {
    slant_error err;
    slant_error_clear(&err);
    slant_status st = corpus_load(c, articles, 0, &err);
    if (st != SLANT_OK) return cli_report(what, st, &err);
    if (c->len == 0) { fprintf(stderr, "slant train: no *.txt articles in %s\n", articles); return EXIT_INPUT; }
    st = lab_read(labels, LAB_AUTO, l, &err);
    if (st == SLANT_OK) st = lab_check_bounds(l, corpus_length_of, c, labels, &err);
    if (st != SLANT_OK) return cli_report(what, st, &err);
    return EXIT_OK;
}


static int has_techniques(const lab_list *l) {
    for (size_t i = 0; i < l->len; i++)
        if (l->items[i].technique >= 0) return 1;
    return 0;
}

/* Reads a TC label file whose spans must lie in c's articles. */
static int load_tc(const char *path, const corpus *c, lab_list *l, const char *what) {
    slant_error err;
    slant_error_clear(&err);
    slant_status st = lab_read(path, LAB_TC, l, &err);
    if (st == SLANT_OK) st = lab_check_bounds(l, corpus_length_of, (void *)c, path, &err);
    return st == SLANT_OK ? EXIT_OK : cli_report(what, st, &err);
}

/* out: each span of pred (SI) that overlaps a span of gold (TC) of its
 * article, with the technique whose gold spans overlap it most (code
 * points; ties: the lower technique index). */
static slant_status label_fragments(const lab_list *pred, const lab_list *gold, lab_list *out) {
    slant_status st = SLANT_OK;
    for (size_t i = 0; i < pred->len && st == SLANT_OK; i++) {
        const lab_span *p = &pred->items[i];
        double ov[SLANT_N_TECHNIQUES] = {0};
        for (size_t j = 0; j < gold->len; j++) {
            const lab_span *g = &gold->items[j];
            if (g->technique < 0 || g->start >= p->end || g->end <= p->start || strcmp(g->id, p->id) != 0) continue;
            uint32_t a = g->start > p->start ? g->start : p->start, b = g->end < p->end ? g->end : p->end;
            ov[g->technique] += (double)(b - a);
        }
        int best = -1;
        for (int k = 0; k < SLANT_N_TECHNIQUES; k++) if (ov[k] > 0 && (best < 0 || ov[k] > ov[best])) best = k;
        if (best < 0) continue;
        lab_span s = *p;
        s.technique = best;
        s.line = 0;
        st = lab_list_push(out, &s);
    }
    return st;
}

/* What the classifier stage did, for the summary and META. */
typedef struct {
    int trained, dev_tc, dev_flc, dev_si;
    sct_report rep;
    double dev_accuracy;
    metric_prf flc, flc_top1;   /* as `slant analyze` gives them; flc_top1: the
                                   fragments with their top technique alone */
    metric_prf si;              /* as `slant analyze` gives it (with dev_si) */
} classifier_report;

/* Dev SI and FLC of the finished model m as `slant analyze` gives them:
 * its spans against si_gold, its fragments against tc_gold unless NULL
 * (then *flc and per_tech are left alone) (all of the analysis: label
 * groups, runner-up techniques, repeated fragments, reported techniques);
 * per_tech (may be NULL) gets the FLC scores per technique. */
static slant_status end_to_end_scores(const slant_model *m, const corpus *dev, const lab_list *si_gold,
                                      const lab_list *tc_gold, metric_prf *si, metric_prf *flc,
                                      metric_prf per_tech[SLANT_N_TECHNIQUES], slant_error *err) {
    analyze_work w;
    lab_list sp, fr;
    lab_list_init(&sp); lab_list_init(&fr);
    slant_status st = analyze_work_init(&w);
    for (size_t a = 0; a < dev->len && st == SLANT_OK; a++) {
        const corpus_article *art = &dev->items[a];
        slant_result *r = NULL;
        if ((st = analyze_loaded(m, &w, &art->text, NULL, &r, err)) != SLANT_OK) break;
        lab_span l;
        memset(&l, 0, sizeof l);
        memcpy(l.id, art->id, LAB_ID_MAX);
        for (size_t i = 0; i < r->n_spans && st == SLANT_OK; i++) {
            l.technique = -1;
            l.start = (uint32_t)r->spans[i].cp_start; l.end = (uint32_t)r->spans[i].cp_end;
            st = lab_list_push(&sp, &l);
        }
        for (size_t i = 0; i < r->n_fragments && st == SLANT_OK; i++) {
            l.technique = r->fragments[i].technique;
            l.start = (uint32_t)r->fragments[i].cp_start; l.end = (uint32_t)r->fragments[i].cp_end;
            st = lab_list_push(&fr, &l);
        }
        slant_result_free(r);
    }
    if (st == SLANT_OK) st = metric_si(&sp, si_gold, si);
    if (st == SLANT_OK && tc_gold) st = metric_flc(&fr, tc_gold, flc, per_tech);
    analyze_work_fini(&w);
    lab_list_fini(&sp); lab_list_fini(&fr);
    return st;
}

/* Trains m->classifier on the technique labels, if any, and scores it on
 * the dev technique labels, if any. */
static int train_classifier(const train_args *a, slant_model *m, const corpus *train,
                            const lab_list *train_gold, const corpus *dev,
                            const lab_list *dev_gold, const word_vectors *tc_vectors,
                            classifier_report *cr) {
    lab_list tc_train, tc_dev, dev_frags;
    lab_list_init(&tc_train); lab_list_init(&tc_dev); lab_list_init(&dev_frags);
    const lab_list *tl = train_gold, *dl = dev_gold;
    const char *tname = a->labels, *dname = a->dev_labels;
    slant_error err;
    slant_error_clear(&err);
    slant_status st = SLANT_OK;
    int rc = EXIT_OK;
    memset(cr, 0, sizeof *cr);
    if (a->no_classifier) goto done;
    if (a->tc_groups <= 0 || ((uint32_t)a->tc_groups & ~(uint32_t)(SPF_ALL | SPF_NONORM))) {
        fprintf(stderr, "slant train: --tc-groups %d is not a mask of feature groups (see span_features.h)\n", a->tc_groups);
        rc = EXIT_INPUT;
        goto done;
    }
    if (!has_techniques(tl)) {
        if (!a->tc_labels) {
            if (!a->quiet) fprintf(stderr, "no technique labels (--tc-labels): the model gets no technique classifier\n");
            goto done;
        }
        if ((rc = load_tc(a->tc_labels, train, &tc_train, "technique labels")) != EXIT_OK) goto done;
        tl = &tc_train; tname = a->tc_labels;
    }
    if (a->dev_articles && !has_techniques(dl)) {
        dl = NULL;
        if (a->dev_tc_labels) {
            if ((rc = load_tc(a->dev_tc_labels, dev, &tc_dev, "dev technique labels")) != EXIT_OK) goto done;
            dl = &tc_dev; dname = a->dev_tc_labels;
        }
    } else if (!a->dev_articles) dl = NULL;

    sct_opts o;
    sct_opts_init(&o);
    o.c2 = a->tc_c2; o.max_iter = a->tc_iterations; o.min_count = a->tc_min_count;
    o.threads = a->threads; o.class_weight_power = a->tc_class_weight;
    o.clusters = m->resources.clusters;
    o.groups = (uint32_t)a->tc_groups;
    o.bias_folds = a->tc_bias_folds;
    spf_vectors vec;
    spf_vectors_init(&vec);
    if (tc_vectors) {
        if (a->tc_vector_depth < 0 || a->tc_vector_depth > 32 || (a->tc_vector_depth && !m->resources.clusters)) {
            fprintf(stderr, "slant train: --tc-vector-depth needs 0..32 and, above 0, word clusters in the model\n");
            rc = EXIT_INPUT;
            goto done;
        }
        st = spf_vectors_from_words(tc_vectors, a->tc_vector_scale, m->resources.clusters, (unsigned)a->tc_vector_depth, &vec);
        if (st != SLANT_OK) goto done;
        o.vectors = &vec;
        o.groups |= SPF_VECTORS;
        if (!a->quiet) fprintf(stderr, "word vectors: %zu %s x %u from %s\n", vec.n, vec.depth ? "clusters" : "words", vec.dim, a->tc_vectors);
    }
    lab_list frag_pred, frag;
    lab_list_init(&frag_pred); lab_list_init(&frag);
    if (a->tc_fragments > 0) {
        if ((st = tagger_predict_corpus(m, train, NULL, TAGGER_PREDICT_FRAGMENTS, &frag_pred)) == SLANT_OK)
            st = label_fragments(&frag_pred, tl, &frag);
        if (st != SLANT_OK) { lab_list_fini(&frag_pred); lab_list_fini(&frag); spf_vectors_fini(&vec); goto done; }
        o.extra = &frag;
        o.extra_weight = a->tc_fragments;
        if (!a->quiet) fprintf(stderr, "tagger fragments of the training articles: %zu, %zu overlapping gold spans\n",
                               frag_pred.len, frag.len);
    }
    if (!a->quiet) fprintf(stderr, "training the technique classifier on %zu spans\n", tl->len);
    st = sct_train(train, tl, tname, &o, &m->classifier, &cr->rep, &err);
    lab_list_fini(&frag_pred); lab_list_fini(&frag);
    spf_vectors_fini(&vec);
    if (st != SLANT_OK) goto done;
    cr->trained = 1;
    if (dl) {
        if ((st = sct_accuracy(m->classifier, m->resources.clusters, dev, dl, dname, &cr->dev_accuracy, &err)) != SLANT_OK) goto done;
        cr->dev_tc = 1;
        if ((st = tagger_predict_corpus(m, dev, NULL, TAGGER_PREDICT_FRAGMENTS, &dev_frags)) != SLANT_OK) goto done;
        if ((st = sct_tune_second(m->classifier, m->resources.clusters, dev, &dev_frags, dl, &cr->flc, &cr->flc_top1, &err)) != SLANT_OK) goto done;
        cr->dev_flc = 1;
    }
    if (a->dev_articles) {
        /* What `slant analyze` scores: the spans with the repeated
         * fragments (dev SI labels, or the technique labels' spans), and
         * the fragments when there are dev technique labels. */
        metric_prf per_tech[SLANT_N_TECHNIQUES];
        if ((st = end_to_end_scores(m, dev, dev_gold, dl, &cr->si, &cr->flc, per_tech, &err)) != SLANT_OK) goto done;
        cr->dev_si = 1;
        if (dl && !a->report_all) {
            /* Then leave out the techniques none of whose dev fragments
             * was right, and score again. */
            m->classifier->reported = sct_reported(per_tech);
            if (m->classifier->reported != SLANT_ALL_TECHNIQUES &&
                (st = end_to_end_scores(m, dev, dev_gold, dl, &cr->si, &cr->flc, NULL, &err)) != SLANT_OK) goto done;
        }
    }
done:
    if (st != SLANT_OK) rc = cli_report("training the technique classifier", st, &err);
    lab_list_fini(&tc_train); lab_list_fini(&tc_dev); lab_list_fini(&dev_frags);
    return rc;
}

/* --tagger-from: *m becomes the model at path without its classifier and
 * META; rep gets its feature count and, with dev data, its dev SI score. */
static slant_status reuse_tagger(const char *path, const corpus *dev, const lab_list *dev_gold,
                                 slant_model **m, tagger_train_report *rep, slant_error *err) {
    slant_model *old = NULL;
    lab_list pred;
    lab_list_init(&pred);
    memset(rep, 0, sizeof *rep);
    slant_status st = slant_model_load(path, &old, err);
    if (st != SLANT_OK) return st;
    span_classifier_free(old->classifier);
    old->classifier = NULL;
    free(old->meta_json);
    old->meta_json = NULL;
    rep->n_feat = old->tagger.n_feat;
    if (dev && (st = tagger_predict_corpus(old, dev, NULL, TAGGER_PREDICT_SPANS, &pred)) == SLANT_OK)
        st = metric_si(&pred, dev_gold, &rep->dev);
    lab_list_fini(&pred);
    if (st != SLANT_OK) { slant_model_free(old); return st; }
    slant_model_free(*m);
    *m = old;
    return SLANT_OK;
}

int cmd_train(int argc, char **argv) {
    train_args a;
    memset(&a, 0, sizeof a);
    int n_pos = 0, rc;
    int pr = opts_parse(train_options, N_OPTS, &a, argc, argv, &n_pos, usage_text, "train");
    if (pr) return pr < 0 ? EXIT_OK : EXIT_INPUT;
    if (n_pos || !a.articles || !a.labels || !a.output || (!a.dev_articles != !a.dev_labels)) {
        fprintf(stderr, "%s\n(see 'slant train --help')\n", usage_text);
        return EXIT_INPUT;
    }
    if (!a.force && access(a.output, F_OK) == 0) {
        fprintf(stderr, "slant train: %s exists; use --force to overwrite it\n", a.output);
        return EXIT_INPUT;
    }
    if (a.threads < 1) a.threads = 1;
    if (a.bags < 1 || a.bags > 100 || !(a.bag_fraction >= 0 && a.bag_fraction <= 1) ||
        !(a.bag_dropout >= 0 && a.bag_dropout < 1)) {
        fprintf(stderr, "slant train: --bags must be 1..100, --bag-fraction in [0,1] and --bag-dropout in [0,1)\n");
        return EXIT_INPUT;
    }
    if (a.tagger_vector_window < 0 || a.tagger_vector_window > 2 || a.tagger_vector_words < 0 ||
        !(a.tagger_vector_scale > 0 && a.tagger_vector_scale < 1e6)) {
        fprintf(stderr, "slant train: --tagger-vector-window must be 0, 1 or 2, --tagger-vector-scale positive and --tagger-vector-words >= 0\n");
        return EXIT_INPUT;
    }
    if (a.tagger_groups != 1 && a.tagger_groups != TAGGER_GROUPS_SHORT_LONG && a.tagger_groups != SLANT_N_TECHNIQUES) {
        fprintf(stderr, "slant train: --tagger-groups must be 1, %d or %d\n", TAGGER_GROUPS_SHORT_LONG, SLANT_N_TECHNIQUES);
        return EXIT_INPUT;
    }
    if (a.scheme < 0 || a.scheme > 2 || (a.scheme != 0 && a.tagger_groups > 1)) {
        fprintf(stderr, "slant train: --tagger-scheme must be 0, 1 or 2 (and 0 with --tagger-groups)\n");
        return EXIT_INPUT;
    }

    if (a.tagger_from && a.tc_vectors && a.tc_vector_depth > 0) {
        /* Per-cluster classifier vectors need the clusters that come with
         * --tagger-from's model: look before the corpus is read. */
        slant_model *old = NULL;
        slant_error lerr;
        if (slant_model_load(a.tagger_from, &old, &lerr) != SLANT_OK) return cli_report("--tagger-from", lerr.status, &lerr);
        size_t n_clusters = old->clusters.n;
        slant_model_free(old);
        if (!n_clusters) {
            fprintf(stderr, "slant train: --tc-vector-depth %d needs word clusters, and %s has none (use --tc-vector-depth 0)\n",
                    a.tc_vector_depth, a.tagger_from);
            return EXIT_INPUT;
        }
    }

    corpus train, dev;
    lab_list train_gold, dev_gold;
    corpus_init(&train); corpus_init(&dev);
    lab_list_init(&train_gold); lab_list_init(&dev_gold);
    slant_model *m = model_new();
    cJSON *meta = NULL;
    char *meta_text = NULL;
    word_vectors *tc_wv = NULL;
    if (!m) { rc = EXIT_INTERNAL; goto done; }
    if ((rc = load_set(a.articles, a.labels, &train, &train_gold, "training data")) != EXIT_OK) goto done;
    if (a.dev_articles && (rc = load_set(a.dev_articles, a.dev_labels, &dev, &dev_gold, "dev data")) != EXIT_OK) goto done;
    if (a.tagger_groups > 1 && !a.tagger_from && !has_techniques(&train_gold)) {
        fprintf(stderr, "slant train: --tagger-groups %d needs technique labels: %s has none (give the TC labels to --labels)\n",
                a.tagger_groups, a.labels);
        rc = EXIT_INPUT;
        goto done;
    }
    if (a.clusters && a.tagger_from) {
        fprintf(stderr, "slant train: --tagger-from brings the tagger's own clusters; drop --clusters\n");
        rc = EXIT_INPUT;
        goto done;
    }
    char clusters_made_by[sizeof ((wc_table *)0)->made_by] = "";
    if (a.clusters) {
        wc_table wt;
        wc_table_init(&wt);
        slant_error cerr;
        slant_error_clear(&cerr);
        slant_status cst = wc_read(a.clusters, &wt, &cerr);
        if (cst == SLANT_OK) {
            feat_clusters fc = wc_table_view(&wt);
            cst = model_set_clusters(m, &fc);
            memcpy(clusters_made_by, wt.made_by, sizeof clusters_made_by);
        }
        wc_table_fini(&wt);
        if (cst != SLANT_OK) { rc = cli_report("word clusters", cst, &cerr); goto done; }
        if (!a.quiet) fprintf(stderr, "word clusters: %zu words from %s\n", m->clusters.n, a.clusters);
    }

    if (a.tc_vectors && !a.no_classifier) {
        /* Checked and read before the tagger trains, so that a bad file or
         * setting fails at once (--tagger-from's clusters are known later). */
        if (a.tc_vector_depth < 0 || a.tc_vector_depth > 32 || (a.tc_vector_depth && !a.clusters && !a.tagger_from)) {
            fprintf(stderr, "slant train: --tc-vector-depth needs 0..32 and, above 0, word clusters (--clusters)\n");
            rc = EXIT_INPUT;
            goto done;
        }
        slant_error verr;
        slant_error_clear(&verr);
        tc_wv = word_vectors_read(a.tc_vectors, a.tc_vector_words > 0 ? (size_t)a.tc_vector_words : 0, &verr);
        if (!tc_wv) { rc = cli_report("the classifier's word vectors", verr.status, &verr); goto done; }
    }

    tagger_train_opts to;
    tagger_train_opts_init(&to);
    to.c1 = a.c1; to.c2 = a.c2; to.max_iter = a.iterations; to.min_count = a.min_count;
    to.threads = a.threads; to.eval_every = a.eval_every;
    to.sentence_c2 = a.sentence_c2;
    to.label_groups = a.tagger_groups;
    to.prune = a.prune;
    to.scheme = a.scheme;
    to.average_from = a.average_from;
    to.bags = a.bags; to.bag_fraction = a.bag_fraction; to.bag_bootstrap = a.bag_bootstrap;
    to.bag_seed = (uint64_t)a.bag_seed;
    to.bag_dropout = a.bag_dropout;
    to.vectors = a.tagger_vectors; to.vector_scale = a.tagger_vector_scale;
    to.vector_window = a.tagger_vector_window;
    to.vector_words = a.tagger_vector_words > 0 ? (size_t)a.tagger_vector_words : 0;
    if (!a.quiet) { to.progress = on_progress; to.bag_done = on_bag; }
    tagger_train_report rep;
    slant_error err;
    slant_error_clear(&err);
    clock_t c0 = clock();
    time_t w0 = time(NULL);
    slant_status st;
    if (a.tagger_from) {
        if (!a.quiet) fprintf(stderr, "span tagger from %s\n", a.tagger_from);
        st = reuse_tagger(a.tagger_from, a.dev_articles ? &dev : NULL, &dev_gold, &m, &rep, &err);
    } else {
        if (!a.quiet) fprintf(stderr, "training the span tagger on %zu articles, %zu spans\n", train.len, train_gold.len);
        st = tagger_train(m, &train, &train_gold, a.dev_articles ? &dev : NULL,
                          a.dev_articles ? &dev_gold : NULL, &to, &rep, &err);
    }
    if (!a.quiet && isatty(2)) fputc('\n', stderr);
    if (st != SLANT_OK) {
        /* A word-vectors file that cannot be read is the user's input;
         * anything else failing in training is ours. */
        rc = cli_report("training", st, &err);
        if (st != SLANT_ENOMEM && st != SLANT_EIO && st != SLANT_EFORMAT) rc = EXIT_INTERNAL;
        goto done;
    }
    classifier_report cr;
    if ((rc = train_classifier(&a, m, &train, &train_gold, &dev, &dev_gold, tc_wv, &cr)) != EXIT_OK) goto done;

    meta = cJSON_CreateObject();
    cJSON_AddStringToObject(meta, "name", a.name);
    cJSON_AddStringToObject(meta, "version", SLANT_VERSION_STRING);
    char stamp[32];
    time_t now = time(NULL);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    cJSON_AddStringToObject(meta, "created", stamp);
    cJSON *opts = cJSON_AddObjectToObject(meta, "training");
    opts_to_json(train_options, N_OPTS, &a, opts);
    cJSON_DeleteItemFromObject(opts, "output");
    cJSON_DeleteItemFromObject(opts, "force");
    cJSON_DeleteItemFromObject(opts, "quiet");
    if (clusters_made_by[0]) cJSON_AddStringToObject(opts, "clusters_made_by", clusters_made_by);
    cJSON_AddNumberToObject(opts, "train_articles", (double)train.len);
    cJSON_AddNumberToObject(opts, "train_spans", (double)train_gold.len);
    cJSON_AddNumberToObject(opts, "train_tokens", (double)rep.n_tokens);
    cJSON_AddNumberToObject(opts, "seconds", difftime(time(NULL), w0));
    cJSON *tag = cJSON_AddObjectToObject(meta, "tagger");
    cJSON_AddStringToObject(tag, "labels", a.tagger_groups == TAGGER_GROUPS_SHORT_LONG ? "O B I for short-span techniques, B I for the rest" :
                                           a.tagger_groups > 1 ? "O B I per technique" :
                            a.scheme == 1 ? "O I" : a.scheme == 2 ? "O B I E S" : "O B I");
    cJSON_AddNumberToObject(tag, "features", (double)rep.n_feat);
    cJSON_AddNumberToObject(tag, "iterations", rep.iterations);
    cJSON_AddNumberToObject(tag, "threshold", m->tagger.decoding.threshold);
    cJSON_AddNumberToObject(tag, "low", m->tagger.decoding.low);
    cJSON_AddNumberToObject(tag, "gap", m->tagger.decoding.gap);
    cJSON_AddNumberToObject(tag, "min_len", m->tagger.decoding.min_len);
    if (rep.has_cv) cJSON_AddNumberToObject(tag, "train_oof_si_f1", rep.cv.f1);
    if (cr.trained) {
        cJSON *tc = cJSON_AddObjectToObject(meta, "classifier");
        cJSON_AddNumberToObject(tc, "spans", (double)cr.rep.n_examples);
        cJSON_AddNumberToObject(tc, "features", (double)cr.rep.n_feat);
        cJSON_AddNumberToObject(tc, "iterations", cr.rep.iterations);
        cJSON_AddNumberToObject(tc, "temperature", cr.rep.temperature);
        cJSON_AddNumberToObject(tc, "holdout_accuracy", cr.rep.holdout_accuracy);
        if (cr.rep.cv_accuracy >= 0) {
            cJSON_AddNumberToObject(tc, "cv_accuracy", cr.rep.cv_accuracy);
            cJSON_AddNumberToObject(tc, "cv_accuracy_bias_tuned", cr.rep.cv_accuracy_tuned);
        }
        cJSON_AddNumberToObject(tc, "second_threshold", m->classifier->second_threshold);
        cJSON *un = cJSON_AddArrayToObject(tc, "unreported");
        for (int k = 0; k < SLANT_N_TECHNIQUES; k++)
            if (!(m->classifier->reported >> k & 1u))
                cJSON_AddItemToArray(un, cJSON_CreateString(slant_technique_get(k)->name));
    }
    if (a.dev_articles) {
        cJSON *dv = cJSON_AddObjectToObject(meta, "dev");
        if (cr.dev_tc) cJSON_AddNumberToObject(dv, "tc_accuracy", cr.dev_accuracy);
        if (cr.dev_flc) {
            cJSON_AddNumberToObject(dv, "flc_precision", cr.flc.precision);
            cJSON_AddNumberToObject(dv, "flc_recall", cr.flc.recall);
            cJSON_AddNumberToObject(dv, "flc_f1", cr.flc.f1);
            cJSON_AddNumberToObject(dv, "flc_f1_top1", cr.flc_top1.f1);
        }
        cJSON_AddNumberToObject(dv, "articles", (double)dev.len);
        const metric_prf *si = cr.dev_si ? &cr.si : &rep.dev;
        cJSON_AddNumberToObject(dv, "si_precision", si->precision);
        cJSON_AddNumberToObject(dv, "si_recall", si->recall);
        cJSON_AddNumberToObject(dv, "si_f1", si->f1);
        if (cr.dev_si) cJSON_AddNumberToObject(dv, "si_f1_tagger", rep.dev.f1);
    }
    meta_text = cJSON_PrintUnformatted(meta);
    m->meta_json = meta_text;
    st = model_save(m, a.output, &err);
    m->meta_json = NULL;
    if (st != SLANT_OK) { rc = cli_report("saving the model", st, &err); goto done; }
    if (!a.quiet) {
        fprintf(stderr, "tagger: %zu features, %d iterations, %.0f s CPU\n", rep.n_feat, rep.iterations,
                (double)(clock() - c0) / CLOCKS_PER_SEC);
        if (a.dev_articles)
            fprintf(stderr, "dev SI: precision %.4f recall %.4f F1 %.4f (threshold %.3f, low %.3f, gap %u, min length %u)\n",
                    rep.dev.precision, rep.dev.recall, rep.dev.f1, m->tagger.decoding.threshold, m->tagger.decoding.low,
                    m->tagger.decoding.gap, m->tagger.decoding.min_len);
        if (rep.has_cv)
            fprintf(stderr, "train out-of-fold SI (%d folds): precision %.4f recall %.4f F1 %.4f (threshold %.3f, low %.3f, gap %u, min length %u)\n",
                    a.bags, rep.cv.precision, rep.cv.recall, rep.cv.f1, rep.cv_decoding.threshold, rep.cv_decoding.low,
                    rep.cv_decoding.gap, rep.cv_decoding.min_len);
        if (cr.trained)
            fprintf(stderr, "technique classifier: %zu features, %zu spans, T %.3f, held-out accuracy %.4f\n",
                    cr.rep.n_feat, cr.rep.n_examples, cr.rep.temperature, cr.rep.holdout_accuracy);
        if (cr.trained && cr.rep.cv_accuracy >= 0) {
            fprintf(stderr, "cross-validated accuracy %.4f, %.4f with technique bias offsets", cr.rep.cv_accuracy, cr.rep.cv_accuracy_tuned);
            for (int k = 0; k < SLANT_N_TECHNIQUES; k++) fprintf(stderr, "%s%.1f", k ? " " : " (", cr.rep.bias_offset[k]);
            fprintf(stderr, ")\n");
        }
        if (cr.dev_tc) fprintf(stderr, "dev TC accuracy %.4f\n", cr.dev_accuracy);
        if (cr.dev_flc)
            fprintf(stderr, "dev FLC: precision %.4f recall %.4f F1 %.4f (runner-up threshold %.2f; fragments with their top technique only: F1 %.4f)\n",
                    cr.flc.precision, cr.flc.recall, cr.flc.f1, m->classifier->second_threshold, cr.flc_top1.f1);
        if (cr.trained && m->classifier->reported != SLANT_ALL_TECHNIQUES) {
            fprintf(stderr, "not reported (%d or more dev fragments, none right; --report-all-techniques keeps them):",
                    SCT_UNREPORTED_MIN_FRAGMENTS);
            for (int k = 0; k < SLANT_N_TECHNIQUES; k++)
                if (!(m->classifier->reported >> k & 1u)) fprintf(stderr, " %s", slant_technique_get(k)->short_name);
            fputc('\n', stderr);
        }
        if (cr.dev_si)
            fprintf(stderr, "dev SI of the whole analysis (spans with the repeated fragments): precision %.4f recall %.4f F1 %.4f\n",
                    cr.si.precision, cr.si.recall, cr.si.f1);
        fprintf(stderr, "wrote %s\n", a.output);
    }
    rc = EXIT_OK;
done:
    cJSON_Delete(meta);
    cJSON_free(meta_text);
    word_vectors_free(tc_wv);
    slant_model_free(m);
    corpus_fini(&train); corpus_fini(&dev);
    lab_list_fini(&train_gold); lab_list_fini(&dev_gold);
    return rc;
}
