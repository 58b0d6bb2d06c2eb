/* boiler.c — data-driven removal of web boilerplate ("Share this",
 * cookie banners, photo credits) from document text.
 *
 * Owns struct sr_boiler: the rules of dict/boilerplate.txt, whose format is
 * documented at the top of that file (and in docs/DICTIONARIES.md). Three
 * rule kinds: `line` (a glob the whole short line must match), `prefix`
 * (a short line starting with a text) and `inline` (a fragment cut from
 * inside a line). Matching is ASCII case-insensitive and linear-ish: globs
 * use the iterative algorithm that backtracks only to the last star, and
 * only lines of at most SR_BOILER_MAX_LINE bytes are tested against them.
 */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SR_BOILER_MAX_LINE 300  /* longer lines are never boilerplate */
#define MAX_PATTERN 200         /* bytes per pattern, after normalisation */
#define MAX_GAP 200             /* bytes between an inline START and END */
#define NPOS ((size_t)-1)

enum { R_LINE, R_PREFIX, R_INLINE };

/* One step of a compiled glob. */
enum { OP_LIT, OP_ANY, OP_STAR, OP_CLASS };
typedef struct op {
    unsigned char kind;     /* OP_* */
    unsigned char c;        /* OP_LIT: the byte, lower-cased */
    unsigned short cls;     /* OP_CLASS: index into sr_boiler.classes */
} op;

typedef struct rule {
    int kind;               /* R_* */
    op *ops;                /* R_LINE: compiled glob, owned */
    size_t nops;
    char *text;             /* R_PREFIX, R_INLINE: literal (START), lower-cased, owned */
    size_t ntext;
    char *end;              /* R_INLINE: END literal or NULL for an exact cut, owned */
    size_t nend;
    unsigned char need[32]; /* R_LINE: its longest literal run (lower case), which a
                               matching line must contain: a memmem test spares the
                               glob's backtracking on the many lines that lack it */
    size_t nneed;
    size_t anchor;          /* R_LINE: the index of need's rarest byte, searched first */
} rule;

struct sr_boiler {
    rule *rules;            /* in file order, owned */
    size_t n, cap;
    unsigned char (*classes)[32];  /* 256-bit byte sets for [...] */
    size_t nclasses, capclasses;
    int has_linerules;      /* any R_LINE or R_PREFIX rule */
    int has_inline;         /* any R_INLINE rule */
    /* Line and prefix rules indexed by the (lower-case) byte a matching
     * line must start with: rules first[c]..first[c+1] of byfirst, then
     * the rules that can start with anything (anyfirst). */
    size_t *byfirst, first[257];
    size_t *anyfirst, nany;
    size_t *inl, ninl;      /* the inline rules, in file order */
};

/* ---- loading ---- */

static void lower_copy(char *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (char)sr_lower((unsigned char)src[i]);
}

/* Copies s[0..n) to dst with runs of spaces and tabs collapsed to one
 * space; returns the new length (<= n). */
static size_t collapse(char *dst, const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i] == '\t' ? ' ' : s[i];
        if (c == ' ' && w > 0 && dst[w - 1] == ' ')
            continue;
        dst[w++] = c;
    }
    return w;
}

