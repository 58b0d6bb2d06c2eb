/* test_input.c — documents and inputs (src/text/input.c): sr_doc_new
 * (repairs and their warnings, dates, charsets, size limit) and sr_input
 * over .txt, .html, .jsonl files, directories, missing files, bad JSONL
 * lines and oversized inputs. Fixtures: tests/data/input/. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"

#define DATA SR_TEST_DATA "/input/"

/* Builds a document from a string literal (length includes NUL bytes). */
static sr_doc *doc_of(const char *bytes, size_t len, int is_html, const char *published)
{
    sr_doc_meta meta = {.id = "t", .published = published, .origin = "test"};
    sr_doc *doc = NULL;
    sr_err err = {0};
    int rc = sr_doc_new(&meta, bytes, len, is_html, NULL, &doc, &err);
    if (rc)
        fail_msg("sr_doc_new: %s", err.msg);
    return doc;
}

#define DOC(lit, html) doc_of((lit), sizeof(lit) - 1, (html), NULL)

static void test_doc_basics(void **state)
{
    (void)state;
    sr_doc_meta meta = {.id = "id-1", .url = "https://x.org", .source = "X",
                        .title = "T", .origin = "x.txt"};
    sr_doc *doc = NULL;
    assert_int_equal(sr_doc_new(&meta, "Hello.", 6, 0, NULL, &doc, NULL), SR_OK);
    assert_string_equal(sr_doc_id(doc), "id-1");
    size_t len = 0;
    assert_string_equal(sr_doc_text(doc, &len), "Hello.");
    assert_int_equal(len, 6);
    assert_null(sr_doc_published(doc));
    assert_int_equal(sr_doc_warning_count(doc), 0);
    assert_null(sr_doc_warning(doc, 0));
    assert_string_equal(doc->url, "https://x.org");
    assert_string_equal(doc->origin, "x.txt");
    sr_doc_free(doc);
    sr_doc_free(NULL);

    /* an id is required */
    sr_err err = {0};
    meta.id = "";
    assert_int_equal(sr_doc_new(&meta, "x", 1, 0, NULL, &doc, &err), SR_USAGE);
    assert_null(doc);
    assert_string_equal(err.path, "x.txt");
}

static void test_doc_repairs_and_warnings(void **state)
{
    (void)state;
    /* invalid UTF-8: U+FFFD and a warning with the input byte offset */
    sr_doc *doc = DOC("abc\xff" "def \xe2\x82 ok", 0);
    assert_string_equal(sr_doc_text(doc, NULL), "abc\xef\xbf\xbd" "def \xef\xbf\xbd ok");
    assert_int_equal(sr_doc_warning_count(doc), 2);
    assert_string_equal(sr_doc_warning(doc, 0), "invalid UTF-8 at byte 3 replaced with U+FFFD");
    assert_string_equal(sr_doc_warning(doc, 1), "invalid UTF-8 at byte 8 replaced with U+FFFD");
    sr_doc_free(doc);

    /* NUL bytes and other controls dropped, CRLF -> LF, no warnings */
    doc = DOC("a\0b\r\nc\x07\rd", 0);
    assert_string_equal(sr_doc_text(doc, NULL), "ab\nc\nd");
    assert_int_equal(sr_doc_warning_count(doc), 0);
    sr_doc_free(doc);

    /* in HTML the offset is still the one in the raw page */
    doc = DOC("<p>caf\xe9</p>", 1);
    assert_string_equal(sr_doc_text(doc, NULL), "caf\xef\xbf\xbd");
    assert_int_equal(sr_doc_warning_count(doc), 1);
    assert_string_equal(sr_doc_warning(doc, 0), "invalid UTF-8 at byte 6 replaced with U+FFFD");
    sr_doc_free(doc);

    /* many repairs: 20 warnings and one summary */
    char bad[200];
    for (size_t i = 0; i < 100; i++) {
        bad[2 * i] = 'x';
        bad[2 * i + 1] = (char)0xFF;
    }
    doc = doc_of(bad, sizeof bad, 0, NULL);
    assert_int_equal(sr_doc_warning_count(doc), 21);
    assert_string_equal(sr_doc_warning(doc, 19), "invalid UTF-8 at byte 39 replaced with U+FFFD");
    assert_string_equal(sr_doc_warning(doc, 20),
                        "80 more invalid UTF-8 sequences replaced with U+FFFD");
    sr_doc_free(doc);
}

