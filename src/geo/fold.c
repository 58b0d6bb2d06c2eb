/* fold.c — the key form of place names, shared by the index builder
 * (tools/gazetteer_build.c) and the matcher, so that "Elektrostal’",
 * "ELEKTROSTAL" and "Elektrostal'" meet at one key: "elektrostal".
 *
 * ASCII takes a fast path; other code points go through utf8proc's case
 * folding and decomposition with marks stripped, one code point at a time
 * into a small stack buffer (no allocation). A few Latin letters that do
 * not decompose (ø, ł, đ, ı, æ, œ, ħ, þ) get explicit ASCII forms.
 */
#include "geo.h"

#include <string.h>

#include <utf8proc.h>

static int is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == '`' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC ||
           cp == 0x02BB || cp == 0x02BE || cp == 0x02BF || cp == 0x02B9 || cp == 0x00B4 ||
           cp == 0x2032;
}

static int is_separator(int32_t cp)
{
    return cp == '-' || cp == '/' || cp == ',' || cp == '_' || cp == ' ' || cp == '\t' ||
           cp == '\n' || cp == '\r' || cp == 0x00A0 || (cp >= 0x2010 && cp <= 0x2015) ||
           cp == 0x2212;
}

/* ASCII replacements for letters without a canonical decomposition. */
static const char *special(int32_t cp)
{
    switch (cp) {
    case 0x00F8: case 0x00D8: return "o";   /* ø */
    case 0x0142: case 0x0141: return "l";   /* ł */
    case 0x0111: case 0x0110: return "d";   /* đ */
    case 0x0131: return "i";                /* dotless i */
    case 0x00E6: case 0x00C6: return "ae";
    case 0x0153: case 0x0152: return "oe";
    case 0x0127: case 0x0126: return "h";   /* ħ */
    case 0x00FE: case 0x00DE: return "th";
    case 0x00F0: case 0x00D0: return "d";   /* ð */
    case 0x00DF: return "ss";
    default: return NULL;
    }
}

size_t sr_geo_fold(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int pending_space = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (sr_is_ascii_alpha(c) || sr_is_digit(c)) {
            /* the common case, on every capitalised word of every sentence */
            if (o + 1 + (size_t)pending_space >= cap)
                return 0;
            if (pending_space)
                out[o++] = ' ';
            pending_space = 0;
            out[o++] = (char)sr_lower(c);
            i++;
            continue;
        }
        int32_t cp;
        size_t len;
        if (c < 0x80) {
            cp = c;
            len = 1;
        } else {
            len = sr_utf8_decode(s + i, n - i, &cp);
            if (len == 0) { /* invalid byte: a separator, so keys never hold garbage */
                i++;
                pending_space = o > 0;
                continue;
            }
        }
        i += len;
        if (cp == 0)
            break;
        if (is_apostrophe(cp) || cp == '.')
            continue;
        if (is_separator(cp)) {
            pending_space = o > 0;
            continue;
        }
        char tmp[64];
        size_t tn = 0;
        if (cp < 0x80) {
            tmp[0] = (char)sr_lower((int)cp);
            tn = 1;
        } else if (special(cp)) {
            const char *sp = special(cp);
            tn = strlen(sp);
            memcpy(tmp, sp, tn);
        } else {
            utf8proc_int32_t dec[16];
            int last = 0;
            utf8proc_ssize_t nd = utf8proc_decompose_char(
                cp, dec, 16, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, &last);
            if (nd < 0 || nd > 16)
                continue;
            for (utf8proc_ssize_t k = 0; k < nd; k++) {
                if (tn + 4 > sizeof tmp)
                    break;
                const char *sp = dec[k] >= 0x80 ? special(dec[k]) : NULL;
                if (sp) {
                    size_t sl = strlen(sp);
                    memcpy(tmp + tn, sp, sl);
                    tn += sl;
                } else if (is_apostrophe(dec[k]) || dec[k] == '.') {
                    continue;
                } else {
                    tn += (size_t)utf8proc_encode_char(dec[k], (utf8proc_uint8_t *)tmp + tn);
                }
            }
        }
        if (tn == 0)
            continue;
        if (pending_space) {
            if (o + 1 >= cap)
                return 0;
            out[o++] = ' ';
            pending_space = 0;
        }
        if (o + tn >= cap)
            return 0;
        memcpy(out + o, tmp, tn);
        o += tn;
    }
    out[o] = '\0';
    return o;
}
