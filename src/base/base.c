/* base.c — checked allocation, byte buffers, error records and whole-file
 * reading (see base.h). The only place that reacts to out-of-memory. */
#include "base.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "sitrep: out of memory (%zu bytes)\n", n);
    abort();
}

void *sr_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *sr_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *sr_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *sr_xstrndup(const char *s, size_t n)
{
    char *p = sr_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *sr_xstrdup(const char *s)
{
    return s ? sr_xstrndup(s, strlen(s)) : NULL;
}

void sr_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    *p = sr_xrealloc(*p, c * elem);
    *cap = c;
}

void sr_buf_grow(sr_buf *b, size_t more)
{
    if (b->n + more + 1 <= b->cap)
        return;
    size_t c = b->cap ? b->cap : 64;
    while (c < b->n + more + 1)
        c *= 2;
    b->p = sr_xrealloc(b->p, c);
    b->cap = c;
}

void sr_buf_printf(sr_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        sr_buf_put(b, tmp, (size_t)n);
        return;
    }
    sr_buf_put(b, "", 0);
    SR_GROW(b->p, b->cap, b->n + (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void sr_buf_reset(sr_buf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = 0;
}

void sr_buf_free(sr_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

char *sr_buf_take(sr_buf *b, size_t *len)
{
    if (!b->p)
        sr_buf_put(b, "", 0);
    char *p = b->p;
    if (len)
        *len = b->n;
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

int sr_err_set(sr_err *err, int code, const char *path, long line,
               const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->line = line;
    snprintf(err->path, sizeof err->path, "%s", path ? path : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

const char *sr_strerror(int status)
{
    switch (status) {
#define SR_STATUS_TEXT(name, text) case SR_##name: return text;
    SR_STATUS_MAP(SR_STATUS_TEXT)
#undef SR_STATUS_TEXT
    }
    return "unknown status";
}

const char *sr_err_format(const sr_err *err, char *buf, size_t size)
{
    const char *msg = err->msg[0] ? err->msg : sr_strerror(err->code);
    if (err->path[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->path, err->line, msg);
    else if (err->path[0])
        snprintf(buf, size, "%s: %s", err->path, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}

uint64_t sr_serial_next(void)
{
    static atomic_uint_fast64_t next = 1;
    return (uint64_t)atomic_fetch_add(&next, 1);
}

void *sr_thread_cache(pthread_key_t *key, pthread_once_t *once, void (*make_key)(void),
                      size_t size, uint64_t serial)
{
    pthread_once(once, make_key);
    uint64_t *c = pthread_getspecific(*key);
    if (!c) {
        c = sr_xcalloc(1, size);
        pthread_setspecific(*key, c);
    }
    if (*c != serial) {
        memset(c, 0, size);
        *c = serial;
    }
    return c;
}

int sr_read_file(const char *path, char **out, size_t *len, sr_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sr_err_set(err, SR_IO, path, 0, "cannot open: %s", strerror(errno));
    sr_buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        sr_buf_put(&b, tmp, n);
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    if (bad) {
        sr_buf_free(&b);
        return sr_err_set(err, SR_IO, path, 0, "read error: %s", strerror(e));
    }
    *out = sr_buf_take(&b, len);
    return SR_OK;
}

size_t sr_utf8_decode(const char *str, size_t n, int32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    size_t len;
    int32_t v, min;
    if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Length of the maximal subpart of the ill-formed sequence at s (Unicode
 * §3.9, "U+FFFD substitution of maximal subparts", as WHATWG and Python do):
 * the lead byte plus the continuation bytes that could still have led to a
 * valid character. Always >= 1. Shared by the repairers so that warnings'
 * counts and offsets agree with the repaired text. */
size_t sr_utf8_bad_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 1;
    size_t i = 1;
    if (i < n && s[i] >= lo && s[i] <= hi) {
        i++;
        while (i < need && i < n && (s[i] & 0xC0) == 0x80)
            i++;
    }
    return i < need ? i : need - 1;
}
