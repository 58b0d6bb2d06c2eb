/* fuzz_escape.c — libFuzzer target for the JSON string escaper of
 * src/out/jsonl.c (sr_json_escape, out.h), which scans eight bytes at a
 * time: its output must equal a byte-at-a-time reference written here
 * (controls, '"' and '\\' escaped, valid UTF-8 copied as sr_utf8_decode
 * accepts it, any other byte U+FFFD), the buffer must stay NUL-terminated,
 * and the result must be valid UTF-8 with no raw control byte, quote or
 * lone backslash. The first byte picks how much is already in the buffer,
 * so that appends land at every alignment. Violations abort. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "out/out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "fuzz_escape: %s:%d: %s\n", __FILE__, __LINE__, \
                    #cond);                                                 \
            abort();                                                        \
        }                                                                   \
    } while (0)

static void ref_escape(sr_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x80) {
            int32_t cp;
            size_t k = sr_utf8_decode(s + i, n - i, &cp);
            if (k) {
                sr_buf_put(b, s + i, k);
                i += k;
            } else {
                sr_buf_puts(b, "\xEF\xBF\xBD");
                i++;
            }
            continue;
        }
        char esc[7] = {'\\', 0};
        if (ch == '"' || ch == '\\')
            esc[1] = (char)ch;
        else if (ch == '\n')
            esc[1] = 'n';
        else if (ch == '\t')
            esc[1] = 't';
        else if (ch == '\r')
            esc[1] = 'r';
        else if (ch < 0x20) {
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[ch >> 4];
            esc[5] = hex[ch & 15];
        } else {
            esc[0] = (char)ch;
        }
        sr_buf_puts(b, esc);
        i++;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t pre = data[0] % 16;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;

    sr_buf fast = {0}, ref = {0};
    for (size_t i = 0; i < pre; i++) {
        sr_buf_putc(&fast, 'p');
        sr_buf_putc(&ref, 'p');
    }
    sr_json_escape(&fast, s, n);
    ref_escape(&ref, s, n);
    CHECK(fast.n == ref.n);
    CHECK(!memcmp(fast.p, ref.p, ref.n));
    CHECK(fast.p[fast.n] == 0);
    for (size_t i = pre; i < fast.n;) {
        unsigned char c = (unsigned char)fast.p[i];
        CHECK(c >= 0x20 && c != '"');
        if (c == '\\') {
            CHECK(i + 1 < fast.n && strchr("\"\\ntru", fast.p[i + 1]));
            i += 2;
            continue;
        }
        int32_t cp;
        size_t k = sr_utf8_decode(fast.p + i, fast.n - i, &cp);
        CHECK(k > 0);
        i += k;
    }
    sr_buf_free(&fast);
    sr_buf_free(&ref);
    return 0;
}
