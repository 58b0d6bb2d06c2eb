/* test_escape.c — the JSON string escaper of src/out/jsonl.c
 * (sr_json_escape, out.h), whose fast path scans eight bytes at a time,
 * against a byte-at-a-time reference written here: the escaper as it was
 * before the fast path (every control byte, '"' and '\\' escaped, valid
 * UTF-8 as sr_utf8_decode accepts it copied, each other byte U+FFFD).
 * Each case is also tried at every offset 0..15 behind ASCII padding and
 * in front of it, so that special bytes cross the 8-byte boundaries. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "out/out.h"

/* The reference: one byte or character at a time. */
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
        switch (ch) {
        case '"': sr_buf_puts(b, "\\\""); break;
        case '\\': sr_buf_puts(b, "\\\\"); break;
        case '\n': sr_buf_puts(b, "\\n"); break;
        case '\t': sr_buf_puts(b, "\\t"); break;
        case '\r': sr_buf_puts(b, "\\r"); break;
        default:
            if (ch < 0x20) {
                char esc[7] = {0};
                memcpy(esc, "\\u00", 4);
                esc[4] = hex[ch >> 4];
                esc[5] = hex[ch & 15];
                sr_buf_puts(b, esc);
            } else {
                sr_buf_putc(b, (char)ch);
            }
        }
        i++;
    }
}

/* Prints s[0..n) as hex, for failure messages. */
static void dump(const char *what, const char *s, size_t n)
{
    fprintf(stderr, "%s (%zu):", what, n);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %02x", (unsigned char)s[i]);
    fprintf(stderr, "\n");
}

/* s[0..n) escaped by both, into a buffer that already holds bytes (the
 * escaper appends); also behind and before ASCII padding of 0..15 bytes. */
static void check_n(const char *s, size_t n, const char *file, int line)
{
    char *in = malloc(n + 32);
    assert_non_null(in);
    for (size_t pad = 0; pad < 16; pad++) {
        for (int after = 0; after < 2; after++) {
            size_t m = 0;
            if (!after) {
                memset(in, 'a', pad);
                m = pad;
            }
            memcpy(in + m, s, n);
            m += n;
            if (after) {
                memset(in + m, 'z', pad);
                m += pad;
            }
            sr_buf fast = {0}, ref = {0};
            sr_buf_puts(&fast, "x");
            sr_buf_puts(&ref, "x");
            sr_json_escape(&fast, in, m);
            ref_escape(&ref, in, m);
            if (fast.n != ref.n || memcmp(fast.p, ref.p, ref.n) || fast.p[fast.n]) {
                fprintf(stderr, "%s:%d: escapes differ (pad %zu %s)\n", file, line, pad,
                        after ? "after" : "before");
                dump("input", in, m);
                dump("fast", fast.p, fast.n);
                dump("reference", ref.p, ref.n);
                fail();
            }
            sr_buf_free(&fast);
            sr_buf_free(&ref);
        }
    }
    free(in);
}
#define CHECK(s) check_n(s, sizeof(s) - 1, __FILE__, __LINE__)

static void test_every_byte_alone(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        char s[1] = {(char)c};
        check_n(s, 1, __FILE__, __LINE__);
    }
}

/* The exact escapes, not only agreement with the reference. */
static void test_known_escapes(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t n;
        const char *out;
    } cases[] = {
        {"", 0, ""},
        {"plain text", 10, "plain text"},
        {"a\"b\\c", 5, "a\\\"b\\\\c"},
        {"\n\t\r\b\f", 5, "\\n\\t\\r\\u0008\\u000c"},
        {"\x00\x1f\x7f", 3, "\\u0000\\u001f\x7f"},
        {"caf\xC3\xA9", 5, "caf\xC3\xA9"},
        {"\xC3", 1, "\xEF\xBF\xBD"},
        {"\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"\xF0\x9F\x98\x80!", 5, "\xF0\x9F\x98\x80!"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sr_buf b = {0};
        sr_buf_puts(&b, "");
        sr_json_escape(&b, cases[i].in, cases[i].n);
        assert_string_equal(b.p, cases[i].out);
        sr_buf_free(&b);
    }
}

static void test_every_control_and_ascii(void **state)
{
    (void)state;
    char s[128];
    for (int c = 0; c < 128; c++)
        s[c] = (char)c;
    check_n(s, sizeof s, __FILE__, __LINE__);
    CHECK("\"quoted\" and \\backslashed\\ \"\"\\\\ in a row");
    CHECK("line one\nline two\r\n\ttabbed\x01\x02\x03\x1b[0m");
}

static void test_utf8_valid(void **state)
{
    (void)state;
    CHECK("\xC2\x80 \xC2\xBF \xDF\xBF \xC3\xA9t\xC3\xA9");          /* 2 bytes */
    CHECK("\xE0\xA0\x80 \xE2\x80\x94 \xEF\xBF\xBD \xED\x9F\xBF \xEE\x80\x80"); /* 3 */
    CHECK("\xF0\x90\x80\x80 \xF3\xBF\xBF\xBF \xF4\x8F\xBF\xBF");     /* 4 */
    CHECK("\xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2 \xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2 \xD0\xA5\xD0\xB0\xD1\x80\xD0\xBA\xD1\x96\xD0\xB2");
    CHECK("\xE2\x80\x9CQuoted,\xE2\x80\x9D he said \xE2\x80\x94 \"no\".");
}

