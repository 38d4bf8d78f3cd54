/*
 * libFuzzer target for the JSON Lines article reader (input_jsonl.h): every
 * line of arbitrary bytes goes through input_jsonl_parse_line, which must
 * never crash or read out of bounds (ASan/UBSan watch); an accepted line
 * must give an id of 1..63 bytes without control characters and a text of
 * the length reported with no NUL inside; a refused one must name its
 * line. Seeds: fuzz/corpus/input_jsonl/. Run through `make fuzz`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input_jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *p = (const char *)data;
    input_jsonl_item it;
    input_jsonl_item_init(&it);
    long lineno = 0;
    size_t start = 0;
    while (start <= size) {
        const char *nl = start < size ? memchr(p + start, '\n', size - start) : NULL;
        size_t end = nl ? (size_t)(nl - p) : size;
        /* copy so that ASan sees any read past the line */
        char *line = malloc(end - start + 1);
        if (!line) abort();
        memcpy(line, p + start, end - start);
        lineno++;
        slant_error err;
        slant_error_clear(&err);
        int got = 0;
        slant_status st = input_jsonl_parse_line(line, end - start, "fuzz", lineno, &it, &got, &err);
        if (st == SLANT_OK && got) {
            size_t n = strnlen(it.id, INPUT_JSONL_ID_MAX);
            if (n == 0 || n >= INPUT_JSONL_ID_MAX) abort();
            for (size_t i = 0; i < n; i++)
                if ((unsigned char)it.id[i] < 0x20) abort();
            if (!it.text || strlen(it.text) != it.len || it.line != lineno) abort();
        } else if (st == SLANT_OK) {
            if (got) abort();
        } else if (st != SLANT_ENOMEM && (err.line != lineno || got)) {
            abort();
        }
        free(line);
        if (!nl) break;
        start = end + 1;
    }
    input_jsonl_item_fini(&it);
    return 0;
}
