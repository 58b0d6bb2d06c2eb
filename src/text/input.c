/* input.c — documents (struct sr_doc) and inputs (struct sr_input): the
 * public sr_doc_* and sr_input_* calls of include/sitrep.h.
 *
 * A document is built from raw bytes: charset (UTF-16 BOM, or an HTML meta
 * charset on bytes that are not UTF-8) -> HTML text extraction (html.c) ->
 * normalisation (normalize.c) -> boilerplate removal (boiler.c). Every
 * repair becomes a warning on the document. An input walks the paths it was
 * given (files, directories, JSONL feeds, stdin) and yields one document at
 * a time; JSONL is read in blocks, a line at a time, never whole, and one
 * bad item is reported without ending the walk.
 */
#include "text.h"
#include "../dict/dict.h"

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yajl/yajl_parse.h>

#define SR_DOC_MAX ((size_t)64 << 20)   /* bytes per document or JSONL line */
#define MAX_UTF8_WARNINGS 20            /* then one summary warning */
#define READ_BLOCK 65536                /* JSONL read size */

/* ---- documents ---- */

void sr_doc_warnf(sr_doc *doc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *s = sr_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    SR_GROW(doc->warnings, doc->capwarn, doc->nwarn + 1);
    doc->warnings[doc->nwarn++] = s;
}

static int two_digits(const char *s, int *v)
{
    if (!sr_is_digit(s[0]) || !sr_is_digit(s[1]))
        return 0;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return 1;
}

/* Parses "YYYY-MM-DD" or an RFC 3339 date-time ("2025-04-03T08:15:00Z",
 * "...+03:00", fractional seconds, 't' or ' ' as separator) and writes the
 * calendar date to ymd. Returns 0 if s is not such a date or names a day
 * that does not exist (2025-02-29). */
static int parse_date(const char *s, char ymd[11])
{
    int y = 0, m, d;
    for (int i = 0; i < 4; i++) {
        if (!sr_is_digit(s[i]))
            return 0;
        y = y * 10 + (s[i] - '0');
    }
    if (s[4] != '-' || !two_digits(s + 5, &m) || s[7] != '-' || !two_digits(s + 8, &d))
        return 0;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
        return 0;
    const char *t = s + 10;
    if (*t) {
        int hh, mm, ss;
        if ((*t != 'T' && *t != 't' && *t != ' ') || !two_digits(t + 1, &hh) ||
            t[3] != ':' || !two_digits(t + 4, &mm) || hh > 23 || mm > 59)
            return 0;
        t += 6;
        if (*t == ':') {
            if (!two_digits(t + 1, &ss) || ss > 60)
                return 0;
            t += 3;
            if (*t == '.') {
                if (!sr_is_digit(t[1]))
                    return 0;
                for (t++; sr_is_digit(*t); t++)
                    ;
            }
        }
        if (*t == 'Z' || *t == 'z')
            t++;
        else if (*t == '+' || *t == '-') {
            if (!two_digits(t + 1, &hh) || t[3] != ':' || !two_digits(t + 4, &mm) ||
                hh > 23 || mm > 59)
                return 0;
            t += 6;
        }
        if (*t)
            return 0;
    }
    memcpy(ymd, s, 10);
    ymd[10] = 0;
    return 1;
}

/* Collects invalid-UTF-8 warnings for one document, capped. */
typedef struct utf8warn {
    sr_doc *doc;
    size_t count;       /* repairs seen */
} utf8warn;

static void warn_utf8(void *ud, size_t off, const char *what)
{
    utf8warn *w = ud;
    (void)what;
    if (w->count++ < MAX_UTF8_WARNINGS)
        sr_doc_warnf(w->doc, "invalid UTF-8 at byte %zu replaced with U+FFFD", off);
}

static void warn_utf8_done(utf8warn *w)
{
    if (w->count > MAX_UTF8_WARNINGS)
        sr_doc_warnf(w->doc, "%zu more invalid UTF-8 sequences replaced with U+FFFD",
                     w->count - MAX_UTF8_WARNINGS);
}

/* Whether s is valid UTF-8 without NUL bytes: the common case, which
 * needs no copy. */
static int clean_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* eight ASCII bytes without a NUL at a time: most of the text */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if ((v & 0x8080808080808080ull) ||
                ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            int32_t cp;
            size_t k = sr_utf8_decode(s + i, n - i, &cp);
            if (!k)
                return 0;
            i += k;
        } else if (c == 0)
            return 0;
        else
            i++;
    }
    return 1;
}

