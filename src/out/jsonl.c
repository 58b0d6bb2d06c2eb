/* jsonl.c — writes coded events as JSON Lines, one object per event, keys
 * in the stable order documented in docs/OUTPUT.md.
 *
 * The writer emits JSON directly into a byte buffer: building a jansson
 * tree per event cost more than coding the text (callgrind: 41% of all
 * instructions). Article text is untrusted, so every string goes through
 * put_str, which escapes quotes, backslashes and every control character
 * and only ever copies valid UTF-8 (the document text is already repaired;
 * anything else becomes U+FFFD), eight bytes at a time where they are
 * plain (tests/unit/test_escape.c and fuzz/fuzz_escape.c hold it to a
 * byte-at-a-time reference). What events repeat is escaped once: a
 * sentence for all its events, a rule file's name per document. Tests
 * parse every line back with jansson. */
#include "../code/code.h"
#include "out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Bytes that need attention in a JSON string: controls, '"', '\\' and
 * non-ASCII (validated, then copied). Everything else is copied in runs. */
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
static const unsigned char SPECIAL[256] = {
    R16(1), R16(1),                                 /* 0x00-0x1F controls */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x22 '"' */
    R16(0), R16(0),
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x5C '\\' */
    R16(0), R16(0),
    R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), /* 0x80-0xFF */
};
#undef R16

/* The escape of each ASCII byte that needs one, and its length: "\\n",
 * "\\u001f", ... (0 for bytes copied as they are). */
static const char ESC[128][6] = {
    "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
    "\\u0008", "\\t", "\\n", "\\u000b", "\\u000c", "\\r", "\\u000e", "\\u000f",
    "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
    "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    [0x22] = "\\\"", [0x5C] = "\\\\",
};
static const unsigned char ESC_LEN[128] = {
    6, 6, 6, 6, 6, 6, 6, 6, 6, 2, 2, 6, 6, 2, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    [0x22] = 2, [0x5C] = 2,
};

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* Non-zero when one of the 8 bytes of w is special: >= 0x80, < 0x20, '"'
 * or '\\' (the classic "has zero byte" / "has byte less than" tests, exact
 * as a yes/no answer whatever the byte order). */
static inline uint64_t special8(const char *s)
{
    uint64_t w, q, bs;
    memcpy(&w, s, 8);
    q = w ^ (ONES * '"');
    bs = w ^ (ONES * '\\');
    return (w | ((w - ONES * 0x20) & ~w) | ((q - ONES) & ~q) | ((bs - ONES) & ~bs)) & HIGH;
}

/* The same test for 4 bytes: strings shorter than a word. */
static inline uint32_t special4(const char *s)
{
    uint32_t w, q, bs;
    memcpy(&w, s, 4);
    q = w ^ ((uint32_t)ONES * '"');
    bs = w ^ ((uint32_t)ONES * '\\');
    return (w | ((w - (uint32_t)ONES * 0x20) & ~w) | ((q - (uint32_t)ONES) & ~q) |
            ((bs - (uint32_t)ONES) & ~bs)) & (uint32_t)HIGH;
}

/* Length of the well-formed UTF-8 character at s[0..n) whose lead byte is
 * >= 0x80, or 0: exactly the sequences sr_utf8_decode accepts (no
 * overlongs, surrogates or code points past U+10FFFF; Unicode Table 3-7). */
static inline size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (s[2] & 0xC0) != 0x80)
            return 0;
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return s[1] >= lo && s[1] <= hi ? 3 : 0;
    }
    if (c > 0xF4 || n < 4 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
        return 0;
    unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return s[1] >= lo && s[1] <= hi ? 4 : 0;
}

/* Writes the escaped contents of s[0..n) at d, which has room for 6 * n
 * bytes (the longest escape, "\\u001f", is 6 bytes for 1); returns the end.
 * Plain bytes are checked and copied 8 at a time; a word holding a special
 * byte goes a byte (or a valid UTF-8 character) at a time. */
