/*
 * Where the default model is: $SLANT_MODEL, then next to the executable
 * (build/slant -> models/default.slant in a source tree; bin/slant ->
 * share/slant/default.slant when installed), then the install prefix, so
 * an installed binary works from any directory.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model_path.h"

#ifndef SLANT_PREFIX
#define SLANT_PREFIX "/usr/local"
#endif

static int exists(const char *p) { return access(p, R_OK) == 0; }

const char *cli_default_model(char *buf, size_t cap) {
    const char *env = getenv("SLANT_MODEL");
    if (env && *env) { snprintf(buf, cap, "%s", env); return buf; }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = {"/../models/default.slant", "/../share/slant/default.slant",
                                              "/models/default.slant"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                snprintf(buf, cap, "%s%s", exe, rel[i]);
                if (exists(buf)) return buf;
            }
        }
    }
    snprintf(buf, cap, "%s/share/slant/default.slant", SLANT_PREFIX);
    return buf;
}
