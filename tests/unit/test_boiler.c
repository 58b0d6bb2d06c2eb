/* test_boiler.c — boilerplate rules (src/text/boiler.c): each rule kind,
 * the glob syntax, malformed rule files (FILE:LINE errors), the shipped
 * dict/boilerplate.txt on real boilerplate, and real sentences that must
 * survive it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"

#define BAD_DIR SR_TEST_DATA "/input/boiler/"

/* Loads rules given as text (written to a temporary file). */
static sr_boiler *rules(const char *text)
{
    char path[] = "/tmp/sr_test_boiler_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    sr_boiler *b = NULL;
    sr_err err = {0};
    int rc = sr_boiler_load(path, &b, &err);
    unlink(path);
    if (rc)
        fail_msg("rules did not load: %s", err.msg);
    return b;
}

/* Applies b to a copy of text and returns it (malloc'd). */
static char *apply(const sr_boiler *b, const char *text)
{
    char *s = strdup(text);
    size_t n = sr_boiler_apply(b, s, strlen(s));
    assert_int_equal(n, strlen(s));     /* returned length and NUL agree */
    return s;
}

#define APPLY_EQ(b, text, want)                  \
    do {                                         \
        char *got_ = apply((b), (text));         \
        assert_string_equal(got_, (want));       \
        free(got_);                              \
    } while (0)

static void test_line_rules(void **state)
{
    (void)state;
    sr_boiler *b = rules("# comment\n\nline Share THIS\n  line\tread more  \n");
    assert_int_equal(sr_boiler_count(b), 2);
    APPLY_EQ(b, "A\nShare this\nB", "A\nB");
    /* case, surrounding and inner white space do not matter */
    APPLY_EQ(b, "A\n  SHARE \t THIS  \nB\n", "A\nB\n");
    /* the whole line must match */
    APPLY_EQ(b, "Share this article.\nRead more carefully.\n",
             "Share this article.\nRead more carefully.\n");
    sr_boiler_free(b);
}

static void test_glob_syntax(void **state)
{
    (void)state;
    sr_boiler *b = rules("line last news in *[!.]\n"
                         "line page ? of ?\n"
                         "line *[a-z] - [0-9]\n"
                         "line 5 \\* rating\n"
                         "line *ctrl + enter*\n");
    APPLY_EQ(b, "Last news in Example Daily\nLast news in Kyiv was bad.\n",
             "Last news in Kyiv was bad.\n");
    /* ? is one character, also a multi-byte one */
    APPLY_EQ(b, "page 2 of 9\npage 2 of \xd1\x97\npage 12 of 9\n", "page 12 of 9\n");
    APPLY_EQ(b, "Envoys meet in Geneva  - 1\nThe score was 2 - 1\n",
             "The score was 2 - 1\n");
    APPLY_EQ(b, "5 * rating\n5 x rating\n", "5 x rating\n");
    APPLY_EQ(b, "You can also highlight the text and press Ctrl + Enter\n", "");
    sr_boiler_free(b);
}

static void test_prefix_rules(void **state)
{
    (void)state;
    sr_boiler *b = rules("prefix read also:\nprefix Photo:\n");
    APPLY_EQ(b, "Read also: Russia shells Kharkiv\nReading also matters.\n"
                "PHOTO: Reuters\nPhotos show damage.\n",
             "Reading also matters.\nPhotos show damage.\n");
    sr_boiler_free(b);
}

static void test_inline_rules(void **state)
{
    (void)state;
    sr_boiler *b = rules("inline (photo: ... )\ninline [video]\n");
    APPLY_EQ(b, "Putin (photo: Getty Images) said no.\n", "Putin said no.\n");
    APPLY_EQ(b, "Russian President Vladimir Putin (Photo: Getty Images).\n",
             "Russian President Vladimir Putin.\n");
    APPLY_EQ(b, "(photo: AP) Kyiv was shelled [VIDEO]\n", "Kyiv was shelled\n");
    APPLY_EQ(b, "a (photo: x) b (photo: y) c (photo: z)\n", "a b c\n");
    /* a line left empty by cuts disappears */
    APPLY_EQ(b, "A\n(photo: EPA)\nB\n", "A\nB\n");
    /* no END within 200 bytes: nothing is cut */
    char line[400];
    snprintf(line, sizeof line, "(photo: %0250d) tail", 0);
    char *got = apply(b, line);
    assert_string_equal(got, line);
    free(got);
    /* an unmatched START does not hide a later, matched one */
    char want[400];
    snprintf(line, sizeof line, "(photo: %0250d (photo: AP) tail", 0);
    snprintf(want, sizeof want, "(photo: %0250d tail", 0);
    got = apply(b, line);
    assert_string_equal(got, want);
    free(got);
    /* unmatched STARTs everywhere still finish, leaving the text */
    sr_buf big = {0};
    for (int i = 0; i < 50000; i++)
        sr_buf_puts(&big, "(photo: ");
    got = apply(b, big.p);
    assert_int_equal(strlen(got), big.n);
    free(got);
    sr_buf_free(&big);
    sr_boiler_free(b);
}

