/* dates.c — the dates layer of dates.h: calendar arithmetic, resolution
 * of the expressions scan.c finds against the document's date, the choice
 * of expression for an event (sr_date_find) and the document's date itself
 * (published, dateline, inferred).
 *
 * Conventions of the gold annotations (shared/eval/GUIDELINES.md): weekdays
 * count back from the publication date, the publication weekday itself
 * included ("on Tuesday" in a Tuesday article is that day; "last Tuesday"
 * is a week earlier); a month-day after the document date is of the
 * previous year; a range gives its first day; an overnight range
 * ("overnight on April 2 to 3") gives no date at all. Weeks start on
 * Monday; coarse precisions report their first day.
 */
#include "dates.h"

#include <stdlib.h>
#include <string.h>

#include "scan.h"

/* ---- calendar ---- */

#define YEAR_MIN SR_TIME_YEAR_MIN
#define YEAR_MAX SR_TIME_YEAR_MAX

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m)
{
    static const signed char md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

int sr_time_valid_ymd(int y, int m, int d)
{
    return y >= YEAR_MIN && y <= YEAR_MAX && m >= 1 && m <= 12 && d >= 1 &&
           d <= month_days(y, m);
}

static sr_ymd pack(int y, int m, int d) { return (sr_ymd)(y * 10000 + m * 100 + d); }

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), and back. */
static int32_t day_number(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static sr_ymd from_day_number(int32_t z)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    int y = yoe + era * 400 + (m <= 2);
    return sr_time_valid_ymd(y, m, d) ? pack(y, m, d) : 0;
}

int32_t sr_ymd_days(sr_ymd d)
{
    return d ? day_number(d / 10000, d / 100 % 100, d % 100) : 0;
}

sr_ymd sr_ymd_from_days(int32_t days) { return from_day_number(days); }

/* 0 = Monday ... 6 = Sunday; 1970-01-01 was a Thursday. */
static int weekday_of(int32_t dn) { return (int)(((dn % 7) + 7 + 3) % 7); }

/* A checked, unpacked document date; ok = 0 when there is none. */
typedef struct cal {
    int ok, y, m, d;
    int32_t dn;   /* its day number */
    int wd;       /* its weekday */
} cal;

static cal cal_of(sr_ymd v)
{
    cal c = {0};
    if (v <= 0)
        return c;
    c.y = v / 10000, c.m = v / 100 % 100, c.d = v % 100;
    if (!sr_time_valid_ymd(c.y, c.m, c.d))
        return (cal){0};
    c.ok = 1;
    c.dn = day_number(c.y, c.m, c.d);
    c.wd = weekday_of(c.dn);
    return c;
}

void sr_ymd_format(sr_ymd d, char buf[11])
{
    if (d <= 0 || d > 99991231) {
        memcpy(buf, "none", 5);
        return;
    }
    int y = d / 10000, m = d / 100 % 100, dd = d % 100;
    buf[0] = (char)('0' + y / 1000), buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10), buf[3] = (char)('0' + y % 10);
    buf[4] = '-', buf[5] = (char)('0' + m / 10), buf[6] = (char)('0' + m % 10);
    buf[7] = '-', buf[8] = (char)('0' + dd / 10), buf[9] = (char)('0' + dd % 10);
    buf[10] = '\0';
}

const char *sr_date_precision_name(int precision)
{
    static const char *const names[] = {"none", "day", "week", "month", "year", "document"};
    return precision >= 0 && precision < (int)SR_ARRAY_LEN(names) ? names[precision] : "none";
}

const char *sr_docdate_source_name(int source)
{
    static const char *const names[] = {"none", "published", "dateline", "inferred"};
    return source >= 0 && source < (int)SR_ARRAY_LEN(names) ? names[source] : "none";
}

typedef sr_time_expr ex;
typedef sr_time_scan sc;

/* ---- resolution ---- */

/* The year of a month-day without a year: the document's year, or the one
 * before when the month-day lies after the document date (when docdate is
 * only inferred, a lower bound, always its year); Feb 29 steps back to a
 * leap year. */
static int year_for(const cal *dc, int inferred, int m, int d)
{
    int y = dc->y;
    if (!inferred && (m > dc->m || (m == dc->m && d > dc->d)))
        y--;
    for (int k = 0; k < 8 && !sr_time_valid_ymd(y, m, d); k++)
        y--;
    return y;
}

static int set(sr_date_match *out, int y, int m, int d, int precision)
{
    if (!sr_time_valid_ymd(y, m, d))
        return 0;
    out->date = pack(y, m, d);
    out->precision = precision;
    return 1;
}

