/* lexicon.c — loads dict/lexicon.txt (closed word classes the coder reasons
 * with: negation, modals, reporting verbs, hedges, prepositions...) and
 * dict/issues.txt (negotiation topics tagged on events) and
 * dict/conflicts.txt (declared adversaries: the default target of fighting).
 *   CLASS  word | word | multi word phrase       (lexicon.txt)
 *   TAG    phrase | phrase                       (issues.txt)
 * Single words become bits in d->lex; multi-word entries go into a phrase
 * index whose value is the class (lexicon) or issue number (issues). */
#include "dict.h"

#include <stdlib.h>
#include <string.h>

static const char *const CLASSES[SR_LEX_COUNT] = {
    [SR_LEX_NEGATION] = "negation", [SR_LEX_MODAL] = "modal",
    [SR_LEX_FUTURE] = "future",     [SR_LEX_CONDITIONAL] = "conditional",
    [SR_LEX_HEDGE] = "hedge",       [SR_LEX_ASSESS] = "assess",
    [SR_LEX_REPORT] = "report",     [SR_LEX_INTENT] = "intent",
    [SR_LEX_ANON] = "anon",         [SR_LEX_COMPLEMENT] = "complement",
    [SR_LEX_PREP] = "prep",         [SR_LEX_DET] = "det",
    [SR_LEX_BE] = "be",             [SR_LEX_HAVE] = "have",
    [SR_LEX_PRONOUN] = "pronoun",   [SR_LEX_COORD] = "coord",
    [SR_LEX_ACCORDING] = "according", [SR_LEX_CONTRAST] = "contrast",
    [SR_LEX_UNREAL] = "unreal",
};

typedef struct {
    sr_dict *d;
    uint32_t value;      /* class (lexicon) or issue number (issues) */
} phrasectx;

static int lex_phrase(void *ud, sr_dict_line *L, const uint32_t *ids, size_t n, int caps,
                      const char *phrase, sr_err *err)
{
    sr_dict *d = ((phrasectx *)ud)->d;
    uint32_t cls = ((phrasectx *)ud)->value;
    (void)L;
    (void)caps;
    (void)err;
    if (n == 1) {
        SR_GROW(d->lexpairs, d->caplexpairs, d->nlexpairs + 2);
        d->lexpairs[d->nlexpairs++] = ids[0];
        d->lexpairs[d->nlexpairs++] = cls;
    } else {
        /* phrase text must outlive the index: keep a copy in the word table */
        uint32_t id = sr_strtab_intern(&d->paths, phrase, strlen(phrase));
        sr_phrase_index_add(d->lex_ix, ids, n, 0, sr_strtab_str(&d->paths, id), cls);
    }
    return SR_OK;
}

static int lexicon_line(void *ud, sr_dict_line *L, sr_err *err)
{
    sr_dict *d = ud;
    for (uint32_t c = 0; c < SR_LEX_COUNT; c++)
        if (!strcmp(L->cols[0], CLASSES[c]))
            return sr_dict_each_phrase(d, L, L->rest, lex_phrase, &(phrasectx){d, c}, err);
    return sr_err_set(err, SR_DICT, L->path, L->lineno,
                      "unknown word class '%s' (see the list at the top of the file)", L->cols[0]);
}

int sr_lexicon_load(sr_dict *d, const char *path, sr_err *err)
{
    int rc = sr_dict_read_lines(path, 1, lexicon_line, d, err);
    if (rc == SR_OK)
        sr_lexicon_seal(d);
    return rc;
}

/* Builds the word -> classes table. Called as soon as lexicon.txt is read:
 * every lexicon word has an id by then, and words interned later (actor
 * and pattern words) have no class, so lookups past the end answer 0. */
void sr_lexicon_seal(sr_dict *d)
{
    free(d->lex);
    d->nlex = d->words.n + 1;
    d->lex = sr_xcalloc(d->nlex, sizeof *d->lex);
    for (size_t i = 0; i + 1 < d->nlexpairs; i += 2)
        d->lex[d->lexpairs[i]] |= 1u << d->lexpairs[i + 1];
}

