/* slant serve: the HTTP server is not built yet (issue 6); says so plainly. */
#include <stdio.h>
#include "commands.h"

int cmd_serve(int argc, char **argv) {
    (void)argv;
    if (argc > 1 && cli_is_help(argv[1])) {
        printf("usage: slant serve [--host H] [--port P] [--model MODEL]\n(not available in this build)\n");
        return EXIT_OK;
    }
    fprintf(stderr, "slant serve: not available in this build yet\n");
    return EXIT_INTERNAL;
}
