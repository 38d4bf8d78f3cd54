/*
 * Abbreviations that keep their final period ("Dr.", "Gen.", "etc."), so
 * that the period neither becomes a token of its own nor ends a sentence.
 * Does not cover initialisms ("U.S.", "e.g.") or initials ("J."): the
 * tokenizer recognises those by their shape, single letters and periods.
 *
 * Entries are written without the period. A linear scan is enough: the
 * tokenizer asks only when a word is followed by a period and then no
 * letter or digit, a few times per sentence, and most lookups fail on the
 * length test before comparing a byte.
 */
#include <string.h>
#include "tokenize.h"

static const char *const abbrevs[] = {
    /* titles and ranks, as written before names */
    "Adm", "Ald", "Atty", "Brig", "Capt", "Cmdr", "Col", "Comdr", "Cpl", "Dr",
    "Drs", "Esq", "Fr", "Gen", "Gov", "Hon", "Jr", "Lt", "Maj", "Messrs",
    "Mme", "Mr", "Mrs", "Ms", "Msgr", "Mx", "Pfc", "Pres", "Prof", "Pvt",
    "Rep", "Reps", "Rev", "Sen", "Sens", "Sgt", "Sr", "St", "Supt",
    /* organisations and places */
    "Ave", "Blvd", "Co", "Corp", "Dept", "Dist", "Ft", "Hwy", "Inc", "Ltd",
    "Mt", "Rd", "Univ",
    /* months ("Mar" and "May" are left out: they are common words) */
    "Jan", "Feb", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    /* Latin and scholarly */
    "Ph.D", "al", "approx", "ca", "cf", "esp", "etc", "fig", "vol", "vs", "viz",
};

/* 1 if word[0..len) is an entry; a capitalised form of a lower-case entry
 * ("Etc", "Vs") matches too, as at the start of a sentence or in a title. */
int tok_is_abbrev(const char *word, size_t len) {
    if (len == 0 || len > 8) return 0;
    char low = word[0] >= 'A' && word[0] <= 'Z' ? (char)(word[0] - 'A' + 'a') : word[0];
    for (size_t i = 0; i < sizeof abbrevs / sizeof *abbrevs; i++) {
        const char *a = abbrevs[i];
        if (strlen(a) != len || memcmp(a + 1, word + 1, len - 1) != 0) continue;
        if (a[0] == word[0] || a[0] == low) return 1;
    }
    return 0;
}