static void test_doc_typography(void **state)
{
    (void)state;
    sr_doc *doc = DOC("\xe2\x80\x9cWe will respond,\xe2\x80\x9d Zelensky\xe2\x80\x99s aide "
                      "said\xc2\xa0\xe2\x80\x93 again\xe2\x80\xa6", 0);
    assert_string_equal(sr_doc_text(doc, NULL),
                        "\"We will respond,\" Zelensky's aide said - again...");
    sr_doc_free(doc);
    /* the HTML path normalises the extracted text too (entities included) */
    doc = DOC("<p>&ldquo;No&rdquo;&nbsp;&ndash; caf&#x65;&#x301;</p>", 1);
    assert_string_equal(sr_doc_text(doc, NULL), "\"No\" - caf\xc3\xa9");
    sr_doc_free(doc);
}

static void test_doc_charsets(void **state)
{
    (void)state;
    /* windows-1251 page declared in a meta tag */
    sr_doc *doc = DOC("<html><head><meta charset=\"windows-1251\"></head>"
                      "<body><p>\xcf\xf0\xe8\xe2\xb3\xf2</p></body></html>", 1);
    assert_string_equal(sr_doc_text(doc, NULL),
                        "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd1\x96\xd1\x82");
    assert_int_equal(sr_doc_warning_count(doc), 0);
    sr_doc_free(doc);
    /* iso-8859-1 is read as windows-1252, as browsers do */
    doc = DOC("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
              "<p>caf\xe9 \x93q\x94</p>", 1);
    assert_string_equal(sr_doc_text(doc, NULL), "caf\xc3\xa9 \"q\"");
    sr_doc_free(doc);
    /* a UTF-8 page whose meta says otherwise is read as UTF-8 */
    doc = DOC("<meta charset=\"windows-1251\"><p>caf\xc3\xa9</p>", 1);
    assert_string_equal(sr_doc_text(doc, NULL), "caf\xc3\xa9");
    sr_doc_free(doc);
    /* UTF-16 text with a BOM */
    doc = DOC("\xff\xfeH\0i\0 \0\x16\x04", 0);
    assert_string_equal(sr_doc_text(doc, NULL), "Hi \xd0\x96");
    sr_doc_free(doc);
}

static void test_doc_dates(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"2025-04-03", "2025-04-03"},
        {" 2025-04-03 ", "2025-04-03"},
        {"2025-04-03T08:15:00Z", "2025-04-03"},
        {"2025-04-03T23:59:60.123+03:00", "2025-04-03"},
        {"2025-04-03 08:15", "2025-04-03"},
        {"2024-02-29", "2024-02-29"},
        {"2000-02-29", "2000-02-29"},
        {"2025-02-29", NULL},
        {"1900-02-29", NULL},
        {"2025-04-31", NULL},
        {"2025-13-01", NULL},
        {"2025-4-3", NULL},
        {"2025-04-03T25:00:00Z", NULL},
        {"2025-04-03Tnoon", NULL},
        {"yesterday", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sr_doc *doc = doc_of("x", 1, 0, cases[i].in);
        const char *got = sr_doc_published(doc);
        if (cases[i].want) {
            if (!got || strcmp(got, cases[i].want))
                fail_msg("'%s' -> '%s'", cases[i].in, got ? got : "(null)");
            assert_int_equal(sr_doc_warning_count(doc), 0);
        } else {
            if (got)
                fail_msg("'%s' accepted as '%s'", cases[i].in, got);
            assert_int_equal(sr_doc_warning_count(doc), 1);
            assert_non_null(strstr(sr_doc_warning(doc, 0), "published date"));
        }
        sr_doc_free(doc);
    }
    /* an empty date is simply absent */
    sr_doc *doc = doc_of("x", 1, 0, "");
    assert_null(sr_doc_published(doc));
    assert_int_equal(sr_doc_warning_count(doc), 0);
    /* the default date fills only a missing one */
    assert_int_equal(sr_doc_set_default_date(doc, "2025-13-01"), SR_USAGE);
    assert_null(sr_doc_published(doc));
    assert_int_equal(sr_doc_set_default_date(doc, "2025-01-02"), SR_OK);
    assert_string_equal(sr_doc_published(doc), "2025-01-02");
    assert_int_equal(sr_doc_set_default_date(doc, "2025-05-06"), SR_OK);
    assert_string_equal(sr_doc_published(doc), "2025-01-02");
    sr_doc_free(doc);
}

