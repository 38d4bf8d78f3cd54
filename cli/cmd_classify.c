/* slant classify: the technique classifier is not built yet (issue 4); says so plainly. */
#include <stdio.h>
#include "commands.h"

int cmd_classify(int argc, char **argv) {
    if (argc > 1 && cli_is_help(argv[1])) {
        printf("usage: slant classify [--model MODEL] --spans FILE PATH...\n(not available in this build)\n");
        return EXIT_OK;
    }
    fprintf(stderr, "slant classify: not available in this build yet\n");
    return EXIT_INTERNAL;
}
