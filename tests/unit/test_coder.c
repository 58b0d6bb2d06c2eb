/* test_coder.c — the coder's behaviour, one property per test: passive
 * voice, coordination, negation, modality, attribution, coreference,
 * tenures, adversaries, issues, and the dictionary loaders' error reports.
 * Each test codes a sentence written for it and checks fields of the JSON
 * the CLI would print. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sitrep.h"

static sr_dict *dict;

static int setup(void **state)
{
    (void)state;
    sr_err err = {0};
    if (sr_dict_open(SR_DICT_DIR, &dict, &err) != SR_OK) {
        char buf[1200];
        fprintf(stderr, "dictionary: %s\n", sr_err_format(&err, buf, sizeof buf));
        return -1;
    }
    if (sr_dict_load_places(dict, NULL, &err) != SR_OK) {
        char buf[1200];
        fprintf(stderr, "gazetteer: %s\n", sr_err_format(&err, buf, sizeof buf));
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sr_dict_free(dict);
    return 0;
}

/* Codes text (published on date, may be NULL) and returns a JSON array of
 * the events; caller json_decref()s it. */
static json_t *code_flags(const char *text, const char *date, unsigned flags)
{
    sr_doc_meta meta = {.id = "t", .published = date};
    sr_doc *doc = NULL;
    sr_err err = {0};
    assert_int_equal(sr_doc_new(&meta, text, strlen(text), 0, dict, &doc, &err), SR_OK);
    sr_events *ev = NULL;
    assert_int_equal(sr_code_doc(dict, doc, flags, &ev, &err), SR_OK);
    char *buf;
    size_t len;
    assert_int_equal(sr_events_to_jsonl(ev, &buf, &len, &err), SR_OK);
    json_t *arr = json_array();
    char *line = buf;
    while (*line) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)(nl - line), 0, &je);
        assert_non_null(o);
        json_array_append_new(arr, o);
        line = nl + 1;
    }
    free(buf);
    sr_events_free(ev);
    sr_doc_free(doc);
    return arr;
}

static json_t *code(const char *text, const char *date) { return code_flags(text, date, 0); }

static const char *str(json_t *o, const char *path1, const char *path2)
{
    json_t *v = json_object_get(o, path1);
    if (path2)
        v = json_object_get(v, path2);
    return json_is_string(v) ? json_string_value(v) : "(null)";
}

/* The first event with this root, source country/org and (if given) target. */
static json_t *find(json_t *arr, const char *src, const char *root, const char *tgt)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        json_t *s = json_object_get(e, "source"), *t = json_object_get(e, "target");
        const char *sk = json_string_value(json_object_get(s, "country"));
        if (!sk)
            sk = json_string_value(json_object_get(s, "org"));
        const char *tk = json_is_object(t) ? json_string_value(json_object_get(t, "country")) : NULL;
        if (json_is_object(t) && !tk)
            tk = json_string_value(json_object_get(t, "org"));
        if (sk && !strcmp(sk, src) && !strcmp(str(e, "root", NULL), root) &&
            (!tgt || (tk && !strcmp(tk, tgt))))
            return e;
    }
    return NULL;
}

static void expect(const char *text, const char *date, const char *src, const char *root,
                   const char *tgt)
{
    json_t *arr = code(text, date);
    if (!find(arr, src, root, tgt)) {
        char *dump = json_dumps(arr, JSON_INDENT(1));
        fail_msg("no %s %s %s event in \"%s\"; got %s", src, root, tgt ? tgt : "*", text, dump);
    }
    json_decref(arr);
}

static void test_basic_fight(void **state)
{
    (void)state;
    json_t *a = code("Russian forces advanced near Pokrovsk.", "2025-04-03");
    json_t *e = find(a, "RUS", "19", "UKR"); /* the target is the declared adversary */
    assert_non_null(e);
    assert_string_equal(str(e, "source", "code"), "RUSMIL");
    assert_string_equal(str(e, "source", "name"), "Russian forces");
    assert_string_equal(str(e, "modality", NULL), "asserted");
    assert_false(json_is_true(json_object_get(e, "negated")));
    assert_int_equal(json_integer_value(json_object_get(e, "quad_class")), 4);
    json_decref(a);
}

static void test_passive(void **state)
{
    (void)state;
    expect("Kharkiv was struck by Russian drones overnight.", "2025-04-03", "RUS", "19", NULL);
    expect("Two villages were captured by Russian troops.", "2025-04-03", "RUS", "19", "UKR");
    /* a passive with no agent names no actor: nothing is coded */
    json_t *a = code("Kharkiv was shelled again.", "2025-04-03");
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
}