static void test_doc_too_big(void **state)
{
    (void)state;
    size_t n = ((size_t)64 << 20) + 1;
    char *big = malloc(n);
    assert_non_null(big);
    sr_doc_meta meta = {.id = "huge", .origin = "feed.jsonl:9"};
    sr_doc *doc = NULL;
    sr_err err = {0};
    assert_int_equal(sr_doc_new(&meta, big, n, 0, NULL, &doc, &err), SR_TOOBIG);
    assert_null(doc);
    assert_string_equal(err.path, "feed.jsonl:9");
    assert_non_null(strstr(err.msg, "\"huge\""));
    assert_non_null(strstr(err.msg, "64 MiB"));
    /* exactly 64 MiB is accepted */
    memset(big, 'a', n);
    assert_int_equal(sr_doc_new(&meta, big, n - 1, 0, NULL, &doc, &err), SR_OK);
    assert_int_equal(doc->len, n - 1);
    sr_doc_free(doc);
    free(big);
}

/* ---- inputs ---- */

static sr_input *open_paths(const char *const *paths, size_t n)
{
    sr_input *in = NULL;
    sr_err err = {0};
    assert_int_equal(sr_input_open(paths, n, NULL, &in, &err), SR_OK);
    return in;
}

/* Expects the next item to be a document with this id and text. */
static sr_doc *expect_doc(sr_input *in, const char *id, const char *text)
{
    sr_doc *doc = NULL;
    sr_err err = {0};
    int rc = sr_input_next(in, &doc, &err);
    if (rc != SR_OK)
        fail_msg("expected document %s, got status %d: %s:%ld: %s", id, rc, err.path,
                 err.line, err.msg);
    assert_string_equal(sr_doc_id(doc), id);
    if (text)
        assert_string_equal(sr_doc_text(doc, NULL), text);
    return doc;
}

