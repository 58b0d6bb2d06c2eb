/* actors.c — loads the actor dictionaries (dict/actors/ *.txt: countries,
 * organisations, armed groups, people with tenures, outlets and think
 * tanks) and the agent nouns (dict/agents.txt), one sr_actor_entry per
 * phrase, all indexed in d->actor_ix. Grammar: docs/DICTIONARIES.md.
 *   CODE KIND PHRASE | PHRASE ...           kinds: country adj people seat org group source
 *   CODE person FROM TO PHRASE | ...        FROM/TO YYYY-MM-DD or '-'
 *   AGENT PHRASE | PHRASE ...               (agents.txt)
 */
#include "dict.h"

#include <stdlib.h>
#include <string.h>

static const char *const AGENTS[] = {"GOV", "MIL", "REB", "CVL", "COP", "SPY", "LEG", "JUD",
                                     "MED", "BUS", "OPP", "NGO", "ELI", "REF", "HLH", "EDU",
                                     "REL", "LAB", "IGO", "DIP"};

static int is_agent(const char *s)
{
    for (size_t i = 0; i < SR_ARRAY_LEN(AGENTS); i++)
        if (!strncmp(s, AGENTS[i], 3) && !s[3])
            return 1;
    return 0;
}

static const struct {
    const char *name;
    int kind;
} KINDS[] = {{"country", SR_ACT_COUNTRY}, {"adj", SR_ACT_ADJ},       {"people", SR_ACT_PEOPLE},
             {"seat", SR_ACT_SEAT},       {"org", SR_ACT_ORG},       {"group", SR_ACT_GROUP},
             {"person", SR_ACT_PERSON},   {"source", SR_ACT_SOURCE}};

static int upper_word(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return 1;
}

/* An actor key: a declared org key or an ISO country code, each optionally
 * followed by one agent code. Countries are declared by `country` lines,
 * organisations by `org` lines, in files read earlier (sorted names). */
static int known_key(const sr_dict *d, const char *key, int org)
{
    return sr_strtab_find(org ? &d->orgs : &d->countries, key, strlen(key)) != 0;
}

static int parse_date(const char *s, int32_t *out)
{
    if (!strcmp(s, "-")) {
        *out = 0;
        return 1;
    }
    int y, m, dd;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || m < 1 || m > 12 ||
        dd < 1 || dd > 31 || y < 1900 || y > 2100)
        return 0;
    *out = y * 10000 + m * 100 + dd;
    return 1;
}

typedef struct {
    sr_dict *d;
    int agents;              /* reading agents.txt */
    const char *file;        /* interned path */
} loadctx;

typedef struct {
    loadctx *c;
    const sr_actor_entry *proto;
} addctx;

static int add_phrase(void *ud, sr_dict_line *L, const uint32_t *ids, size_t n, int caps,
                      const char *phrase, sr_err *err)
{
    addctx *x = ud;
    sr_dict *d = x->c->d;
    (void)err;
    /* All-caps phrases (US, UN, EU, DRC) match case-exactly: the lower-case
     * homograph ("us", "un-") is the commoner word. */
    SR_GROW(d->actors, d->capactors, d->nactors + 1);
    sr_actor_entry *a = &d->actors[d->nactors];
    *a = *x->proto;
    a->phrase = sr_xstrdup(phrase);
    a->file = x->c->file;
    a->line = L->lineno;
    sr_phrase_index_add(d->actor_ix, ids, n, caps, a->phrase, (uint32_t)d->nactors);
    d->nactors++;
    return SR_OK;
}

static int add_phrases(loadctx *c, sr_dict_line *L, sr_actor_entry proto, const char *list,
                       sr_err *err)
{
    addctx x = {c, &proto};
    return sr_dict_each_phrase(c->d, L, list, add_phrase, &x, err);
}

