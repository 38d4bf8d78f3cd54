/*
 * Self-contained HTML report pages: web/report.html with web/report.css,
 * web/report.js (compiled in, report_assets.h) and the page's JSON data
 * inlined, so a page opens offline and loads nothing. The page draws itself
 * with SlantReport.renderPage (web/report.js). Does not write files.
 */
#ifndef SLANT_REPORT_HTML_H
#define SLANT_REPORT_HTML_H

#include <cjson/cJSON.h>
#include "slant.h"
#include "report_buf.h"

/* Appends the page of one article to b; doc is a report_json_article
 * document (borrowed). Errors: SLANT_ENOMEM. */
slant_status report_html_article(rbuf *b, const cJSON *doc);

/* Appends the index page of a batch to b. articles (borrowed): an array of
 * {"id", "href" (relative link or null), "score", "fragments" (count),
 * "error" (string, only for a failed input)}; model (borrowed, may be
 * NULL): {"name", "version"}. Errors: SLANT_ENOMEM. */
slant_status report_html_index(rbuf *b, const cJSON *articles, const cJSON *model);

#endif
