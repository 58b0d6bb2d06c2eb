/* html.c — sr_text_from_html: readable text out of an HTML page.
 *
 * libxml2's HTML parser repairs the markup and decodes entities; this file
 * only walks the tree (iteratively: fuzzed pages nest deeply), skips page
 * furniture (scripts, navigation, forms...) and lays the text out as blocks
 * separated by one blank line. Input is taken as UTF-8: charset detection
 * and conversion belong to input.c, which also reports invalid bytes.
 * Normalisation (quotes, NFC) happens afterwards in normalize.c.
 */
#include "text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

/* How the walk treats an element. */
enum { INLINE, BLOCK, BREAK, DROP };

/* Elements whose content is never article text. header is special-cased
 * in classify (kept inside <article>, where it holds the headline). */
static const char *const drop_tags[] = {
    "aside", "audio", "button", "canvas", "embed", "footer", "form", "head",
    "header", "iframe", "map", "math", "nav", "noscript", "object", "script",
    "select", "style", "svg", "template", "textarea", "title", "video",
};

/* Elements that start a new block of text. */
static const char *const block_tags[] = {
    "address", "article", "blockquote", "body", "caption", "center", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "hr", "html",
    "legend", "li", "main", "menu", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
};

static int in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(name, list[i]))
            return 1;
    return 0;
}

/* Walk state. Blocks are written lazily: a separator is emitted only
 * before the first character of a non-empty block that follows another,
 * so empty blocks vanish, blocks come out trimmed, and nothing is put
 * before the first block (the output may be appended to other text). */
typedef struct walk {
    sr_buf *out;
    int need_block;     /* a block boundary was crossed since the last char */
    int has_text;       /* the current block has received a character */
    int space;          /* white space seen since the last character */
    int newlines;       /* <br> (or newlines in <pre>) pending, at most 2 */
    int pre;            /* depth of <pre> elements */
    int article;        /* depth of <article> elements */
    int forms_checked;  /* forms examined by form_is_page (bounded) */
} walk;

/* Some sites (ASP.NET WebForms) wrap the whole page in one <form>; such a
 * form holds the article's <h1>, <main> or <article> and is not dropped.
 * The look-ahead is bounded in nodes and in forms so that pathological
 * nesting stays linear. */
static int form_is_page(walk *w, xmlNodePtr form)
{
    if (w->forms_checked++ >= 8)
        return 0;
    size_t budget = 20000;
    xmlNodePtr n = form->children;
    while (n && budget--) {
        if (n->type == XML_ELEMENT_NODE) {
            const char *name = (const char *)n->name;
            if (name && (!strcmp(name, "h1") || !strcmp(name, "main") ||
                         !strcmp(name, "article")))
                return 1;
            if (n->children) {
                n = n->children;
                continue;
            }
        }
        while (n != form && !n->next)
            n = n->parent;
        if (n == form)
            break;
        n = n->next;
    }
    return 0;
}

static int classify(walk *w, xmlNodePtr n)
{
    const char *name = (const char *)n->name;
    if (!strcmp(name, "br"))
        return BREAK;
    if (!strcmp(name, "header") && w->article > 0)
        return BLOCK;
    if (in_list(name, drop_tags, SR_ARRAY_LEN(drop_tags))) {
        if (!strcmp(name, "form") && form_is_page(w, n))
            return BLOCK;
        return DROP;
    }
    if (xmlHasProp(n, (const xmlChar *)"hidden"))
        return DROP;
    if (in_list(name, block_tags, SR_ARRAY_LEN(block_tags)))
        return BLOCK;
    return INLINE;
}

static void block_break(walk *w)
{
    if (w->has_text)
        w->need_block = 1;
    w->has_text = w->space = w->newlines = 0;
}

/* Appends text s, collapsing white space (ASCII and U+00A0) to single
 * spaces; inside <pre> newlines are kept as line breaks. */
static void add_text(walk *w, const char *s)
{
    sr_buf *out = w->out;
    while (*s) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n' && w->pre > 0) {
            if (w->has_text && w->newlines < 2)
                w->newlines++;
            w->space = 0;
            s++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            w->space = 1;
            s++;
            continue;
        }
        if (c == 0xC2 && (unsigned char)s[1] == 0xA0) {
            w->space = 1;
            s += 2;
            continue;
        }
        size_t k = 1;
        for (;;) {
            unsigned char d = (unsigned char)s[k];
            if (!d || d == ' ' || d == '\t' || d == '\n' || d == '\r' ||
                d == '\f' || (d == 0xC2 && (unsigned char)s[k + 1] == 0xA0))
                break;
            k++;
        }
        if (w->need_block) {
            sr_buf_put(out, "\n\n", 2);
        } else if (w->newlines && w->has_text) {
            sr_buf_put(out, "\n\n", (size_t)w->newlines);
        } else if (w->space && w->has_text) {
            sr_buf_putc(out, ' ');
        }
        w->need_block = w->newlines = w->space = 0;
        w->has_text = 1;
        sr_buf_put(out, s, k);
        s += k;
    }
}

