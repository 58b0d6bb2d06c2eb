/* scan.h — internal to src/time: the date-expression scanner (scan.c)
 * whose findings dates.c resolves. Other folders use dates.h.
 */
#ifndef SR_TIME_SCAN_H
#define SR_TIME_SCAN_H

#include "dates.h"

#define SR_TIME_YEAR_MIN 1900
#define SR_TIME_YEAR_MAX 2100

/* A real calendar date with a year in [SR_TIME_YEAR_MIN, SR_TIME_YEAR_MAX] (dates.c). */
int sr_time_valid_ymd(int y, int m, int d);

/* What an expression says, before resolution. */
enum {
    X_DATE = 1,   /* y-m-d; y 0 = year unknown; wd >= 0 a weekday given with it */
    X_MONTH,      /* y-m; y 0 = year unknown; mode */
    X_YEAR,       /* y */
    X_WDAY,       /* weekday wd; mode */
    X_NTH,        /* "on the 5th": day d of the document's month */
    X_RDAY,       /* document date + off days */
    X_RWEEK,      /* week of the document date + off weeks */
    X_RMONTH,     /* month of the document date + off months */
    X_RYEAR,      /* year of the document date + off years */
    X_WEEKEND,    /* the weekend on or before the document date */
};

enum { M_PLAIN, M_LAST, M_THIS, M_NEXT };

/* A recognised expression before resolution. */
typedef struct sr_time_expr {
    size_t tok0, tok1;   /* tokens [tok0, tok1) */
    int kind;            /* X_* */
    int y, m, d, wd;
    int mode;            /* M_* for X_MONTH and X_WDAY */
    int off;             /* X_R*: offset */
    int range;           /* a range ("11-13", "2 to 3", "Monday into Tuesday") */
    int none;            /* an overnight range: recognised, never dated */
} sr_time_expr;

/* One classified token. */
typedef struct sr_time_lx {
    int cls;      /* L_* */
    int v;        /* value (see L_*) */
    int nd;       /* L_NUM: digits */
    int ord;      /* L_NUM: has an ordinal suffix (3rd) */
    int abbr;     /* L_MONTH, L_WDAY: short form (Sept, Jan., Tue) */
} sr_time_lx;

/* The tokens being scanned, and the last few classified (parsing looks at
 * a token several times). */
#define SR_TIME_MEMO 8
typedef struct sr_time_scan {
    const char *t;
    const sr_token *tk;
    size_t n;
    size_t memo_i[SR_TIME_MEMO];  /* token index + 1 held in the slot, 0 = empty */
    sr_time_lx memo[SR_TIME_MEMO];
} sr_time_scan;

/* Scans toks[0..n) of text; c needs no freeing. */
void sr_time_scan_init(sr_time_scan *c, const char *text, const sr_token *toks, size_t n);

/* Finds the next expression starting at or after token *i, fills *e and
 * sets *i past it; 0 when there is none. Expressions do not overlap. */
int sr_time_scan_next(sr_time_scan *c, size_t *i, sr_time_expr *e);

/* Whether token k ends a clause: , . ; : brackets, quotes, dashes, or a
 * subordinator ("that", "which", "when", "after", ...). */
int sr_time_clause_break(sr_time_scan *c, size_t k);

/* Whether token k is "on" or "in". */
int sr_time_is_prep(sr_time_scan *c, size_t k);

#endif
