/* Finds the default model file (model_path.c). */
#ifndef SLANT_CLI_MODEL_PATH_H
#define SLANT_CLI_MODEL_PATH_H
#include <stddef.h>
/* Writes the path of the default model into buf and returns buf. */
const char *cli_default_model(char *buf, size_t cap);
#endif
