/* test_html.c — sr_text_from_html (src/text/html.c): blocks, white space,
 * dropped page furniture, entities, and broken or hostile markup. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

/* Extracts text from html[0..len) and returns it (malloc'd). */
static char *extract(const char *html, size_t len)
{
    sr_buf b = {0};
    sr_err err = {0};
    int rc = sr_text_from_html(html, len, &b, &err);
    assert_int_equal(rc, SR_OK);
    assert_non_null(b.p);
    return sr_buf_take(&b, NULL);
}

#define HTML_EQ(html, want)                                  \
    do {                                                     \
        char *got_ = extract((html), strlen(html));          \
        assert_string_equal(got_, (want));                   \
        free(got_);                                          \
    } while (0)

static void test_paragraphs_are_blocks(void **state)
{
    (void)state;
    HTML_EQ("<html><body><h1>Talks stall</h1><p>Russia rejected the plan.</p>"
            "<p>Kyiv said so.</p></body></html>",
            "Talks stall\n\nRussia rejected the plan.\n\nKyiv said so.");
    HTML_EQ("<ul><li>one</li><li>two</li></ul><blockquote>three</blockquote>"
            "<div>four<div>five</div>six</div>",
            "one\n\ntwo\n\nthree\n\nfour\n\nfive\n\nsix");
    HTML_EQ("<table><tr><th>City</th><td>Kharkiv</td></tr><tr><td>Sumy</td></tr></table>",
            "City\n\nKharkiv\n\nSumy");
    HTML_EQ("<dl><dt>term</dt><dd>definition</dd></dl><figure><img src=x>"
            "<figcaption>caption</figcaption></figure>",
            "term\n\ndefinition\n\ncaption");
}

static void test_whitespace_collapsed_and_trimmed(void **state)
{
    (void)state;
    HTML_EQ("<p>  Russian \n\t forces   advanced\r\n </p>\n\n<p>\n</p><p> </p>"
            "<div>   <span>  </span> </div><p>near  Pokrovsk. </p>",
            "Russian forces advanced\n\nnear Pokrovsk.");
    /* inline elements flow into their block; no space is invented */
    HTML_EQ("<p>a <b>bold</b> <i>word</i>s and <a href=\"#\">link</a>.</p>",
            "a bold words and link.");
    /* NBSP collapses with the spaces around it */
    HTML_EQ("<p>a &nbsp; b</p>", "a b");
    HTML_EQ("<p>a&nbsp;b&#160;&#160;c</p>", "a b c");
}

static void test_br_is_line_break(void **state)
{
    (void)state;
    HTML_EQ("<p>one<br>two<br/><br><br>three<br></p><p>four</p>",
            "one\ntwo\n\nthree\n\nfour");
    HTML_EQ("<p><br>lead<br> </p>", "lead");
}

static void test_furniture_dropped(void **state)
{
    (void)state;
    HTML_EQ("<html><head><title>Site title</title><style>p{color:red}</style>"
            "<script>var x = '<p>no</p>';</script></head><body>"
            "<header>Site header</header><nav><a>Home</a> <a>World</a></nav>"
            "<p>Kept one.</p><script>document.write('hidden')</script>"
            "<aside>Related links</aside><form><input value=q>Search</form>"
            "<noscript>Enable JS</noscript><iframe>frame</iframe>"
            "<svg><text>chart</text></svg><button>Share</button>"
            "<select><option>UA</option></select><template>tpl</template>"
            "<p hidden>Hidden paragraph</p>"
            "<p>Kept two.</p><footer>Copyright</footer></body></html>",
            "Kept one.\n\nKept two.");
}

static void test_article_header_kept(void **state)
{
    (void)state;
    HTML_EQ("<header>Masthead</header><article><header><h1>Headline</h1>"
            "<time>April 3</time></header><p>Body.</p><footer>Tags</footer></article>",
            "Headline\n\nApril 3\n\nBody.");
}

