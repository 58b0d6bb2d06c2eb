/* normalize.c — sr_text_normalize: UTF-8 repair, control characters,
 * typography and Unicode NFC, in one linear pass (see text.h).
 *
 * The pass writes cleaned text straight into the output buffer. Pure-ASCII
 * runs are copied untouched; non-ASCII characters are decoded, mapped through
 * the typography table below and appended. NFC is applied afterwards to each
 * run of non-ASCII characters (plus the character just before it, which may
 * be a base that composes with a following mark), and only when the run holds
 * a character that NFC could change. Splitting before ASCII characters is safe
 * because they never compose with what precedes them.
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* What the typography table does with one code point. */
enum { KEEP, DROP, MAP };

/* The typography table. Returns KEEP, DROP or MAP (with *to set to the
 * ASCII replacement). U+2014/U+2015 are kept: the tokenizer makes them
 * punctuation tokens, and mapping them to '-' would glue words together. */
static int typo(int32_t cp, const char **to)
{
    switch (cp) {
    /* single quotes, apostrophes and primes; U+00B4 and U+02BC are
     * common stand-ins for the apostrophe (don´t, Ukrainian м'ясо), and
     * U+1FFD is NFC-equivalent to U+00B4 (mapped here so that normalising
     * twice changes nothing) */
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
    case 0x00B4: case 0x02BC: case 0x2039: case 0x203A: case 0x1FFD:
        *to = "'";
        return MAP;
    /* double quotes, guillemets, double prime */
    case 0x201C: case 0x201D: case 0x201E: case 0x201F:
    case 0x00AB: case 0x00BB: case 0x2033:
        *to = "\"";
        return MAP;
    /* hyphens, figure dash, en dash, minus sign */
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212:
        *to = "-";
        return MAP;
    /* no-break, typographic and ideographic spaces */
    case 0x00A0: case 0x1680: case 0x2000: case 0x2001: case 0x2002:
    case 0x2003: case 0x2004: case 0x2005: case 0x2006: case 0x2007:
    case 0x2008: case 0x2009: case 0x200A: case 0x202F: case 0x205F:
    case 0x3000:
        *to = " ";
        return MAP;
    case 0x2026:
        *to = "...";
        return MAP;
    /* NEL and the Unicode line and paragraph separators */
    case 0x0085: case 0x2028:
        *to = "\n";
        return MAP;
    case 0x2029:
        *to = "\n\n";
        return MAP;
    /* invisible: zero-width space/joiners, direction marks and embeddings,
     * word joiner and invisible operators, isolates, BOM, soft hyphen,
     * object replacement character */
    case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F:
    case 0x202A: case 0x202B: case 0x202C: case 0x202D: case 0x202E:
    case 0x2060: case 0x2061: case 0x2062: case 0x2063: case 0x2064:
    case 0x2066: case 0x2067: case 0x2068: case 0x2069:
    case 0xFEFF: case 0x00AD: case 0xFFFC:
        return DROP;
    }
    /* the other C1 controls */
    if (cp >= 0x80 && cp <= 0x9F)
        return DROP;
    return KEEP;
}

/* Whether NFC might change a string containing cp, i.e. cp is not certain
 * to be NFC_Quick_Check=Yes. Errs on the side of "maybe" (a false positive
 * costs one utf8proc call on a short run); tests/unit/test_normalize.c and
 * fuzz_html check the output is NFC. Uses property fields that are stable
 * across utf8proc 2.x. */