static char *escape_long(char *d, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, plain = 0; /* s[plain..i) was copied verbatim */
    for (;;) {
        while (i + 8 <= n && !special8(s + i)) {
            memcpy(d, s + i, 8);
            d += 8;
            i += 8;
        }
        if (i == n)
            return d;
        /* A short plain tail: its last 8 bytes again, over the copy. */
        if (i + 8 > n && n >= 8 && n - 8 >= plain && !special8(s + n - 8)) {
            memcpy(d - (i - (n - 8)), s + n - 8, 8);
            return d + (n - i);
        }
        unsigned ch = u[i];
        if (!SPECIAL[ch]) {
            *d++ = (char)ch;
            i++;
        } else if (ch < 0x80) {
            memcpy(d, ESC[ch], 6); /* room for 6 is reserved; ESC_LEN[ch] count */
            d += ESC_LEN[ch];
            plain = ++i;
        } else {
            size_t k = utf8_len(u + i, n - i);
            if (k) {
                if (n - i >= 4) /* 4 bytes fit: k >= 2 leaves 6k of room */
                    memcpy(d, s + i, 4);
                else
                    memcpy(d, s + i, k);
                d += k;
                i += k;
            } else {
                memcpy(d, "\xEF\xBF\xBD", 3);
                d += 3;
                plain = ++i;
            }
        }
    }
}

/* escape_long, with plain strings of fewer than 8 bytes (codes, roles,
 * names) done inline: 1-3 bytes one by one, 4-7 as two overlapping words. */
static inline char *escape_to(char *d, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 8)
        return escape_long(d, s, n);
    if (n >= 4) {
        if (!special4(s) && !special4(s + n - 4)) {
            memcpy(d, s, 4);
            memcpy(d + n - 4, s + n - 4, 4);
            return d + n;
        }
    } else if (n) {
        unsigned a = u[0], m = u[n >> 1], z = u[n - 1]; /* every byte of 1-3 */
        if (!(SPECIAL[a] | SPECIAL[m] | SPECIAL[z])) {
            d[0] = (char)a;
            d[n >> 1] = (char)m;
            d[n - 1] = (char)z;
            return d + n;
        }
    } else {
        return d;
    }
    return escape_long(d, s, n);
}

/* Room for `more` bytes at the end of b: where to write them. */
static inline char *reserve(sr_buf *b, size_t more)
{
    if (b->n + more + 1 > b->cap)
        sr_buf_grow(b, more);
    return b->p + b->n;
}

/* Ends a write begun with reserve at d. */
static inline void commit(sr_buf *b, const char *d)
{
    b->n = (size_t)(d - b->p);
    b->p[b->n] = 0;
}

/* The escaped contents of a JSON string, without the quotes. */
static void put_escaped(sr_buf *b, const char *s, size_t n)
{
    commit(b, escape_to(reserve(b, 6 * n), s, n));
}

static void put_str(sr_buf *b, const char *s, size_t n)
{
    char *d = reserve(b, 6 * n + 2);
    *d++ = '"';
    d = escape_to(d, s, n);
    *d++ = '"';
    commit(b, d);
}

/* Writes v in decimal at d (room for 20 bytes); returns the end. Two
 * digits a division: formatting offsets and coordinates through vfprintf
 * cost more than escaping the sentence. */
static char *u64_to(char *d, uint64_t v)
{
    static const char pairs[201] = "00010203040506070809101112131415161718192021222324"
                                   "25262728293031323334353637383940414243444546474849"
                                   "50515253545556575859606162636465666768697071727374"
                                   "75767778798081828384858687888990919293949596979899";
    size_t k = 1 + (v >= 10) + (v >= 100) + (v >= 1000) + (v >= 10000);
    if (v >= 100000)
        for (uint64_t p = 100000; k < 20 && v >= p; p *= 10)
            k++;
    char *t = d + k;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        t -= 2;
        memcpy(t, pairs + 2 * r, 2);
    }
    if (v >= 10)
        memcpy(t - 2, pairs + 2 * v, 2);
    else
        t[-1] = (char)('0' + v);
    return d + k;
}

static void put_u64(sr_buf *b, uint64_t v)
{
    commit(b, u64_to(reserve(b, 20), v));
}

/* v with exactly `decimals` digits after the point, rounded half away
 * from zero (the values have at most that many meaningful digits). */