/* Copies s to out with NUL bytes dropped and each ill-formed sequence
 * replaced by U+FFFD, reported through warn with its offset in s. Used
 * where the bytes are still markup (HTML, JSON) and sr_text_normalize's
 * typography would change their syntax. */
static void repair_utf8(const char *s, size_t n, sr_buf *out, sr_text_warn_fn warn,
                        void *ud)
{
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k = 1;
        if (c >= 0x80) {
            int32_t cp;
            k = sr_utf8_decode(s + i, n - i, &cp);
        }
        if (k && c) {
            i += k;
            continue;
        }
        sr_buf_put(out, s + run, i - run);
        if (c) {
            warn(ud, i, "invalid UTF-8");
            sr_buf_put(out, "\xEF\xBF\xBD", 3);
            i += sr_utf8_bad_len((const unsigned char *)s + i, n - i);
        } else
            i++;
        run = i;
    }
    sr_buf_put(out, s + run, n - run);
}

/* Converts s from charset `from` to UTF-8 with iconv; bytes the charset
 * cannot decode become U+FFFD. Returns NULL if iconv does not know the
 * charset; otherwise a malloc'd buffer the caller frees. */
static char *to_utf8(const char *s, size_t n, const char *from, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return NULL;
    sr_buf b = {0};
    char *in = (char *)s;
    size_t left = n;
    char tmp[8192];
    while (left > 0) {
        char *o = tmp;
        size_t room = sizeof tmp;
        size_t r = iconv(cd, &in, &left, &o, &room);
        int e = errno;
        sr_buf_put(&b, tmp, sizeof tmp - room);
        if (r == (size_t)-1 && e != E2BIG) {
            /* EILSEQ or a truncated sequence at the end (EINVAL) */
            sr_buf_put(&b, "\xEF\xBF\xBD", 3);
            in++;
            left--;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    char *o = tmp;
    size_t room = sizeof tmp;
    iconv(cd, NULL, NULL, &o, &room);
    sr_buf_put(&b, tmp, sizeof tmp - room);
    iconv_close(cd);
    return sr_buf_take(&b, outlen);
}

/* Finds `charset=NAME` (as in <meta charset="..."> and http-equiv
 * content) in the first 4 KiB of an HTML page. */
static int sniff_charset(const char *s, size_t n, char *cs, size_t size)
{
    size_t lim = n;
    if (lim > 4096)
        lim = 4096;
    for (size_t i = 0; i + 8 <= lim; i++) {
        if (strncasecmp(s + i, "charset=", 8))
            continue;
        size_t j = i + 8, k = 0;
        while (j < lim && (s[j] == '"' || s[j] == '\'' || s[j] == ' '))
            j++;
        while (j < lim && k + 1 < size &&
               (sr_is_ascii_alpha((unsigned char)s[j]) || sr_is_digit(s[j]) ||
                s[j] == '-' || s[j] == '_' || s[j] == '.' || s[j] == ':'))
            cs[k++] = s[j++];
        cs[k] = 0;
        return k > 0;
    }
    return 0;
}

/* Builds doc->text from bytes. Returns SR_OK or an error from the HTML
 * parser (err filled without a path; the caller adds it). */
static int build_text(sr_doc *doc, const char *bytes, size_t len, int is_html,
                      const sr_dict *dict, sr_err *err)
{
    const unsigned char *u = (const unsigned char *)bytes;
    utf8warn uw = {doc, 0};
    char *conv = NULL;
    size_t convlen = 0;
    /* UTF-16 (Windows "Unicode" text): the BOM is never valid UTF-8 */
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        conv = to_utf8(bytes, len, "UTF-16", &convlen);
    if (!conv && is_html && !clean_utf8(bytes, len)) {
        char cs[64];
        if (sniff_charset(bytes, len, cs, sizeof cs) && strcasecmp(cs, "utf-8") &&
            strcasecmp(cs, "utf8")) {
            /* browsers read these labels as windows-1252, and so do we */
            static const char *const latin1[] = {"iso-8859-1", "latin1", "l1",
                                                 "us-ascii", "ascii"};
            for (size_t i = 0; i < SR_ARRAY_LEN(latin1); i++)
                if (!strcasecmp(cs, latin1[i]))
                    snprintf(cs, sizeof cs, "WINDOWS-1252");
            conv = to_utf8(bytes, len, cs, &convlen);
            if (!conv)
                sr_doc_warnf(doc, "unknown charset \"%s\"; read as UTF-8", cs);
        }
    }
    const char *src = conv ? conv : bytes;
    size_t n = conv ? convlen : len;

    sr_buf text = {0};
    if (is_html) {
        sr_buf fixed = {0}, plain = {0};
        if (!clean_utf8(src, n)) {
            repair_utf8(src, n, &fixed, warn_utf8, &uw);
            src = fixed.p;
            n = fixed.n;
        }
        int rc = sr_text_from_html(src, n, &plain, err);
        sr_buf_free(&fixed);
        free(conv);
        if (rc) {
            sr_buf_free(&plain);
            return rc;
        }
        sr_text_normalize(plain.p, plain.n, &text, NULL, NULL);
        sr_buf_free(&plain);
    } else {
        sr_text_normalize(src, n, &text, warn_utf8, &uw);
        free(conv);
    }
    warn_utf8_done(&uw);
    const sr_boiler *b = dict ? sr_dict_boiler(dict) : NULL;
    if (b)
        text.n = sr_boiler_apply(b, text.p, text.n);
    doc->text = sr_buf_take(&text, &doc->len);
    return SR_OK;
}

/* Sets doc->published from a metadata value; a bad value is a warning. */
static void set_published(sr_doc *doc, const char *s)
{
    while (sr_is_space((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && sr_is_space((unsigned char)s[n - 1]))
        n--;
    if (n == 0)
        return;
    char tmp[64];
    if (n < sizeof tmp) {
        char ymd[11];
        memcpy(tmp, s, n);
        tmp[n] = 0;
        if (parse_date(tmp, ymd)) {
            doc->published = sr_xstrdup(ymd);
            return;
        }
    }
    sr_doc_warnf(doc, "published date \"%.*s\" is not YYYY-MM-DD or RFC 3339; ignored",
                 (int)(n < 40 ? n : 40), s);
}

int sr_doc_new(const sr_doc_meta *meta, const char *bytes, size_t len,
               int is_html, const sr_dict *dict, sr_doc **out, sr_err *err)
{
    if (!out)
        return sr_err_set(err, SR_USAGE, NULL, 0, "sr_doc_new: out is NULL");
    *out = NULL;
    const char *where = meta ? (meta->origin ? meta->origin : meta->id) : NULL;
    if (!meta || !meta->id || !meta->id[0])
        return sr_err_set(err, SR_USAGE, where, 0, "document has no id");
    if (!bytes && len)
        return sr_err_set(err, SR_USAGE, where, 0, "document has no bytes");
    if (len > SR_DOC_MAX)
        return sr_err_set(err, SR_TOOBIG, where, 0,
                          "document \"%s\" is %zu bytes, over the 64 MiB limit",
                          meta->id, len);
    sr_doc *doc = sr_xcalloc(1, sizeof *doc);
    doc->id = sr_xstrdup(meta->id);
    doc->url = sr_xstrdup(meta->url);
    doc->source = sr_xstrdup(meta->source);
    doc->title = sr_xstrdup(meta->title);
    doc->origin = sr_xstrdup(where);
    int rc = build_text(doc, bytes ? bytes : "", len, is_html, dict, err);
    if (rc) {
        if (err) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err->msg);
            sr_err_set(err, rc, where, 0, "%s", msg);
        }
        sr_doc_free(doc);
        return rc;
    }
    if (meta->published)
        set_published(doc, meta->published);
    *out = doc;
    return SR_OK;
}

void sr_doc_free(sr_doc *doc)
{
    if (!doc)
        return;
    free(doc->id);
    free(doc->published);
    free(doc->url);
    free(doc->source);
    free(doc->title);
    free(doc->origin);
    free(doc->text);
    for (size_t i = 0; i < doc->nwarn; i++)
        free(doc->warnings[i]);
    free(doc->warnings);
    free(doc);
}

const char *sr_doc_id(const sr_doc *doc) { return doc->id; }

const char *sr_doc_text(const sr_doc *doc, size_t *len)
{
    if (len)
        *len = doc->len;
    return doc->text;
}

const char *sr_doc_published(const sr_doc *doc) { return doc->published; }

int sr_doc_set_default_date(sr_doc *doc, const char *yyyy_mm_dd)
{
    char ymd[11];
    if (!doc || !yyyy_mm_dd || !parse_date(yyyy_mm_dd, ymd))
        return SR_USAGE;
    if (!doc->published)
        doc->published = sr_xstrdup(ymd);
    return SR_OK;
}

size_t sr_doc_warning_count(const sr_doc *doc) { return doc->nwarn; }

const char *sr_doc_warning(const sr_doc *doc, size_t i)
{
    return i < doc->nwarn ? doc->warnings[i] : NULL;
}

/* ---- inputs ---- */

enum { K_TXT, K_HTML, K_JSONL, K_UNKNOWN };

/* A JSONL stream read in blocks; lines are assembled in `line`. */
typedef struct lines {
    FILE *f;            /* NULL when no stream is open */
    int own;            /* fclose at the end (not stdin) */
    char *name;         /* the path, or "<stdin>", for messages */
    long lineno;        /* lines returned so far */
    char *blk;          /* READ_BLOCK bytes, owned */
    size_t pos, end;    /* unread bytes blk[pos..end) */
    int eof;
    sr_buf line;        /* the current line, without its newline */
} lines;

struct sr_input {
    const sr_dict *dict;    /* borrowed, may be NULL */
    char **paths;           /* as given, owned */
    size_t npaths, next_path;
    char *dir;              /* directory being listed, or NULL; owned */
    char **names;           /* its supported files, sorted, owned */
    size_t nnames, next_name;
    lines jl;               /* the open JSONL stream, if any */
};

/* One raw input item: a whole .txt/.html file or one JSONL line, read by
 * the (single) reader and turned into a document by sr_item_doc on any
 * thread, so that JSON parsing and normalisation scale with -j. */
struct sr_item {
    int jsonl;              /* 1: a JSONL line; 0: a file's bytes */
    int is_html;            /* file items */
    char *bytes;            /* owned */
    size_t len;
    char *name;             /* file path or "<stdin>", owned */
    long lineno;            /* JSONL line number */
    char *id;               /* file items: the file name without extension */
    const sr_dict *dict;    /* borrowed */
};

void sr_item_free(sr_item *it)
{
    if (!it)
        return;
    free(it->bytes);
    free(it->name);
    free(it->id);
    free(it);
}

/* Kind of file by extension (case-insensitive), K_UNKNOWN if none. */
static int file_kind(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return K_UNKNOWN;
    dot++;
    if (!strcasecmp(dot, "txt"))
        return K_TXT;
    if (!strcasecmp(dot, "html") || !strcasecmp(dot, "htm"))
        return K_HTML;
    if (!strcasecmp(dot, "jsonl"))
        return K_JSONL;
    return K_UNKNOWN;
}

/* Document id of a file: its name without directory and extension. */
static char *file_id(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return sr_xstrdup(base);
    return sr_xstrndup(base, (size_t)(dot - base));
}

int sr_input_open(const char *const *paths, size_t npaths, const sr_dict *dict,
                  sr_input **out, sr_err *err)
{
    if (!out || (npaths && !paths))
        return sr_err_set(err, SR_USAGE, NULL, 0, "sr_input_open: no paths");
    *out = NULL;
    for (size_t i = 0; i < npaths; i++)
        if (!paths[i] || !paths[i][0])
            return sr_err_set(err, SR_USAGE, NULL, 0, "empty input path");
    sr_input *in = sr_xcalloc(1, sizeof *in);
    in->dict = dict;
    in->paths = sr_xcalloc(npaths, sizeof *in->paths);
    for (size_t i = 0; i < npaths; i++)
        in->paths[i] = sr_xstrdup(paths[i]);
    in->npaths = npaths;
    *out = in;
    return SR_OK;
}

static void close_lines(lines *l)
{
    if (l->f && l->own)
        fclose(l->f);
    free(l->name);
    free(l->blk);
    sr_buf_free(&l->line);
    memset(l, 0, sizeof *l);
}

static void close_dir(sr_input *in)
{
    for (size_t i = 0; i < in->nnames; i++)
        free(in->names[i]);
    free(in->names);
    free(in->dir);
    in->names = NULL;
    in->dir = NULL;
    in->nnames = in->next_name = 0;
}

void sr_input_free(sr_input *in)
{
    if (!in)
        return;
    close_lines(&in->jl);
    close_dir(in);
    for (size_t i = 0; i < in->npaths; i++)
        free(in->paths[i]);
    free(in->paths);
    free(in);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    sr_buf b = {0};
    sr_buf_puts(&b, dir);
    if (n && dir[n - 1] != '/')
        sr_buf_putc(&b, '/');
    sr_buf_puts(&b, name);
    return sr_buf_take(&b, NULL);
}

/* Lists the regular files with a supported extension directly in dir,
 * sorted with strcmp; hidden files and subdirectories are skipped. */
static int open_dir(sr_input *in, const char *dir, sr_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return sr_err_set(err, SR_IO, dir, 0, "cannot open directory: %s", strerror(errno));
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || file_kind(e->d_name) == K_UNKNOWN)
            continue;
        char *p = join_path(dir, e->d_name);
        struct stat st;
        int reg = stat(p, &st) == 0 && S_ISREG(st.st_mode);
        free(p);
        if (!reg)
            continue;
        SR_GROW(in->names, cap, in->nnames + 1);
        in->names[in->nnames++] = sr_xstrdup(e->d_name);
    }
    closedir(d);
    if (in->nnames)
        qsort(in->names, in->nnames, sizeof *in->names, cmp_names);
    in->dir = sr_xstrdup(dir);
    in->next_name = 0;
    return SR_OK;
}

