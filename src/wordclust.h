/*
 * Word clusters as bit-string paths (issue 9): hierarchical binary k-means
 * over word vectors (embed.h), and the clusters file. The tagger uses a
 * word's path prefixes as features (feat_clusters in token_features.h), as
 * it would Brown clusters (Brown et al. 1992; Turian et al. 2010 compare
 * both kinds of word representation as CRF features).
 *
 * Notation: n = words, D = vector size. A path is up to 32 bits,
 * left-aligned in a uint32 (the first split is bit 31); depth says how many
 * are meaningful, the rest are 0. At each split the half holding the most
 * frequent word (the lowest row) is 0, so paths are stable under small
 * changes.
 *
 * Clusters file (TSV, UTF-8; '#' lines are comments; rows in path order):
 *   # slant word clusters 1
 *   # hash	bits	depth	word	count
 *   9c1d0a3e5f7b2c41	0110	4	the	1893323
 * hash: feat_word_hash of the lower-cased word, 16 hex digits; bits: the
 * path as '0'/'1' characters, depth of them (empty for depth 0); depth:
 * 0..32; word and count: for people reading the file, ignored on load
 * (optional). A newer "# slant word clusters N" is SLANT_EVERSION.
 */
#ifndef SLANT_WORDCLUST_H
#define SLANT_WORDCLUST_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"
#include "token_features.h"

#define WC_FORMAT_VERSION 1
#define WC_MAX_DEPTH 32

/* ---- clustering ---- */

typedef struct {
    int max_depth;       /* 1..32 splits from the root to a leaf */
    int iterations;      /* most Lloyd iterations per split */
    int restarts;        /* initialisations per split; the best (most cohesive) is kept */
    size_t min_size;     /* a node with fewer words is a leaf (>= 2) */
    uint64_t seed;
} wc_opts;

/* max_depth 16, iterations 20, restarts 2, min_size 2, seed 1. */
void wc_opts_init(wc_opts *o);

/* Clusters words by the cosine of their vectors with recursive 2-means
 * (spherical k-means, k-means++ seeding). vecs: n x D, row i = word i, most
 * frequent first; rows need not be normalised. The tree is fitted on rows
 * [0, n_fit); rows [n_fit, n) then descend it, each split sending a word to
 * the nearer centroid, so rarer words get paths without moving the tree.
 * Writes path[i] (n, left-aligned bits) and depth[i] (n). Deterministic for
 * a given seed. SLANT_EINVAL for bad options, SLANT_ENOMEM. */
slant_status wc_cluster(const float *vecs, size_t n, size_t D, size_t n_fit,
                        const wc_opts *o, uint32_t *path, uint8_t *depth,
                        slant_error *err);

/* ---- clusters file ---- */

/* Writes n rows to path (via path.tmp and rename, so a reader never sees
 * half a file). hash, bits, depth: n each; words (n NUL-terminated strings)
 * and counts (n) may be NULL. Rows are written in path order, then by
 * descending count. made_by (one line, may be NULL) says how the clusters
 * were made; it is written as a "# made by: " comment, which wc_read keeps.
 * SLANT_EIO names the file. */
slant_status wc_write(const char *path, size_t n, const uint64_t *hash,
                      const uint32_t *bits, const uint8_t *depth,
                      const char *const *words, const uint64_t *counts,
                      const char *made_by, slant_error *err);

/* A loaded clusters file: the arrays of feat_clusters, sorted by hash,
 * in one owned block. */
typedef struct {
    uint64_t *word_hash;   /* n, ascending, distinct */
    uint32_t *cluster;     /* n: left-aligned path bits */
    uint8_t *depth;        /* n: meaningful bits */
    size_t n;
    char made_by[512];     /* the file's "# made by: " line, "" if none */
} wc_table;

void wc_table_init(wc_table *t);
void wc_table_fini(wc_table *t);

/* A view of t for feat_resources.clusters; borrows t's arrays. */
feat_clusters wc_table_view(const wc_table *t);

/* Parses a clusters file held in buf[0..len) (not NUL-terminated) into t
 * (initialised with wc_table_init), replacing and freeing what it held; on
 * failure t is left empty. Errors are
 * SLANT_EFORMAT with name:line (bad field, bits and depth that disagree,
 * a hash listed twice), SLANT_EVERSION, SLANT_ENOMEM. */
slant_status wc_parse(const char *buf, size_t len, const char *name, wc_table *t,
                      slant_error *err);

/* Reads and parses the file at path (wc_parse); SLANT_EIO names it. */
slant_status wc_read(const char *path, wc_table *t, slant_error *err);

#endif
