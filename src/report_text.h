/*
 * The terminal report of one analysed article: the text with each fragment
 * marked "[...]{TAG}" (TAG = the technique's short name; two techniques on
 * one span share a marker, "{LOAD,NAME}"), then a summary: the article
 * score, the techniques found with counts, the three most propagandistic
 * sentences. With colour on, the same characters are written with ANSI
 * SGR escapes around them (a colour per technique), so stripping the
 * escapes gives exactly the plain report. Deciding whether the terminal
 * wants colour (isatty, NO_COLOR) is the caller's job.
 */
#ifndef SLANT_REPORT_TEXT_H
#define SLANT_REPORT_TEXT_H

#include <stddef.h>
#include "slant.h"
#include "report_buf.h"

/* Number of sentences listed in the summary. */
#define REPORT_TEXT_TOP_SENTENCES 3

/* Appends the report of r, the result of analysing text[0..len) (the
 * validated text its offsets refer to), to b. id names the article in the
 * heading. Errors: SLANT_ENOMEM (b->failed), SLANT_EINVAL (a fragment
 * outside the text). */
slant_status report_text_article(rbuf *b, const char *id, const char *text, size_t len,
                                 const slant_result *r, int colour);

#endif