/* Returns whether to descend into n's children. */
static int enter(walk *w, xmlNodePtr n)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content)
            add_text(w, (const char *)n->content);
        return 0;
    }
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return 0;
    switch (classify(w, n)) {
    case DROP:
        return 0;
    case BREAK:
        if (w->has_text && w->newlines < 2)
            w->newlines++;
        w->space = 0;
        return 0;
    case BLOCK:
        block_break(w);
        break;
    }
    if (!strcmp((const char *)n->name, "pre"))
        w->pre++;
    if (!strcmp((const char *)n->name, "article"))
        w->article++;
    return 1;
}

/* Undoes enter for an element whose children are done. */
static void leave(walk *w, xmlNodePtr n)
{
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return;
    const char *name = (const char *)n->name;
    if (!strcmp(name, "pre"))
        w->pre--;
    if (!strcmp(name, "article"))
        w->article--;
    if (in_list(name, block_tags, SR_ARRAY_LEN(block_tags)) ||
        !strcmp(name, "header") || !strcmp(name, "form"))
        block_break(w);
}

/* Visits the tree in document order without recursion. Every element
 * that enter() accepted gets exactly one leave() once its children are
 * done; the others (dropped, <br>, text) are passed over. */
static void walk_tree(walk *w, xmlNodePtr n)
{
    while (n) {
        if (enter(w, n)) {
            if (n->children) {
                n = n->children;
                continue;
            }
            leave(w, n);
        }
        while (!n->next) {
            n = n->parent;
            if (!n || n->type != XML_ELEMENT_NODE)
                return;
            leave(w, n);
        }
        n = n->next;
    }
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_parser(void)
{
    xmlInitParser();
}

/* libxml2 reports through the parser context when it has one; a silent
 * handler there keeps the library from printing whatever the options. */
static void silent(void *ud, xmlErrorPtr e)
{
    (void)ud;
    (void)e;
}

/* Copy of s with NUL bytes dropped and invalid UTF-8 replaced by U+FFFD,
 * for callers that did not clean the bytes first: libxml2 stops at NUL
 * and re-guesses the encoding on invalid bytes. */
static char *clean_copy(const char *s, size_t len, size_t *outlen)
{
    sr_buf b = {0};
    size_t i = 0, run = 0;
    while (i < len) {
        int32_t cp;
        size_t n = (unsigned char)s[i] < 0x80 ? 1 : sr_utf8_decode(s + i, len - i, &cp);
        if (n && s[i]) {
            i += n;
            continue;
        }
        sr_buf_put(&b, s + run, i - run);
        if (n == 0)
            sr_buf_put(&b, "\xEF\xBF\xBD", 3);
        i++;
        run = i;
    }
    sr_buf_put(&b, s + run, len - run);
    return sr_buf_take(&b, outlen);
}

static int needs_cleaning(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0)
            return 1;
        if (c < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        size_t n = sr_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return 1;
        i += n;
    }
    return 0;
}

int sr_text_from_html(const char *html, size_t len, sr_buf *out, sr_err *err)
{
    sr_buf_put(out, "", 0);
    if (len == 0)
        return SR_OK;
    if (len > INT32_MAX)
        return sr_err_set(err, SR_TOOBIG, NULL, 0, "HTML document too large");
    pthread_once(&init_once, init_parser);

    char *copy = NULL;
    if (needs_cleaning(html, len)) {
        copy = clean_copy(html, len, &len);
        html = copy;
    }
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt) {
        free(copy);
        return sr_err_set(err, SR_NOMEM, NULL, 0, "cannot create HTML parser");
    }
    ctxt->sax->serror = silent;
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
               HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC |
               XML_PARSE_HUGE;
    htmlDocPtr doc = htmlCtxtReadMemory(ctxt, html, (int)len, NULL, "UTF-8", opts);
    htmlFreeParserCtxt(ctxt);
    free(copy);
    if (!doc)
        return sr_err_set(err, SR_PARSE, NULL, 0, "cannot parse HTML");
    walk w = {.out = out};
    walk_tree(&w, doc->children);
    xmlFreeDoc(doc);
    return SR_OK;
}