static void test_coordination(void **state)
{
    (void)state;
    const char *t = "The US and Ukraine agreed to a 30-day ceasefire.";
    expect(t, "2025-03-11", "USA", "08", NULL);
    expect(t, "2025-03-11", "UKR", "08", NULL);
    /* both proposers of "the US-Ukrainian proposal" are targets */
    const char *r = "Putin rejected the US-Ukrainian proposal.";
    expect(r, "2025-03-13", "RUS", "12", "USA");
    expect(r, "2025-03-13", "RUS", "12", "UKR");
}

static void test_joint(void **state)
{
    (void)state;
    const char *t = "Putin met with Steve Witkoff in Moscow.";
    expect(t, "2025-04-11", "RUS", "04", "USA");
    expect(t, "2025-04-11", "USA", "04", "RUS");
}

static void test_negation(void **state)
{
    (void)state;
    json_t *a = code("Putin has not yet approved the ceasefire.", "2025-03-14");
    json_t *e = find(a, "RUS", "08", NULL);
    assert_non_null(e);
    assert_true(json_is_true(json_object_get(e, "negated")));
    json_decref(a);
    /* "ruled out" is a rejection, not a negated event (GUIDELINES) */
    a = code("Trump has ruled out new sanctions against Russia.", "2025-03-14");
    e = find(a, "USA", "12", NULL);
    assert_non_null(e);
    assert_false(json_is_true(json_object_get(e, "negated")));
    json_decref(a);
}

static void test_modality(void **state)
{
    (void)state;
    json_t *a = code("Russia could attack Ukraine again.", "2025-03-14");
    json_t *e = find(a, "RUS", "19", "UKR");
    assert_non_null(e);
    assert_string_equal(str(e, "modality", NULL), "hypothetical");
    json_decref(a);

    a = code("Ukraine is ready to negotiate with Russia.", "2025-03-14");
    e = find(a, "UKR", "03", "RUS");
    assert_non_null(e);
    assert_string_equal(str(e, "modality", NULL), "intended");
    json_decref(a);

    a = code("If Russia rejects the offer, the US will impose new sanctions on Moscow.", "2025-03-14");
    e = find(a, "RUS", "12", NULL);
    assert_non_null(e);
    assert_string_equal(str(e, "modality", NULL), "hypothetical");
    json_decref(a);
}

static void test_speculation(void **state)
{
    (void)state;
    const char *t = "Analysts believe that Russian troops attacked Ukrainian positions.";
    json_t *a = code(t, "2025-03-14");
    assert_null(find(a, "RUS", "19", NULL)); /* left out by default */
    json_decref(a);
    a = code_flags(t, "2025-03-14", SR_CODE_SPECULATION);
    json_t *e = find(a, "RUS", "19", NULL);
    assert_non_null(e);
    assert_string_equal(str(e, "modality", NULL), "assessed");
    json_decref(a);
}

static void test_attribution(void **state)
{
    (void)state;
    json_t *a = code("Reuters reported that Russian forces captured the village of Pishchane.",
                     "2025-03-14");
    json_t *e = find(a, "RUS", "19", NULL);
    assert_non_null(e);
    assert_string_equal(str(e, "modality", NULL), "reported");
    assert_string_equal(str(e, "attribution", "by"), "Reuters");
    assert_string_equal(str(e, "attribution", "verb"), "reported");
    assert_false(json_is_true(json_object_get(json_object_get(e, "attribution"), "anonymous")));
    json_decref(a);

    a = code("Russian troops shelled Kherson, according to sources familiar with the matter.",
             "2025-03-14");
    e = find(a, "RUS", "19", NULL);
    assert_non_null(e);
    assert_true(json_is_true(json_object_get(json_object_get(e, "attribution"), "anonymous")));
    json_decref(a);
}