static void open_lines(lines *l, FILE *f, int own, const char *name)
{
    l->f = f;
    l->own = own;
    l->name = sr_xstrdup(name);
    l->blk = sr_xmalloc(READ_BLOCK);
    l->lineno = 0;
    l->pos = l->end = 0;
    l->eof = 0;
}

/* Reads the next line into l->line. Returns 1 with a line (*toolong set,
 * and the line left empty, if it exceeded SR_DOC_MAX: its bytes are
 * skipped, not stored), 0 at the end, -1 on a read error (errno set). */
static int read_line(lines *l, int *toolong)
{
    sr_buf_reset(&l->line);
    *toolong = 0;
    int any = 0;
    for (;;) {
        if (l->pos == l->end) {
            if (l->eof)
                break;
            size_t got = fread(l->blk, 1, READ_BLOCK, l->f);
            if (got == 0) {
                l->eof = 1;
                if (ferror(l->f))
                    return -1;
                break;
            }
            l->pos = 0;
            l->end = got;
        }
        any = 1;
        const char *p = l->blk + l->pos;
        const char *nl = memchr(p, '\n', l->end - l->pos);
        size_t seg = nl ? (size_t)(nl - p) : l->end - l->pos;
        if (!*toolong) {
            if (l->line.n + seg > SR_DOC_MAX) {
                *toolong = 1;
                sr_buf_free(&l->line);
            } else
                sr_buf_put(&l->line, p, seg);
        }
        l->pos += seg + (nl != NULL);
        if (nl)
            break;
    }
    if (!any)
        return 0;
    l->lineno++;
    return 1;
}

