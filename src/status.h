/* Internal helper to fill a slant_error; every module reports through it. */
#ifndef SLANT_STATUS_H
#define SLANT_STATUS_H
#include "slant.h"

/* Fills err (if non-NULL) and returns st, so callers can write
 * `return err_set(err, SLANT_EFORMAT, path, line, -1, "bad %s", x);`.
 * file may be NULL; line/offset -1 when unknown. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
slant_status err_set(slant_error *err, slant_status st, const char *file,
                     long line, long long offset, const char *fmt, ...);
#endif