static void test_scopes(void **state)
{
    (void)state;
    /* a denial does not reach the verb coordinated after it */
    json_t *a = code("Pakistan denied any role and called for a neutral investigation.", "2025-05-20");
    json_t *e = find(a, "PAK", "02", NULL);
    assert_non_null(e);
    assert_false(json_is_true(json_object_get(e, "negated")));
    json_decref(a);
    /* a plan covers both coordinated verbs: nothing asserted */
    a = code("Officials said Ukrainian forces will need to hold the line and launch "
             "counteroffensive operations next year.", "2025-05-20");
    assert_null(find(a, "UKR", "19", NULL));
    json_decref(a);
    /* a day between the verb and its object; a broken truce */
    expect("India and Pakistan agreed on Saturday to a full and immediate ceasefire.",
           "2025-05-12", "IND", "08", NULL);
    expect("Zelensky said Russian forces had broken the Easter truce.", "2025-04-21", "RUS", "19",
           NULL);
    /* "its troops": the speaker's own forces */
    expect("Russia said that its troops had captured the village of Sukhyi Yar.", "2025-05-12",
           "RUS", "19", NULL);
    /* what a demand or an appeal asks for has not happened */
    a = code("Russian officials demanded that any ceasefire include a halt to Western military "
             "aid to Ukraine.", "2025-05-20");
    e = find(a, "RUS", "07", NULL);
    assert_non_null(e);
    assert_string_equal(str(e, "modality", NULL), "hypothetical");
    assert_string_equal(str(find(a, "RUS", "10", NULL), "modality", NULL), "asserted");
    json_decref(a);
    /* a named outlet relaying unnamed sources */
    a = code("Kyiv rejected the offer, Reuters reported, citing two sources familiar with the "
             "matter.", "2025-05-20");
    e = find(a, "UKR", "12", NULL);
    assert_non_null(e);
    assert_string_equal(str(e, "attribution", "by"), "Reuters");
    assert_true(json_is_true(json_object_get(json_object_get(e, "attribution"), "anonymous")));
    json_decref(a);
}

static void test_coreference(void **state)
{
    (void)state;
    expect("Putin arrived in Minsk on Monday. He rejected the European proposal.", "2025-03-14",
           "RUS", "12", NULL);
    /* a pronoun inside a reported clause is its speaker */
    expect("Zelensky told reporters that he was ready to meet Putin.", "2025-03-14", "UKR", "03",
           NULL);
}

static void test_tenure(void **state)
{
    (void)state;
    json_t *a = code("Trump criticized Russia.", "2019-06-01");
    json_t *e = find(a, "USA", "11", "RUS");
    assert_non_null(e);
    assert_string_equal(str(e, "source", "code"), "USAGOV");
    json_decref(a);
    a = code("Trump criticized Russia.", "2023-06-01"); /* out of office */
    e = find(a, "USA", "11", "RUS");
    assert_non_null(e);
    assert_string_equal(str(e, "source", "code"), "USAELI");
    json_decref(a);
}

static void test_issues(void **state)
{
    (void)state;
    json_t *a = code("Russia rejected the proposal for a 30-day ceasefire and sanctions relief.",
                     "2025-03-14");
    json_t *e = find(a, "RUS", "12", NULL);
    assert_non_null(e);
    json_t *iss = json_object_get(e, "issues");
    int ceasefire = 0, sanctions = 0;
    size_t i;
    json_t *v;
    json_array_foreach(iss, i, v) {
        ceasefire |= !strcmp(json_string_value(v), "ceasefire");
        sanctions |= !strcmp(json_string_value(v), "sanctions");
    }
    assert_true(ceasefire);
    assert_true(sanctions);
    json_decref(a);
}

static void test_dates(void **state)
{
    (void)state;
    /* 2025-04-03 is a Thursday: "on Tuesday" counts back to April 1 */
    json_t *a = code("Russian drones struck Odesa on Tuesday.", "2025-04-03");
    json_t *e = find(a, "RUS", "19", NULL);
    assert_non_null(e);
    assert_string_equal(str(e, "date", NULL), "2025-04-01");
    assert_string_equal(str(e, "date_precision", NULL), "day");
    assert_string_equal(str(e, "doc_date_source", NULL), "published");
    json_decref(a);
    /* no expression: the document's date */
    a = code("Russian drones struck Odesa.", "2025-04-03");
    e = find(a, "RUS", "19", NULL);
    assert_non_null(e);
    assert_string_equal(str(e, "date", NULL), "2025-04-03");
    assert_string_equal(str(e, "date_precision", NULL), "document");
    json_decref(a);
    /* a dateline dates an undated document; overnight ranges stay undated */
    a = code("April 3, 2025\n\nRussian drones struck Odesa overnight on April 2 to 3.", NULL);
    e = find(a, "RUS", "19", NULL);
    assert_non_null(e);
    assert_true(json_is_null(json_object_get(e, "date")));
    assert_string_equal(str(e, "doc_date_source", NULL), "dateline");
    json_decref(a);
}