/* Compiles glob p[0..n) into b's rule r. Returns NULL or a reason. */
static const char *compile_glob(sr_boiler *b, rule *r, const char *p, size_t n)
{
    r->ops = sr_xmalloc(n * sizeof *r->ops);
    size_t nops = 0, literal = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        op o = {OP_LIT, 0, 0};
        if (c == '*') {
            if (nops > 0 && r->ops[nops - 1].kind == OP_STAR)
                continue;
            o.kind = OP_STAR;
        } else if (c == '?') {
            o.kind = OP_ANY;
        } else if (c == '[') {
            SR_GROW(b->classes, b->capclasses, b->nclasses + 1);
            unsigned char *set = b->classes[b->nclasses];
            memset(set, 0, 32);
            size_t j = i + 1;
            int neg = j < n && (p[j] == '!' || p[j] == '^');
            if (neg)
                j++;
            size_t first = j;
            for (; j < n && (p[j] != ']' || j == first); j++) {
                unsigned char lo = (unsigned char)p[j], hi = lo;
                if (lo == '\\') {
                    if (++j == n)
                        return "trailing '\\' in pattern";
                    lo = hi = (unsigned char)p[j];
                } else if (j + 2 < n && p[j + 1] == '-' && p[j + 2] != ']') {
                    hi = (unsigned char)p[j + 2];
                    j += 2;
                }
                if (lo >= 0x80 || hi >= 0x80)
                    return "non-ASCII character in [...] class";
                if (hi < lo)
                    return "reversed range in [...] class";
                for (unsigned k = lo; k <= hi; k++) {
                    unsigned l = (unsigned)sr_lower((int)k), u = k;
                    if (k >= 'a' && k <= 'z')
                        u = k - 32;
                    set[k >> 3] |= (unsigned char)(1u << (k & 7));
                    set[l >> 3] |= (unsigned char)(1u << (l & 7));
                    set[u >> 3] |= (unsigned char)(1u << (u & 7));
                }
            }
            if (j >= n)
                return "unclosed '[' in pattern";
            if (neg)
                for (int k = 0; k < 32; k++)
                    set[k] = (unsigned char)~set[k];
            o.kind = OP_CLASS;
            o.cls = (unsigned short)b->nclasses++;
            literal++;
            i = j;
        } else {
            if (c == '\\') {
                if (++i == n)
                    return "trailing '\\' in pattern";
                c = (unsigned char)p[i];
            }
            o.c = (unsigned char)sr_lower(c);
            literal++;
        }
        r->ops[nops++] = o;
    }
    r->nops = nops;
    if (literal < 2)
        return "pattern needs at least 2 literal characters";
    return NULL;
}

/* Parses one rule line (kind, white space, pattern; already trimmed).
 * Returns NULL or the reason it is invalid. */
static const char *parse_rule(sr_boiler *b, const char *s, size_t n, char *kindbuf,
                              size_t kindsize)
{
    size_t k = 0;
    while (k < n && s[k] != ' ' && s[k] != '\t')
        k++;
    snprintf(kindbuf, kindsize, "%.*s", (int)(k < 40 ? k : 40), s);
    int kind;
    if (k == 4 && !memcmp(s, "line", 4))
        kind = R_LINE;
    else if (k == 6 && !memcmp(s, "prefix", 6))
        kind = R_PREFIX;
    else if (k == 6 && !memcmp(s, "inline", 6))
        kind = R_INLINE;
    else
        return "unknown rule kind";
    const char *p = s + k;
    size_t pn = n - k;
    while (pn && (*p == ' ' || *p == '\t'))
        p++, pn--;
    if (pn == 0)
        return "empty pattern";
    char pat[MAX_PATTERN];
    if (pn > MAX_PATTERN)
        return "pattern too long";
    pn = collapse(pat, p, pn);

    SR_GROW(b->rules, b->cap, b->n + 1);
    rule *r = &b->rules[b->n];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    b->n++;     /* counted now so sr_boiler_free releases a half-built rule */
    if (kind == R_LINE) {
        b->has_linerules = 1;
        return compile_glob(b, r, pat, pn);
    }
    const char *end = NULL;
    size_t nend = 0;
    if (kind == R_INLINE) {
        b->has_inline = 1;
        for (size_t i = 0; i + 5 <= pn; i++)
            if (!memcmp(pat + i, " ... ", 5)) {
                end = pat + i + 5;
                nend = pn - i - 5;
                pn = i;
                break;
            }
        if ((end && nend == 0) || (!end && pn >= 4 && !memcmp(pat + pn - 4, " ...", 4)))
            return "inline rule needs END text after ' ... '";
        if (pn == 0)
            return "empty pattern";
    } else
        b->has_linerules = 1;
    if (pn < 2)
        return "pattern needs at least 2 characters";
    r->text = sr_xmalloc(pn);
    lower_copy(r->text, pat, pn);
    r->ntext = pn;
    if (end) {
        r->end = sr_xmalloc(nend);
        lower_copy(r->end, end, nend);
        r->nend = nend;
    }
    return NULL;
}

/* The byte a line must start with to match r, or -1 if any can. */
static int first_byte(const rule *r)
{
    if (r->kind == R_PREFIX)
        return (unsigned char)r->text[0];
    if (r->nops && r->ops[0].kind == OP_LIT)
        return r->ops[0].c;
    return -1;
}

