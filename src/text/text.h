/* text.h — from raw bytes to sentences and tokens.
 *
 *   input.c      paths, directories, JSONL feeds, stdin -> sr_doc (public API)
 *   html.c       HTML -> plain text blocks (libxml2's HTML parser)
 *   normalize.c  UTF-8 repair, NFC, typography (quotes, dashes, spaces)
 *   boiler.c     data-driven web boilerplate removal (dict/boilerplate.txt)
 *   split.c      sentence splitter and tokenizer (byte offsets into the text)
 *
 * The document text (sr_doc.text) is the normalised, boilerplate-free text;
 * every offset sitrep reports is a byte offset into it.
 */
#ifndef SR_TEXT_H
#define SR_TEXT_H

#include "../base/base.h"

#include <stdint.h>

/* ---- documents (input.c) ---- */

struct sr_doc {
    char *id;            /* required, never NULL */
    char *published;     /* "YYYY-MM-DD" or NULL */
    char *url, *source, *title;  /* optional metadata, may be NULL */
    char *origin;        /* "FILE" or "FILE:LINE" it came from */
    char *text;          /* normalised UTF-8, NUL-terminated, owned */
    size_t len;          /* bytes in text */
    char **warnings;     /* repairs made while reading, owned */
    size_t nwarn, capwarn;
};

void sr_doc_warnf(sr_doc *doc, const char *fmt, ...) SR_PRINTF(2, 3);

/* ---- normalisation (normalize.c) ---- */

/* Called once per repair with the byte offset in the *input*. */
typedef void (*sr_text_warn_fn)(void *ud, size_t offset, const char *what);

/* Appends a normalised copy of in[0..len) to out:
 *  - invalid UTF-8 sequences become U+FFFD, each reported through warn;
 *  - NUL and control characters other than \n and \t are dropped, CR LF
 *    and lone CR become \n;
 *  - Unicode NFC (utf8proc);
 *  - typography: curly and low single/double quotes and primes -> ' and ",
 *    U+2010..U+2013 and U+2212 -> '-', the em dash U+2014/U+2015 is kept
 *    (the tokenizer makes it a punctuation token); NBSP, thin and other
 *    Unicode spaces -> ' '; zero-width characters, BOM and soft hyphens
 *    removed; U+2026 -> "...". The exact table is in normalize.c.
 * warn may be NULL. */
void sr_text_normalize(const char *in, size_t len, sr_buf *out,
                       sr_text_warn_fn warn, void *ud);

/* ---- HTML (html.c) ---- */

/* Extracts readable text from an HTML document with libxml2's HTML parser.
 * Drops script, style, nav, header, footer, aside, form, noscript, iframe,
 * svg, button, select and the <head> (title included). Headings,
 * paragraphs, list items, table cells, blockquotes, divs with direct text
 * become separate blocks separated by one blank line ("\n\n"); inline
 * elements flow into their block. Broken HTML is repaired, not rejected;
 * returns SR_PARSE only when nothing can be parsed at all. */
int sr_text_from_html(const char *html, size_t len, sr_buf *out, sr_err *err);

/* ---- boilerplate (boiler.c) ---- */

typedef struct sr_boiler sr_boiler;

/* Loads rules from path (format documented at the top of
 * dict/boilerplate.txt and in docs/DICTIONARIES.md); errors name file:line. */
int sr_boiler_load(const char *path, sr_boiler **out, sr_err *err);
void sr_boiler_free(sr_boiler *b);
size_t sr_boiler_count(const sr_boiler *b);
/* Removes boilerplate from text in place (lines dropped, inline fragments
 * cut); text stays NUL-terminated. Returns the new length. */
size_t sr_boiler_apply(const sr_boiler *b, char *text, size_t len);

/* ---- sentences and tokens (split.c) ---- */

enum {
    SR_TOK_WORD = 1 << 0,   /* letters (may hold ' or . inside: U.S., don't) */
    SR_TOK_NUM = 1 << 1,    /* 4,000  3.5  2025  30 */
    SR_TOK_PUNCT = 1 << 2,  /* anything else, one character or "..." / "--" */
    SR_TOK_CAP = 1 << 3,    /* first letter is upper case */
    SR_TOK_UPPER = 1 << 4,  /* two or more letters, all upper case (NATO, US) */
    SR_TOK_GLUED = 1 << 5,  /* no white space between this token and the previous */
};

typedef struct sr_token {
    uint32_t start, end;    /* [start, end) byte offsets into the document text */
    uint32_t flags;         /* SR_TOK_* */
} sr_token;

enum {
    SR_SENT_BODY = 0,       /* ordinary sentence inside a paragraph */
    SR_SENT_HEADLINE = 1,   /* a line/block standing alone without final punctuation */
    SR_SENT_ITEM = 2,       /* a list item (bullet or number stripped) */
};

typedef struct sr_sentence {
    uint32_t start, end;    /* [start, end) byte offsets, trimmed of white space */
    uint32_t tok0, ntok;    /* tokens [tok0, tok0+ntok) of the sr_split */
    uint32_t block;         /* paragraph number, 0-based */
    uint32_t kind;          /* SR_SENT_* */
} sr_sentence;

typedef struct sr_split {
    sr_sentence *sents;     /* owned */
    size_t nsents, capsents;
    sr_token *toks;         /* owned */
    size_t ntoks, captoks;
} sr_split;

/* Splits text into sentences and tokens, replacing the contents of out
 * (its memory is reused, so one sr_split can serve many documents).
 * Never fails; runs in time linear in len. */
void sr_text_split(const char *text, size_t len, sr_split *out);
void sr_split_free(sr_split *s);

#endif
