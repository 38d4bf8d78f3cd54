/*
 * The analysis pipeline behind slant_analyze: validate text, tokenize,
 * tag spans, name their techniques, score sentences and the article. An
 * analyze_work keeps one thread's buffers between articles, so a batch
 * allocates per article only the result it returns.
 */
#ifndef SLANT_ANALYZE_H
#define SLANT_ANALYZE_H

#include "slant.h"
#include "span_classifier.h"
#include "tagger.h"
#include "text.h"

typedef struct {
    text_buf text;
    tok_doc doc;
    tagger_work tagger;
    tagger_spans spans;             /* the SI spans */
    tagger_spans frag_spans;        /* the spans to label with techniques */
    tagger_spans copies;            /* their copies elsewhere: Repetition */
    span_classifier_work classify;  /* technique classifier scratch */
} analyze_work;

slant_status analyze_work_init(analyze_work *w);
void analyze_work_fini(analyze_work *w);

/* slant_analyze with caller-held buffers. */
slant_status analyze_text(const slant_model *m, analyze_work *w, const char *text,
                          size_t len, const slant_options *opt, slant_result **out,
                          slant_error *err);

/* analyze_text for a text that text_load or text_read_file has already
 * validated (tb borrowed for the call; it may be &w->text): skips the second
 * validation and copy. */
slant_status analyze_loaded(const slant_model *m, analyze_work *w, const text_buf *tb,
                            const slant_options *opt, slant_result **out, slant_error *err);

#endif