static void test_places(void **state)
{
    (void)state;
    /* one event per place; the oblast of a Russian region keeps the
     * adversary as target, a Ukrainian town gives its country */
    json_t *a = code("Russian forces advanced in Kursk Oblast and near Lyman and Toretsk.",
                     "2025-04-03");
    const char *want[] = {"Kursk", "Lyman", "Toretsk"};
    size_t i, n = 0;
    json_t *e;
    json_array_foreach(a, i, e) {
        json_t *loc = json_object_get(e, "location");
        assert_true(json_is_object(loc));
        assert_true(n < 3);
        assert_non_null(strstr(str(loc, "name", NULL), want[n]));
        assert_string_equal(str(e, "target", "country"), "UKR");
        n++;
    }
    assert_int_equal(n, 3);
    json_t *loc = json_object_get(json_array_get(a, 1), "location");
    assert_true(fabs(json_real_value(json_object_get(loc, "lat")) - 48.99) < 0.2);
    assert_true(fabs(json_real_value(json_object_get(loc, "lon")) - 37.80) < 0.2);
    assert_string_equal(str(loc, "precision", NULL), "near");
    json_decref(a);
    /* "Moscow said" is an actor, not a place; "in Doha" is a place */
    a = code("Moscow rejected the proposal in Doha.", "2025-04-03");
    e = find(a, "RUS", "12", NULL);
    assert_non_null(e);
    assert_string_equal(str(e, "location", "country"), "QAT");
    json_decref(a);
}

/* Verbs whose object is a place name rather than an actor (the '@' slot of
 * dict/verbs): captures, assaults, raids, retreats, rallies. The place
 * gives the event its location and, for an attack, its target. */
static void test_place_objects(void **state)
{
    (void)state;
    static const struct {
        const char *text, *src, *root, *tgt, *place, *code;
    } cases[] = {
        {"Russian troops stormed Pokrovsk.", "RUS", "19", "UKR", "Pokrovsk", "190"},
        {"Russian forces are storming Toretsk.", "RUS", "19", "UKR", "Toretsk", "190"},
        {"Russian forces captured Toretsk.", "RUS", "19", "UKR", "Toretsk", "192"},
        {"Russian forces took Bakhmut in May.", "RUS", "19", "UKR", "Bakhmut", "192"},
        {"M23 rebels seized Uvira.", "COD", "19", NULL, "Uvira", "192"},
        {"Israeli forces raided Jenin.", "ISR", "19", "PSE", "Jenin", "190"},
        {"Israeli troops raided the Jenin refugee camp.", "ISR", "19", "PSE", "Jenin", "190"},
        {"Ukrainian forces withdrew from Avdiivka.", "UKR", "08", NULL, "Avdiivka", "0874"},
        {"Ukrainian troops pulled out of Vuhledar.", "UKR", "08", NULL, "Vuhledar", "0874"},
        {"Serbian protesters rallied in Belgrade.", "SRB", "14", NULL, "Belgrade", "141"},
        /* protesters without a nationality protest where they are */
        {"Protesters rallied in Belgrade.", "SRB", "14", NULL, "Belgrade", "141"},
        {"Demonstrators marched through Tbilisi.", "GEO", "14", NULL, "Tbilisi", "141"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect(cases[i].text, "2025-03-14", cases[i].src, cases[i].root, cases[i].tgt);
        json_t *a = code(cases[i].text, "2025-03-14");
        json_t *e = find(a, cases[i].src, cases[i].root, cases[i].tgt);
        assert_string_equal(str(e, "cameo", NULL), cases[i].code);
        assert_string_equal(str(e, "location", "name"), cases[i].place);
        json_decref(a);
    }
    /* no name, no event: the slot wants a capitalised word that is no actor */
    static const char *const none[] = {
        "Police seized weapons.",          /* a common noun */
        "Protesters rallied.",             /* no place: no country for them */
        "Russian forces captured Ukrainian soldiers.", /* 173, not 192 */
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        json_t *a = code(none[i], "2025-03-14");
        size_t k;
        json_t *e;
        json_array_foreach(a, k, e) {
            assert_string_not_equal(str(e, "cameo", NULL), "192");
            assert_string_not_equal(str(e, "cameo", NULL), "141");
        }
        json_decref(a);
    }
    expect("Russian forces captured Ukrainian soldiers.", "2025-03-14", "RUS", "17", "UKR");
}

static void test_why(void **state)
{
    (void)state;
    json_t *a = code("Russian forces shelled Kherson.", "2025-03-14");
    json_t *e = find(a, "RUS", "19", NULL);
    assert_non_null(e);
    json_t *why = json_object_get(e, "why");
    assert_true(json_array_size(why) >= 2);
    json_t *w0 = json_array_get(why, 0);
    assert_string_equal(str(w0, "role", NULL), "verb");
    assert_string_equal(str(w0, "text", NULL), "shelled");
    assert_non_null(strstr(str(w0, "rule", NULL), "verbs/19_fight.txt:"));
    json_decref(a);
}

static void test_not_actors(void **state)
{
    (void)state;
    /* compounds are adjectives, not actors; statements alone are no events */
    json_t *a = code("The Rwanda-backed rebels held a news conference.", "2025-03-14");
    assert_null(find(a, "RWA", "17", NULL));
    json_decref(a);
    a = code("Peskov said the talks were useful.", "2025-03-14");
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) assert_string_not_equal(str(e, "root", NULL), "19");
    json_decref(a);
}

