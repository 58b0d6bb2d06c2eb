/* fuzz_html.c — libFuzzer target for documents built from raw bytes:
 * sr_doc_new, i.e. charset handling, HTML extraction (html.c) and
 * normalisation (normalize.c).
 *
 * The first byte picks options: bit 0 clear = HTML (the usual case), set
 * = plain text; bit 1 = also pass the next bytes, up to a NUL, as the
 * published date. The document text must be NUL-free valid UTF-8 without
 * CR or other control characters, and normalising it again must change
 * nothing; any violation aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                       \
    do {                                                                  \
        if (!(cond)) {                                                    \
            fprintf(stderr, "fuzz_html: %s:%d: %s\n", __FILE__, __LINE__, \
                    #cond);                                               \
            abort();                                                      \
        }                                                                 \
    } while (0)

static void check_text(const char *t, size_t n)
{
    CHECK(t[n] == 0);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)t[i];
        CHECK(c != 0 && c != '\r' && c != 0x7F);
        CHECK(c >= 0x20 || c == '\n' || c == '\t');
        int32_t cp;
        size_t k = sr_utf8_decode(t + i, n - i, &cp);
        CHECK(k > 0);
        CHECK(!(cp >= 0x80 && cp <= 0x9F));
        i += k;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int is_html = !(data[0] & 1);
    char date[40] = {0};
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    if (data[0] & 2) {
        size_t k = 0;
        while (k < n && k + 1 < sizeof date && p[k])
            date[k] = (char)p[k], k++;
        p += k;
        n -= k;
    }
    /* an exact-size copy so that reads past the end are caught */
    char *bytes = malloc(n ? n : 1);
    if (!bytes)
        return 0;
    memcpy(bytes, p, n);
    sr_doc_meta meta = {.id = "fuzz", .published = (data[0] & 2) ? date : NULL,
                        .origin = "fuzz"};
    sr_doc *doc = NULL;
    sr_err err = {0};
    int rc = sr_doc_new(&meta, bytes, n, is_html, NULL, &doc, &err);
    free(bytes);
    if (rc != SR_OK) {
        CHECK(doc == NULL);
        CHECK(rc == SR_PARSE);
        return 0;
    }
    size_t len;
    const char *text = sr_doc_text(doc, &len);
    check_text(text, len);
    CHECK(strlen(text) == len);
    const char *pub = sr_doc_published(doc);
    CHECK(!pub || strlen(pub) == 10);
    for (size_t i = 0; i < sr_doc_warning_count(doc); i++)
        CHECK(sr_doc_warning(doc, i) != NULL);
    CHECK(sr_doc_warning(doc, sr_doc_warning_count(doc)) == NULL);

    sr_buf again = {0};
    sr_text_normalize(text, len, &again, NULL, NULL);
    CHECK(again.n == len && memcmp(again.p, text, len) == 0);
    sr_buf_free(&again);
    sr_doc_free(doc);
    return 0;
}
