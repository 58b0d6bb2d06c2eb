/* scan.c — the date-expression scanner of src/time (scan.h): a lexicon of
 * month, weekday and keyword tokens and a grammar over sr_text_split
 * tokens. dates.c resolves what it finds against the document date.
 *
 * Expressions are anchored at their first token (a preposition such as
 * "on", "in", "overnight" or "the night of" belongs to the expression).
 * Month and weekday names must be capitalised; a bare month ("in March")
 * or year ("in 2014") needs a licensing word before it; short forms (Jan.,
 * Sept, Tue) need a day or year. The grammar, row by row, is the table in
 * tests/unit/test_dates.c.
 */
#include "scan.h"

#include <string.h>

typedef sr_time_lx lx;
typedef sr_time_scan sc;
typedef sr_time_expr ex;

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

/* Inlined: the scanner asks for every token of every coded sentence, and
 * a call returning the struct cost more than the memo saves. */
static inline __attribute__((always_inline)) lx lex(sc *c, size_t i)
{
    size_t slot = i % SR_TIME_MEMO;
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
    return a.cls == L_NUM && a.nd == 4 && !a.ord && a.v >= SR_TIME_YEAR_MIN && a.v <= SR_TIME_YEAR_MAX;
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

/* ---- grammar ---- */




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
    return sr_time_valid_ymd(e->y ? e->y : 2000, e->m, e->d);
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
                d.nd <= 2 && sr_time_valid_ymd(a.v, m.v, d.v)) {
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

int sr_time_scan_next(sc *c, size_t *i, ex *e)
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

void sr_time_scan_init(sc *c, const char *text, const sr_token *toks, size_t n)
{
    memset(c, 0, sizeof *c);
    c->t = text, c->tk = toks, c->n = n;
}

int sr_time_clause_break(sc *c, size_t k)
{
    lx a = lex(c, k);
    return a.cls == L_COMMA || a.cls == L_DOT || a.cls == L_BOUND ||
           (a.cls == L_KW && a.v == K_CLAUSE);
}

int sr_time_is_prep(sc *c, size_t k)
{
    lx a = lex(c, k);
    return a.cls == L_KW && (a.v == K_ON || a.v == K_IN);
}