/* The longest run of literal bytes in a glob (up to sizeof need). */
static void find_need(rule *r)
{
    size_t best = 0, bestat = 0;
    for (size_t i = 0; i < r->nops;) {
        size_t j = i;
        while (j < r->nops && r->ops[j].kind == OP_LIT)
            j++;
        if (j - i > best) {
            best = j - i;
            bestat = i;
        }
        i = j > i ? j : i + 1;
    }
    if (best > sizeof r->need)
        best = sizeof r->need;
    for (size_t k = 0; k < best; k++)
        r->need[k] = r->ops[bestat + k].c;
    r->nneed = best;
    /* anchor the search on the need's least common byte in English text
     * ('+' of "ctrl + enter", 'v' of "reserved"): memchr then stops at few
     * places; common letters first would stop at every other word */
    static const char common[] = " etaoinshrdlcumwfgypbvkjxqz";
    size_t rank = 0;
    r->anchor = 0;
    for (size_t k = 0; k < best; k++) {
        const char *c = memchr(common, r->need[k], sizeof common - 1);
        size_t rk = c ? (size_t)(c - common) : sizeof common; /* not a letter: rarer */
        if (rk > rank) {
            rank = rk;
            r->anchor = k;
        }
    }
}

/* Builds the first-byte index, so a line is only tried against the rules
 * that could match it. */
static void index_rules(sr_boiler *b)
{
    size_t count[256] = {0};
    b->byfirst = sr_xmalloc((b->n ? b->n : 1) * sizeof *b->byfirst);
    b->anyfirst = sr_xmalloc((b->n ? b->n : 1) * sizeof *b->anyfirst);
    b->inl = sr_xmalloc((b->n ? b->n : 1) * sizeof *b->inl);
    for (size_t i = 0; i < b->n; i++) {
        if (b->rules[i].kind == R_INLINE) {
            b->inl[b->ninl++] = i;
            continue;
        }
        if (b->rules[i].kind == R_LINE)
            find_need(&b->rules[i]);
        int c = first_byte(&b->rules[i]);
        if (c < 0)
            b->anyfirst[b->nany++] = i;
        else
            count[c]++;
    }
    b->first[0] = 0;
    for (int c = 0; c < 256; c++)
        b->first[c + 1] = b->first[c] + count[c];
    size_t fill[256];
    memcpy(fill, b->first, sizeof fill);
    for (size_t i = 0; i < b->n; i++) {
        int c = b->rules[i].kind == R_INLINE ? -1 : first_byte(&b->rules[i]);
        if (c >= 0)
            b->byfirst[fill[c]++] = i;
    }
}

typedef struct badutf8 {
    size_t first;   /* offset of the first invalid byte, or NPOS */
} badutf8;

static void note_bad(void *ud, size_t off, const char *what)
{
    badutf8 *b = ud;
    (void)what;
    if (b->first == NPOS)
        b->first = off;
}

int sr_boiler_load(const char *path, sr_boiler **out, sr_err *err)
{
    char *raw;
    size_t rawlen;
    int rc = sr_read_file(path, &raw, &rawlen, err);
    if (rc) {
        /* a missing rule file is a dictionary problem for the caller */
        if (err)
            err->code = SR_DICT;
        return SR_DICT;
    }
    /* Rules are normalised like document text, so a pattern written with
     * curly quotes or "…" matches the normalised text. */
    badutf8 bad = {NPOS};
    sr_buf text = {0};
    sr_text_normalize(raw, rawlen, &text, note_bad, &bad);
    if (bad.first != NPOS) {
        long line = 1;
        for (size_t i = 0; i < bad.first; i++)
            line += raw[i] == '\n';
        free(raw);
        sr_buf_free(&text);
        return sr_err_set(err, SR_DICT, path, line, "invalid UTF-8");
    }
    free(raw);

    sr_boiler *b = sr_xcalloc(1, sizeof *b);
    long lineno = 0;
    const char *s = text.p, *end = text.p + text.n;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        lineno++;
        const char *a = s, *z = e;
        while (a < z && (*a == ' ' || *a == '\t'))
            a++;
        while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
            z--;
        s = nl ? nl + 1 : end;
        if (a == z || *a == '#')
            continue;
        char kind[48];
        const char *why = parse_rule(b, a, (size_t)(z - a), kind, sizeof kind);
        if (why) {
            if (!strcmp(why, "unknown rule kind"))
                sr_err_set(err, SR_DICT, path, lineno,
                           "unknown rule kind '%s' (expected line, prefix or inline)",
                           kind);
            else if (!strcmp(why, "pattern too long"))
                sr_err_set(err, SR_DICT, path, lineno,
                           "pattern too long (more than %d bytes)", MAX_PATTERN);
            else
                sr_err_set(err, SR_DICT, path, lineno, "%s", why);
            sr_boiler_free(b);
            sr_buf_free(&text);
            return SR_DICT;
        }
    }
    sr_buf_free(&text);
    index_rules(b);
    *out = b;
    return SR_OK;
}