static void test_blank_lines_tidied(void **state)
{
    (void)state;
    sr_boiler *b = rules("line share this\n");
    APPLY_EQ(b, "A\n\nShare this\n\nB", "A\n\nB");
    APPLY_EQ(b, "Share this\n\nB\n", "B\n");
    APPLY_EQ(b, "A\n\nShare this\nShare this\n\n\nB", "A\n\nB");
    /* blank lines away from dropped ones are left alone */
    APPLY_EQ(b, "A\n\n\nB\n", "A\n\n\nB\n");
    APPLY_EQ(b, "", "");
    sr_boiler_free(b);
}

static void test_long_lines_never_boilerplate(void **state)
{
    (void)state;
    sr_boiler *b = rules("line share *\n");
    char line[400];
    memset(line, 'x', sizeof line);
    memcpy(line, "Share ", 6);
    line[299] = 0;                      /* 299 bytes: dropped */
    char *got = apply(b, line);
    assert_string_equal(got, "");
    free(got);
    line[299] = 'x';
    line[301] = 0;                      /* 301 bytes: kept */
    got = apply(b, line);
    assert_string_equal(got, line);
    free(got);
    sr_boiler_free(b);
}

static void test_rules_are_normalised(void **state)
{
    (void)state;
    /* a rule written with typographic quotes and an ellipsis matches the
     * normalised text */
    sr_boiler *b = rules("line \xe2\x80\x9cread more\xe2\x80\x9d\xe2\x80\xa6\n");
    APPLY_EQ(b, "\"Read more\"...\nkept\n", "kept\n");
    sr_boiler_free(b);
}

/* Loading path must fail with SR_DICT at the given line and reason. */
static void expect_bad(const char *name, long line, const char *reason)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s", BAD_DIR, name);
    sr_boiler *b = NULL;
    sr_err err = {0};
    assert_int_equal(sr_boiler_load(path, &b, &err), SR_DICT);
    assert_null(b);
    assert_int_equal(err.code, SR_DICT);
    assert_string_equal(err.path, path);
    assert_int_equal(err.line, line);
    if (!strstr(err.msg, reason))
        fail_msg("%s: message '%s' lacks '%s'", name, err.msg, reason);
}

static void test_malformed_files(void **state)
{
    (void)state;
    expect_bad("bad_kind.txt", 4, "unknown rule kind 'snippet'");
    expect_bad("bad_empty.txt", 2, "empty pattern");
    expect_bad("bad_long.txt", 2, "pattern too long");
    expect_bad("bad_class.txt", 1, "unclosed '['");
    expect_bad("bad_inline.txt", 2, "needs END");
    expect_bad("bad_wild.txt", 1, "at least 2 literal");
    expect_bad("bad_utf8.txt", 3, "invalid UTF-8");
    expect_bad("bad_escape.txt", 1, "trailing '\\'");
    expect_bad("no_such_file.txt", 0, "cannot open");
    char buf[1200];
    sr_err err = {0};
    sr_boiler *b = NULL;
    sr_boiler_load(BAD_DIR "bad_kind.txt", &b, &err);
    assert_string_equal(sr_err_format(&err, buf, sizeof buf),
                        BAD_DIR "bad_kind.txt:4: unknown rule kind 'snippet' "
                        "(expected line, prefix or inline)");
}

static sr_boiler *shipped(void)
{
    sr_boiler *b = NULL;
    sr_err err = {0};
    if (sr_boiler_load(SR_DICT_DIR "/boilerplate.txt", &b, &err))
        fail_msg("dict/boilerplate.txt: line %ld: %s", err.line, err.msg);
    assert_true(sr_boiler_count(b) > 50);
    return b;
}