static void put_fixed(sr_buf *b, double v, int decimals)
{
    static const double pow10[] = {1, 10, 100, 1000, 10000, 100000};
    if (v != v || v > 1e12 || v < -1e12) { /* NaN or absurd: never from our tables */
        sr_buf_puts(b, "null");
        return;
    }
    double scale = pow10[decimals];
    double a = v < 0 ? -v : v;
    uint64_t scaled = (uint64_t)(a * scale + 0.5);
    if (v < 0 && scaled)
        sr_buf_putc(b, '-');
    put_u64(b, scaled / (uint64_t)scale);
    sr_buf_putc(b, '.');
    char frac[8];
    uint64_t f = scaled % (uint64_t)scale;
    for (int i = decimals - 1; i >= 0; i--) {
        frac[i] = (char)('0' + f % 10);
        f /= 10;
    }
    sr_buf_put(b, frac, (size_t)decimals);
}

/* The same, for the other writers (out.h); the static versions stay so
 * that the event writer's inlining is what it was. */
void sr_json_escape(sr_buf *b, const char *s, size_t n) { put_escaped(b, s, n); }
void sr_out_u64(sr_buf *b, uint64_t v) { put_u64(b, v); }
void sr_out_fixed(sr_buf *b, double v, int decimals) { put_fixed(b, v, decimals); }

/* ,"offset":[start,end] */
static void put_offsets(sr_buf *b, uint32_t start, uint32_t end)
{
    static const char key[] = ",\"offset\":[";
    char *d = reserve(b, sizeof key + 2 * 10 + 2);
    memcpy(d, key, sizeof key - 1);
    d = u64_to(d + sizeof key - 1, start);
    *d++ = ',';
    d = u64_to(d, end);
    *d++ = ']';
    commit(b, d);
}

static void put_cstr(sr_buf *b, const char *s)
{
    if (s && *s)
        put_str(b, s, strlen(s));
    else
        sr_buf_puts(b, "null");
}

static void put_span(sr_buf *b, const sr_events *ev, uint32_t a, uint32_t e)
{
    put_str(b, ev->text + a, e - a);
}

static void put_actor(sr_buf *b, const sr_events *ev, const sr_actor_ref *r)
{
    sr_buf_puts(b, "{\"code\":");
    put_cstr(b, r->code);
    sr_buf_puts(b, ",\"country\":");
    put_cstr(b, r->country);
    sr_buf_puts(b, ",\"org\":");
    put_cstr(b, r->org);
    sr_buf_puts(b, ",\"name\":");
    if (r->end > r->start)
        put_span(b, ev, r->start, r->end);
    else
        sr_buf_puts(b, "null");
    sr_buf_putc(b, '}');
}

/* What the events of one document share: the dictionary directory's
 * length; the line's start up to "source" for the last sentence written (a
 * sentence with several events repeats it); each rule file's name, quoted
 * and escaped, by the file's pointer (a dictionary's lines share it). */
typedef struct writer {
    size_t dirlen;
    sr_buf head;            /* {"doc":...,"sentence":...,"offset":[...],"source": */
    size_t doc_n;           /* head's bytes up to and including "sentence": */
    uint32_t sstart, send;  /* the sentence in head, when head.n > doc_n */
    struct {
        const char *file;   /* the dictionary's pointer, NULL if the slot is free */
        size_t off, len;    /* "name: in rules */
    } rule[32];
    sr_buf rules;
} writer;

/* "dict/verbs/fight.txt" -> "verbs/fight.txt": paths relative to the
 * dictionary directory read better and do not leak the install prefix. */
static void put_rule(sr_buf *b, writer *wr, const char *dir, const char *file, long line)
{
    size_t h = ((uintptr_t)file >> 4) % 32;
    if (wr->rule[h].file != file) {
        const char *name = file;
        if (!strncmp(name, dir, wr->dirlen) && name[wr->dirlen] == '/')
            name += wr->dirlen + 1;
        size_t n = strlen(name);
        sr_buf *r = &wr->rules;
        char *d = reserve(r, 6 * n + 2);
        wr->rule[h].file = file;
        wr->rule[h].off = r->n;
        *d++ = '"';
        d = escape_to(d, name, n); /* --dict may name any directory */
        *d++ = ':';
        commit(r, d);
        wr->rule[h].len = r->n - wr->rule[h].off;
    }
    size_t n = wr->rule[h].len;
    char *d = reserve(b, n + 21);
    memcpy(d, wr->rules.p + wr->rule[h].off, n);
    d = u64_to(d + n, (uint64_t)line);
    *d++ = '"';
    commit(b, d);
}