void sr_boiler_free(sr_boiler *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->rules[i].ops);
        free(b->rules[i].text);
        free(b->rules[i].end);
    }
    free(b->rules);
    free(b->classes);
    free(b->byfirst);
    free(b->anyfirst);
    free(b->inl);
    free(b);
}

size_t sr_boiler_count(const sr_boiler *b)
{
    return b ? b->n : 0;
}

/* ---- matching ---- */

static size_t char_len(const unsigned char *s, size_t i, size_t n)
{
    size_t k = 1;
    if (s[i] >= 0xC0)
        while (i + k < n && (s[i + k] & 0xC0) == 0x80 && k < 4)
            k++;
    return k;
}

/* Whether the whole of s[0..n) matches the glob. Iterative; on a mismatch
 * it backtracks only to the most recent star, which is enough for globs
 * and bounds the work by nops * n. */
static int glob_match(const sr_boiler *b, const rule *r, const unsigned char *s,
                      size_t n)
{
    const op *p = r->ops;
    size_t np = r->nops, pi = 0, si = 0, star = NPOS, mark = 0;
    while (si < n) {
        if (pi < np) {
            const op *o = &p[pi];
            if (o->kind == OP_STAR) {
                star = pi++;
                mark = si;
                continue;
            }
            if (o->kind == OP_ANY) {
                si += char_len(s, si, n);
                pi++;
                continue;
            }
            if (o->kind == OP_LIT ? (unsigned char)sr_lower(s[si]) == o->c
                                  : (b->classes[o->cls][s[si] >> 3] >> (s[si] & 7)) & 1) {
                si++;
                pi++;
                continue;
            }
        }
        if (star == NPOS)
            return 0;
        pi = star + 1;
        mark += char_len(s, mark, n);
        si = mark;
    }
    while (pi < np && p[pi].kind == OP_STAR)
        pi++;
    return pi == np;
}

static int prefix_match(const rule *r, const char *s, size_t n)
{
    if (n < r->ntext)
        return 0;
    for (size_t i = 0; i < r->ntext; i++)
        if (sr_lower((unsigned char)s[i]) != (unsigned char)r->text[i])
            return 0;
    return 1;
}

/* Whether s[0..n) contains needle[0..nn) (a short line, a short needle),
 * looking for its byte at index `at` first. */
static int contains(const char *s, size_t n, const unsigned char *needle, size_t nn, size_t at)
{
    if (nn > n)
        return 0;
    /* the needle's byte `at` lies in s[at, n - nn + at] */
    for (const char *p = s + at, *last = s + (n - nn) + at; p <= last; p++) {
        p = memchr(p, needle[at], (size_t)(last - p) + 1);
        if (!p)
            return 0;
        if (!memcmp(p - at, needle, nn))
            return 1;
    }
    return 0;
}

/* Whether the (untrimmed) line s[0..n) is dropped by a line or prefix rule. */
static int line_is_boiler(const sr_boiler *b, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n > SR_BOILER_MAX_LINE)
        return 0;
    /* the first byte (never white space here) picks the candidate rules:
     * most lines have none, and need no copies */
    unsigned c = (unsigned char)sr_lower((unsigned char)s[0]);
    if (b->first[c] == b->first[c + 1] && !b->nany)
        return 0;
    /* collapse() and a lower-case copy in one pass */
    char buf[SR_BOILER_MAX_LINE], low[SR_BOILER_MAX_LINE];
    size_t w = 0;
    char last = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i] == '\t' ? ' ' : s[i];
        if (ch == ' ' && last == ' ')
            continue;
        last = buf[w] = ch;
        low[w++] = (char)sr_lower((unsigned char)ch);
    }
    n = w;
    for (size_t k = b->first[c]; k < b->first[c + 1] + b->nany; k++) {
        size_t i = k < b->first[c + 1] ? b->byfirst[k] : b->anyfirst[k - b->first[c + 1]];
        const rule *r = &b->rules[i];
        if (r->kind == R_LINE) {
            if (r->nneed && !contains(low, n, r->need, r->nneed, r->anchor))
                continue;
            if (glob_match(b, r, (const unsigned char *)buf, n))
                return 1;
        } else if (prefix_match(r, buf, n)) {
            return 1;
        }
    }
    return 0;
}

