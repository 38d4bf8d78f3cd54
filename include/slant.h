/*
 * slant: find propaganda and persuasion techniques in news text.
 *
 * Ownership: every function that returns a new object says so and names the
 * function that frees it; every *_free(NULL) is a no-op. Text passed in is
 * borrowed for the duration of the call only: results hold offsets and their
 * own copies, never pointers into the caller's text. No function prints,
 * exits or keeps global mutable state; a loaded model is read-only and may be
 * shared by any number of threads.
 *
 * Offsets: every fragment carries [start,end) offsets twice, in bytes of the
 * UTF-8 text and in Unicode code points (the unit of the PTC corpus and of the
 * SemEval-2020 Task 11 label files). A byte-order mark counts as one code
 * point, as it does in the corpus.
 */
#ifndef SLANT_H
#define SLANT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SLANT_VERSION_MAJOR 0
#define SLANT_VERSION_MINOR 1
#define SLANT_VERSION_PATCH 0
#define SLANT_VERSION_STRING "0.1.0"

/* ---- status codes ---- */

typedef enum {
    SLANT_OK = 0,
    SLANT_ENOMEM = -1,    /* out of memory */
    SLANT_EIO = -2,       /* a file could not be opened, read or written */
    SLANT_EFORMAT = -3,   /* malformed input: text, label file, model */
    SLANT_EVERSION = -4,  /* model written by a newer format version */
    SLANT_ECHECKSUM = -5, /* model checksum mismatch: the file is corrupted */
    SLANT_EINVAL = -6,    /* invalid argument */
    SLANT_EENCODING = -7, /* invalid UTF-8, a NUL byte or binary data */
    SLANT_ETOOBIG = -8    /* input larger than SLANT_MAX_ARTICLE_BYTES */
} slant_status;

/* Largest article accepted, in bytes; larger inputs fail with SLANT_ETOOBIG
 * at once, before analysis, so that memory stays bounded by the largest
 * article, never the batch (about 150 bytes of working memory per byte of
 * text). 2 MiB is some 300,000 words, far beyond any news article; analysis
 * time grows faster than linearly on long repetitive text (span features
 * look for repeats across the article), about a minute at the limit. */
#define SLANT_MAX_ARTICLE_BYTES ((size_t)2 * 1024 * 1024)

/* Returns a static, human-readable name for a status ("invalid UTF-8"). */
const char *slant_strerror(slant_status s);

/* Where and why a call failed. Passed per call (may be NULL), never global.
 * Unknown fields are -1 / empty. */
typedef struct {
    slant_status status;    /* the status the call returned */
    char file[256];         /* file being read, "" when none */
    long line;              /* 1-based line number, -1 when not applicable */
    long long offset;       /* 0-based byte offset, -1 when not applicable */
    char message[256];      /* one line, no trailing newline */
} slant_error;

/* Resets err to "no error"; a NULL err is ignored. */
void slant_error_clear(slant_error *err);

/* ---- techniques ---- */

/* The 14 techniques of the Propaganda Techniques Corpus, in the order of
 * the corpus's techniques.txt. */
#define SLANT_N_TECHNIQUES 14
#define SLANT_ALL_TECHNIQUES ((1u << SLANT_N_TECHNIQUES) - 1u) /* slant_options.technique_mask */

typedef struct {
    const char *name;       /* corpus label, e.g. "Name_Calling,Labeling" */
    const char *display;    /* e.g. "Name calling / labeling" */
    const char *short_name; /* a few letters for terminal tags, e.g. "NAME" */
    const char *definition; /* one paragraph */
} slant_technique;

/* Returns the technique with index i in [0, SLANT_N_TECHNIQUES), or NULL. */
const slant_technique *slant_technique_get(int i);

/* Returns the index of the technique whose corpus name is exactly
 * name[0..len), or -1. */
int slant_technique_find(const char *name, size_t len);

/* ---- model and analysis ---- */

typedef struct slant_model slant_model;

/* Loads a model file. On success *out is a new model; free it with
 * slant_model_free. Errors: SLANT_EIO, SLANT_EFORMAT (truncated or
 * malformed), SLANT_EVERSION (newer format), SLANT_ECHECKSUM (corrupted). */
slant_status slant_model_load(const char *path, slant_model **out,
                              slant_error *err);