int sr_dict_lex(const sr_dict *d, uint32_t word, int cls)
{
    if (d->lex)
        return word < d->nlex ? (int)((d->lex[word] >> cls) & 1) : 0;
    /* while loading (before sr_lexicon_seal) answer from the raw pairs */
    for (size_t i = 0; i + 1 < d->nlexpairs; i += 2)
        if (d->lexpairs[i] == word && d->lexpairs[i + 1] == (uint32_t)cls)
            return 1;
    return 0;
}

static int issue_phrase(void *ud, sr_dict_line *L, const uint32_t *ids, size_t n, int caps,
                        const char *phrase, sr_err *err)
{
    sr_dict *d = ((phrasectx *)ud)->d;
    uint32_t value = ((phrasectx *)ud)->value;
    (void)L;
    (void)caps;
    (void)err;
    uint32_t id = sr_strtab_intern(&d->paths, phrase, strlen(phrase));
    sr_phrase_index_add(d->issue_ix, ids, n, 0, sr_strtab_str(&d->paths, id), value);
    return SR_OK;
}

static int issue_line(void *ud, sr_dict_line *L, sr_err *err)
{
    sr_dict *d = ud;
    const char *tag = L->cols[0];
    for (const char *q = tag; *q; q++)
        if (!((*q >= 'a' && *q <= 'z') || *q == '_' || (*q >= '0' && *q <= '9')))
            return sr_err_set(err, SR_DICT, L->path, L->lineno,
                              "issue tag '%s' must be lower case letters, digits and '_'", tag);
    size_t idx = d->nissues;
    for (size_t i = 0; i < d->nissues; i++)
        if (!strcmp(d->issues[i].tag, tag))
            idx = i;
    if (idx == d->nissues) {
        SR_GROW(d->issues, d->capissues, d->nissues + 1);
        const char *file = sr_strtab_str(&d->paths, sr_strtab_intern(&d->paths, L->path, strlen(L->path)));
        d->issues[d->nissues++] = (sr_issue){.tag = sr_xstrdup(tag), .file = file, .line = L->lineno};
    }
    return sr_dict_each_phrase(d, L, L->rest, issue_phrase, &(phrasectx){d, (uint32_t)idx}, err);
}

int sr_issues_load(sr_dict *d, const char *path, sr_err *err)
{
    return sr_dict_read_lines(path, 1, issue_line, d, err);
}

static int conflict_line(void *ud, sr_dict_line *L, sr_err *err)
{
    sr_dict *d = ud;
    if (L->ncols < 2 || *L->rest)
        return sr_err_set(err, SR_DICT, L->path, L->lineno, "expected two country codes: A B");
    for (int i = 0; i < 2; i++)
        if (strlen(L->cols[i]) != 3 || !sr_strtab_find(&d->countries, L->cols[i], 3))
            return sr_err_set(err, SR_DICT, L->path, L->lineno,
                              "unknown country code '%s' (not declared in actors/)", L->cols[i]);
    if (!strcmp(L->cols[0], L->cols[1]))
        return sr_err_set(err, SR_DICT, L->path, L->lineno, "a country is not its own adversary");
    SR_GROW(d->conflicts, d->capconflicts, d->nconflicts + 2);
    for (int i = 0; i < 2; i++) {
        memcpy(d->conflicts[d->nconflicts][0], L->cols[i], 4);
        memcpy(d->conflicts[d->nconflicts][1], L->cols[1 - i], 4);
        d->nconflicts++;
    }
    return SR_OK;
}

int sr_conflicts_load(sr_dict *d, const char *path, sr_err *err)
{
    return sr_dict_read_lines(path, 2, conflict_line, d, err);
}

int sr_dict_adversary(const sr_dict *d, const char *country, char out[4])
{
    int found = 0;
    for (size_t i = 0; i < d->nconflicts; i++) {
        if (!sr_streq(d->conflicts[i][0], country))
            continue;
        if (found && !sr_streq(out, d->conflicts[i][1]))
            return 0;
        memcpy(out, d->conflicts[i][1], 4);
        found = 1;
    }
    return found;
}