/* Offsets of invalid UTF-8 in a JSONL line, before the document exists. */
typedef struct badlist {
    size_t off[MAX_UTF8_WARNINGS];
    size_t count;
} badlist;

static void note_bad(void *ud, size_t off, const char *what)
{
    badlist *b = ud;
    (void)what;
    if (b->count < MAX_UTF8_WARNINGS)
        b->off[b->count] = off;
    b->count++;
}

/* One JSONL line's members, as yajl's callbacks deliver them. Strings are
 * copied into `pool` (yajl's pointers live only during the callback). */
enum { F_ID, F_TEXT, F_HTML, F_PUBLISHED, F_URL, F_SOURCE, F_TITLE, F_COUNT };
static const char *const FIELD_NAMES[F_COUNT] = {"id", "text", "html", "published", "url",
                                                 "source", "title"};
enum { T_ABSENT = 0, T_NULL, T_STRING, T_NUMBER, T_OTHER };

typedef struct jline {
    int depth;             /* 0 before the top-level value, 1 inside the object */
    int top_object;        /* the line is a JSON object */
    int field;             /* member being read at depth 1, -1 for unknown keys */
    int type[F_COUNT];     /* T_* per field */
    size_t off[F_COUNT], len[F_COUNT]; /* value in pool */
    sr_buf pool;
} jline;