static int actor_line(void *ud, sr_dict_line *L, sr_err *err)
{
    loadctx *c = ud;
    sr_actor_entry a;
    memset(&a, 0, sizeof a);
    if (c->agents) {
        if (L->ncols < 1 || !is_agent(L->cols[0]))
            return sr_err_set(err, SR_DICT, L->path, L->lineno,
                              "unknown agent code '%s' (expected GOV, MIL, REB, CVL, ...)",
                              L->ncols ? L->cols[0] : "");
        a.kind = SR_ACT_AGENT;
        memcpy(a.agent, L->cols[0], 4);
        memcpy(a.code, L->cols[0], 4);
        return add_phrases(c, L, a, L->rest, err);
    }
    if (L->ncols < 2)
        return sr_err_set(err, SR_DICT, L->path, L->lineno, "expected: CODE KIND PHRASE | ...");
    const char *code = L->cols[0], *kind = L->cols[1];
    for (size_t i = 0; i < SR_ARRAY_LEN(KINDS); i++)
        if (!strcmp(kind, KINDS[i].name))
            a.kind = KINDS[i].kind;
    if (!a.kind)
        return sr_err_set(err, SR_DICT, L->path, L->lineno,
                          "unknown kind '%s' (expected country, adj, people, seat, org, group, "
                          "person or source)", kind);
    if (strlen(code) >= sizeof a.code)
        return sr_err_set(err, SR_DICT, L->path, L->lineno, "actor code '%s' too long", code);
    if (a.kind == SR_ACT_ORG) {
        if (!upper_word(code, 2, 7))
            return sr_err_set(err, SR_DICT, L->path, L->lineno,
                              "invalid organisation key '%s' (expected 2-7 capital letters)", code);
        memcpy(a.org, code, strlen(code) + 1);
        sr_strtab_intern(&c->d->orgs, code, strlen(code));
    } else if (a.kind == SR_ACT_COUNTRY) {
        if (!upper_word(code, 3, 3))
            return sr_err_set(err, SR_DICT, L->path, L->lineno,
                              "invalid country code '%s' (expected ISO 3166-1 alpha-3)", code);
        memcpy(a.country, code, 4);
        sr_strtab_intern(&c->d->countries, code, 3);
    } else {
        /* ISO3 or org key, then an optional agent code */
        size_t n = strlen(code);
        char base[8] = "";
        const char *agent = "";
        if (n > 3 && is_agent(code + n - 3)) {
            agent = code + n - 3;
            n -= 3;
        }
        if (n > 7 || n < 2)
            return sr_err_set(err, SR_DICT, L->path, L->lineno, "invalid actor code '%s'", code);
        memcpy(base, code, n);
        base[n] = 0;
        if (n == 3 && known_key(c->d, base, 0))
            memcpy(a.country, base, 4);
        else if (known_key(c->d, base, 1))
            memcpy(a.org, base, n + 1);
        else
            return sr_err_set(err, SR_DICT, L->path, L->lineno,
                              "unknown actor code '%s' (not a declared country or organisation)",
                              code);
        memcpy(a.agent, agent, strlen(agent) + 1);
        if (a.kind == SR_ACT_SEAT && !*a.agent && a.country[0]) /* "Brussels" is the EU itself */
            memcpy(a.agent, "GOV", 4);
    }
    snprintf(a.code, sizeof a.code, "%s%s%s", a.country, a.org, a.agent);
    const char *phrases = L->rest;
    if (a.kind == SR_ACT_PERSON) {
        /* FROM and TO are the first two words of rest */
        char *s = L->rest, *from = s, *to;
        while (*s && *s != ' ' && *s != '\t') s++;
        if (*s) *s++ = 0;
        while (*s == ' ' || *s == '\t') s++;
        to = s;
        while (*s && *s != ' ' && *s != '\t') s++;
        if (*s) *s++ = 0;
        while (*s == ' ' || *s == '\t') s++;
        if (!parse_date(from, &a.from) || !strcmp(from, "-") || !parse_date(to, &a.to))
            return sr_err_set(err, SR_DICT, L->path, L->lineno,
                              "person needs FROM (YYYY-MM-DD) and TO (YYYY-MM-DD or '-') before the names");
        if (a.to && a.to < a.from)
            return sr_err_set(err, SR_DICT, L->path, L->lineno, "tenure ends (%s) before it starts (%s)",
                              to, from);
        phrases = s;
    }
    return add_phrases(c, L, a, phrases, err);
}

int sr_actors_load(sr_dict *d, const char *path, int agents, sr_err *err)
{
    loadctx c = {.d = d, .agents = agents};
    c.file = sr_strtab_str(&d->paths, sr_strtab_intern(&d->paths, path, strlen(path)));
    return sr_dict_read_lines(path, agents ? 1 : 2, actor_line, &c, err);
}
