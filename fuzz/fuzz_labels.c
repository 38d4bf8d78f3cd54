/*
 * libFuzzer target for the label file parser: lab_parse on arbitrary bytes,
 * in every kind, must never crash or read out of bounds (ASan/UBSan watch);
 * a failure must explain itself with a line number and leave the list
 * untouched; whatever is accepted must hold valid spans and survive a
 * write/parse round trip. Seeds: fuzz/corpus/labels/. Run through
 * `make fuzz` (fuzz/run.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_spans(const lab_list *l, lab_kind kind) {
    for (size_t i = 0; i < l->len; i++) {
        const lab_span *s = &l->items[i];
        size_t n = strnlen(s->id, LAB_ID_MAX);
        if (n == 0 || n >= LAB_ID_MAX) abort();
        if (s->start >= s->end || s->line == 0) abort();
        if (s->technique < -1 || s->technique >= SLANT_N_TECHNIQUES) abort();
        if (kind == LAB_SI && s->technique != -1) abort();
        if (kind == LAB_TC && s->technique < 0) abort();
    }
}

/* Writes l as `kind`, parses it back as `back_kind`, compares. */
static void round_trip(const lab_list *l, lab_kind kind, lab_kind back_kind) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return;
    if (lab_write(f, l, kind) != SLANT_OK) abort();
    fclose(f);
    lab_list back;
    slant_error err;
    lab_list_init(&back);
    if (lab_parse(buf, len, "round-trip", back_kind, &back, &err) != SLANT_OK) abort();
    if (back.len != l->len) abort();
    for (size_t i = 0; i < l->len; i++) {
        const lab_span *a = &l->items[i], *b = &back.items[i];
        if (strcmp(a->id, b->id) != 0 || a->start != b->start || a->end != b->end) abort();
        if (kind != LAB_SI && a->technique != b->technique) abort();
        if (b->line != i + 1) abort();
    }
    lab_list_fini(&back);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const lab_kind kinds[] = {LAB_AUTO, LAB_SI, LAB_TC, LAB_TC_ANY};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        lab_list l;
        slant_error err;
        lab_list_init(&l);
        slant_error_clear(&err);
        /* a copy of exactly size bytes: any read past the end is caught */
        char *buf = malloc(size ? size : 1);
        if (!buf) return 0;
        if (size) memcpy(buf, data, size);
        slant_status st = lab_parse(buf, size, "fuzz", kinds[k], &l, &err);
        if (st != SLANT_OK) {
            if (st != SLANT_EFORMAT && st != SLANT_ENOMEM) abort();
            if (err.message[0] == '\0' || err.line < 1 || l.len != 0) abort();
        } else {
            check_spans(&l, kinds[k]);
            if (kinds[k] == LAB_SI) round_trip(&l, LAB_SI, LAB_SI);
            if (kinds[k] == LAB_TC) round_trip(&l, LAB_TC, LAB_TC);
            if (kinds[k] == LAB_TC_ANY) round_trip(&l, LAB_TC_ANY, LAB_TC_ANY);
            if (kinds[k] == LAB_AUTO && l.len > 0)
                round_trip(&l, l.items[0].technique < 0 ? LAB_SI : LAB_TC, LAB_AUTO);
            lab_sort(&l);
            for (size_t i = 1; i < l.len; i++)
                if (strcmp(l.items[i - 1].id, l.items[i].id) == 0 &&
                    l.items[i - 1].start > l.items[i].start) abort();
        }
        lab_list_fini(&l);
        free(buf);
    }
    return 0;
}
