/* dates.c — the dates layer of dates.h: a token-level scanner for date
 * expressions, their resolution against the document's date, and the
 * document's date itself (published, dateline, inferred).
 *
 * Expressions are recognised on sr_text_split tokens, anchored at their
 * first token (a preposition such as "on", "in", "overnight" or "the night
 * of" belongs to the expression). Month and weekday names must be
 * capitalised; a bare month ("in March") or year ("in 2014") needs a
 * licensing word before it. Conventions of the gold annotations
 * (shared/eval/GUIDELINES.md): weekdays count back from the publication
 * date, the publication weekday itself included ("on Tuesday" in a Tuesday
 * article is that day; "last Tuesday" is a week earlier); a month-day after
 * the document date is of the previous year; a range gives its first day;
 * an overnight range ("overnight on April 2 to 3") gives no date at all.
 * Weeks start on Monday; coarse precisions report their first day.
 */
#include "dates.h"

#include <stdlib.h>
#include <string.h>

/* ---- calendar ---- */

#define YEAR_MIN 1900
#define YEAR_MAX 2100

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m)
{
    static const signed char md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

static int valid_ymd(int y, int m, int d)
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
    return valid_ymd(y, m, d) ? pack(y, m, d) : 0;
}

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
    if (!valid_ymd(c.y, c.m, c.d))
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

/* ---- lexicon ---- */

enum {
    L_NONE = 0,   /* past the end, or nothing of interest */
    L_NUM,        /* 3, 2025, 3rd: v value, nd digits, ord ordinal suffix */
    L_NUMW,       /* a, an, one ... twelve: v value */
    L_MONTH,      /* v 1..12 (capitalised) */
    L_WDAY,       /* v 0..6, Monday first (capitalised) */
    L_KW,         /* v K_* */
    L_DASH,       /* - or an en dash */
    L_COMMA,
    L_DOT,
    L_BOUND,      /* punctuation that ends a clause */
};

enum {
    K_AGO = 1, K_AND, K_AT, K_BEFORE, K_BEGIN, K_BETWEEN, K_CLAUSE, K_DAY, K_DURING,
    K_EARLIER, K_EARLY, K_END, K_FROM, K_IN, K_INTO, K_LAST, K_LATE, K_LATER,
    K_MID, K_MONTHW, K_NEXT, K_NIGHT, K_OF, K_ON, K_OVER, K_OVERNIGHT, K_PART,
    K_PREVIOUS, K_THE, K_THIS, K_TO, K_TODAY, K_TOMORROW, K_WEEK, K_WEEKEND,
    K_YEAR, K_YESTERDAY,
};

typedef struct word {
    const char *s;
    unsigned char len, cls, v, abbr;  /* abbr: a month or weekday short form */
} word;

#define W(s, cls, v, abbr) {s, sizeof(s) - 1, cls, v, abbr}