static void put_place(sr_buf *b, const sr_place *p)
{
    static const char *const prec[] = {"", "settlement", "near", "admin1", "country"};
    sr_buf_puts(b, "{\"name\":");
    put_cstr(b, p->name);
    /* four decimals: about 10 m, more than any gazetteer row means */
    sr_buf_puts(b, ",\"lat\":");
    put_fixed(b, p->lat, 4);
    sr_buf_puts(b, ",\"lon\":");
    put_fixed(b, p->lon, 4);
    sr_buf_puts(b, ",\"country\":");
    put_cstr(b, p->country);
    sr_buf_puts(b, ",\"admin1\":");
    put_cstr(b, p->admin1);
    sr_buf_puts(b, ",\"geonames_id\":");
    if (p->geonames_id > 0)
        put_u64(b, (uint64_t)p->geonames_id);
    else
        put_cstr(b, p->supplement_id);
    sr_buf_puts(b, ",\"precision\":");
    put_cstr(b, p->precision > 0 && p->precision < 5 ? prec[p->precision] : NULL);
    sr_buf_putc(b, '}');
}

/* The why array of one event: the verb pattern, negation, modality and
 * attribution words, and each actor dictionary line used. The store keeps
 * this array with every mention (src/store/store.c). */
static void put_why(sr_buf *b, writer *wr, const sr_events *ev, const sr_event *e)
{
    sr_buf_putc(b, '[');
    int first = 1;
    for (int i = 0; i < e->nwhy; i++) {
        const sr_why_tok *w = &e->why[i];
        sr_buf_puts(b, first ? "{\"role\":" : ",{\"role\":");
        first = 0;
        put_cstr(b, w->role);
        sr_buf_puts(b, ",\"text\":");
        put_span(b, ev, w->start, w->end);
        put_offsets(b, w->start, w->end);
        if (w->file) {
            sr_buf_puts(b, ",\"rule\":");
            put_rule(b, wr, ev->dict->dir, w->file, w->line);
            sr_buf_puts(b, ",\"entry\":");
            put_cstr(b, w->entry);
        }
        sr_buf_putc(b, '}');
    }
    const sr_actor_ref *refs[2] = {&e->src, e->has_tgt ? &e->tgt : NULL};
    static const char *const roles[2] = {"source", "target"};
    for (int r = 0; r < 2; r++) {
        for (int k = 0; refs[r] && k < 3 && refs[r]->entry[k]; k++) {
            const sr_actor_entry *a = refs[r]->entry[k];
            sr_buf_puts(b, first ? "{\"role\":" : ",{\"role\":");
            first = 0;
            put_cstr(b, roles[r]);
            sr_buf_puts(b, ",\"text\":");
            put_cstr(b, a->phrase);
            /* where the actor stands in the text, for highlighting */
            if (refs[r]->end > refs[r]->start)
                put_offsets(b, refs[r]->start, refs[r]->end);
            sr_buf_puts(b, ",\"rule\":");
            put_rule(b, wr, ev->dict->dir, a->file, a->line);
            sr_buf_puts(b, ",\"entry\":");
            put_cstr(b, a->code);
            sr_buf_putc(b, '}');
        }
    }
    sr_buf_putc(b, ']');
}

void sr_out_event_why(sr_buf *b, const sr_events *ev, const sr_event *e)
{
    writer wr = {0};
    wr.dirlen = strlen(ev->dict->dir);
    put_why(b, &wr, ev, e);
    sr_buf_free(&wr.rules);
}

static void put_head(sr_buf *b, writer *w, const sr_events *ev, const sr_event *e)
{
    sr_buf *h = &w->head;
    if (!h->p) {
        sr_buf_puts(h, "{\"doc\":");
        put_cstr(h, ev->doc_id);
        sr_buf_puts(h, ",\"sentence\":");
        w->doc_n = h->n;
    }
    if (h->n == w->doc_n || w->sstart != e->sstart || w->send != e->send) {
        h->n = w->doc_n;
        put_span(h, ev, e->sstart, e->send);
        put_offsets(h, e->sstart, e->send);
        sr_buf_puts(h, ",\"source\":");
        w->sstart = e->sstart;
        w->send = e->send;
    }
    sr_buf_put(b, h->p, h->n);
}

