/* Status names and the per-call error record (slant.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "status.h"

const char *slant_strerror(slant_status s) {
    switch (s) {
    case SLANT_OK: return "success";
    case SLANT_ENOMEM: return "out of memory";
    case SLANT_EIO: return "input/output error";
    case SLANT_EFORMAT: return "malformed input";
    case SLANT_EVERSION: return "unsupported model version";
    case SLANT_ECHECKSUM: return "checksum mismatch";
    case SLANT_EINVAL: return "invalid argument";
    case SLANT_EENCODING: return "invalid text encoding";
    case SLANT_ETOOBIG: return "input too large";
    }
    return "unknown status";
}

void slant_error_clear(slant_error *err) {
    if (!err) return;
    err->status = SLANT_OK;
    err->file[0] = '\0';
    err->line = -1;
    err->offset = -1;
    err->message[0] = '\0';
}

slant_status err_set(slant_error *err, slant_status st, const char *file,
                     long line, long long offset, const char *fmt, ...) {
    if (!err) return st;
    err->status = st;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return st;
}