/* ---- dictionary loading errors name file:line ---- */

static char tmpdir[64];

static void copy_dict(void)
{
    strcpy(tmpdir, "/tmp/sitrep-dict-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp -r '%s'/. '%s'/", SR_DICT_DIR, tmpdir);
    assert_int_equal(system(cmd), 0);
}

static void remove_dict(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
}

/* Appends line to file (relative to the copied dictionary), loads, and
 * checks that the error names the file, the line and contains want. */
static void bad_line(const char *file, const char *line, const char *want)
{
    copy_dict();
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, file);
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fprintf(f, "\n%s\n", line);
    fclose(f);
    long n = 0;
    f = fopen(path, "r");
    for (int ch; (ch = fgetc(f)) != EOF;)
        n += ch == '\n';
    fclose(f);
    sr_dict *d = NULL;
    sr_err err = {0};
    assert_int_equal(sr_dict_open(tmpdir, &d, &err), SR_DICT);
    assert_null(d);
    assert_non_null(strstr(err.path, file));
    assert_int_equal(err.line, n);
    if (!strstr(err.msg, want))
        fail_msg("%s: '%s' lacks '%s'", file, err.msg, want);
    remove_dict();
}

static void test_dict_errors(void **state)
{
    (void)state;
    bad_line("actors/countries.txt", "RUS nation Russia", "unknown kind");
    bad_line("actors/countries.txt", "RU country Russia", "invalid country code");
    bad_line("actors/people.txt", "RUSGOV person 2024-13-01 - Somebody", "person needs FROM");
    bad_line("actors/people.txt", "RUSGOV person 2024-01-01 2023-01-01 Somebody", "ends");
    bad_line("actors/people.txt", "XXXGOV person 2024-01-01 - Somebody", "unknown actor code");
    bad_line("agents.txt", "FOO soldiers", "unknown agent code");
    bad_line("verbs/19_fight.txt", "199 advance", "unknown CAMEO code");
    bad_line("verbs/19_fight.txt", "190 [advance|attack", "unclosed '['");
    bad_line("verbs/19_fight.txt", "190 * advance", "must start with a required word");
    bad_line("verbs/19_fight.txt", "190 advance + +", "more than one target");
    bad_line("verbs/19_fight.txt", "190 advance {sideways}", "unknown flag");
    bad_line("lexicon.txt", "adverbs quickly", "unknown word class");
    bad_line("issues.txt", "Cease-Fire truce", "must be lower case");
    bad_line("conflicts.txt", "RUS XXX", "unknown country code");
    bad_line("cameo.tsv", "2x\t20\t1.0\t4\t-\t-\tBad", "invalid CAMEO code");
}

static void test_dict_missing(void **state)
{
    (void)state;
    sr_dict *d = NULL;
    sr_err err = {0};
    assert_int_equal(sr_dict_open("/nonexistent/dict", &d, &err), SR_DICT);
    assert_non_null(strstr(err.path, "/nonexistent/dict"));
    assert_true(sr_dict_count(dict, "actors") > 1000);
    assert_true(sr_dict_count(dict, "agents") > 100);
    assert_true(sr_dict_count(dict, "verbs") > 200);
    assert_int_equal(sr_dict_count(dict, "cameo"), 311);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_fight),  cmocka_unit_test(test_passive),
        cmocka_unit_test(test_coordination), cmocka_unit_test(test_joint),
        cmocka_unit_test(test_negation),     cmocka_unit_test(test_modality),
        cmocka_unit_test(test_speculation),  cmocka_unit_test(test_attribution),
        cmocka_unit_test(test_coreference),  cmocka_unit_test(test_tenure),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_issues),       cmocka_unit_test(test_why),
        cmocka_unit_test(test_dates),        cmocka_unit_test(test_places),
        cmocka_unit_test(test_place_objects),
        cmocka_unit_test(test_not_actors),   cmocka_unit_test(test_dict_errors),
        cmocka_unit_test(test_dict_missing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