/* The lexicon, one group per first letter. */
static const word W_A[] = {
    W("a", L_NUMW, 1, 0), W("after", L_KW, K_CLAUSE, 0), W("afternoon", L_KW, K_PART, 0),
    W("ago", L_KW, K_AGO, 0), W("although", L_KW, K_CLAUSE, 0), W("an", L_NUMW, 1, 0),
    W("and", L_KW, K_AND, 0), W("apr", L_MONTH, 4, 1), W("april", L_MONTH, 4, 0),
    W("as", L_KW, K_CLAUSE, 0), W("at", L_KW, K_AT, 0), W("aug", L_MONTH, 8, 1),
    W("august", L_MONTH, 8, 0),
};
static const word W_B[] = {
    W("because", L_KW, K_CLAUSE, 0), W("before", L_KW, K_BEFORE, 0),
    W("beginning", L_KW, K_BEGIN, 0), W("between", L_KW, K_BETWEEN, 0),
    W("but", L_KW, K_CLAUSE, 0),
};
static const word W_D[] = {
    W("day", L_KW, K_DAY, 0), W("days", L_KW, K_DAY, 0), W("dec", L_MONTH, 12, 1),
    W("december", L_MONTH, 12, 0), W("during", L_KW, K_DURING, 0),
};
static const word W_E[] = {
    W("earlier", L_KW, K_EARLIER, 0), W("early", L_KW, K_EARLY, 0), W("eight", L_NUMW, 8, 0),
    W("eleven", L_NUMW, 11, 0), W("end", L_KW, K_END, 0), W("evening", L_KW, K_PART, 0),
};
static const word W_F[] = {
    W("feb", L_MONTH, 2, 1), W("february", L_MONTH, 2, 0), W("five", L_NUMW, 5, 0),
    W("four", L_NUMW, 4, 0), W("fri", L_WDAY, 4, 1), W("friday", L_WDAY, 4, 0),
    W("from", L_KW, K_FROM, 0),
};
static const word W_I[] = {
    W("if", L_KW, K_CLAUSE, 0), W("in", L_KW, K_IN, 0), W("into", L_KW, K_INTO, 0),
};
static const word W_J[] = {
    W("jan", L_MONTH, 1, 1), W("january", L_MONTH, 1, 0), W("jul", L_MONTH, 7, 1),
    W("july", L_MONTH, 7, 0), W("jun", L_MONTH, 6, 1), W("june", L_MONTH, 6, 0),
};
static const word W_L[] = {
    W("last", L_KW, K_LAST, 0), W("late", L_KW, K_LATE, 0), W("later", L_KW, K_LATER, 0),
};
static const word W_M[] = {
    W("mar", L_MONTH, 3, 1), W("march", L_MONTH, 3, 0), W("may", L_MONTH, 5, 0),
    W("mid", L_KW, K_MID, 0), W("middle", L_KW, K_BEGIN, 0), W("mon", L_WDAY, 0, 1),
    W("monday", L_WDAY, 0, 0), W("month", L_KW, K_MONTHW, 0), W("months", L_KW, K_MONTHW, 0),
    W("morning", L_KW, K_PART, 0),
};
static const word W_N[] = {
    W("next", L_KW, K_NEXT, 0), W("night", L_KW, K_NIGHT, 0), W("nights", L_KW, K_NIGHT, 0),
    W("nine", L_NUMW, 9, 0), W("nov", L_MONTH, 11, 1), W("november", L_MONTH, 11, 0),
};
static const word W_O[] = {
    W("oct", L_MONTH, 10, 1), W("october", L_MONTH, 10, 0), W("of", L_KW, K_OF, 0),
    W("on", L_KW, K_ON, 0), W("one", L_NUMW, 1, 0), W("or", L_KW, K_AND, 0),
    W("over", L_KW, K_OVER, 0), W("overnight", L_KW, K_OVERNIGHT, 0),
};
static const word W_P[] = {
    W("previous", L_KW, K_PREVIOUS, 0),
};
static const word W_S[] = {
    W("sat", L_WDAY, 5, 1), W("saturday", L_WDAY, 5, 0), W("sep", L_MONTH, 9, 1),
    W("sept", L_MONTH, 9, 1), W("september", L_MONTH, 9, 0), W("seven", L_NUMW, 7, 0),
    W("since", L_KW, K_CLAUSE, 0), W("six", L_NUMW, 6, 0), W("start", L_KW, K_BEGIN, 0),
    W("sun", L_WDAY, 6, 1), W("sunday", L_WDAY, 6, 0),
};
static const word W_T[] = {
    W("ten", L_NUMW, 10, 0), W("that", L_KW, K_CLAUSE, 0), W("the", L_KW, K_THE, 0),
    W("this", L_KW, K_THIS, 0), W("though", L_KW, K_CLAUSE, 0), W("three", L_NUMW, 3, 0),
    W("through", L_KW, K_TO, 0), W("thu", L_WDAY, 3, 1), W("thur", L_WDAY, 3, 1),
    W("thurs", L_WDAY, 3, 1), W("thursday", L_WDAY, 3, 0), W("to", L_KW, K_TO, 0),
    W("today", L_KW, K_TODAY, 0), W("tomorrow", L_KW, K_TOMORROW, 0),
    W("tonight", L_KW, K_TODAY, 0), W("tue", L_WDAY, 1, 1), W("tues", L_WDAY, 1, 1),
    W("tuesday", L_WDAY, 1, 0), W("twelve", L_NUMW, 12, 0), W("two", L_NUMW, 2, 0),
};
static const word W_U[] = {
    W("unless", L_KW, K_CLAUSE, 0), W("until", L_KW, K_CLAUSE, 0),
};
static const word W_W[] = {
    W("wed", L_WDAY, 2, 1), W("wednesday", L_WDAY, 2, 0), W("week", L_KW, K_WEEK, 0),
    W("weekend", L_KW, K_WEEKEND, 0), W("weeks", L_KW, K_WEEK, 0), W("when", L_KW, K_CLAUSE, 0),
    W("where", L_KW, K_CLAUSE, 0), W("whereas", L_KW, K_CLAUSE, 0),
    W("which", L_KW, K_CLAUSE, 0), W("while", L_KW, K_CLAUSE, 0), W("who", L_KW, K_CLAUSE, 0),
    W("whom", L_KW, K_CLAUSE, 0), W("whose", L_KW, K_CLAUSE, 0),
};
static const word W_Y[] = {
    W("year", L_KW, K_YEAR, 0), W("years", L_KW, K_YEAR, 0),
    W("yesterday", L_KW, K_YESTERDAY, 0),
};

