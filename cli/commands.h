/*
 * The slant commands. Each takes the arguments after its name (argv[0] is
 * the command name) and returns the process exit code:
 *   0 success, 1 input or usage error (a message was printed), 2 internal error.
 */
#ifndef SLANT_CLI_COMMANDS_H
#define SLANT_CLI_COMMANDS_H

#include "slant.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_INTERNAL = 2 };

int cmd_analyze(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_learn(int argc, char **argv);

/* Prints "slant: FILE:LINE: MESSAGE" (or with byte offset) from err to
 * stderr and returns the exit code for its status: 2 for SLANT_ENOMEM,
 * 1 otherwise. */
int cli_report(const char *what, slant_status st, const slant_error *err);

/* 1 if s is "-h" or "--help". */
int cli_is_help(const char *s);

#endif
