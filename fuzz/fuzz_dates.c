/* fuzz_dates.c — libFuzzer target for the dates layer (src/time/dates.c).
 *
 * The first four bytes pick the document date (year 1900-2100, month, day
 * 1-31, so some are invalid and must be ignored) and its source (published
 * or inferred, or no date at all); the rest is text. It goes through
 * sr_date_resolve_src as one expression, through sr_date_find_src at every
 * token of every sentence, and through sr_date_of_document (with and without
 * the caller's split). Every result is checked against the contracts of
 * dates.h and any violation aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "time/dates.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz_dates: %s:%d: %s\n", __FILE__, __LINE__, \
                    #cond);                                                \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* A resolved match has a real date and a precision; an unresolved one is
 * zero but may name the expression's tokens. */
static void check_match(int ok, const sr_date_match *m, size_t ntok)
{
    if (ok) {
        char buf[11];
        CHECK(m->precision >= SR_DATE_DAY && m->precision <= SR_DATE_YEAR);
        sr_ymd_format(m->date, buf);
        CHECK(sr_date_parse_iso(buf) == m->date);
        if (m->precision >= SR_DATE_MONTH)
            CHECK(m->date % 100 == 1);
        if (m->precision == SR_DATE_YEAR)
            CHECK(m->date / 100 % 100 == 1);
    } else {
        CHECK(m->precision == SR_DATE_NONE && m->date == 0);
    }
    CHECK(m->tok0 <= m->tok1);
    CHECK(m->tok1 <= ntok);
    if (ok)
        CHECK(m->tok0 < m->tok1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    sr_ymd doc = 0;
    int source = (data[0] & 1) ? SR_DOCDATE_INFERRED : SR_DOCDATE_PUBLISHED;
    if (!(data[0] & 2))
        doc = (1900 + data[1] % 201) * 10000 + (1 + data[2] % 12) * 100 + 1 + data[3] % 31;
    data += 4, size -= 4;

    /* a copy of exactly size bytes for the scanners, so reading past the end
     * is caught; a NUL-terminated one for sr_date_resolve_src */
    char *text = malloc(size ? size : 1);
    char *expr = malloc(size + 1);
    if (!text || !expr) {
        free(text);
        free(expr);
        return 0;
    }
    if (size)
        memcpy(text, data, size);
    memcpy(expr, data, size);
    expr[size] = '\0';

    sr_date_match m;
    int ok = sr_date_resolve_src(expr, doc, source, &m);
    check_match(ok, &m, (size_t)-1);
    if (source == SR_DOCDATE_PUBLISHED) {
        sr_date_match m2;
        CHECK(sr_date_resolve(expr, doc, &m2) == ok && m2.date == m.date);
    }

    sr_split sp = {0};
    sr_text_split(text, size, &sp);
    for (size_t s = 0; s < sp.nsents; s++) {
        const sr_token *tk = sp.toks + sp.sents[s].tok0;
        size_t nt = sp.sents[s].ntok;
        for (size_t k = 0; k <= nt; k++) {
            ok = sr_date_find_src(text, tk, nt, k, doc, source, &m);
            check_match(ok, &m, nt);
        }
    }
    int src = -1;
    sr_ymd d = sr_date_of_document(NULL, text, size, &src);
    if (size < 2000) {
        /* within the dateline window both ways split the same text */
        int src2 = -1;
        CHECK(sr_date_of_document_split(NULL, text, size, &sp, &src2) == d && src2 == src);
    }
    sr_split_free(&sp);
    CHECK(src >= SR_DOCDATE_NONE && src <= SR_DOCDATE_INFERRED && src != SR_DOCDATE_PUBLISHED);
    CHECK((d == 0) == (src == SR_DOCDATE_NONE));
    if (d) {
        char buf[11];
        sr_ymd_format(d, buf);
        CHECK(sr_date_parse_iso(buf) == d);
    }
    free(text);
    free(expr);
    return 0;
}