static void test_page_form_kept(void **state)
{
    (void)state;
    /* ASP.NET pages wrap everything in one form; comment forms go */
    HTML_EQ("<body><form id=aspnetForm><h1>Title</h1><p>Story.</p></form>"
            "<form><p>Leave a reply</p><textarea></textarea></form></body>",
            "Title\n\nStory.");
}

static void test_pre_keeps_lines(void **state)
{
    (void)state;
    HTML_EQ("<pre>line one\nline   two\n\n\n\nline three</pre><p>after</p>",
            "line one\nline two\n\nline three\n\nafter");
}

static void test_entities(void **state)
{
    (void)state;
    HTML_EQ("<p>Tom &amp; Jerry &lt;3 &quot;q&quot; caf&eacute; &#8217;x&#x2019; "
            "&#65;&#x42; &hellip;</p>",
            "Tom & Jerry <3 \"q\" caf\xc3\xa9 \xe2\x80\x99x\xe2\x80\x99 AB \xe2\x80\xa6");
}

static void test_broken_markup(void **state)
{
    (void)state;
    /* unclosed and misnested tags */
    HTML_EQ("<p>one<p>two<div>three<b>bold<i>both</b>italic</div>",
            "one\n\ntwo\n\nthreeboldbothitalic");
}

static void test_garbage_and_binary(void **state)
{
    (void)state;
    /* NUL bytes, invalid UTF-8, stray '<' and '>' and a bogus comment */
    const char html[] = "\x00\xff<<p>>x\x00y</p><!-- open <p>z</p> --><p>\xc3\x28 &bogus; <</p>"
                        "<p>caf\xc3\xa9</p>";
    char *got = extract(html, sizeof html - 1);
    assert_non_null(strstr(got, "xy"));
    /* bad bytes become U+FFFD; good UTF-8 elsewhere is not re-guessed
     * as Latin-1 */
    assert_non_null(strstr(got, "\xef\xbf\xbd("));
    assert_non_null(strstr(got, "caf\xc3\xa9"));
    assert_null(strstr(got, "z"));          /* inside the comment */
    assert_non_null(strstr(got, "&bogus;"));
    /* the result is valid UTF-8 without NUL bytes */
    size_t n = strlen(got);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = sr_utf8_decode(got + i, n - i, &cp);
        assert_true(k > 0);
        i += k;
    }
    free(got);

    /* pure noise still parses to something (possibly empty) */
    char noise[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof noise; i++) {
        x = x * 1103515245u + 12345u;
        noise[i] = (char)(x >> 16);
    }
    free(extract(noise, sizeof noise));
}

static void test_empty_inputs(void **state)
{
    (void)state;
    HTML_EQ("", "");
    HTML_EQ("<html></html>", "");
    HTML_EQ("   \n ", "");
    HTML_EQ("plain text, no tags", "plain text, no tags");
}

static void test_appends_to_buffer(void **state)
{
    (void)state;
    sr_buf b = {0};
    sr_buf_puts(&b, "prefix|");
    assert_int_equal(sr_text_from_html("<p>a</p><p>b</p>", 16, &b, NULL), SR_OK);
    assert_string_equal(b.p, "prefix|a\n\nb");
    sr_buf_free(&b);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    sr_buf h = {0};
    for (int i = 0; i < 20000; i++)
        sr_buf_puts(&h, i % 2 ? "<span>" : "<div>");
    sr_buf_puts(&h, "deep");
    char *got = extract(h.p, h.n);
    assert_non_null(strstr(got, "deep"));
    free(got);
    sr_buf_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paragraphs_are_blocks),
        cmocka_unit_test(test_whitespace_collapsed_and_trimmed),
        cmocka_unit_test(test_br_is_line_break),
        cmocka_unit_test(test_furniture_dropped),
        cmocka_unit_test(test_article_header_kept),
        cmocka_unit_test(test_page_form_kept),
        cmocka_unit_test(test_pre_keeps_lines),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_broken_markup),
        cmocka_unit_test(test_garbage_and_binary),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_appends_to_buffer),
        cmocka_unit_test(test_deep_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
