/*
 * The JSON document of an analysed article: the one schema shared by
 * `slant analyze --format json|jsonl`, the HTML report (which embeds it and
 * renders it with web/report.js) and `slant serve` (its API responses).
 * docs/JSON.md is the source of truth for the schema and its version.
 */
#ifndef SLANT_REPORT_JSON_H
#define SLANT_REPORT_JSON_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "report_buf.h"
#include "slant.h"

#define REPORT_SCHEMA_VERSION 1

/* Appends the document of one article to b, on one line (the bytes
 * cJSON_PrintUnformatted gives for report_json_article's tree). text[0..len)
 * is the analysed text (valid UTF-8: the text the offsets refer to); path
 * may be NULL (stdin, API). SLANT_EINVAL (nothing appended) when r's
 * offsets lie beyond the text, SLANT_ENOMEM (b as it was) when out of
 * memory. */
slant_status report_json_write_article(rbuf *b, const slant_model *m, const char *id, const char *path,
                                       const char *text, size_t len, const slant_result *r);

/* The same document as a cJSON tree (parsed from the writer's bytes), for
 * callers that embed or pretty-print it. A new object (free with
 * cJSON_Delete) or NULL on either error above. */
cJSON *report_json_article(const slant_model *m, const char *id, const char *path,
                           const char *text, size_t len, const slant_result *r);

/* The techniques with names, display names, colours and definitions: the
 * legend of reports and GET /v1/techniques. New object. */
cJSON *report_json_techniques(void);

/* The model's name, version and dev scores (GET /v1/model). New object. */
cJSON *report_json_model(const slant_model *m);

/* Writes x as the documents write reals: rounded to six decimals, trailing
 * zeros and a bare "." dropped ("0.326939", "-2.5", "1", "0"), "null" when
 * not finite. Returns the length. */
#define REPORT_JSON_REAL_MAX 40
int report_json_real(double x, char out[REPORT_JSON_REAL_MAX]);

/* The colour of technique i in reports, "#rrggbb" (static), or a grey for
 * i outside [0, SLANT_N_TECHNIQUES) (an unlabelled span). */
const char *report_technique_colour(int i);

#endif