/* The entry for the word s[0..n) in any case, or NULL. (c | 32) is a
 * lower-case letter only when c is a letter. */
static const word *lookup(const unsigned char *s, size_t n)
{
    const word *g;
    size_t ng;
#define G(c, arr) case c: g = arr, ng = SR_ARRAY_LEN(arr); break
    switch (s[0] | 32) {
    G('a', W_A);
    G('b', W_B);
    G('d', W_D);
    G('e', W_E);
    G('f', W_F);
    G('i', W_I);
    G('j', W_J);
    G('l', W_L);
    G('m', W_M);
    G('n', W_N);
    G('o', W_O);
    G('p', W_P);
    G('s', W_S);
    G('t', W_T);
    G('u', W_U);
    G('w', W_W);
    G('y', W_Y);
    default: return NULL;
    }
#undef G
    for (size_t i = 0; i < ng; i++) {
        if (g[i].len != n)
            continue;
        size_t k = 1;
        while (k < n && (s[k] | 32) == (unsigned char)g[i].s[k])
            k++;
        if (k == n)
            return &g[i];
    }
    return NULL;
}

/* One classified token. */
typedef struct lx {
    int cls;      /* L_* */
    int v;        /* value (see L_*) */
    int nd;       /* L_NUM: digits */
    int ord;      /* L_NUM: has an ordinal suffix (3rd) */
    int abbr;     /* L_MONTH, L_WDAY: short form (Sept, Jan., Tue) */
} lx;

/* The tokens being scanned, and the last few classified (parsing looks at
 * a token several times). */
#define MEMO 8
typedef struct sc {
    const char *t;
    const sr_token *tk;
    size_t n;
    size_t memo_i[MEMO];  /* token index + 1 held in the slot, 0 = empty */
    lx memo[MEMO];
} sc;