/* Expects the next item to be an error at path:line with msg in it. */
static void expect_err(sr_input *in, int code, const char *path, long line, const char *msg)
{
    sr_doc *doc = NULL;
    sr_err err = {0};
    int rc = sr_input_next(in, &doc, &err);
    if (rc != code)
        fail_msg("expected status %d (%s), got %d (%s)", code, msg, rc,
                 doc ? sr_doc_id(doc) : err.msg);
    assert_null(doc);
    assert_int_equal(err.code, code);
    assert_string_equal(err.path, path);
    assert_int_equal(err.line, line);
    if (!strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
}

static void expect_done(sr_input *in)
{
    sr_doc *doc = NULL;
    sr_err err = {0};
    assert_int_equal(sr_input_next(in, &doc, &err), SR_DONE);
    assert_null(doc);
    assert_int_equal(sr_input_next(in, &doc, &err), SR_DONE);
}

static void test_input_files(void **state)
{
    (void)state;
    const char *paths[] = {DATA "plain.txt", DATA "page.html", DATA "README"};
    sr_input *in = open_paths(paths, 3);
    sr_doc *doc = expect_doc(in, "plain", "A plain text document.\nSecond line.\n");
    assert_string_equal(doc->origin, DATA "plain.txt");
    sr_doc_free(doc);
    /* HTML: head and site header dropped, article header kept */
    doc = expect_doc(in, "page", "Headline\n\nBody text.");
    assert_string_equal(doc->origin, DATA "page.html");
    sr_doc_free(doc);
    /* no extension: plain text */
    sr_doc_free(expect_doc(in, "README", "No extension means plain text.\n"));
    expect_done(in);
    sr_input_free(in);
    sr_input_free(NULL);
}

static void test_input_directory_sorted(void **state)
{
    (void)state;
    const char *paths[] = {DATA "dir"};
    sr_input *in = open_paths(paths, 1);
    /* strcmp order; .md, hidden files and sub/ are skipped */
    sr_doc_free(expect_doc(in, "Z", "Zulu sorts first with strcmp.\n"));
    sr_doc_free(expect_doc(in, "a", "Alpha text.\n"));
    sr_doc_free(expect_doc(in, "b", "Bravo & html."));
    sr_doc_free(expect_doc(in, "c", "Charlie htm."));
    sr_doc *doc = expect_doc(in, "d-1", "Delta one.");
    assert_string_equal(doc->origin, DATA "dir/d.jsonl:1");
    sr_doc_free(doc);
    sr_doc_free(expect_doc(in, "d-2", "Delta two."));
    sr_doc_free(expect_doc(in, "x", "X-ray has an upper-case extension.\n"));
    expect_done(in);
    sr_input_free(in);
}

static void test_input_jsonl_errors_and_recovery(void **state)
{
    (void)state;
    const char *feed = DATA "feed.jsonl";
    sr_input *in = open_paths(&feed, 1);
    sr_doc *doc = expect_doc(in, "doc-1", "First document.");
    assert_string_equal(sr_doc_published(doc), "2025-04-03");
    assert_string_equal(doc->url, "https://example.org/1");
    assert_string_equal(doc->source, "Example");
    assert_string_equal(doc->title, "One");
    assert_string_equal(doc->origin, DATA "feed.jsonl:1");
    sr_doc_free(doc);
    expect_err(in, SR_PARSE, feed, 2, "not valid JSON: ");
    /* line 3 is blank */
    expect_err(in, SR_PARSE, feed, 4, "missing \"id\"");
    expect_err(in, SR_PARSE, feed, 5, "\"text\" is not a string");
    doc = expect_doc(in, "17", "Numeric id.");
    assert_string_equal(doc->origin, DATA "feed.jsonl:6");
    sr_doc_free(doc);
    sr_doc_free(expect_doc(in, "doc-7", "From HTML & more"));
    expect_err(in, SR_PARSE, feed, 8, "missing \"text\" or \"html\"");
    expect_err(in, SR_PARSE, feed, 9, "not a JSON object");
    doc = expect_doc(in, "doc-10", "Bad date.");
    assert_null(sr_doc_published(doc));
    assert_int_equal(sr_doc_warning_count(doc), 2);
    assert_non_null(strstr(sr_doc_warning(doc, 0), "2025-02-30"));
    assert_string_equal(sr_doc_warning(doc, 1), "\"url\" is not a string; ignored");
    assert_null(doc->url);
    sr_doc_free(doc);
    /* \u0000 dropped, quotes normalised, CRLF inside the string -> LF */
    sr_doc_free(expect_doc(in, "doc-11", "Nulbyte and \"quotes\".\nNext line."));
    expect_err(in, SR_PARSE, feed, 12, "\"id\" is empty");
    doc = expect_doc(in, "doc-13", "Last line without a newline.");
    assert_null(sr_doc_published(doc));
    assert_string_equal(doc->origin, DATA "feed.jsonl:13");
    sr_doc_free(doc);
    expect_done(in);
    sr_input_free(in);
}

static void test_input_missing_file(void **state)
{
    (void)state;
    const char *paths[] = {DATA "no-such-file.txt", DATA "plain.txt", DATA "nope.jsonl",
                           DATA "nodir/"};
    sr_input *in = open_paths(paths, 4);
    expect_err(in, SR_IO, DATA "no-such-file.txt", 0,
               "cannot open: No such file or directory");
    sr_doc_free(expect_doc(in, "plain", NULL));
    expect_err(in, SR_IO, DATA "nope.jsonl", 0, "cannot open: No such file or directory");
    expect_err(in, SR_IO, DATA "nodir/", 0, "cannot open: No such file or directory");
    expect_done(in);
    sr_input_free(in);

    /* no paths at all: nothing to read */
    in = open_paths(NULL, 0);
    expect_done(in);
    sr_input_free(in);
    sr_err err = {0};
    const char *empty[] = {""};
    assert_int_equal(sr_input_open(empty, 1, NULL, &in, &err), SR_USAGE);
}

/* A scratch directory for generated inputs; the teardown removes it even
 * when the test fails (one of them holds 65 MiB). */
static char scratch_dir[64];

static char *scratch(const char *name, char *path, size_t size)
{
    if (!scratch_dir[0]) {
        snprintf(scratch_dir, sizeof scratch_dir, "/tmp/sr_test_input_XXXXXX");
        assert_non_null(mkdtemp(scratch_dir));
    }
    snprintf(path, size, "%s/%s", scratch_dir, name);
    return path;
}

static int remove_scratch(void **state)
{
    (void)state;
    static const char *const names[] = {"feed.jsonl", "big.txt", "big.jsonl"};
    char path[128];
    if (!scratch_dir[0])
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", scratch_dir, names[i]);
        unlink(path);
    }
    rmdir(scratch_dir);
    scratch_dir[0] = 0;
    return 0;
}