static void put_event(sr_buf *b, writer *w, const sr_events *ev, const sr_event *e)
{
    const sr_cameo *cm = e->cameo;
    put_head(b, w, ev, e);
    put_actor(b, ev, &e->src);
    sr_buf_puts(b, ",\"target\":");
    if (e->has_tgt)
        put_actor(b, ev, &e->tgt);
    else
        sr_buf_puts(b, "null");
    sr_buf_puts(b, ",\"cameo\":");
    put_cstr(b, e->code);
    sr_buf_puts(b, ",\"root\":");
    put_str(b, e->code, 2);
    if (cm) {
        /* Goldstein values have one decimal (dict/cameo.tsv) */
        sr_buf_puts(b, ",\"quad_class\":");
        put_u64(b, (uint64_t)cm->quad);
        sr_buf_puts(b, ",\"goldstein\":");
        put_fixed(b, (double)cm->goldstein, 1);
    } else {
        sr_buf_puts(b, ",\"quad_class\":null,\"goldstein\":null");
    }
    sr_buf_puts(b, ",\"plover\":");
    put_cstr(b, cm ? cm->plover : NULL);
    sr_buf_puts(b, ",\"plover_mode\":");
    put_cstr(b, cm ? cm->plover_mode : NULL);
    sr_buf_puts(b, e->negated ? ",\"negated\":true" : ",\"negated\":false");
    sr_buf_puts(b, ",\"modality\":");
    put_cstr(b, sr_modality_name(e->modality));
    sr_buf_puts(b, ",\"attribution\":");
    if (e->has_attr) {
        sr_buf_puts(b, "{\"by\":");
        put_span(b, ev, e->attr_start, e->attr_end);
        sr_buf_puts(b, e->attr_anon ? ",\"anonymous\":true,\"verb\":" : ",\"anonymous\":false,\"verb\":");
        put_span(b, ev, e->attr_verb_start, e->attr_verb_end);
        sr_buf_putc(b, '}');
    } else {
        sr_buf_puts(b, "null");
    }
    sr_buf_puts(b, ",\"issues\":[");
    int first = 1;
    for (size_t i = 0; i < ev->dict->nissues && i < 64; i++)
        if (e->issues & (1ull << i)) {
            if (!first)
                sr_buf_putc(b, ',');
            put_cstr(b, ev->dict->issues[i].tag);
            first = 0;
        }
    sr_buf_puts(b, "],\"location\":");
    if (e->has_loc)
        put_place(b, &e->loc);
    else
        sr_buf_puts(b, "null");
    sr_buf_puts(b, ",\"date\":");
    put_cstr(b, e->date);
    sr_buf_puts(b, ",\"date_precision\":");
    put_cstr(b, e->date_precision);
    sr_buf_puts(b, ",\"doc_date_source\":");
    put_cstr(b, ev->docdate_source);

    sr_buf_puts(b, ",\"why\":");
    put_why(b, w, ev, e);
    sr_buf_puts(b, "}\n");
}

int sr_events_to_jsonl(const sr_events *ev, char **buf, size_t *len, sr_err *err)
{
    (void)err;
    sr_buf b = {0};
    writer w = {0};
    w.dirlen = strlen(ev->dict->dir);
    commit(&b, reserve(&b, ev->n * 1536)); /* a line is about 1.2 KB: grow rarely */
    for (size_t i = 0; i < ev->n; i++)
        put_event(&b, &w, ev, &ev->ev[i]);
    sr_buf_free(&w.head);
    sr_buf_free(&w.rules);
    *buf = sr_buf_take(&b, len);
    return SR_OK;
}

int sr_events_write_jsonl(const sr_events *ev, FILE *f, sr_err *err)
{
    char *buf;
    size_t len;
    int rc = sr_events_to_jsonl(ev, &buf, &len, err);
    if (rc)
        return rc;
    size_t w = fwrite(buf, 1, len, f);
    free(buf);
    if (w != len)
        return sr_err_set(err, SR_IO, "<output>", 0, "write error: %s", strerror(errno));
    return SR_OK;
}