static lx lex_token(const sc *c, size_t i)
{
    lx r = {0};
    if (i >= c->n)
        return r;
    const sr_token *k = &c->tk[i];
    const unsigned char *s = (const unsigned char *)c->t + k->start;
    size_t len = k->end > k->start ? k->end - k->start : 0;
    if (!len)
        return r;
    if (k->flags & SR_TOK_PUNCT) {
        if (len == 1) {
            switch (s[0]) {
            case '-': r.cls = L_DASH; break;
            case ',': r.cls = L_COMMA; break;
            case '.': r.cls = L_DOT; break;
            case ';': case ':': case '(': case ')': case '[': case ']':
            case '"': case '!': case '?':
                r.cls = L_BOUND;
                break;
            }
        } else if (len == 3 && s[0] == 0xE2 && s[1] == 0x80) {
            if (s[2] == 0x93)
                r.cls = L_DASH;                  /* en dash */
            else if (s[2] == 0x94 || s[2] == 0x95)
                r.cls = L_BOUND;                 /* em dash, horizontal bar */
        } else if (len == 2 && s[0] == '-' && s[1] == '-') {
            r.cls = L_BOUND;
        }
        return r;
    }
    if (sr_is_digit(s[0])) {
        size_t j = 0;
        int v = 0;
        while (j < len && sr_is_digit(s[j])) {
            if (j < 6)
                v = v * 10 + (s[j] - '0');
            j++;
        }
        if (j > 6)
            return r;
        if (j + 2 == len) {
            char a = (char)sr_lower(s[j]), b = (char)sr_lower(s[j + 1]);
            if (!((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
                  (a == 't' && b == 'h')))
                return r;
            r.ord = 1;
        } else if (j != len) {
            return r;
        }
        r.cls = L_NUM, r.v = v, r.nd = (int)j;
        return r;
    }
    if (!(k->flags & SR_TOK_WORD) || len > 10 || (len == 10 && s[9] != '.'))
        return r;   /* the longest words ("wednesday", "september") have 9 letters */
    int dot = s[len - 1] == '.';
    if (len == (size_t)dot)
        return r;
    const word *w = lookup(s, len - dot);
    if (!w)
        return r;
    if (w->cls == L_MONTH || w->cls == L_WDAY) {
        if (!(k->flags & SR_TOK_CAP))
            return r;
    } else if (dot) {
        return r;
    }
    r.cls = w->cls, r.v = w->v, r.abbr = w->abbr;
    return r;
}

static lx lex(sc *c, size_t i)
{
    size_t slot = i % MEMO;
    if (c->memo_i[slot] != i + 1) {
        c->memo[slot] = lex_token(c, i);
        c->memo_i[slot] = i + 1;
    }
    return c->memo[slot];
}

static int is_kw(sc *c, size_t i, int kw)
{
    lx a = lex(c, i);
    return a.cls == L_KW && a.v == kw;
}

/* Token i exists and follows the previous one without a space. */
static int glued(const sc *c, size_t i)
{
    return i < c->n && (c->tk[i].flags & SR_TOK_GLUED);
}

static int is_day(lx a) { return a.cls == L_NUM && a.nd <= 2 && a.v >= 1 && a.v <= 31; }
static int is_year(lx a)
{
    return a.cls == L_NUM && a.nd == 4 && !a.ord && a.v >= YEAR_MIN && a.v <= YEAR_MAX;
}
/* "-", an en dash, "to", "through", "into": what joins the ends of a range. */
static int is_range(lx a)
{
    return a.cls == L_DASH || (a.cls == L_KW && (a.v == K_TO || a.v == K_INTO));
}
/* Where a clause or phrase visibly ends: punctuation, the end, a subordinator. */
static int is_stop(sc *c, size_t i)
{
    lx a = lex(c, i);
    if (i >= c->n)
        return 1;
    if (a.cls == L_COMMA || a.cls == L_DOT || a.cls == L_BOUND)
        return 1;
    if (a.cls == L_KW && (a.v == K_CLAUSE || a.v == K_AT || a.v == K_IN || a.v == K_ON))
        return 1;
    return (c->tk[i].flags & SR_TOK_PUNCT) != 0;
}

/* ---- expressions ---- */

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
typedef struct ex {
    size_t tok0, tok1;   /* tokens [tok0, tok1) */
    int kind;            /* X_* */
    int y, m, d, wd;
    int mode;            /* M_* for X_MONTH and X_WDAY */
    int off;             /* X_R*: offset */
    int range;           /* a range ("11-13", "2 to 3", "Monday into Tuesday") */
    int none;            /* an overnight range: recognised, never dated */
} ex;

/* Licensing words before a core: what they allow alone. */
enum { LIC_NONE, LIC_IN, LIC_ON, LIC_OVER };

/* Optional year after a day ("April 3, 2025" / "3 April 2025") at k;
 * returns the new end. */
static size_t opt_year(sc *c, size_t k, ex *e)
{
    size_t q = k;
    if (lex(c, q).cls == L_COMMA)
        q++;
    lx y = lex(c, q);
    if (is_year(y)) {
        e->y = y.v;
        return q + 1;
    }
    return k;
}

/* Checks the day against its month (any leap year when the year is not
 * given: "February 29" waits for resolution). */
static int day_ok(const ex *e)
{
    return valid_ymd(e->y ? e->y : 2000, e->m, e->d);
}

/* MONTH DAY [range] [, YEAR] at j (j is the month, j+1 the day). */
static size_t p_monthday(sc *c, size_t j, ex *e)
{
    lx mo = lex(c, j), dy = lex(c, j + 1);
    e->kind = X_DATE, e->m = mo.v, e->d = dy.v;
    size_t k = j + 2;
    int m2 = 0;
    if (is_range(lex(c, k))) {
        lx b = lex(c, k + 1);
        if (is_day(b) && b.v > e->d) {
            k += 2, e->range = 1;
        } else if (b.cls == L_MONTH && is_day(lex(c, k + 2))) {
            k += 3, e->range = 1, m2 = b.v;
        }
    }
    k = opt_year(c, k, e);
    if (e->y && m2 && m2 < e->m)
        e->y--;   /* "December 30-January 2, 2025" */
    return day_ok(e) ? k : 0;
}

/* DAY [range] [of] MONTH [YEAR] at j. */
static size_t p_dayfirst(sc *c, size_t j, ex *e)
{
    lx dy = lex(c, j);
    if (!is_day(dy))
        return 0;
    size_t k = j + 1;
    int range = 0;
    if (is_range(lex(c, k))) {
        lx b = lex(c, k + 1);
        if (!is_day(b) || b.v <= dy.v)
            return 0;
        k += 2, range = 1;
    }
    if (is_kw(c, k, K_OF))
        k++;
    lx mo = lex(c, k);
    if (mo.cls != L_MONTH)
        return 0;
    e->kind = X_DATE, e->m = mo.v, e->d = dy.v, e->range = range;
    k = opt_year(c, k + 1, e);
    return day_ok(e) ? k : 0;
}

/* A weekday at j, with a date ("Monday, March 17") or alone. */
static size_t p_wday(sc *c, size_t j, ex *e, int mode)
{
    lx w = lex(c, j);
    size_t k = j + 1;
    if (lex(c, k).cls == L_DOT)
        k++;
    if (lex(c, k).cls == L_COMMA)
        k++;
    lx a = lex(c, k);
    size_t end = 0;
    if (mode == M_PLAIN && a.cls == L_MONTH && is_day(lex(c, k + 1)))
        end = p_monthday(c, k, e);
    else if (mode == M_PLAIN && is_day(a))
        end = p_dayfirst(c, k, e);
    if (end) {
        e->wd = w.v;
        return end;
    }
    if (w.abbr)
        return 0;
    *e = (ex){.kind = X_WDAY, .wd = w.v, .mode = mode};
    k = j + 1;
    lx p = lex(c, k);
    if (p.cls == L_KW && (p.v == K_PART || p.v == K_NIGHT))
        k++;
    if (is_range(lex(c, k)) && lex(c, k + 1).cls == L_WDAY && !lex(c, k + 1).abbr) {
        k += 2, e->range = 1;   /* "Monday to Tuesday", "Monday night into Tuesday" */
        p = lex(c, k);
        if (p.cls == L_KW && (p.v == K_PART || p.v == K_NIGHT))
            k++;
    }
    return k;
}

/* A month name at j: with a day, with a year, or alone where licensed. */
static size_t p_month(sc *c, size_t j, int lic, ex *e, int mode)
{
    lx mo = lex(c, j), a = lex(c, j + 1);
    if (mode == M_PLAIN && is_day(a) && !is_year(a))
        return p_monthday(c, j, e);
    e->kind = X_MONTH, e->m = mo.v, e->mode = mode;
    if (mode == M_PLAIN && is_year(a)) {
        e->y = a.v;
        return j + 2;
    }
    /* "January and February 2024": the first month, the year of the second */
    if (mode == M_PLAIN && (is_range(a) || (a.cls == L_KW && a.v == K_AND))) {
        lx b = lex(c, j + 2), y = lex(c, j + 3);
        if (b.cls == L_MONTH && is_year(y)) {
            e->y = b.v < mo.v ? y.v - 1 : y.v;
            return j + 1;   /* the second month is an expression of its own */
        }
    }
    if (mo.abbr || (!lic && mode == M_PLAIN))
        return 0;
    return j + 1;
}

/* After a coarse modifier ("early", "late", "mid-", "the end of"): a month,
 * a year, a relative period, a weekday. */
static size_t p_coarse(sc *c, size_t k, ex *e)
{
    lx a = lex(c, k);
    if (a.cls == L_MONTH) {
        size_t end = p_month(c, k, LIC_IN, e, M_PLAIN);
        return e->kind == X_MONTH ? end : 0;   /* not "late March 17" */
    }
    if (is_year(a)) {
        *e = (ex){.kind = X_YEAR, .y = a.v};
        return k + 1;
    }
    if (a.cls == L_WDAY && !a.abbr)
        return p_wday(c, k, e, M_PLAIN);
    if (a.cls == L_KW && (a.v == K_LAST || a.v == K_THIS || a.v == K_NEXT)) {
        lx b = lex(c, k + 1);
        int off = a.v == K_LAST ? -1 : a.v == K_NEXT ? 1 : 0;
        if (b.cls == L_KW && (b.v == K_YEAR || b.v == K_MONTHW || b.v == K_WEEK)) {
            *e = (ex){.kind = b.v == K_YEAR ? X_RYEAR : b.v == K_MONTHW ? X_RMONTH : X_RWEEK,
                      .off = off};
            return k + 2;
        }
    }
    return 0;
}

/* "last", "this", "next" at j. */
static size_t p_lastnext(sc *c, size_t j, ex *e)
{
    lx a = lex(c, j), b = lex(c, j + 1);
    int off = a.v == K_LAST ? -1 : a.v == K_NEXT ? 1 : 0;
    int mode = a.v == K_LAST ? M_LAST : a.v == K_NEXT ? M_NEXT : M_THIS;
    if (b.cls == L_KW) {
        switch (b.v) {
        case K_WEEK: *e = (ex){.kind = X_RWEEK, .off = off}; return j + 2;
        case K_MONTHW: *e = (ex){.kind = X_RMONTH, .off = off}; return j + 2;
        case K_YEAR: *e = (ex){.kind = X_RYEAR, .off = off}; return j + 2;
        case K_WEEKEND:
            if (off > 0)
                return 0;
            *e = (ex){.kind = X_WEEKEND};
            return j + 2;
        case K_NIGHT:
            if (off >= 0)
                return 0;
            *e = (ex){.kind = X_RDAY, .off = -1};
            return j + 2;
        case K_PART:
            if (off)
                return 0;
            *e = (ex){.kind = X_RDAY, .off = 0};
            return j + 2;
        }
        return 0;
    }
    if (b.cls == L_WDAY && !b.abbr)
        return p_wday(c, j + 1, e, mode == M_THIS ? M_PLAIN : mode);
    if (b.cls == L_MONTH && !b.abbr)
        return p_month(c, j + 1, LIC_IN, e, mode);
    return 0;
}

/* "N days ago", "a day earlier", "three weeks ago" at j (the number). */
static size_t p_ago(sc *c, size_t j, ex *e)
{
    lx n = lex(c, j), u = lex(c, j + 1), a = lex(c, j + 2);
    if (!(n.cls == L_NUMW || (n.cls == L_NUM && !n.ord && n.v <= 5000)) || u.cls != L_KW)
        return 0;
    if (a.cls != L_KW || !(a.v == K_AGO || a.v == K_EARLIER ||
                           (a.v == K_BEFORE && is_stop(c, j + 3))))
        return 0;
    int kind = u.v == K_DAY ? X_RDAY : u.v == K_WEEK ? X_RWEEK :
               u.v == K_MONTHW ? X_RMONTH : u.v == K_YEAR ? X_RYEAR : 0;
    if (!kind)
        return 0;
    *e = (ex){.kind = kind, .off = -n.v};
    return j + 3;
}

/* "the" at j: "the 5th", "the 3rd of April", "the day before", "the
 * previous day", "the end of March", "the weekend". */
static size_t p_the(sc *c, size_t j, int lic, ex *e)
{
    lx a = lex(c, j + 1);
    if (a.cls == L_NUM && a.ord) {
        size_t end = p_dayfirst(c, j + 1, e);
        if (end)
            return end;
        if (lic != LIC_ON || !is_day(a))
            return 0;
        size_t k = j + 2;
        if (is_kw(c, k, K_OF) && is_kw(c, k + 2, K_MONTHW) &&
            (is_kw(c, k + 1, K_THIS) || is_kw(c, k + 1, K_THE)))
            k += 3;
        else if (!is_stop(c, k) && !is_kw(c, k, K_OF))
            return 0;
        *e = (ex){.kind = X_NTH, .d = a.v};
        return k;
    }
    if (a.cls != L_KW)
        return 0;
    switch (a.v) {
    case K_DAY:
        if (!is_kw(c, j + 2, K_BEFORE))
            return 0;
        if (is_kw(c, j + 3, K_YESTERDAY)) {
            *e = (ex){.kind = X_RDAY, .off = -2};
            return j + 4;
        }
        if (!is_stop(c, j + 3))
            return 0;
        *e = (ex){.kind = X_RDAY, .off = -1};
        return j + 3;
    case K_PREVIOUS:
        if (!is_kw(c, j + 2, K_DAY))
            return 0;
        *e = (ex){.kind = X_RDAY, .off = -1};
        return j + 3;
    case K_END: case K_BEGIN:
        return is_kw(c, j + 2, K_OF) ? p_coarse(c, j + 3, e) : 0;
    case K_WEEKEND:
        if (lic == LIC_NONE)
            return 0;
        *e = (ex){.kind = X_WEEKEND};
        return j + 2;
    }
    return 0;
}

/* The expression proper at j, after any preposition. */
static size_t p_core(sc *c, size_t j, int lic, ex *e)
{
    lx a = lex(c, j);
    switch (a.cls) {
    case L_WDAY:
        return p_wday(c, j, e, M_PLAIN);
    case L_MONTH:
        return p_month(c, j, lic, e, M_PLAIN);
    case L_NUM: {
        if (a.nd == 4 && !a.ord && glued(c, j + 1) && lex(c, j + 1).cls == L_DASH &&
            lex(c, j + 3).cls == L_DASH && glued(c, j + 4)) {
            lx m = lex(c, j + 2), d = lex(c, j + 4);
            if (m.cls == L_NUM && d.cls == L_NUM && !m.ord && !d.ord && m.nd <= 2 &&
                d.nd <= 2 && valid_ymd(a.v, m.v, d.v)) {
                *e = (ex){.kind = X_DATE, .y = a.v, .m = m.v, .d = d.v};
                return j + 5;
            }
        }
        size_t end = p_dayfirst(c, j, e);
        if (end)
            return end;
        if (is_year(a) && lic == LIC_IN) {
            *e = (ex){.kind = X_YEAR, .y = a.v};
            return j + 1;
        }
        *e = (ex){.wd = -1};
        return p_ago(c, j, e);
    }
    case L_NUMW:
        return p_ago(c, j, e);
    case L_KW:
        break;
    default:
        return 0;
    }
    switch (a.v) {
    case K_YESTERDAY: *e = (ex){.kind = X_RDAY, .off = -1}; return j + 1;
    case K_TODAY: *e = (ex){.kind = X_RDAY, .off = 0}; return j + 1;
    case K_TOMORROW: *e = (ex){.kind = X_RDAY, .off = 1}; return j + 1;
    case K_LAST: case K_THIS: case K_NEXT:
        return p_lastnext(c, j, e);
    case K_EARLIER: case K_LATER:
        if (is_kw(c, j + 1, K_TODAY)) {
            *e = (ex){.kind = X_RDAY, .off = 0};
            return j + 2;
        }
        if (is_kw(c, j + 1, K_THIS)) {
            size_t end = p_lastnext(c, j + 1, e);
            return end && e->kind != X_WDAY && e->kind != X_MONTH ? end : 0;
        }
        return 0;
    case K_EARLY: case K_LATE: case K_MID: {
        size_t k = j + 1;
        if (lex(c, k).cls == L_DASH && glued(c, k))
            k++;
        return p_coarse(c, k, e);
    }
    case K_END: case K_BEGIN:
        return is_kw(c, j + 1, K_OF) ? p_coarse(c, j + 2, e) : 0;
    case K_THE:
        return p_the(c, j, lic, e);
    }
    return 0;
}

/* A whole expression anchored at token i; fills *e and returns 1. */
static int p_expr(sc *c, size_t i, ex *e)
{
    size_t j = i;
    int lic = LIC_NONE, night = 0, into = 0;
    lx a = lex(c, j);
    if (a.cls == L_KW && (a.v == K_ON || a.v == K_IN || a.v == K_DURING || a.v == K_OVER ||
                          a.v == K_AT)) {
        lic = a.v == K_ON ? LIC_ON : a.v == K_OVER || a.v == K_AT ? LIC_OVER : LIC_IN;
        a = lex(c, ++j);
    }
    if (a.cls == L_KW && a.v == K_OVERNIGHT) {
        night = 1;
        a = lex(c, ++j);
        if (a.cls == L_KW && (a.v == K_ON || a.v == K_FROM || a.v == K_OF))
            j++;
        else if (a.cls == L_KW && (a.v == K_INTO || a.v == K_BETWEEN))
            j++, into = 1;   /* "overnight into April 3", "between April 2 and 3" */
    } else if (a.cls == L_KW && a.v == K_THE && is_kw(c, j + 1, K_NIGHT) && is_kw(c, j + 2, K_OF)) {
        night = 1, j += 3;
    } else if (a.cls == L_KW && a.v == K_NIGHT && is_kw(c, j + 1, K_OF)) {
        night = 1, j += 2;
    }
    if (night && is_kw(c, j, K_FROM))
        j++;
    *e = (ex){.wd = -1};
    size_t end = p_core(c, j, lic, e);
    if (!end)
        return 0;
    e->tok0 = i, e->tok1 = end;
    if (night && (e->range || into))
        e->none = 1;
    return 1;
}

/* Whether a token of this class may begin an expression: most tokens are
 * rejected here with one look-up. */
static int may_start(lx a)
{
    switch (a.cls) {
    case L_NUM: case L_NUMW: case L_MONTH: case L_WDAY:
        return 1;
    case L_KW:
        switch (a.v) {
        case K_ON: case K_IN: case K_DURING: case K_OVER: case K_AT: case K_OVERNIGHT:
        case K_THE: case K_NIGHT: case K_YESTERDAY: case K_TODAY: case K_TOMORROW:
        case K_LAST: case K_THIS: case K_NEXT: case K_EARLIER: case K_LATER: case K_EARLY:
        case K_LATE: case K_MID: case K_END: case K_BEGIN:
            return 1;
        }
        return 0;
    }
    return 0;
}

/* The next expression at or after *i; advances *i past it. */
static int scan_next(sc *c, size_t *i, ex *e)
{
    for (; *i < c->n; (*i)++) {
        if (!may_start(lex(c, *i)))
            continue;
        if (p_expr(c, *i, e)) {
            *i = e->tok1;
            return 1;
        }
    }
    return 0;
}

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
    for (int k = 0; k < 8 && !valid_ymd(y, m, d); k++)
        y--;
    return y;
}