static void set_value(jline *j, int type, const char *s, size_t n)
{
    if (j->depth != 1 || j->field < 0)
        return;
    j->type[j->field] = type;
    j->off[j->field] = j->pool.n;
    j->len[j->field] = n;
    sr_buf_put(&j->pool, s, n);
    sr_buf_putc(&j->pool, 0);
}

/* A value that is no string or number: a type error if it is a field's. */
static void scalar_other(jline *j, int is_null)
{
    if (j->depth == 1 && j->field >= 0)
        j->type[j->field] = is_null ? T_NULL : T_OTHER;
}

static int cb_null(void *ctx)
{
    scalar_other(ctx, 1);
    return 1;
}

static int cb_boolean(void *ctx, int v)
{
    (void)v;
    scalar_other(ctx, 0);
    return 1;
}

static int cb_number(void *ctx, const char *s, size_t n)
{
    set_value(ctx, T_NUMBER, s, n);
    return 1;
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
    set_value(ctx, T_STRING, (const char *)s, n);
    return 1;
}

static int cb_start(void *ctx, int is_map)
{
    jline *j = ctx;
    if (j->depth == 0 && is_map)
        j->top_object = 1;
    if (j->depth == 1 && j->field >= 0)
        j->type[j->field] = T_OTHER; /* an object or array where a string belongs */
    j->depth++;
    return 1;
}

