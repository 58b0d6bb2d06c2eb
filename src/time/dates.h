/* dates.h — dates: the document's own date (published, else a dateline,
 * else the latest absolute date mentioned) and event dates resolved from
 * expressions in a sentence against it ("on April 3", "on Tuesday",
 * "Monday, March 17", "yesterday", "last week", "in December 2023",
 * "on March 11-13", "overnight on April 2 to 3").
 *
 *   dates.c     calendar arithmetic, resolution, document date, public calls
 *   scan.c      the expression scanner: lexicon and grammar (scan.h, internal)
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
    uint32_t tok0, tok1;  /* tokens [tok0, tok1) of the expression */
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

/* Formats yyyymmdd as "YYYY-MM-DD" into buf[11] ("none" for 0). */
void sr_ymd_format(sr_ymd d, char buf[11]);
/* Day numbers (days since 1970-01-01) for date arithmetic; 0 maps to 0. */
int32_t sr_ymd_days(sr_ymd d);
sr_ymd sr_ymd_from_days(int32_t days);

/* ---- additions to the interface above ---- */

/* Details of sr_date_find. The expression chosen is the first one after
 * `near` if no clause break (, ; : . brackets, quotes, dashes, "that",
 * "which", "when", "after", ...) comes between them, else the last one
 * before `near`, else the first one after; one that contains `near` wins
 * outright. near >= ntok counts as the last token. Weeks start on Monday.
 * "On Tuesday" in a Tuesday article is that day ("last Tuesday" the week
 * before); a month-day after docdate is of the previous year; "Monday,
 * March 17" takes the year nearest docdate where the weekday fits; a
 * range ("March 11-13") gives its first day. */

/* sr_date_find and sr_date_resolve told where docdate came from (source is
 * SR_DOCDATE_*, as set by sr_date_of_document); sr_date_find/resolve are
 * these with SR_DOCDATE_PUBLISHED. With SR_DOCDATE_INFERRED docdate is only
 * a lower bound of the publication date (the latest date the text
 * mentions): a month and day without a year take its year, and expressions
 * counted from the publication day ("yesterday", "on Tuesday", "last week",
 * "this year") resolve to nothing.
 *
 * On return 0, *out is zeroed unless a date expression was found that does
 * not resolve (an overnight range, a relative expression without docdate,
 * a month and day without docdate): then out->precision is SR_DATE_NONE
 * and tok0 < tok1 give the expression, telling the caller the sentence has
 * a date the gold leaves undated, not none at all. */
int sr_date_find_src(const char *text, const sr_token *toks, size_t ntok, size_t near,
                     sr_ymd docdate, int source, sr_date_match *out);
int sr_date_resolve_src(const char *expr, sr_ymd docdate, int source, sr_date_match *out);

/* sr_date_find_src for many verbs of one sentence: the expressions found
 * are kept, so the sentence is scanned once, and only as far as the verbs
 * asked so far need. sr_date_cache_reset starts a sentence (text and toks
 * are borrowed until the next reset); sr_date_find_cached then answers as
 * sr_date_find_src would. One cache per thread; caller frees. */
typedef struct sr_date_cache sr_date_cache;
sr_date_cache *sr_date_cache_new(void);
void sr_date_cache_free(sr_date_cache *dc);
void sr_date_cache_reset(sr_date_cache *dc, const char *text, const sr_token *toks, size_t ntok);
int sr_date_find_cached(sr_date_cache *dc, size_t near, sr_ymd docdate, int source,
                        sr_date_match *out);

/* sr_date_of_document over the sentences and tokens the caller already has:
 * sp must be sr_text_split(text, len). sp NULL splits text itself. */
sr_ymd sr_date_of_document_split(const char *published, const char *text, size_t len,
                                 const sr_split *sp, int *source);

/* Parses a "YYYY-MM-DD" prefix of s (years 1900-2100, a real calendar
 * date); 0 if s is NULL or not one. */
sr_ymd sr_date_parse_iso(const char *s);

#endif