static int set(sr_date_match *out, int y, int m, int d, int precision)
{
    if (!valid_ymd(y, m, d))
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
                    if (!valid_ymd(y, e->m, e->d))
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
    sc c = {.t = text, .tk = toks, .n = ntok};
    ex e, before;
    int have_before = 0;
    size_t i = 0;
    while (scan_next(&c, &i, &e)) {
        if (e.tok1 <= near) {
            before = e, have_before = 1;
            continue;
        }
        if (e.tok0 <= near || !have_before)
            return finish(&e, docdate, source, out);
        /* the first expression after near: is it in near's clause? */
        for (size_t k = near + 1; k < e.tok0; k++) {
            lx a = lex(&c, k);
            if (a.cls == L_COMMA || a.cls == L_DOT || a.cls == L_BOUND ||
                (a.cls == L_KW && a.v == K_CLAUSE))
                return finish(&before, docdate, source, out);
        }
        return finish(&e, docdate, source, out);
    }
    return have_before ? finish(&before, docdate, source, out) : 0;
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
        sc c = {.t = expr, .tk = sp.toks + sp.sents[s].tok0, .n = sp.sents[s].ntok};
        size_t i = 0;
        ex e;
        if (scan_next(&c, &i, &e)) {
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
    return valid_ymd(y, m, d) ? pack(y, m, d) : 0;
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

sr_ymd sr_date_of_document(const char *published, const char *text, size_t len, int *source)
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
    sr_split sp = {0};
    size_t top = len < DATELINE_BYTES ? len : DATELINE_BYTES;
    if (top < len) {
        size_t k = top;
        while (k > 0 && text[k - 1] != '\n')
            k--;
        if (k > 0)
            top = k;
    }
    sr_text_split(text, top, &sp);
    for (size_t s = 0; s < sp.nsents && !v; s++) {
        sc c = {.t = text, .tk = sp.toks + sp.sents[s].tok0, .n = sp.sents[s].ntok};
        size_t i = 0;
        ex e;
        while (!v && scan_next(&c, &i, &e)) {
            if (e.kind != X_DATE || !e.y || !valid_ymd(e.y, e.m, e.d))
                continue;
            size_t core = e.tok0;
            lx a = lex(&c, core);
            if (a.cls == L_KW && (a.v == K_ON || a.v == K_IN))
                core = (size_t)-1;   /* "On April 3, 2025, ..." opens a sentence */
            else
                core = c.tk[core].start;
            if (dateline_at(text, top, c.tk[e.tok0].start, core))
                v = pack(e.y, e.m, e.d);
        }
    }
    if (v) {
        *source = SR_DOCDATE_DATELINE;
        sr_split_free(&sp);
        return v;
    }
    sr_text_split(text, len, &sp);
    for (size_t s = 0; s < sp.nsents; s++) {
        sc c = {.t = text, .tk = sp.toks + sp.sents[s].tok0, .n = sp.sents[s].ntok};
        size_t i = 0;
        ex e;
        while (scan_next(&c, &i, &e)) {
            sr_ymd d = 0;
            if (e.kind == X_DATE && e.y && valid_ymd(e.y, e.m, e.d))
                d = pack(e.y, e.m, e.d);
            else if (e.kind == X_MONTH && e.y && valid_ymd(e.y, e.m, 1))
                d = pack(e.y, e.m, 1);
            if (d > v)
                v = d;
        }
    }
    sr_split_free(&sp);
    if (v)
        *source = SR_DOCDATE_INFERRED;
    return v;
}