static void write_file(const char *path, const char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void test_input_jsonl_crlf_and_bad_utf8(void **state)
{
    (void)state;
    char path[512];
    scratch("feed.jsonl", path, sizeof path);
    const char feed[] = "{\"id\":\"a\",\"text\":\"one\"}\r\n"
                        "\r\n"
                        "{\"id\":\"b\",\"text\":\"caf\xe9 ok\"}\r\n"
                        "{\"id\":\"c\",\"text\":\"three\"}";
    write_file(path, feed, sizeof feed - 1);
    const char *p = path;
    sr_input *in = open_paths(&p, 1);
    sr_doc_free(expect_doc(in, "a", "one"));
    sr_doc *doc = expect_doc(in, "b", "caf\xef\xbf\xbd ok");
    assert_string_equal(doc->origin + strlen(path), ":3");
    assert_int_equal(sr_doc_warning_count(doc), 1);
    assert_string_equal(sr_doc_warning(doc, 0),
                        "invalid UTF-8 at byte 21 of the JSONL line replaced with U+FFFD");
    sr_doc_free(doc);
    sr_doc_free(expect_doc(in, "c", "three"));
    expect_done(in);
    sr_input_free(in);
}

static void test_input_too_big(void **state)
{
    (void)state;
    char txt[512], feed[512];
    scratch("big.txt", txt, sizeof txt);
    scratch("big.jsonl", feed, sizeof feed);

    /* a sparse 65 MiB text file is refused before it is read */
    FILE *f = fopen(txt, "wb");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), (off_t)65 << 20), 0);
    fclose(f);

    /* a JSONL line over 64 MiB is reported and skipped */
    f = fopen(feed, "wb");
    assert_non_null(f);
    fputs("{\"id\":\"before\",\"text\":\"one\"}\n{\"id\":\"big\",\"text\":\"", f);
    char *chunk = malloc(1 << 20);
    assert_non_null(chunk);
    memset(chunk, 'a', 1 << 20);
    for (int i = 0; i < 65; i++)
        assert_int_equal(fwrite(chunk, 1, 1 << 20, f), 1 << 20);
    free(chunk);
    fputs("\"}\n{\"id\":\"after\",\"text\":\"three\"}\n", f);
    fclose(f);

    const char *paths[] = {txt, feed};
    sr_input *in = open_paths(paths, 2);
    expect_err(in, SR_TOOBIG, txt, 0, "file is 68157440 bytes, over the 64 MiB limit");
    sr_doc_free(expect_doc(in, "before", "one"));
    expect_err(in, SR_TOOBIG, feed, 2, "longer than the 64 MiB limit");
    sr_doc *doc = expect_doc(in, "after", "three");
    assert_string_equal(doc->origin + strlen(feed), ":3");
    sr_doc_free(doc);
    expect_done(in);
    sr_input_free(in);
}

static void test_input_with_dictionary(void **state)
{
    (void)state;
    sr_dict *dict = NULL;
    sr_err err = {0};
    if (sr_dict_open(SR_DICT_DIR, &dict, &err) != SR_OK) {
        /* the full dictionary is another module's; boiler.c has its own tests */
        print_message("dictionary does not load yet (%s:%ld: %s); skipped\n", err.path,
                      err.line, err.msg);
        skip();
    }
    sr_doc_meta meta = {.id = "b"};
    sr_doc *doc = NULL;
    const char text[] = "Headline\n\nShare this\n\nPutin (photo: Getty Images) spoke.\n"
                        "JOIN US ON TELEGRAM\n";
    assert_int_equal(sr_doc_new(&meta, text, sizeof text - 1, 0, dict, &doc, &err), SR_OK);
    assert_string_equal(sr_doc_text(doc, NULL), "Headline\n\nPutin spoke.\n");
    sr_doc_free(doc);
    /* through sr_input as well */
    const char *p = DATA "dir/a.txt";
    sr_input *in = NULL;
    assert_int_equal(sr_input_open(&p, 1, dict, &in, &err), SR_OK);
    sr_doc_free(expect_doc(in, "a", "Alpha text.\n"));
    sr_input_free(in);
    sr_dict_free(dict);
}

static void *parse_many(void *arg)
{
    (void)arg;
    for (int i = 0; i < 50; i++) {
        sr_doc *doc = DOC("<html><body><p>Thread &amp; safe.</p><script>x</script></body></html>", 1);
        if (strcmp(sr_doc_text(doc, NULL), "Thread & safe."))
            return (void *)1;
        sr_doc_free(doc);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, parse_many, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_basics),
        cmocka_unit_test(test_doc_repairs_and_warnings),
        cmocka_unit_test(test_doc_typography),
        cmocka_unit_test(test_doc_charsets),
        cmocka_unit_test(test_doc_dates),
        cmocka_unit_test(test_doc_too_big),
        cmocka_unit_test(test_input_files),
        cmocka_unit_test(test_input_directory_sorted),
        cmocka_unit_test(test_input_jsonl_errors_and_recovery),
        cmocka_unit_test(test_input_missing_file),
        cmocka_unit_test_teardown(test_input_jsonl_crlf_and_bad_utf8, remove_scratch),
        cmocka_unit_test_teardown(test_input_too_big, remove_scratch),
        cmocka_unit_test(test_input_with_dictionary),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