static int cb_start_map(void *ctx) { return cb_start(ctx, 1); }
static int cb_start_array(void *ctx) { return cb_start(ctx, 0); }

static int cb_end(void *ctx)
{
    ((jline *)ctx)->depth--;
    return 1;
}

static int cb_map_key(void *ctx, const unsigned char *key, size_t n)
{
    jline *j = ctx;
    if (j->depth != 1)
        return 1;
    j->field = -1;
    for (int f = 0; f < F_COUNT; f++)
        if (strlen(FIELD_NAMES[f]) == n && !memcmp(FIELD_NAMES[f], key, n))
            j->field = f;
    return 1;
}

static const yajl_callbacks JSONL_CALLBACKS = {
    cb_null, cb_boolean, NULL, NULL, cb_number, cb_string,
    cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end,
};

/* Parses one line with yajl (a streaming parser: string values point into
 * the line unless they hold escapes, which is why JSONL feeds of gigabytes
 * parse at memory speed). Returns 0 and a message in msg on bad JSON. */
static int parse_jsonl_line(const char *line, size_t n, jline *j, char *msg, size_t msgsize)
{
    memset(j, 0, sizeof *j);
    j->field = -1;
    yajl_handle h = yajl_alloc(&JSONL_CALLBACKS, NULL, j);
    if (!h)
        sr_xmalloc((size_t)-1); /* out of memory: reports and aborts */
    yajl_config(h, yajl_dont_validate_strings, 1); /* the line was repaired already */
    yajl_status st = yajl_parse(h, (const unsigned char *)line, n);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    int ok = st == yajl_status_ok;
    if (!ok) {
        unsigned char *e = yajl_get_error(h, 0, (const unsigned char *)line, n);
        const char *text = e ? (const char *)e : "parse error";
        size_t len = strlen(text);
        while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
            len--;
        snprintf(msg, msgsize, "%.*s", (int)len, text);
        if (e)
            yajl_free_error(h, e);
    }
    yajl_free(h);
    return ok;
}

/* An optional string member: NULL if absent or null; a warning (added to
 * *warn) for other types. */
static const char *opt_string(const jline *j, int f, sr_buf *warn)
{
    if (j->type[f] == T_STRING)
        return j->pool.p + j->off[f];
    if (j->type[f] != T_ABSENT && j->type[f] != T_NULL)
        sr_buf_printf(warn, "%s\"%s\" is not a string; ignored", warn->n ? "\n" : "",
                      FIELD_NAMES[f]);
    return NULL;
}

