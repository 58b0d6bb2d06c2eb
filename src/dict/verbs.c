/* verbs.c — loads the verb and phrase patterns (dict/verbs/ *.txt) that
 * map words to CAMEO codes, and indexes them by their first literal word.
 *
 *   CODE  PATTERN  [{flag} ...]
 *
 * PATTERN elements, separated by spaces (docs/DICTIONARIES.md has examples):
 *   word        the word and its regular inflections (-s/-es/-ies, -ed/-d/-ied,
 *               -ing, with and without a doubled final consonant); list
 *               irregular forms yourself: [strike|struck]. Derived words
 *               are distinct: "proposal" never matches "propose".
 *   =word       this exact (lower-case) form only
 *   [a|b c|=d]  one of the alternatives (an alternative may be several words)
 *   x?          the element is optional (a literal, [..] or a slot +?)
 *   *           a gap of 0-4 tokens inside the clause
 *   +           the target actor starts here
 *   $           the source actor starts here ("was shelled by $")
 * flags: {joint} both parties act (meet, agree with): coded both ways;
 *        {notarget} never takes a target; {nominal} a noun event.
 */
#include "dict.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    sr_dict *d;
    const char *file;
} verbctx;

static int is_vowel(char ch) { return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u'; }

static void add_form(sr_dict *d, uint32_t lemma, const char *w, size_t n)
{
    uint32_t id = sr_strtab_intern(&d->words, w, n);
    if (d->nlemma_of <= id) {
        size_t nn = (id + 1) * 2;
        d->lemma_of = sr_xrealloc(d->lemma_of, nn * sizeof *d->lemma_of);
        memset(d->lemma_of + d->nlemma_of, 0, (nn - d->nlemma_of) * sizeof *d->lemma_of);
        d->nlemma_of = nn;
    }
    uint32_t *l = d->lemma_of[id];
    if (l[0] == lemma || l[1] == lemma)
        return;
    if (!l[0])
        l[0] = lemma;
    else if (!l[1])
        l[1] = lemma; /* a third lemma for one form is dropped: rare, harmless */
}

/* Generates the regular inflections of base (over-generating is harmless:
 * a non-word never occurs in text). English only, lower case. */
static void inflect(sr_dict *d, uint32_t lemma, const char *b, size_t n)
{
    char w[160];
    if (n == 0 || n > 120)
        return;
    add_form(d, lemma, b, n);
#define FORM(stem_len, suffix)                                          \
    do {                                                                \
        size_t sl_ = (stem_len), xl_ = strlen(suffix);                  \
        memcpy(w, b, sl_);                                              \
        memcpy(w + sl_, suffix, xl_);                                   \
        add_form(d, lemma, w, sl_ + xl_);                               \
    } while (0)
    char last = b[n - 1], prev = n > 1 ? b[n - 2] : 0;
    if (last == 'e') {
        FORM(n, "s");
        FORM(n, "d");
        if (prev == 'e' || prev == 'y' || prev == 'o')
            FORM(n, "ing");          /* agreeing, seeing */
        else if (prev == 'i')
            FORM(n - 2, "ying");     /* dying */
        else
            FORM(n - 1, "ing");      /* advancing */
    } else if (last == 'y' && prev && !is_vowel(prev)) {
        FORM(n - 1, "ies");
        FORM(n - 1, "ied");
        FORM(n, "ing");
    } else if (last == 's' || last == 'x' || last == 'z' || (last == 'h' && (prev == 'c' || prev == 's'))) {
        FORM(n, "es");
        FORM(n, "ed");
        FORM(n, "ing");
    } else {
        FORM(n, "s");
        FORM(n, "ed");
        FORM(n, "ing");
        if (!is_vowel(last) && last != 'w' && last != 'y' && prev && is_vowel(prev) &&
            sr_is_ascii_alpha((unsigned char)last)) {
            /* stop -> stopped, plan -> planning; commit -> committed */
            memcpy(w, b, n);
            w[n] = last;
            memcpy(w + n + 1, "ed", 2);
            add_form(d, lemma, w, n + 3);
            memcpy(w + n + 1, "ing", 3);
            add_form(d, lemma, w, n + 4);
        }
    }
#undef FORM
}

/* Interns one alternative word: a lemma id (its inflections generated), or
 * a word id tagged SR_ALT_EXACT for '=word'. *neg / *modal report lexicon
 * classes of the word, so that the coder does not read a pattern's own
 * "not" or "could" as negation or modality. */
static uint32_t intern_alt(verbctx *c, const char *w, size_t n, int *neg, int *modal)
{
    char low[128];
    int exact = 0;
    if (n && *w == '=') {
        exact = 1;
        w++;
        n--;
    }
    size_t l = sr_dict_lower(w, n, low, sizeof low);
    uint32_t wid = sr_strtab_find(&c->d->words, low, l);
    if (wid && sr_dict_lex(c->d, wid, SR_LEX_NEGATION))
        *neg = 1;
    if (wid && (sr_dict_lex(c->d, wid, SR_LEX_MODAL) || sr_dict_lex(c->d, wid, SR_LEX_FUTURE)))
        *modal = 1;
    if (exact)
        return sr_strtab_intern(&c->d->words, low, l) | SR_ALT_EXACT;
    size_t before = c->d->lemmas.n;
    uint32_t lemma = sr_strtab_intern(&c->d->lemmas, low, l);
    if (c->d->lemmas.n != before)
        inflect(c->d, lemma, low, l);
    return lemma;
}

static int bad(sr_dict_line *L, sr_err *err, const char *why, const char *tok, size_t n)
{
    return sr_err_set(err, SR_DICT, L->path, L->lineno, "%s '%.*s'", why, (int)n, tok);
}

static int verb_line(void *ud, sr_dict_line *L, sr_err *err)
{
    verbctx *c = ud;
    sr_dict *d = c->d;
    const char *code = L->cols[0];
    const sr_cameo *cm = sr_dict_cameo(d, code);
    if (!cm)
        return sr_err_set(err, SR_DICT, L->path, L->lineno,
                          "unknown CAMEO code '%s' (not in cameo.tsv)", code);
    if (!*L->rest)
        return sr_err_set(err, SR_DICT, L->path, L->lineno, "missing pattern after code");
    sr_pattern p;
    memset(&p, 0, sizeof p);
    memcpy(p.code, code, strlen(code) + 1);
    p.cameo = cm;
    p.file = c->file;
    p.line = L->lineno;
    p.text = sr_xstrdup(L->rest);
    size_t cap = 0;
    int neg = 0, modal = 0, ntarget = 0, nsource = 0, rc = SR_OK;
    const char *s = L->rest;
    while (*s && rc == SR_OK) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        const char *t = s;
        if (*s == '[') {
            const char *close = strchr(s, ']');
            if (!close) {
                rc = bad(L, err, "unclosed '[' in", s, strlen(s));
                break;
            }
            s = close + 1;
        }
        while (*s && *s != ' ' && *s != '\t')
            s++;
        size_t n = (size_t)(s - t);
        if (*t == '{') {
            if (t[n - 1] != '}')
                rc = bad(L, err, "flag must be written {name}:", t, n);
            else if (n == 7 && !strncmp(t, "{joint}", n))
                p.flags |= SR_PATF_JOINT;
            else if (n == 10 && !strncmp(t, "{notarget}", n))
                p.flags |= SR_PATF_NOTARGET;
            else if (n == 9 && !strncmp(t, "{nominal}", n))
                p.flags |= SR_PATF_NOMINAL;
            else
                rc = bad(L, err, "unknown flag (expected {joint}, {notarget} or {nominal}):", t, n);
            continue;
        }
        SR_GROW(p.el, cap, p.nel + 1);
        sr_pat_elem *e = &p.el[p.nel++];
        memset(e, 0, sizeof *e);
        if (n > 1 && t[n - 1] == '?') {
            e->optional = 1;
            n--;
        }
        if (n == 1 && (*t == '*' || *t == '+' || *t == '$' || *t == '@')) {
            e->type = *t == '*' ? SR_PAT_GAP : *t == '+' ? SR_PAT_TARGET
                    : *t == '$' ? SR_PAT_SOURCE : SR_PAT_NAME;
            ntarget += *t == '+';
            nsource += *t == '$';
            if (e->optional && *t == '*')
                rc = bad(L, err, "'?' does not apply to a gap:", t, n + 1);
            continue;
        }
        e->type = SR_PAT_WORD;
        const char *a = t, *aend = t + n;
        if (*t == '[') {
            if (t[n - 1] != ']') {
                rc = bad(L, err, "text after ']' in", t, n);
                break;
            }
            a = t + 1;
            aend = t + n - 1;
        }
        /* alternatives: [n, id1..idn] each; words of one alternative are
         * separated by spaces ("[military aid|weapons]") */
        size_t acap = 0, alen = 0;
        while (a <= aend && rc == SR_OK) {
            const char *bar = memchr(a, '|', (size_t)(aend - a));
            const char *we = bar ? bar : aend;
            while (a < we && *a == ' ')
                a++;
            const char *wq = we;
            while (wq > a && wq[-1] == ' ')
                wq--;
            if (wq == a || (wq - a == 1 && *a == '=')) {
                rc = bad(L, err, "empty alternative in", t, n);
                break;
            }
            for (const char *q = a; q < wq; q++)
                if (*q == '*' || *q == '+' || *q == '$' || *q == '[' || *q == '{') {
                    rc = bad(L, err, "special character inside a word:", a, (size_t)(wq - a));
                    break;
                }
            if (rc)
                break;
            size_t head = alen;
            SR_GROW(e->alt, acap, alen + 1);
            e->alt[alen++] = 0;
            for (const char *w = a; w < wq;) {
                const char *sp = memchr(w, ' ', (size_t)(wq - w));
                const char *wend = sp ? sp : wq;
                if (wend > w) {
                    SR_GROW(e->alt, acap, alen + 1);
                    e->alt[alen++] = intern_alt(c, w, (size_t)(wend - w), &neg, &modal);
                    e->alt[head]++;
                }
                w = wend + 1;
            }
            e->nalt++;
            if (e->alt[head] > 0) {
                uint32_t id = e->alt[head + 1];
                if (id & SR_ALT_EXACT)
                    e->xmask |= 1ull << ((id & ~SR_ALT_EXACT) & 63);
                else
                    e->mask |= 1ull << (id & 63);
            }
            a = we + 1;
        }
        p.nlit++;
    }
    if (rc == SR_OK && ntarget > 1)
        rc = sr_err_set(err, SR_DICT, L->path, L->lineno, "more than one target slot '+'");
    if (rc == SR_OK && nsource > 1)
        rc = sr_err_set(err, SR_DICT, L->path, L->lineno, "more than one source slot '$'");
    if (rc == SR_OK && (p.nel == 0 || p.el[0].type != SR_PAT_WORD || p.el[0].optional))
        rc = sr_err_set(err, SR_DICT, L->path, L->lineno,
                        "a pattern must start with a required word (its anchor)");
    if (rc == SR_OK && p.el[p.nel - 1].type == SR_PAT_GAP)
        rc = sr_err_set(err, SR_DICT, L->path, L->lineno, "a pattern cannot end with a gap '*'");
    if (rc) {
        for (size_t i = 0; i < p.nel; i++)
            free(p.el[i].alt);
        free(p.el);
        free((void *)p.text);
        return rc;
    }
    if (neg)
        p.flags |= SR_PATF_NEGATIVE;
    if (modal)
        p.flags |= SR_PATF_MODAL;
    SR_GROW(d->pats, d->cappats, d->npats + 1);
    d->pats[d->npats++] = p;
    return SR_OK;
}

