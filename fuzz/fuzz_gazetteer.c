/* fuzz_gazetteer.c — libFuzzer target for the places layer (src/geo).
 *
 * The first byte picks what the rest is (cmark's fuzz/cmark-fuzz.c habit):
 *   0  an index image as is: the loader must reject it cleanly or accept it;
 *   1  an index image whose size and checksum fields are repaired first, so
 *      that mutations reach the structural validation, then lookups of the
 *      image's own strings and of a fixed list of names in it;
 *   2  a sentence, split and matched against the build's gazetteer
 *      (SR_GAZETTEER_PATH), the second byte choosing the preferred country
 *      and the skip mask;
 *   3  a name looked up in the build's gazetteer, and folded.
 * Every result is checked against the contracts of geo.h; a violation
 * aborts. The build's gazetteer is opened once (a fuzzer may keep state).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geo.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef SR_GAZETTEER_PATH
#define SR_GAZETTEER_PATH "gazetteer.idx"
#endif

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz_gazetteer: %s:%d: %s\n", __FILE__, __LINE__, \
                    #cond);                                                    \
            abort();                                                           \
        }                                                                      \
    } while (0)

static const char *const PREFER[] = {"UKR", "RUS", "ISR", "PSE", "COD", "SDN", "AZE", "IND",
                                     "USA", "XXX", "ukr", ""};
static const char *const NAMES[] = {"Lyman", "Pokrovsk", "Kursk Oblast", "Sumy region",
                                    "Gaza", "Velyka Novosilka", "Nagorno-Karabakh",
                                    "Elektrostal'", "Pokrovsk district", "x"};

static void check_place(const sr_place *p)
{
    CHECK(memchr(p->name, '\0', sizeof p->name));
    CHECK(memchr(p->admin1, '\0', sizeof p->admin1));
    CHECK(memchr(p->supplement_id, '\0', sizeof p->supplement_id));
    CHECK(strlen(p->country) == 3);
    CHECK(p->lat >= -90 && p->lat <= 90 && p->lon >= -180 && p->lon <= 180);
    CHECK(p->precision >= SR_PLACE_SETTLEMENT && p->precision <= SR_PLACE_COUNTRY);
    CHECK(p->geonames_id >= 0 && p->population >= 0);
    CHECK(p->geonames_id == 0 || p->supplement_id[0] == '\0');
}

static void check_lookup(const sr_gazetteer *g, const char *name, const char *const *prefer,
                         size_t np)
{
    sr_place_candidate c[8];
    size_t n = sr_geo_lookup(g, name, prefer, np, c, 8);
    CHECK(n <= 8);
    for (size_t i = 0; i < n; i++) {
        check_place(&c[i].place);
        CHECK(i == 0 || c[i - 1].score >= c[i].score);
    }
}

/* Every string of an accepted image is a name to look up. */
static void exercise(const sr_gazetteer *g)
{
    size_t np;
    const sr_geo_rec *r = sr_geo_places(g, &np);
    for (size_t i = 0; i < np && i < 64; i++) {
        check_lookup(g, sr_geo_str(g, r[i].name), PREFER, 2);
        check_lookup(g, sr_geo_str(g, r[i].admin1), NULL, 0);
    }
    for (size_t i = 0; i < SR_ARRAY_LEN(NAMES); i++)
        check_lookup(g, NAMES[i], PREFER, 3);
    const char *text = "Russian forces advanced near Lyman, Toretsk and Kursk Oblast.";
    sr_split sp = {0};
    sr_text_split(text, strlen(text), &sp);
    sr_place out[8];
    size_t n = sr_geo_match(g, text, sp.toks, sp.ntoks, NULL, PREFER, 2, out, 8);
    for (size_t i = 0; i < n; i++)
        check_place(&out[i]);
    sr_split_free(&sp);
}