/* Turns one JSONL line into a document. Errors name the file and line. */
static int jsonl_doc(const sr_item *l, const char *line, size_t n, sr_doc **doc,
                     sr_err *err)
{
    badlist bad = {{0}, 0};
    sr_buf fixed = {0}, warn = {0};
    if (!clean_utf8(line, n)) {
        repair_utf8(line, n, &fixed, note_bad, &bad);
        line = fixed.p;
        n = fixed.n;
    }
    int rc = SR_OK;
    jline j;
    char msg[256];
    const char *id = NULL;
    int body = -1;
    if (!parse_jsonl_line(line, n, &j, msg, sizeof msg)) {
        rc = sr_err_set(err, SR_PARSE, l->name, l->lineno, "not valid JSON: %s", msg);
        goto done;
    }
    if (!j.top_object) {
        rc = sr_err_set(err, SR_PARSE, l->name, l->lineno, "not a JSON object");
        goto done;
    }
    if (j.type[F_ID] == T_ABSENT || j.type[F_ID] == T_NULL) {
        rc = sr_err_set(err, SR_PARSE, l->name, l->lineno, "missing \"id\"");
        goto done;
    }
    if (j.type[F_ID] != T_STRING && j.type[F_ID] != T_NUMBER) {
        rc = sr_err_set(err, SR_PARSE, l->name, l->lineno,
                        "\"id\" is not a string or number");
        goto done;
    }
    id = j.pool.p + j.off[F_ID]; /* a number keeps its JSON spelling: 17 -> "17" */
    if (!id[0]) {
        rc = sr_err_set(err, SR_PARSE, l->name, l->lineno, "\"id\" is empty");
        goto done;
    }
    if (j.type[F_TEXT] != T_ABSENT && j.type[F_TEXT] != T_NULL)
        body = F_TEXT;
    else if (j.type[F_HTML] != T_ABSENT && j.type[F_HTML] != T_NULL)
        body = F_HTML;
    if (body < 0) {
        rc = sr_err_set(err, SR_PARSE, l->name, l->lineno, "missing \"text\" or \"html\"");
        goto done;
    }
    if (j.type[body] != T_STRING) {
        rc = sr_err_set(err, SR_PARSE, l->name, l->lineno, "\"%s\" is not a string",
                        FIELD_NAMES[body]);
        goto done;
    }
    sr_doc_meta meta = {0};
    meta.id = id;
    meta.published = opt_string(&j, F_PUBLISHED, &warn);
    meta.url = opt_string(&j, F_URL, &warn);
    meta.source = opt_string(&j, F_SOURCE, &warn);
    meta.title = opt_string(&j, F_TITLE, &warn);
    sr_buf origin = {0};
    sr_buf_printf(&origin, "%s:%ld", l->name, l->lineno);
    meta.origin = origin.p;
    rc = sr_doc_new(&meta, j.pool.p + j.off[body], j.len[body], body == F_HTML, l->dict, doc,
                    err);
    sr_buf_free(&origin);
    if (rc) {
        if (err) {
            char emsg[sizeof err->msg];
            snprintf(emsg, sizeof emsg, "%s", err->msg);
            sr_err_set(err, rc, l->name, l->lineno, "%s", emsg);
        }
        goto done;
    }
    for (size_t i = 0; i < bad.count && i < MAX_UTF8_WARNINGS; i++)
        sr_doc_warnf(*doc, "invalid UTF-8 at byte %zu of the JSONL line replaced with U+FFFD",
                     bad.off[i]);
    if (bad.count > MAX_UTF8_WARNINGS)
        sr_doc_warnf(*doc, "%zu more invalid UTF-8 sequences replaced with U+FFFD",
                     bad.count - MAX_UTF8_WARNINGS);
    for (char *w = warn.p, *e; w && *w; w = e ? e + 1 : w + strlen(w)) {
        e = strchr(w, '\n');
        sr_doc_warnf(*doc, "%.*s", (int)(e ? (size_t)(e - w) : strlen(w)), w);
    }
done:
    sr_buf_free(&j.pool);
    sr_buf_free(&fixed);
    sr_buf_free(&warn);
    return rc;
}

static int is_blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!sr_is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Next line of the open JSONL stream as an item, SR_DONE at its end. */
static int jsonl_next(sr_input *in, sr_item **item, sr_err *err)
{
    lines *l = &in->jl;
    for (;;) {
        int toolong;
        int got = read_line(l, &toolong);
        if (got == 0)
            return SR_DONE;
        if (got < 0)
            return sr_err_set(err, SR_IO, l->name, l->lineno + 1, "read error: %s",
                              strerror(errno));
        if (toolong)
            return sr_err_set(err, SR_TOOBIG, l->name, l->lineno,
                              "line is longer than the 64 MiB limit; skipped");
        if (is_blank_line(l->line.p, l->line.n))
            continue;
        sr_item *it = sr_xcalloc(1, sizeof *it);
        it->jsonl = 1;
        it->bytes = sr_xstrndup(l->line.p, l->line.n);
        it->len = l->line.n;
        it->name = sr_xstrdup(l->name);
        it->lineno = l->lineno;
        it->dict = in->dict;
        *item = it;
        return SR_OK;
    }
}

/* Reads a whole .txt/.html file, refusing more than SR_DOC_MAX bytes
 * before reading them when the size is known. */
