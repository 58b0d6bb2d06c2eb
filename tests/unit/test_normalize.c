/* test_normalize.c — sr_text_normalize (src/text/normalize.c): UTF-8
 * repair with input offsets, control characters and line ends, the
 * typography table, NFC, and appending to a non-empty buffer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

/* Repairs recorded by the warn callback. */
typedef struct warns {
    size_t off[32];
    size_t n;
} warns;

static void record(void *ud, size_t off, const char *what)
{
    warns *w = ud;
    assert_string_equal(what, "invalid UTF-8");
    if (w->n < 32)
        w->off[w->n] = off;
    w->n++;
}

/* Normalises in[0..len) into a fresh malloc'd string. */
static char *norm(const char *in, size_t len, warns *w)
{
    sr_buf b = {0};
    sr_text_normalize(in, len, &b, w ? record : NULL, w);
    return sr_buf_take(&b, NULL);
}

#define NORM_EQ(in, want)                                   \
    do {                                                    \
        char *got_ = norm((in), sizeof(in) - 1, NULL);      \
        assert_string_equal(got_, (want));                  \
        free(got_);                                         \
    } while (0)

static void test_ascii_unchanged(void **state)
{
    (void)state;
    NORM_EQ("Russia and Ukraine agreed on a 30-day ceasefire.\n\tNext line.",
            "Russia and Ukraine agreed on a 30-day ceasefire.\n\tNext line.");
    NORM_EQ("", "");
}

static void test_line_ends(void **state)
{
    (void)state;
    NORM_EQ("a\r\nb\rc\nd\r\n\r\ne\r", "a\nb\nc\nd\n\ne\n");
}

static void test_controls_dropped(void **state)
{
    (void)state;
    /* NUL included: the length covers the embedded NUL bytes */
    NORM_EQ("a\0b\x01" "c\td\x7f" "e\x1b[0m\x0c\x0b\0", "abc\tde[0m");
    /* C1 controls (U+0080..U+009F) go too; NEL becomes a newline */
    NORM_EQ("x\xc2\x80y\xc2\x9fz\xc2\x85w", "xyz\nw");
}

static void test_invalid_utf8_offsets(void **state)
{
    (void)state;
    warns w = {{0}, 0};
    /* offsets:   0123 4 5678901 2 3 */
    const char in[] = "ok \xff then \xe2\x82 end";
    char *got = norm(in, sizeof in - 1, &w);
    assert_string_equal(got, "ok \xef\xbf\xbd then \xef\xbf\xbd end");
    assert_int_equal(w.n, 2);
    assert_int_equal(w.off[0], 3);
    assert_int_equal(w.off[1], 10);   /* E2 82: one truncated sequence */
    free(got);
}

static void test_maximal_subparts(void **state)
{
    (void)state;
    warns w = {{0}, 0};
    /* C0 AF: invalid lead + stray continuation = 2 replacements;
     * E0 80 80 (overlong): 3; ED A0 80 (surrogate): 3;
     * F0 90 80 then 'x' (truncated 4-byte): 1; F5: 1 */
    const char in[] = "\xc0\xaf|\xe0\x80\x80|\xed\xa0\x80|\xf0\x90\x80x|\xf5";
    char *got = norm(in, sizeof in - 1, &w);
    const char *r = "\xef\xbf\xbd";
    char want[128];
    snprintf(want, sizeof want, "%s%s|%s%s%s|%s%s%s|%sx|%s", r, r, r, r, r, r, r, r, r, r);
    assert_string_equal(got, want);
    assert_int_equal(w.n, 10);
    assert_int_equal(w.off[0], 0);
    assert_int_equal(w.off[1], 1);
    assert_int_equal(w.off[2], 3);    /* E0 */
    assert_int_equal(w.off[5], 7);    /* ED */
    assert_int_equal(w.off[8], 11);   /* F0 90 80 */
    assert_int_equal(w.off[9], 16);   /* F5 */
    free(got);
}

static void test_valid_replacement_char_kept(void **state)
{
    (void)state;
    warns w = {{0}, 0};
    const char in[] = "a\xef\xbf\xbd" "b";
    char *got = norm(in, sizeof in - 1, &w);
    assert_string_equal(got, "a\xef\xbf\xbd" "b");
    assert_int_equal(w.n, 0);
    free(got);
}

static void test_quotes(void **state)
{
    (void)state;
    /* ‘ ’ ‚ ‛ ′ ´ ʼ ‹ › -> ' */
    NORM_EQ("\xe2\x80\x98" "a\xe2\x80\x99" "b\xe2\x80\x9a" "c\xe2\x80\x9b" "d\xe2\x80\xb2"
            "e\xc2\xb4" "f\xca\xbc" "g\xe2\x80\xb9" "h\xe2\x80\xba",
            "'a'b'c'd'e'f'g'h'");
    /* “ ” „ ‟ « » ″ -> " */
    NORM_EQ("\xe2\x80\x9c" "a\xe2\x80\x9d" "b\xe2\x80\x9e" "c\xe2\x80\x9f"
            "d\xc2\xab" "e\xc2\xbb" "f\xe2\x80\xb3",
            "\"a\"b\"c\"d\"e\"f\"");
    NORM_EQ("Russia\xe2\x80\x99s \xe2\x80\x9cspecial operation\xe2\x80\x9d",
            "Russia's \"special operation\"");
}