static void test_utf8_invalid(void **state)
{
    (void)state;
    CHECK("\xC2");                          /* truncated at the end */
    CHECK("\xE2\x80");
    CHECK("\xF0\x9F\x98");
    CHECK("\xC2 x");                        /* truncated before ASCII */
    CHECK("\xE2\x80x\xF0\x9F\x98y");
    CHECK("\xC0\x80 \xC1\xBF");             /* overlong 2 */
    CHECK("\xE0\x80\x80 \xE0\x9F\xBF");     /* overlong 3 */
    CHECK("\xF0\x80\x80\x80 \xF0\x8F\xBF\xBF"); /* overlong 4 */
    CHECK("\xED\xA0\x80 \xED\xBF\xBF \xED\xB0\x80"); /* surrogates */
    CHECK("\xF4\x90\x80\x80 \xF5\x80\x80\x80 \xF7\xBF\xBF\xBF"); /* > U+10FFFF */
    CHECK("\xF8\x88\x80\x80\x80 \xFC\x84\x80\x80\x80\x80 \xFE \xFF");
    CHECK("\x80\x81\xBF abc \xBF\x80");     /* lone continuations */
    CHECK("\xC3\xC3\xA9 \xE2\xE2\x80\x94 \xF0\xF0\x9F\x98\x80");
    CHECK("\xE2\x28\xA1 \xF0\x28\x8C\xBC \xF0\x90\x28\xBC \xF0\x28\x8C\x28");
}

static void test_high_bytes_alone(void **state)
{
    (void)state;
    for (int c = 0x80; c < 0x100; c++) {
        char s[3] = {'a', (char)c, 'b'};
        check_n(s, 3, __FILE__, __LINE__);
        char t[9];
        memset(t, (char)c, sizeof t);
        check_n(t, sizeof t, __FILE__, __LINE__);
    }
}

/* Every 1-4 byte sequence whose first byte is a lead byte, its tail
 * taken from bytes at the edges of the valid ranges. */
static void test_sequences_exhaustive(void **state)
{
    (void)state;
    static const unsigned char tails[] = {0x00, 0x22, 0x41, 0x5C, 0x7F, 0x80, 0x8F, 0x90,
                                          0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xFF};
    size_t nt = sizeof tails;
    for (int lead = 0xC0; lead < 0x100; lead++)
        for (size_t a = 0; a < nt; a++)
            for (size_t b = 0; b < nt; b++)
                for (size_t c = 0; c < nt; c++) {
                    char s[4] = {(char)lead, (char)tails[a], (char)tails[b], (char)tails[c]};
                    for (size_t n = 1; n <= 4; n++) {
                        sr_buf fast = {0}, ref = {0};
                        sr_json_escape(&fast, s, n);
                        ref_escape(&ref, s, n);
                        if (fast.n != ref.n || memcmp(fast.p, ref.p, ref.n)) {
                            dump("input", s, n);
                            dump("fast", fast.p, fast.n);
                            dump("reference", ref.p, ref.n);
                            fail();
                        }
                        sr_buf_free(&fast);
                        sr_buf_free(&ref);
                    }
                }
}

/* Long runs: special bytes at every position of a 40-byte string. */
static void test_runs_cross_words(void **state)
{
    (void)state;
    static const char *const specials[] = {"\"", "\\", "\n", "\x01", "\x1f", "\xC3\xA9",
                                           "\xE2\x80\x94", "\xF0\x9F\x98\x80", "\xC3",
                                           "\xE2\x80", "\xFF", "\x7f", " "};
    for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++)
        for (size_t at = 0; at < 40; at++) {
            char s[48];
            memset(s, 'm', sizeof s);
            size_t len = strlen(specials[k]);
            memcpy(s + at, specials[k], len);
            check_n(s, 40 + len, __FILE__, __LINE__);
        }
}

/* Random strings drawn from bytes the escaper treats differently. */
static void test_random(void **state)
{
    (void)state;
    static const unsigned char pool[] = {'a', 'Z', ' ', '"', '\\', '\n', '\t', 0x00, 0x1f,
                                         0x7f, 0x80, 0xBF, 0xC2, 0xC3, 0xA9, 0xE0, 0xE2,
                                         0xED, 0xA0, 0x9F, 0xF0, 0xF4, 0x8F, 0x90, 0xFF};
    uint64_t x = 88172645463325252ull;
    for (int round = 0; round < 3000; round++) {
        char s[64];
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t n = (size_t)(x % sizeof s);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s[i] = (char)pool[x % sizeof pool];
        }
        check_n(s, n, __FILE__, __LINE__);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte_alone),
        cmocka_unit_test(test_known_escapes),
        cmocka_unit_test(test_every_control_and_ascii),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_invalid),
        cmocka_unit_test(test_high_bytes_alone),
        cmocka_unit_test(test_sequences_exhaustive),
        cmocka_unit_test(test_runs_cross_words),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