static int read_doc_file(const char *path, char **out, size_t *len, sr_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sr_err_set(err, SR_IO, path, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fclose(f);
            return sr_err_set(err, SR_IO, path, 0, "is a directory");
        }
        if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > SR_DOC_MAX) {
            fclose(f);
            return sr_err_set(err, SR_TOOBIG, path, 0,
                              "file is %lld bytes, over the 64 MiB limit",
                              (long long)st.st_size);
        }
    }
    sr_buf b = {0};
    char *tmp = sr_xmalloc(READ_BLOCK);
    size_t n;
    while ((n = fread(tmp, 1, READ_BLOCK, f)) > 0) {
        if (b.n + n > SR_DOC_MAX) {
            free(tmp);
            sr_buf_free(&b);
            fclose(f);
            return sr_err_set(err, SR_TOOBIG, path, 0, "file is over the 64 MiB limit");
        }
        sr_buf_put(&b, tmp, n);
    }
    free(tmp);
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    if (bad) {
        sr_buf_free(&b);
        if (e == EISDIR)
            return sr_err_set(err, SR_IO, path, 0, "is a directory");
        return sr_err_set(err, SR_IO, path, 0, "read error: %s", strerror(e));
    }
    *out = sr_buf_take(&b, len);
    return SR_OK;
}
int sr_input_open_stream(FILE *f, const char *name, const sr_dict *dict, sr_input **out,
                         sr_err *err)
{
    if (!out || !f)
        return sr_err_set(err, SR_USAGE, NULL, 0, "sr_input_open_stream: no stream");
    sr_input *in = sr_xcalloc(1, sizeof *in);
    in->dict = dict;
    open_lines(&in->jl, f, 0, name && *name ? name : "<stream>");
    *out = in;
    return SR_OK;
}

/* Starts on one path: a single document (returned), or a directory or
 * JSONL stream that the caller then drains (SR_DONE here), or an error. */
static int open_path(sr_input *in, const char *path, int listed, sr_item **item,
                     sr_err *err)
{
    if (!listed && !strcmp(path, "-")) {
        open_lines(&in->jl, stdin, 0, "<stdin>");
        return SR_DONE;
    }
    struct stat st;
    if (stat(path, &st) != 0)
        return sr_err_set(err, SR_IO, path, 0, "cannot open: %s", strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        if (listed)
            return sr_err_set(err, SR_IO, path, 0, "is a directory");
        return open_dir(in, path, err) ? SR_IO : SR_DONE;
    }
    int kind = file_kind(path);
    if (kind == K_JSONL) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return sr_err_set(err, SR_IO, path, 0, "cannot open: %s", strerror(errno));
        open_lines(&in->jl, f, 1, path);
        return SR_DONE;
    }
    char *bytes = NULL;
    size_t len = 0;
    int rc = read_doc_file(path, &bytes, &len, err);
    if (rc)
        return rc;
    sr_item *it = sr_xcalloc(1, sizeof *it);
    it->bytes = bytes;
    it->len = len;
    it->is_html = kind == K_HTML;
    it->name = sr_xstrdup(path);
    it->id = file_id(path);
    it->dict = in->dict;
    *item = it;
    return SR_OK;
}

int sr_item_doc(const sr_item *it, sr_doc **doc, sr_err *err)
{
    if (!it || !doc)
        return sr_err_set(err, SR_USAGE, NULL, 0, "sr_item_doc: NULL argument");
    *doc = NULL;
    if (it->jsonl)
        return jsonl_doc(it, it->bytes, it->len, doc, err);
    sr_doc_meta meta = {.id = it->id, .origin = it->name};
    return sr_doc_new(&meta, it->bytes, it->len, it->is_html, it->dict, doc, err);
}

int sr_input_next(sr_input *in, sr_doc **doc, sr_err *err)
{
    if (!in || !doc)
        return sr_err_set(err, SR_USAGE, NULL, 0, "sr_input_next: NULL argument");
    *doc = NULL;
    sr_item *it = NULL;
    int rc = sr_input_next_item(in, &it, err);
    if (rc == SR_OK)
        rc = sr_item_doc(it, doc, err);
    sr_item_free(it);
    return rc;
}

int sr_input_next_item(sr_input *in, sr_item **item, sr_err *err)
{
    if (!in || !item)
        return sr_err_set(err, SR_USAGE, NULL, 0, "sr_input_next_item: NULL argument");
    *item = NULL;
    for (;;) {
        int rc;
        if (in->jl.f) {
            rc = jsonl_next(in, item, err);
            if (rc != SR_DONE)
                return rc;
            close_lines(&in->jl);
            continue;
        }
        if (in->dir) {
            if (in->next_name == in->nnames) {
                close_dir(in);
                continue;
            }
            char *p = join_path(in->dir, in->names[in->next_name++]);
            rc = open_path(in, p, 1, item, err);
            free(p);
        } else if (in->next_path < in->npaths) {
            rc = open_path(in, in->paths[in->next_path++], 0, item, err);
        } else
            return SR_DONE;
        if (rc != SR_DONE)
            return rc;
    }
}