static void test_dashes(void **state)
{
    (void)state;
    /* ‐ ‑ ‒ – − -> '-'; — and ― stay */
    NORM_EQ("a\xe2\x80\x90" "b\xe2\x80\x91" "c\xe2\x80\x92" "d\xe2\x80\x93" "e\xe2\x88\x92" "f",
            "a-b-c-d-e-f");
    NORM_EQ("war \xe2\x80\x94 again \xe2\x80\x95 end", "war \xe2\x80\x94 again \xe2\x80\x95 end");
}

static void test_spaces_and_invisibles(void **state)
{
    (void)state;
    /* NBSP, en quad, thin space, hair space, narrow NBSP, medium math
     * space, ideographic space -> ' ' */
    NORM_EQ("a\xc2\xa0" "b\xe2\x80\x80" "c\xe2\x80\x89" "d\xe2\x80\x8a" "e\xe2\x80\xaf"
            "f\xe2\x81\x9f" "g\xe3\x80\x80" "h",
            "a b c d e f g h");
    /* ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen removed */
    NORM_EQ("\xef\xbb\xbfwar\xe2\x80\x8bzone Zapo\xc2\xadrizhzhia x\xe2\x80\x8c" "y\xe2\x80\x8d"
            "z\xe2\x81\xa0w",
            "warzone Zaporizhzhia xyzw");
    /* … -> ...; bullet kept */
    NORM_EQ("wait\xe2\x80\xa6 \xe2\x80\xa2 item", "wait... \xe2\x80\xa2 item");
    /* line and paragraph separators */
    NORM_EQ("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", "a\nb\n\nc");
}

static void test_nfc(void **state)
{
    (void)state;
    NORM_EQ("cafe\xcc\x81", "caf\xc3\xa9");                 /* e + U+0301 -> é */
    NORM_EQ("\xd0\xb8\xcc\x86" "ak", "\xd0\xb9" "ak");       /* и + U+0306 -> й */
    NORM_EQ("\xe2\x84\xab", "\xc3\x85");                     /* ANGSTROM SIGN -> Å */
    NORM_EQ("\xe1\x84\x80\xe1\x85\xa1", "\xea\xb0\x80");     /* jamo -> 가 */
    /* canonical reordering: dot below (220) before dot above (230) */
    NORM_EQ("q\xcc\x87\xcc\xa3", "q\xcc\xa3\xcc\x87");
    /* already composed text is left as is */
    NORM_EQ("Zelens'kyi \xd0\x97\xd0\xb5\xd0\xbb\xd0\xb5\xd0\xbd\xd1\x81\xd1\x8c\xd0\xba\xd0\xb8\xd0\xb9",
            "Zelens'kyi \xd0\x97\xd0\xb5\xd0\xbb\xd0\xb5\xd0\xbd\xd1\x81\xd1\x8c\xd0\xba\xd0\xb8\xd0\xb9");
    /* a mark after a dropped invisible still composes with its base */
    NORM_EQ("e\xe2\x80\x8b\xcc\x81", "\xc3\xa9");
}

static void test_appends_without_touching_prefix(void **state)
{
    (void)state;
    sr_buf b = {0};
    sr_buf_puts(&b, "e");
    /* a lone combining mark must not compose with text already in out */
    sr_text_normalize("\xcc\x81x", 3, &b, NULL, NULL);
    assert_int_equal(b.n, 4);
    assert_memory_equal(b.p, "e\xcc\x81x", 4);
    sr_buf_free(&b);
}

static void test_large_mixed_input(void **state)
{
    (void)state;
    /* many short runs: ASCII words, Cyrillic words, decomposed marks */
    sr_buf in = {0}, want = {0};
    for (int i = 0; i < 20000; i++) {
        sr_buf_puts(&in, "word \xd1\x81\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xbe cafe\xcc\x81 \xe2\x80\x9cq\xe2\x80\x9d\r\n");
        sr_buf_puts(&want, "word \xd1\x81\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xbe caf\xc3\xa9 \"q\"\n");
    }
    sr_buf out = {0};
    sr_text_normalize(in.p, in.n, &out, NULL, NULL);
    assert_int_equal(out.n, want.n);
    assert_memory_equal(out.p, want.p, want.n);
    sr_buf_free(&in);
    sr_buf_free(&want);
    sr_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_unchanged),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_controls_dropped),
        cmocka_unit_test(test_invalid_utf8_offsets),
        cmocka_unit_test(test_maximal_subparts),
        cmocka_unit_test(test_valid_replacement_char_kept),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_dashes),
        cmocka_unit_test(test_spaces_and_invisibles),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_appends_without_touching_prefix),
        cmocka_unit_test(test_large_mixed_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
