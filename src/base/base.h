/* base.h — the small pieces every other module uses: checked allocation,
 * growable byte buffers, error filling and a few string helpers.
 *
 * Out of memory is not recoverable here: sr_xmalloc and friends print one
 * line and abort, as cmark and Redis do, so callers never check for NULL.
 * Everything else reports through sr_err (include/sitrep.h).
 */
#ifndef SR_BASE_H
#define SR_BASE_H

#include "sitrep.h"

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define SR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SR_PRINTF(f, a)
#endif

void *sr_xmalloc(size_t n);
void *sr_xcalloc(size_t count, size_t size);
void *sr_xrealloc(void *p, size_t n);
char *sr_xstrdup(const char *s);
char *sr_xstrndup(const char *s, size_t n);

/* Grows a dynamic array *p of *cap elements of size elem so that it holds
 * at least need elements. */
void sr_grow(void **p, size_t *cap, size_t need, size_t elem);
#define SR_GROW(ptr, cap, need) \
    sr_grow((void **)&(ptr), &(cap), (need), sizeof(*(ptr)))

/* A growable byte buffer, always NUL-terminated when p is non-NULL. */
typedef struct sr_buf {
    char *p;    /* bytes, owned */
    size_t n;   /* bytes used, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
} sr_buf;

void sr_buf_grow(sr_buf *b, size_t more); /* room for more bytes and the NUL */

/* Appends inline when there is room: the JSON writer appends millions of
 * small pieces. */
static inline void sr_buf_put(sr_buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap)
        sr_buf_grow(b, n);
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static inline void sr_buf_putc(sr_buf *b, char c)
{
    if (b->n + 2 > b->cap)
        sr_buf_grow(b, 1);
    b->p[b->n++] = c;
    b->p[b->n] = 0;
}

static inline void sr_buf_puts(sr_buf *b, const char *s) { sr_buf_put(b, s, strlen(s)); }
void sr_buf_printf(sr_buf *b, const char *fmt, ...) SR_PRINTF(2, 3);
void sr_buf_reset(sr_buf *b);   /* n = 0, keeps memory */
void sr_buf_free(sr_buf *b);    /* releases memory, b becomes empty */
/* Hands the bytes to the caller (who frees) and empties b. */
char *sr_buf_take(sr_buf *b, size_t *len);

/* Fills err (if non-NULL) and returns code, so callers can write
 * `return sr_err_set(err, SR_DICT, path, line, "bad code '%s'", s);` */
int sr_err_set(sr_err *err, int code, const char *path, long line,
               const char *fmt, ...) SR_PRINTF(5, 6);

/* A process-wide unique, never reused number (> 0): identifies an
 * immutable object (dictionary, gazetteer) to per-thread caches, which
 * must not trust a pointer that may be freed and allocated again. */
uint64_t sr_serial_next(void);

/* A per-thread cache of `size` bytes whose first member is the uint64_t
 * serial of the object it caches: returned zeroed on a thread's first call
 * and whenever `serial` differs from the one it holds; freed with its
 * thread. `key` is created once, through `once` and `make_key` (which must
 * call pthread_key_create(key, free)). */
void *sr_thread_cache(pthread_key_t *key, pthread_once_t *once, void (*make_key)(void),
                      size_t size, uint64_t serial);

/* Reads a whole file into a malloc'd NUL-terminated buffer. */
int sr_read_file(const char *path, char **out, size_t *len, sr_err *err);

/* ASCII helpers (locale-independent). */
static inline int sr_is_ascii_alpha(int c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static inline int sr_is_digit(int c) { return c >= '0' && c <= '9'; }
static inline int sr_is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static inline int sr_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
/* strcmp(a, b) == 0 inline, for the short codes ("RUS", "190") compared
 * per event: a library call each cost more than the comparison. */
static inline int sr_streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* FNV-1a over s[0..n): the hash of every in-memory string table (short
 * keys: good enough spread, no setup). */
static inline uint32_t sr_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* 64-bit FNV-1a over s[0..n), continuing from h (start with
 * SR_HASH64_INIT): ids and content hashes in the store, where 32 bits
 * would collide. */
#define SR_HASH64_INIT 14695981039346656037ull
static inline uint64_t sr_hash64(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* Decodes one UTF-8 code point at s[0..n); returns its length (>= 1) and
 * sets *cp, or returns 0 if the bytes are not valid UTF-8. */
size_t sr_utf8_decode(const char *s, size_t n, int32_t *cp);
/* Bytes to replace with one U+FFFD where decoding failed at s (>= 1). */
size_t sr_utf8_bad_len(const unsigned char *s, size_t n);

#endif