static void test_shipped_rules_drop_boilerplate(void **state)
{
    (void)state;
    sr_boiler *b = shipped();
    static const char *const junk[] = {
        "Share the Post:",
        "Share this",
        "JOIN US ON TELEGRAM",
        "Follow our coverage of the war on the @example_news.",
        "You can also highlight the text and press Ctrl + Enter",
        "Read more",
        "Read also: Russia launches 90 drones at Ukraine overnight",
        "Subscribe to our newsletter",
        "We use cookies to improve your experience on our site.",
        "This website uses cookies",
        "Advertisement",
        "Last news in Example Daily",
        "Photo: Reuters",
        "ua en ru",
        "Sign up for our daily briefing",
        "Sign up for the Kyiv Post newsletter",
        "Click here to read the full report",
        "\xc2\xa9 2025 Kyiv Independent. All rights reserved.",
        "Copyright \xc2\xa9 2025 RBC-Ukraine",
        "Facebook Twitter Telegram WhatsApp",
        "Related:",
        "Related: Zelensky meets Trump in Rome",
        "Related articles",
    };
    for (size_t i = 0; i < sizeof junk / sizeof *junk; i++) {
        char *got = apply(b, junk[i]);
        if (got[0])
            fail_msg("not dropped: '%s' (left '%s')", junk[i], got);
        free(got);
    }
    /* a caption is kept as a sentence of its own; only its credit is cut */
    APPLY_EQ(b, "Ukrainian President Volodymyr Zelensky in Kyiv (photo: AFP)\n",
             "Ukrainian President Volodymyr Zelensky in Kyiv\n");
    APPLY_EQ(b, "Envoys meet in Geneva to discuss a truce  - 2\n",
             "Envoys meet in Geneva to discuss a truce  - 2\n");
    /* inline credit inside a sentence */
    APPLY_EQ(b, "Ukrainian soldiers (photo: General Staff) held the line near Pokrovsk, "
                "the General Staff of the Armed Forces of Ukraine said on Monday, adding "
                "that Russian forces had launched 45 assaults along the front over the past "
                "24 hours, most of them in the Pokrovsk and Toretsk directions, and that "
                "fighting continued in Kursk Oblast.",
             "Ukrainian soldiers held the line near Pokrovsk, "
             "the General Staff of the Armed Forces of Ukraine said on Monday, adding "
             "that Russian forces had launched 45 assaults along the front over the past "
             "24 hours, most of them in the Pokrovsk and Toretsk directions, and that "
             "fighting continued in Kursk Oblast.");
    sr_boiler_free(b);
}

static void test_shipped_rules_keep_sentences(void **state)
{
    (void)state;
    sr_boiler *b = shipped();
    static const char *const real[] = {
        "Russia uses ceasefire offer as tactical tool",
        "Analysts report on Moscow's attempts to win concessions from Washington",
        "Share prices fell in Moscow after the strike.",
        "Join us on the front line, the commander told reporters.",
        "Read more closely, the statement rules out a truce.",
        "Photo evidence shows Russian troops near Kupiansk.",
        "Advertisement revenues of Russian state media rose.",
        "Copyright law was cited by the court in Kyiv.",
        "Follow-up talks are planned in Istanbul.",
        "Subscribers to the Telegram channel reported explosions in Odesa.",
        "Sign up for military service rose in March.",
        "Last news in Mariupol came from the Azovstal plant.",
        "Related talks in Riyadh ended without agreement.",
        "Click fraud is not a war crime.",
        "The score was 2 - 1",
        "Potential Challenges to a Ceasefire",
        "Key Takeaways:",
        "April 3, 2025",
        "Institute for the Study of War",
        "Facebook removed the Russian network, Meta said.",
        "Telegram channels linked to Wagner claimed the attack.",
        "We use drones to strike Russian logistics, the brigade said.",
    };
    for (size_t i = 0; i < sizeof real / sizeof *real; i++) {
        char *got = apply(b, real[i]);
        if (strcmp(got, real[i]))
            fail_msg("changed: '%s' -> '%s'", real[i], got);
        free(got);
    }
    sr_boiler_free(b);
}

static void test_null_rules(void **state)
{
    (void)state;
    char s[] = "Share this";
    assert_int_equal(sr_boiler_apply(NULL, s, strlen(s)), strlen(s));
    assert_string_equal(s, "Share this");
    assert_int_equal(sr_boiler_count(NULL), 0);
    sr_boiler_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_rules),
        cmocka_unit_test(test_glob_syntax),
        cmocka_unit_test(test_prefix_rules),
        cmocka_unit_test(test_inline_rules),
        cmocka_unit_test(test_blank_lines_tidied),
        cmocka_unit_test(test_long_lines_never_boilerplate),
        cmocka_unit_test(test_rules_are_normalised),
        cmocka_unit_test(test_malformed_files),
        cmocka_unit_test(test_shipped_rules_drop_boilerplate),
        cmocka_unit_test(test_shipped_rules_keep_sentences),
        cmocka_unit_test(test_null_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