void slant_model_free(slant_model *m);

/* The techniques whose fragments slant_analyze reports when the caller
 * names none (slant_options.technique_mask 0), bit i for technique i:
 * SLANT_ALL_TECHNIQUES but for those whose dev fragments training never
 * found right; 0 for a model without a technique classifier (its
 * fragments carry no technique) or a NULL model. */
uint32_t slant_model_reported_techniques(const slant_model *m);

/* A word of a fragment that weighed for it: the span tagger's own features
 * of this token (the word, its neighbours, its cluster, its sentence)
 * favoured "inside a fragment" over "outside" by `weight` (log-odds). */
typedef struct {
    size_t start, end;       /* [start,end) byte offsets of the word */
    size_t cp_start, cp_end; /* [start,end) code point offsets */
    double weight;           /* > 0; larger weighed more */
} slant_cue;

#define SLANT_MAX_CUES 3

/* One propaganda fragment found in a text. */
typedef struct {
    size_t start, end;       /* [start,end) byte offsets into the text */
    size_t cp_start, cp_end; /* [start,end) code point offsets */
    int technique;           /* technique index, -1 for an unlabelled span */
    double confidence;       /* in [0,1] */
    /* Why: the span tagger's confidence that [start,end) is propaganda, and
     * the technique classifier's probabilities for the span (all 0 when the
     * model has no classifier). confidence = span_confidence *
     * technique_probs[technique] when there is a classifier. */
    double span_confidence;                     /* in [0,1] */
    double technique_probs[SLANT_N_TECHNIQUES]; /* sum to 1, or all 0 */
    slant_cue cues[SLANT_MAX_CUES];             /* the words that weighed most, */
    size_t n_cues;                              /* heaviest first (n_cues of them) */
} slant_fragment;

/* One propaganda span, whatever its technique (SemEval-2020 Task 11's
 * span identification): a run of words that the span tagger finds likely
 * inside some fragment. Every fragment lies within a span. */
typedef struct {
    size_t start, end;       /* [start,end) byte offsets into the text */
    size_t cp_start, cp_end; /* [start,end) code point offsets */
    double confidence;       /* in [0,1]: mean P(inside a fragment) of its words */
} slant_span;

/* One sentence of the analysed text with its propaganda score. */
typedef struct {
    size_t start, end;       /* [start,end) byte offsets */
    size_t cp_start, cp_end; /* [start,end) code point offsets */
    double score;            /* in [0,1]: how propagandistic it reads */
} slant_sentence;

typedef struct {
    slant_fragment *fragments; /* n_fragments, sorted by start, the longer first,
                                  then technique; they may overlap */
    size_t n_fragments;
    slant_sentence *sentences; /* n_sentences, in text order */
    size_t n_sentences;
    double score;              /* article score in [0,1] */
    size_t n_codepoints;       /* length of the text in code points */
    slant_span *spans;         /* n_spans, in text order, disjoint */
    size_t n_spans;
} slant_result;

typedef struct {
    double threshold;          /* span threshold; < 0 means the model's tuned one */
    uint32_t technique_mask;   /* bit i keeps technique i's fragments; 0 keeps
                                  those the model reports: all of them, but for
                                  techniques whose fragments training never
                                  found right on dev (`slant model info` lists
                                  them); SLANT_ALL_TECHNIQUES keeps every one */
    int replace_invalid_utf8;  /* 1: replace bad bytes by U+FFFD instead of failing */
} slant_options;

/* Fills opt with the defaults (the model's threshold and techniques, strict). */
void slant_options_init(slant_options *opt);

/* Analyses text[0..len) (UTF-8, not necessarily NUL-terminated). On success
 * *out is a new result; free it with slant_result_free. opt may be NULL.
 * An empty or whitespace-only text is valid: zero fragments, zero
 * sentences, score 0. len > SLANT_MAX_ARTICLE_BYTES fails with
 * SLANT_ETOOBIG; invalid UTF-8 or a NUL byte with SLANT_EENCODING and
 * err->offset at the first bad byte. */
slant_status slant_analyze(const slant_model *m, const char *text, size_t len,
                           const slant_options *opt, slant_result **out,
                           slant_error *err);
void slant_result_free(slant_result *r);

#ifdef __cplusplus
}
#endif
#endif /* SLANT_H */
