/* dates.h — dates: the document's own date (published, else a dateline,
 * else the latest absolute date mentioned) and event dates resolved from
 * expressions in a sentence against it ("on April 3", "on Tuesday",
 * "Monday, March 17", "yesterday", "last week", "in December 2023",
 * "on March 11-13", "overnight on April 2 to 3").
 *
 *   dates.c     the whole of it: expression scanner and calendar arithmetic
 */
#ifndef SR_DATES_H
#define SR_DATES_H

#include "../base/base.h"
#include "../text/text.h"

enum {
    SR_DATE_NONE = 0,
    SR_DATE_DAY,
    SR_DATE_WEEK,
    SR_DATE_MONTH,
    SR_DATE_YEAR,
    SR_DATE_DOCUMENT,     /* no date in the sentence: the document's date */
};
const char *sr_date_precision_name(int precision); /* "day", ..., "document" */

enum {
    SR_DOCDATE_NONE = 0,
    SR_DOCDATE_PUBLISHED, /* from the input's metadata */
    SR_DOCDATE_DATELINE,  /* "April 3, 2025" / "Apr 23, 2025 08:03" near the top */
    SR_DOCDATE_INFERRED,  /* the latest absolute date mentioned in the text */
};
const char *sr_docdate_source_name(int source); /* "published", "dateline", "inferred" */

/* A calendar date as yyyymmdd (20250403), 0 = none. */
typedef int32_t sr_ymd;

/* The document's date: published (YYYY-MM-DD prefix) if valid, else a
 * dateline in the first lines of text, else the latest full date in text. */
sr_ymd sr_date_of_document(const char *published, const char *text, size_t len, int *source);

typedef struct sr_date_match {
    sr_ymd date;          /* resolved date (first day of week/month/year for coarser precisions) */
    int precision;        /* SR_DATE_* */
    uint32_t tok0, tok1;  /* tokens of the expression */
} sr_date_match;

/* Finds the date expression in sentence tokens toks[0..ntok) nearest after
 * token `near` (else before it) and resolves it against docdate (0 = no
 * document date: relative expressions then resolve to nothing). Returns 1
 * and fills *out when found. */
int sr_date_find(const char *text, const sr_token *toks, size_t ntok, size_t near, sr_ymd docdate,
                 sr_date_match *out);

/* Resolves one free-text expression ("last Tuesday", "on March 11-13")
 * against docdate, for `sitrep date` and tests. */
int sr_date_resolve(const char *expr, sr_ymd docdate, sr_date_match *out);

/* Formats yyyymmdd as "YYYY-MM-DD" into buf[11]. */
void sr_ymd_format(sr_ymd d, char buf[11]);

#endif