static int set_dn(sr_date_match *out, int32_t dn, int precision)
{
    sr_ymd v = from_day_number(dn);
    if (!v)
        return 0;
    out->date = v;
    out->precision = precision;
    return 1;
}

/* Resolves e against the document date; 1 and out->date/precision set, or 0. */
static int resolve(const ex *e, sr_ymd docdate, int source, sr_date_match *out)
{
    cal dc = cal_of(docdate);
    int inferred = source == SR_DOCDATE_INFERRED;
    int rel = dc.ok && !inferred;   /* may count from the document date */
    if (e->none)
        return 0;
    switch (e->kind) {
    case X_DATE:
        if (e->y)
            return set(out, e->y, e->m, e->d, SR_DATE_DAY);
        if (!dc.ok)
            return 0;
        if (e->wd >= 0) {
            /* the year, nearest the document date, where the date has that weekday */
            int best = 0;
            int32_t bestdist = 0;
            for (int k = 0; k <= 30; k++) {
                for (int s = -1; s <= 1; s += 2) {
                    int y = dc.y + s * k;
                    if (!sr_time_valid_ymd(y, e->m, e->d))
                        continue;
                    int32_t dn = day_number(y, e->m, e->d);
                    int32_t dist = dn > dc.dn ? dn - dc.dn : dc.dn - dn;
                    if (weekday_of(dn) == e->wd && (!best || dist < bestdist))
                        best = y, bestdist = dist;
                }
            }
            if (best)
                return set(out, best, e->m, e->d, SR_DATE_DAY);
        }
        return set(out, year_for(&dc, inferred, e->m, e->d), e->m, e->d, SR_DATE_DAY);
    case X_MONTH: {
        if (e->y)
            return set(out, e->y, e->m, 1, SR_DATE_MONTH);
        if (!dc.ok)
            return 0;
        int y = dc.y;
        if (!inferred) {
            if (e->mode == M_PLAIN && e->m > dc.m)
                y--;
            else if (e->mode == M_LAST && e->m >= dc.m)
                y--;
            else if (e->mode == M_NEXT && e->m <= dc.m)
                y++;
        }
        return set(out, y, e->m, 1, SR_DATE_MONTH);
    }
    case X_YEAR:
        return set(out, e->y, 1, 1, SR_DATE_YEAR);
    case X_WDAY: {
        if (!rel)
            return 0;
        if (e->mode == M_NEXT) {
            int fwd = (e->wd - dc.wd + 7) % 7;
            return set_dn(out, dc.dn + (fwd ? fwd : 7), SR_DATE_DAY);
        }
        int back = (dc.wd - e->wd + 7) % 7;
        if (e->mode == M_LAST && !back)
            back = 7;
        return set_dn(out, dc.dn - back, SR_DATE_DAY);
    }
    case X_NTH: {
        if (!rel)
            return 0;
        int y = dc.y, m = dc.m;
        if (e->d > dc.d && --m == 0)
            m = 12, y--;
        return set(out, y, m, e->d, SR_DATE_DAY);
    }
    case X_RDAY:
        return rel && set_dn(out, dc.dn + e->off, SR_DATE_DAY);
    case X_RWEEK:
        return rel && set_dn(out, dc.dn - dc.wd + 7 * e->off, SR_DATE_WEEK);
    case X_WEEKEND: {
        if (!rel)
            return 0;
        int32_t sat = dc.dn - (dc.wd - 5 + 7) % 7;
        return set_dn(out, sat - 5, SR_DATE_WEEK);
    }
    case X_RMONTH: {
        if (!rel)
            return 0;
        long mi = (long)dc.y * 12 + (dc.m - 1) + e->off;
        if (mi < (long)YEAR_MIN * 12 || mi > (long)YEAR_MAX * 12 + 11)
            return 0;
        return set(out, (int)(mi / 12), (int)(mi % 12) + 1, 1, SR_DATE_MONTH);
    }
    case X_RYEAR:
        return rel && set(out, dc.y + e->off, 1, 1, SR_DATE_YEAR);
    }
    return 0;
}

/* Fills out from e; returns whether it resolved. */
static int finish(const ex *e, sr_ymd docdate, int source, sr_date_match *out)
{
    memset(out, 0, sizeof *out);
    out->tok0 = (uint32_t)e->tok0;
    out->tok1 = (uint32_t)e->tok1;
    if (resolve(e, docdate, source, out))
        return 1;
    out->date = 0;
    out->precision = SR_DATE_NONE;
    return 0;
}

/* ---- public calls ---- */