static int nfc_suspect(int32_t cp)
{
    if (cp < 0x300)
        return 0;   /* Latin-1, Latin Extended, IPA: all NFC_QC=Yes */
    /* conjoining jamo, and Indic, Tibetan, Myanmar, Balinese and Brahmi
     * vowel signs that compose with the preceding letter while being
     * starters themselves */
    if ((cp >= 0x0900 && cp <= 0x0FFF) || (cp >= 0x1000 && cp <= 0x109F) ||
        (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x1B00 && cp <= 0x1B7F) ||
        (cp >= 0x11000 && cp <= 0x11FFF))
        return 1;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    if (p->combining_class != 0 || p->comp_exclusion)
        return 1;
    if (p->decomp_seqindex == UINT16_MAX || p->decomp_type != 0)
        return 0;
    /* A canonical decomposition: precomposed letters (é, й) are NFC, but
     * singletons (U+212B ANGSTROM SIGN, CJK compatibility ideographs) and
     * non-starter decompositions are not. They all lie in these blocks. */
    return (cp >= 0x0340 && cp <= 0x0387) || (cp >= 0x1F70 && cp <= 0x1FFF) ||
           (cp >= 0x2000 && cp <= 0x2FFF) || (cp >= 0xF900 && cp <= 0xFB4F) ||
           (cp >= 0x1D100 && cp <= 0x1D1FF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

/* sr_buf_put for the few bytes of one character: inline, because it runs
 * once per non-ASCII character. */
static inline void put_small(sr_buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        sr_buf_put(b, s, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        b->p[b->n + i] = s[i];
    b->n += n;
    b->p[b->n] = 0;
}

/* State of one sr_text_normalize call. */
typedef struct norm {
    sr_buf *out;
    size_t base;        /* out->n when the call started: never touched below */
    int in_run;         /* inside a non-ASCII run awaiting NFC */
    int suspect;        /* the run holds a character NFC may change */
    size_t run_start;   /* where the run (with its preceding base) starts */
    int32_t *u32;       /* scratch for utf8proc, reused across runs */
    size_t u32cap;      /* code points allocated in u32 */
} norm;

/* Rewrites out[run_start..n) in NFC. The run is valid UTF-8 we wrote
 * ourselves, so utf8proc can only fail on memory; the run is then kept. */
static void nfc_run(norm *st)
{
    sr_buf *out = st->out;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)out->p + st->run_start;
    utf8proc_ssize_t n = (utf8proc_ssize_t)(out->n - st->run_start);
    utf8proc_option_t opt = UTF8PROC_COMPOSE | UTF8PROC_STABLE;
    utf8proc_ssize_t ncp;
    for (;;) {
        ncp = utf8proc_decompose(s, n, st->u32, (utf8proc_ssize_t)st->u32cap, opt);
        if (ncp < 0)
            return;
        /* +1: utf8proc_reencode writes a terminating NUL after the bytes */
        if ((size_t)ncp + 1 <= st->u32cap)
            break;
        free(st->u32);
        st->u32cap = (size_t)ncp + 1 > 64 ? (size_t)ncp + 1 : 64;
        st->u32 = sr_xmalloc(st->u32cap * sizeof *st->u32);
    }
    utf8proc_ssize_t nb = utf8proc_reencode(st->u32, ncp, opt);
    if (nb < 0)
        return;
    out->n = st->run_start;
    sr_buf_put(out, (const char *)st->u32, (size_t)nb);
}

static void end_run(norm *st)
{
    if (st->in_run && st->suspect)
        nfc_run(st);
    st->in_run = st->suspect = 0;
}

static inline int plain_ascii(unsigned char c)
{
    return (c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t';
}

/* Whether the eight bytes at p are all printable ASCII (0x20..0x7E): the
 * bulk of news text, tested a word at a time (bit tricks exact for "some
 * byte is below 0x20" and "some byte is above 0x7E"). */
static inline int printable8(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t below = (v - ones * 0x20) & ~v & high;
    uint64_t above = ((v + ones * (127 - 0x7E)) | v) & high;
    return !(below | above);
}

void sr_text_normalize(const char *in, size_t len, sr_buf *out,
                       sr_text_warn_fn warn, void *ud)
{
    const unsigned char *s = (const unsigned char *)in;
    norm st = {.out = out};
    sr_buf_grow(out, len);      /* about the output's size: no copies while growing */
    sr_buf_put(out, "", 0);     /* out->p is non-NULL from here on */
    st.base = out->n;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (plain_ascii(c)) {
            size_t j = i + 1;
            while (j < len) {
                if (j + 8 <= len && printable8(s + j)) {
                    j += 8;
                    continue;
                }
                if (!plain_ascii(s[j]))
                    break;
                j++;
            }
            end_run(&st);
            sr_buf_put(out, in + i, j - i);
            i = j;
            continue;
        }
        if (c < 0x80) {
            if (c == '\r') {
                end_run(&st);
                sr_buf_putc(out, '\n');
                i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
            } else
                i++;            /* NUL, other C0 controls, DEL */
            continue;
        }
        int32_t cp;
        size_t n = sr_utf8_decode(in + i, len - i, &cp);
        int bad = n == 0;
        if (bad) {
            if (warn)
                warn(ud, i, "invalid UTF-8");
            n = sr_utf8_bad_len(s + i, len - i);
            cp = 0xFFFD;
        }
        const char *to;
        int act = typo(cp, &to);
        if (act == DROP) {
            i += n;
            continue;
        }
        if (act == MAP) {
            end_run(&st);
            put_small(out, to, strlen(to));
            i += n;
            continue;
        }
        if (!st.in_run) {
            st.in_run = 1;
            /* the previous character, if any, is ASCII: include it */
            st.run_start = out->n > st.base ? out->n - 1 : st.base;
        }
        if (bad) {
            put_small(out, "\xEF\xBF\xBD", 3);
        } else {
            if (!st.suspect && nfc_suspect(cp))
                st.suspect = 1;
            put_small(out, in + i, n);
        }
        i += n;
    }
    end_run(&st);
    free(st.u32);
}