/* First case-insensitive occurrence of needle (lower-cased) starting in
 * s[from..n) and contained in s[0..n), or NPOS. */
static size_t find_ci(const char *s, size_t n, size_t from, const char *needle,
                      size_t nn)
{
    if (nn > n)
        return NPOS;
    unsigned char first = (unsigned char)needle[0];
    int caseless = first >= 'a' && first <= 'z';
    for (size_t i = from; i + nn <= n; i++) {
        if (!caseless) {
            /* most fragments start with punctuation: let memchr skip */
            const char *p = memchr(s + i, first, n - nn + 1 - i);
            if (!p)
                return NPOS;
            i = (size_t)(p - s);
        } else if ((unsigned char)sr_lower((unsigned char)s[i]) != first)
            continue;
        size_t k = 1;
        while (k < nn && (unsigned char)sr_lower((unsigned char)s[i + k]) ==
                             (unsigned char)needle[k])
            k++;
        if (k == nn)
            return i;
    }
    return NPOS;
}

static int closes_phrase(char c)
{
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?';
}

/* Cuts every fragment of inline rule r out of s[0..n) in one compacting
 * pass and returns the new length. The white space around a cut is tidied
 * ("Putin (photo: X) said" -> "Putin said"). An END that is absent after
 * one START is not searched for again over the same bytes, keeping the
 * pass linear even on lines full of unmatched STARTs. */
static size_t cut_inline(const rule *r, char *s, size_t n)
{
    size_t rd = 0, w = 0, from = 0, scanned = 0;
    for (;;) {
        size_t st = find_ci(s, n, from, r->text, r->ntext);
        if (st == NPOS)
            break;
        size_t stop = st + r->ntext;
        if (r->end) {
            size_t a = stop > scanned ? stop : scanned;
            size_t lim = stop + MAX_GAP + r->nend;
            if (lim > n)
                lim = n;
            size_t e = a < lim ? find_ci(s, lim, a, r->end, r->nend) : NPOS;
            if (e == NPOS) {
                if (lim >= r->nend && lim - r->nend + 1 > scanned)
                    scanned = lim - r->nend + 1;
                from = st + 1;
                continue;
            }
            stop = e + r->nend;
        }
        memmove(s + w, s + rd, st - rd);
        w += st - rd;
        if (stop < n && s[stop] == ' ' && (w == 0 || s[w - 1] == ' '))
            stop++;
        else if (w > 0 && s[w - 1] == ' ' && (stop == n || closes_phrase(s[stop])))
            w--;
        rd = from = scanned = stop;
    }
    memmove(s + w, s + rd, n - rd);
    return w + (n - rd);
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

/* Lines are tested, then compacted towards the start of text. A dropped
 * line takes its newline with it, and a blank line that would follow
 * another blank line across dropped lines goes too, so "A\n\nShare\n\nB"
 * becomes "A\n\nB". */
size_t sr_boiler_apply(const sr_boiler *b, char *text, size_t len)
{
    if (!b || (!b->has_linerules && !b->has_inline))
        return len;
    size_t rd = 0, w = 0;
    int dropped = 0, prev_blank = 1;
    while (rd < len) {
        const char *nl = memchr(text + rd, '\n', len - rd);
        size_t n = nl ? (size_t)(nl - (text + rd)) : len - rd;
        size_t next = rd + n + (nl != NULL);
        if (is_blank(text + rd, n)) {
            if (!(dropped && prev_blank)) {
                memmove(text + w, text + rd, next - rd);
                w += next - rd;
                prev_blank = 1;
            }
            rd = next;
            continue;
        }
        if (b->has_linerules && line_is_boiler(b, text + rd, n)) {
            dropped = 1;
            rd = next;
            continue;
        }
        if (w != rd)
            memmove(text + w, text + rd, next - rd);
        size_t m = n;
        for (size_t i = 0; i < b->ninl; i++)
            m = cut_inline(&b->rules[b->inl[i]], text + w, m);
        if (m < n && is_blank(text + w, m)) {
            dropped = 1;
            rd = next;
            continue;
        }
        w += m;
        if (nl)
            text[w++] = '\n';
        prev_blank = dropped = 0;
        rd = next;
    }
    text[w] = 0;
    return w;
}