int sr_date_find_src(const char *text, const sr_token *toks, size_t ntok, size_t near,
                     sr_ymd docdate, int source, sr_date_match *out)
{
    memset(out, 0, sizeof *out);
    if (!text || !toks || !ntok)
        return 0;
    if (near >= ntok)
        near = ntok - 1;
    sc c;
    sr_time_scan_init(&c, text, toks, ntok);
    ex e, before;
    int have_before = 0;
    size_t i = 0;
    while (sr_time_scan_next(&c, &i, &e)) {
        if (e.tok1 <= near) {
            before = e, have_before = 1;
            continue;
        }
        if (e.tok0 <= near || !have_before)
            return finish(&e, docdate, source, out);
        /* the first expression after near: is it in near's clause? */
        for (size_t k = near + 1; k < e.tok0; k++)
            if (sr_time_clause_break(&c, k))
                return finish(&before, docdate, source, out);
        return finish(&e, docdate, source, out);
    }
    return have_before ? finish(&before, docdate, source, out) : 0;
}

struct sr_date_cache {
    sc c;             /* the sentence's scanner; its memo stays warm */
    size_t next;      /* tokens before it are scanned */
    int done;         /* no expression after next */
    ex *ex;           /* the expressions found so far, in order; owned */
    size_t n, cap;
};

sr_date_cache *sr_date_cache_new(void) { return sr_xcalloc(1, sizeof(sr_date_cache)); }

void sr_date_cache_free(sr_date_cache *dc)
{
    if (!dc)
        return;
    free(dc->ex);
    free(dc);
}

void sr_date_cache_reset(sr_date_cache *dc, const char *text, const sr_token *toks, size_t ntok)
{
    sr_time_scan_init(&dc->c, text, toks, ntok);
    dc->next = 0;
    dc->done = !text || !toks || !ntok;
    dc->n = 0;
}

/* The choice of sr_date_find_src over the same sequence of expressions:
 * sr_time_scan_next finds them in the same order whatever near is, so the
 * ones kept from earlier calls are the ones a fresh scan would meet. */
int sr_date_find_cached(sr_date_cache *dc, size_t near, sr_ymd docdate, int source,
                        sr_date_match *out)
{
    memset(out, 0, sizeof *out);
    if (!dc->c.n)
        return 0;
    if (near >= dc->c.n)
        near = dc->c.n - 1;
    /* scan on until an expression ends after near */
    while (!dc->done && (dc->n == 0 || dc->ex[dc->n - 1].tok1 <= near)) {
        ex e;
        if (!sr_time_scan_next(&dc->c, &dc->next, &e)) {
            dc->done = 1;
            break;
        }
        SR_GROW(dc->ex, dc->cap, dc->n + 1);
        dc->ex[dc->n++] = e;
    }
    const ex *before = NULL;
    for (size_t k = 0; k < dc->n; k++) {
        const ex *e = &dc->ex[k];
        if (e->tok1 <= near) {
            before = e;
            continue;
        }
        if (e->tok0 <= near || !before)
            return finish(e, docdate, source, out);
        for (size_t t = near + 1; t < e->tok0; t++)
            if (sr_time_clause_break(&dc->c, t))
                return finish(before, docdate, source, out);
        return finish(e, docdate, source, out);
    }
    return before ? finish(before, docdate, source, out) : 0;
}

int sr_date_find(const char *text, const sr_token *toks, size_t ntok, size_t near, sr_ymd docdate,
                 sr_date_match *out)
{
    return sr_date_find_src(text, toks, ntok, near, docdate, SR_DOCDATE_PUBLISHED, out);
}

int sr_date_resolve_src(const char *expr, sr_ymd docdate, int source, sr_date_match *out)
{
    memset(out, 0, sizeof *out);
    if (!expr)
        return 0;
    sr_split sp = {0};
    sr_text_split(expr, strlen(expr), &sp);
    int found = 0, rc = 0;
    for (size_t s = 0; s < sp.nsents && !found; s++) {
        sc c;
        sr_time_scan_init(&c, expr, sp.toks + sp.sents[s].tok0, sp.sents[s].ntok);
        size_t i = 0;
        ex e;
        if (sr_time_scan_next(&c, &i, &e)) {
            found = 1;
            rc = finish(&e, docdate, source, out);
            out->tok0 += sp.sents[s].tok0;
            out->tok1 += sp.sents[s].tok0;
        }
    }
    sr_split_free(&sp);
    return rc;
}

int sr_date_resolve(const char *expr, sr_ymd docdate, sr_date_match *out)
{
    return sr_date_resolve_src(expr, docdate, SR_DOCDATE_PUBLISHED, out);
}