static void fuzz_image(const uint8_t *data, size_t size, int repair)
{
    /* an 8-aligned copy of exactly size bytes */
    uint64_t *buf = malloc(size / 8 * 8 + 8);
    if (!buf)
        return;
    memcpy(buf, data, size);
    if (repair && size >= sizeof(sr_geo_header)) {
        sr_geo_header h;
        memcpy(&h, buf, sizeof h);
        memcpy(h.magic, SR_GEO_MAGIC, 8);
        h.format = SR_GEO_FORMAT;
        h.endian = SR_GEO_ENDIAN;
        h.file_size = size;
        h.checksum = 0;
        h.checksum = sr_geo_checksum(&h, sizeof h) ^
                     sr_geo_checksum((const char *)buf + sizeof h, size - sizeof h);
        memcpy(buf, &h, sizeof h);
    }
    sr_gazetteer *g = NULL;
    sr_err err;
    int rc = sr_geo_open_mem(buf, size, "fuzz", &g, &err);
    if (rc == SR_OK) {
        CHECK(g != NULL);
        exercise(g);
        sr_geo_free(g);
    } else {
        CHECK(g == NULL);
        CHECK(rc == SR_PARSE);
        CHECK(memchr(err.msg, '\0', sizeof err.msg) && err.msg[0]);
    }
    free(buf);
}

static const sr_gazetteer *real_gazetteer(void)
{
    static sr_gazetteer *g;
    static int tried;
    if (!tried) {
        tried = 1;
        sr_err err;
        if (sr_geo_open(SR_GAZETTEER_PATH, &g, &err) != SR_OK)
            fprintf(stderr, "fuzz_gazetteer: %s: %s (modes 2 and 3 do nothing)\n", err.path,
                    err.msg);
    }
    return g;
}

static void fuzz_sentence(const sr_gazetteer *g, const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    unsigned opt = data[0];
    char *text = malloc(size);
    if (!text)
        return;
    memcpy(text, data + 1, size - 1);
    size_t len = size - 1;
    sr_split sp = {0};
    sr_text_split(text, len, &sp);
    uint8_t *skip = calloc(sp.ntoks + 1, 1);
    for (size_t k = 0; k < sp.ntoks; k++)
        skip[k] = (opt & 0x80) && (k % 3 == 0);
    const char *prefer[2] = {PREFER[opt % SR_ARRAY_LEN(PREFER)],
                             PREFER[(opt >> 3) % SR_ARRAY_LEN(PREFER)]};
    sr_place out[16];
    for (size_t s = 0; s < sp.nsents; s++) {
        const sr_sentence *se = &sp.sents[s];
        size_t n = sr_geo_match(g, text, sp.toks + se->tok0, se->ntok, skip + se->tok0,
                                prefer, (opt >> 6) & 1 ? 2 : 1, out, 16);
        CHECK(n <= 16);
        uint32_t prev_end = 0;
        for (size_t i = 0; i < n; i++) {
            check_place(&out[i]);
            CHECK(out[i].tok0 < out[i].tok1 && out[i].tok1 <= se->ntok);
            CHECK(out[i].tok0 >= prev_end); /* in order, never overlapping */
            prev_end = out[i].tok1;
        }
    }
    free(skip);
    sr_split_free(&sp);
    free(text);
}

static void fuzz_name(const sr_gazetteer *g, const uint8_t *data, size_t size)
{
    char *name = malloc(size + 1);
    if (!name)
        return;
    memcpy(name, data, size);
    name[size] = '\0';
    char key[SR_GEO_MAX_KEY];
    size_t n = sr_geo_fold(name, size, key, sizeof key);
    CHECK(n < sizeof key);
    if (n) {
        CHECK(strlen(key) == n && key[0] != ' ' && key[n - 1] != ' ' && !strstr(key, "  "));
        char again[SR_GEO_MAX_KEY]; /* folding is idempotent */
        CHECK(sr_geo_fold(key, n, again, sizeof again) == n && !strcmp(again, key));
    }
    check_lookup(g, name, PREFER, size % 4);
    free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const sr_gazetteer *g;
    switch (data[0] % 4) {
    case 0: fuzz_image(data + 1, size - 1, 0); break;
    case 1: fuzz_image(data + 1, size - 1, 1); break;
    case 2:
        if ((g = real_gazetteer()) != NULL)
            fuzz_sentence(g, data + 1, size - 1);
        break;
    default:
        if ((g = real_gazetteer()) != NULL)
            fuzz_name(g, data + 1, size - 1);
        break;
    }
    return 0;
}
