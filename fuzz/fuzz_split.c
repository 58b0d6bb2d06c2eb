/* fuzz_split.c — libFuzzer target for the sentence splitter (split.c).
 *
 * The input is the text itself. The splitter may assume valid UTF-8 but
 * must not crash on anything, so bytes go in unfiltered; the first byte,
 * when odd, also runs a second split into the same sr_split to exercise
 * the reuse of its memory. Every result is checked against the invariants
 * of text.h and any violation aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz_split: %s:%d: %s\n", __FILE__, __LINE__, \
                    #cond);                                                \
            abort();                                                       \
        }                                                                  \
    } while (0)

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void check(const char *text, size_t len, const sr_split *sp)
{
    size_t ntok = 0;
    for (size_t i = 0; i < sp->nsents; i++) {
        const sr_sentence *s = &sp->sents[i];
        CHECK(s->start < s->end && s->end <= len);
        CHECK(!is_ws((unsigned char)text[s->start]));
        CHECK(!is_ws((unsigned char)text[s->end - 1]));
        CHECK(s->ntok >= 1 && s->ntok <= 400);
        CHECK(s->tok0 == ntok);
        CHECK(s->tok0 + s->ntok <= sp->ntoks);
        CHECK(s->kind <= SR_SENT_ITEM);
        if (i == 0) {
            CHECK(s->block == 0);
        } else {
            CHECK(s[-1].end <= s->start);
            CHECK(s->block == s[-1].block || s->block == s[-1].block + 1);
        }
        CHECK(sp->toks[s->tok0].start == s->start);
        CHECK(sp->toks[s->tok0 + s->ntok - 1].end == s->end);
        int words = 0;
        for (uint32_t k = s->tok0; k < s->tok0 + s->ntok; k++) {
            const sr_token *t = &sp->toks[k];
            CHECK(t->start < t->end && t->start >= s->start && t->end <= s->end);
            if (k > 0)
                CHECK(sp->toks[k - 1].end <= t->start);
            uint32_t kind = t->flags & (SR_TOK_WORD | SR_TOK_NUM | SR_TOK_PUNCT);
            CHECK(kind == SR_TOK_WORD || kind == SR_TOK_NUM || kind == SR_TOK_PUNCT);
            CHECK(!(t->flags & ~(uint32_t)0x3f));
            if (k > 0 && (t->flags & SR_TOK_GLUED))
                CHECK(sp->toks[k - 1].end <= t->start);
            for (uint32_t b = t->start; b < t->end; b++)
                CHECK(text[b] != ' ' && text[b] != '\n');
            words += kind != SR_TOK_PUNCT;
        }
        CHECK(words > 0);
        ntok += s->ntok;
    }
    CHECK(ntok == sp->ntoks);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly size bytes, so reading past the end is caught */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    sr_split sp = {0};
    sr_text_split(text, size, &sp);
    check(text, size, &sp);
    if (size && (data[0] & 1)) {
        sr_text_split(text + 1, size - 1, &sp);
        check(text + 1, size - 1, &sp);
    }
    sr_split_free(&sp);
    free(text);
    return 0;
}