int sr_verbs_load(sr_dict *d, const char *path, sr_err *err)
{
    verbctx c = {.d = d};
    c.file = sr_strtab_str(&d->paths, sr_strtab_intern(&d->paths, path, strlen(path)));
    return sr_dict_read_lines(path, 1, verb_line, &c, err);
}

static void index_add(uint32_t ***tab, size_t *ntab, size_t size, uint32_t key, uint32_t pat)
{
    if (*ntab < size) {
        *tab = sr_xrealloc(*tab, size * sizeof **tab);
        memset(*tab + *ntab, 0, (size - *ntab) * sizeof **tab);
        *ntab = size;
    }
    uint32_t *l = (*tab)[key];
    uint32_t n = l ? l[0] : 0;
    if (n && l[n] == pat)
        return; /* the same pattern listed twice through two alternatives */
    l = sr_xrealloc(l, (n + 2) * sizeof *l);
    l[0] = n + 1;
    l[n + 1] = pat;
    (*tab)[key] = l;
}

void sr_verbs_seal(sr_dict *d)
{
    for (size_t i = 0; i < d->npats; i++) {
        const sr_pat_elem *e = &d->pats[i].el[0];
        for (size_t k = 0, off = 0; k < e->nalt; k++, off += 1 + e->alt[off]) {
            uint32_t id = e->alt[off + 1];
            if (id & SR_ALT_EXACT)
                index_add(&d->pat_by_word, &d->npat_by_word, d->words.n + 1, id & ~SR_ALT_EXACT,
                          (uint32_t)i);
            else
                index_add(&d->pat_by_lemma, &d->npat_by_lemma, d->lemmas.n + 1, id, (uint32_t)i);
        }
    }
}

void sr_dict_word_lemmas(const sr_dict *d, uint32_t word, uint32_t out[2])
{
    if (word && word < d->nlemma_of) {
        out[0] = d->lemma_of[word][0];
        out[1] = d->lemma_of[word][1];
    } else {
        out[0] = out[1] = 0;
    }
}

const uint32_t *sr_dict_patterns_for_lemma(const sr_dict *d, uint32_t lemma, size_t *n)
{
    const uint32_t *l = lemma < d->npat_by_lemma ? d->pat_by_lemma[lemma] : NULL;
    *n = l ? l[0] : 0;
    return l ? l + 1 : NULL;
}

const uint32_t *sr_dict_patterns_for_word(const sr_dict *d, uint32_t word, size_t *n)
{
    const uint32_t *l = word < d->npat_by_word ? d->pat_by_word[word] : NULL;
    *n = l ? l[0] : 0;
    return l ? l + 1 : NULL;
}