sr_ymd sr_date_parse_iso(const char *s)
{
    if (!s)
        return 0;
    for (int k = 0; k < 10; k++)
        if (k == 4 || k == 7 ? s[k] != '-' : !sr_is_digit(s[k]))
            return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    return sr_time_valid_ymd(y, m, d) ? pack(y, m, d) : 0;
}

/* Lines that may hold a dateline: the first DATELINE_LINES non-empty lines
 * within the first DATELINE_BYTES bytes. A date there counts if its line is
 * short (a dateline, a byline) or starts with it. */
#define DATELINE_BYTES 2000
#define DATELINE_LINES 12
#define DATELINE_SHORT 100

static int dateline_at(const char *text, size_t top, size_t at, size_t core)
{
    size_t ls = at;
    while (ls > 0 && text[ls - 1] != '\n')
        ls--;
    size_t le = at;
    while (le < top && text[le] != '\n')
        le++;
    int lines = 0, content = 0;
    for (size_t k = 0; k < ls; k++) {
        if (text[k] == '\n') {
            lines += content;
            content = 0;
        } else if (!sr_is_space((unsigned char)text[k])) {
            content = 1;
        }
    }
    if (lines >= DATELINE_LINES)
        return 0;
    if (le - ls <= DATELINE_SHORT)
        return 1;
    size_t k = ls;
    while (k < at && sr_is_space((unsigned char)text[k]))
        k++;
    return k == at && at == core;
}

/* The first dateline among sentences of sp that start before top, or 0. */
static sr_ymd find_dateline(const char *text, size_t top, const sr_split *sp)
{
    for (size_t s = 0; s < sp->nsents && sp->sents[s].start < top; s++) {
        sc c;
        sr_time_scan_init(&c, text, sp->toks + sp->sents[s].tok0, sp->sents[s].ntok);
        size_t i = 0;
        ex e;
        while (sr_time_scan_next(&c, &i, &e)) {
            size_t at = c.tk[e.tok0].start;
            if (at >= top)
                break;
            if (e.kind != X_DATE || !e.y || !sr_time_valid_ymd(e.y, e.m, e.d))
                continue;
            /* "On April 3, 2025, ..." opens a sentence, not a dateline */
            size_t core = sr_time_is_prep(&c, e.tok0) ? (size_t)-1 : at;
            if (dateline_at(text, top, at, core))
                return pack(e.y, e.m, e.d);
        }
    }
    return 0;
}

/* The latest date with a year (a day, or a month's first day) in sp, or 0. */
static sr_ymd find_latest(const char *text, const sr_split *sp)
{
    sr_ymd v = 0;
    for (size_t s = 0; s < sp->nsents; s++) {
        sc c;
        sr_time_scan_init(&c, text, sp->toks + sp->sents[s].tok0, sp->sents[s].ntok);
        size_t i = 0;
        ex e;
        while (sr_time_scan_next(&c, &i, &e)) {
            sr_ymd d = 0;
            if (e.kind == X_DATE && e.y && sr_time_valid_ymd(e.y, e.m, e.d))
                d = pack(e.y, e.m, e.d);
            else if (e.kind == X_MONTH && e.y && sr_time_valid_ymd(e.y, e.m, 1))
                d = pack(e.y, e.m, 1);
            if (d > v)
                v = d;
        }
    }
    return v;
}

sr_ymd sr_date_of_document_split(const char *published, const char *text, size_t len,
                                 const sr_split *given, int *source)
{
    int src_dummy;
    if (!source)
        source = &src_dummy;
    *source = SR_DOCDATE_NONE;
    sr_ymd v = sr_date_parse_iso(published);
    if (v) {
        *source = SR_DOCDATE_PUBLISHED;
        return v;
    }
    if (!text || !len)
        return 0;
    size_t top = len;
    if (top > DATELINE_BYTES)
        top = DATELINE_BYTES;
    if (top < len) {
        size_t k = top;
        while (k > 0 && text[k - 1] != '\n')
            k--;
        if (k > 0)
            top = k;
    }
    sr_split own = {0};
    if (!given)
        sr_text_split(text, top, &own);
    v = find_dateline(text, top, given ? given : &own);
    if (v) {
        *source = SR_DOCDATE_DATELINE;
    } else {
        if (!given)
            sr_text_split(text, len, &own);
        v = find_latest(text, given ? given : &own);
        if (v)
            *source = SR_DOCDATE_INFERRED;
    }
    sr_split_free(&own);
    return v;
}

sr_ymd sr_date_of_document(const char *published, const char *text, size_t len, int *source)
{
    return sr_date_of_document_split(published, text, len, NULL, source);
}
