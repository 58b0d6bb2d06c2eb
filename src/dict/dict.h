/* dict.h — loaded dictionaries (struct sr_dict) and their compiled lookup
 * structures. Files, one per dictionary kind:
 *
 *   dict.c      sr_dict_open: finds the files under dict/, sequences loaders,
 *               and the shared pieces: line reader, word table, phrase index
 *   cameo.c     dict/cameo.tsv: code -> root, Goldstein, quad class, PLOVER
 *   actors.c    dict/actors/ *.txt and dict/agents.txt: phrases -> actors
 *   verbs.c     dict/verbs/ *.txt: phrase patterns -> CAMEO codes
 *   lexicon.c   dict/lexicon.txt: function-word classes, dict/issues.txt
 *
 * Every word of every phrase is interned once (lower-cased) in the dict's
 * word table; the coder looks each token up once and then compares ids.
 * Formats: docs/DICTIONARIES.md. Everything here is immutable after
 * sr_dict_open, so one sr_dict serves all coding threads.
 */
#ifndef SR_DICT_H
#define SR_DICT_H

#include "../base/base.h"
#include "../geo/geo.h"
#include "../text/text.h"

#include <stdint.h>

/* ---- interned strings ---- */

/* Open-addressing string -> id table; ids start at 1 (0 = absent). Every
 * token of every document is looked up here, so a slot keeps the key's
 * hash (most probes end without touching the string) and strings live
 * packed in arena blocks that never move (sr_strtab_str pointers stay
 * valid for the table's life). */
typedef struct sr_strtab_slot {
    uint32_t hash;       /* full hash of the key */
    uint32_t id;         /* 0 = empty */
} sr_strtab_slot;

typedef struct sr_strtab {
    sr_strtab_slot *slots; /* owned */
    size_t nslots;       /* power of two */
    char **strs;         /* id-1 -> string (in an arena block), NUL-terminated */
    uint32_t *lens;
    size_t n, cap;
    char **blocks;       /* arena blocks, owned */
    size_t nblocks, capblocks;
    size_t block_used, block_size; /* bytes used in / size of the last block */
} sr_strtab;

uint32_t sr_strtab_intern(sr_strtab *t, const char *s, size_t n);
uint32_t sr_strtab_find(const sr_strtab *t, const char *s, size_t n);
const char *sr_strtab_str(const sr_strtab *t, uint32_t id);
void sr_strtab_free(sr_strtab *t);

/* Lower-cases one token into buf (ASCII fast path, utf8proc case folding
 * for the rest); returns the length written (truncates at size-1). */
size_t sr_dict_lower(const char *s, size_t n, char *buf, size_t size);

/* ---- line reader for every dictionary file ---- */

typedef struct sr_dict_line {
    const char *path;    /* file being read */
    long lineno;         /* 1-based */
    char *cols[8];       /* NUL-terminated columns (point into the line) */
    int ncols;
    char *rest;          /* text after the fixed columns, trimmed ("" if none) */
} sr_dict_line;

/* Calls fn for every non-blank, non-comment line of path, splitting the
 * first fixed columns on white space (TAB or runs of spaces) and leaving
 * the rest of the line in ->rest. Stops at the first non-zero return.
 * A missing file is SR_DICT naming it. */
typedef int (*sr_dict_line_fn)(void *ud, sr_dict_line *line, sr_err *err);
int sr_dict_read_lines(const char *path, int fixed, sr_dict_line_fn fn,
                       void *ud, sr_err *err);

/* ---- CAMEO codes (cameo.c) ---- */

typedef struct sr_cameo {
    char code[5];        /* "0871" */
    char root[3];        /* "08" */
    float goldstein;
    int quad;            /* 1-4 */
    char *plover;        /* PLOVER type or NULL */
    char *plover_mode;   /* or NULL */
    char *name;
} sr_cameo;

const sr_cameo *sr_dict_cameo(const sr_dict *d, const char *code);

/* ---- phrases: sequences of word ids (actors, agents, issues, lexicon) ---- */

enum {
    SR_ACT_COUNTRY = 1,  /* "Russia" */
    SR_ACT_ADJ,          /* "Russian" (modifier) */
    SR_ACT_PEOPLE,       /* "Russians" */
    SR_ACT_SEAT,         /* "Kremlin", "Moscow" -> government */
    SR_ACT_ORG,          /* "NATO" */
    SR_ACT_GROUP,        /* "Hamas", "State Duma" */
    SR_ACT_PERSON,       /* "Vladimir Putin", with tenure */
    SR_ACT_SOURCE,       /* "Reuters", "ISW": attributors, not actors */
    SR_ACT_AGENT,        /* "forces", "foreign minister" */
};

typedef struct sr_actor_entry {
    int kind;            /* SR_ACT_* */
    char code[16];       /* "RUSGOV", "NATO", agent "MIL" */
    char country[4];     /* ISO alpha-3 or "" (orgs, agents) */
    char org[8];         /* organisation key or "" */
    char agent[4];       /* agent code or "" */
    int32_t from, to;    /* tenure as yyyymmdd, 0 = open; persons only */
    const char *file;    /* dictionary file (interned path) */
    long line;
    const char *phrase;  /* as written in the dictionary, owned by dict */
} sr_actor_entry;

typedef struct sr_phrase {
    const uint32_t *words;  /* word ids, owned by the phrase index */
    uint32_t n;
    uint32_t second;        /* words[1], 0 for one word: tested without a pointer chase */
    uint32_t exact_case;    /* 1: all-caps phrase, tokens must match case */
    uint32_t value;         /* index into the owner's entry array */
    const char *text;       /* phrase as written */
} sr_phrase;

typedef struct sr_phrase_index sr_phrase_index;

/* Longest phrase starting at token i of the sentence; words[] are the token
 * word ids; text/toks give the token text for case-exact phrases. Returns the
 * number of phrases found (all that start at i with the longest length, so a
 * phrase used by two entries reports both), filling out[0..max). */
size_t sr_phrase_match(const sr_phrase_index *ix, const uint32_t *words,
                       size_t nwords, size_t i, const char *text,
                       const sr_token *toks, const sr_phrase **out, size_t max);

/* The same in two steps, so that a caller can keep the first per word:
 * sr_phrase_run gives the handle of the phrases that start with word id
 * key (0: none), sr_phrase_match_run matches them at token i, whose word
 * must be key. */
uint32_t sr_phrase_run(const sr_phrase_index *ix, uint32_t key);
size_t sr_phrase_match_run(const sr_phrase_index *ix, uint32_t run, const uint32_t *words,
                           size_t nwords, size_t i, const char *text, const sr_token *toks,
                           const sr_phrase **out, size_t max);

/* ---- verb patterns (verbs.c) ---- */

enum {
    SR_PAT_WORD = 1,     /* any inflection of a lemma, or an exact form */
    SR_PAT_EXACT,        /* lower-case form match */
    SR_PAT_GAP,          /* '*': skip 0..4 tokens */
    SR_PAT_TARGET,       /* '+': the target actor starts here */
    SR_PAT_SOURCE,       /* '$': the source actor starts here (passive "by $") */
    SR_PAT_NAME,         /* '@': a name that is no actor (capitalised words): a place */
};

typedef struct sr_pat_elem {
    uint8_t type;        /* SR_PAT_* */
    uint8_t optional;    /* trailing '?' */
    uint16_t nalt;       /* alternatives in alt[] */
    uint64_t mask;       /* bit (id & 63) of each alternative's first lemma: a quick reject */
    uint64_t xmask;      /* the same for first words that are exact forms (SR_ALT_EXACT) */
    uint32_t *alt;       /* per alternative: word count n, then n lemma or word ids; owned */
} sr_pat_elem;

enum {
    SR_PATF_JOINT = 1,   /* {joint}: A and B did it together: both ways */
    SR_PATF_NOTARGET = 2,/* {notarget}: never take a target */
    SR_PATF_NEGATIVE = 4,/* the pattern itself contains a negation word */
    SR_PATF_MODAL = 8,   /* the pattern itself contains a modal verb */
    SR_PATF_NOMINAL = 16,/* {nominal}: a noun event ("the capture of ...") */
};

typedef struct sr_pattern {
    char code[5];        /* CAMEO code */
    const sr_cameo *cameo;
    sr_pat_elem *el;     /* owned */
    uint32_t nel;
    uint32_t nlit;       /* literal elements: specificity for tie-breaks */
    uint32_t flags;      /* SR_PATF_* */
    const char *file;
    long line;
    const char *text;    /* the pattern as written */
} sr_pattern;

/* Alternatives in sr_pat_elem.alt[] with this bit set are word ids
 * (exact lower-case form, written '=word'); the others are lemma ids. */
#define SR_ALT_EXACT 0x80000000u

/* Indexes (into d->pats) of the patterns whose first literal element can
 * match a token with this lemma id or word id; *n receives the count. */
const uint32_t *sr_dict_patterns_for_lemma(const sr_dict *d, uint32_t lemma, size_t *n);
/* The (up to two) lemmas a word form inflects; 0 = none. */
void sr_dict_word_lemmas(const sr_dict *d, uint32_t word, uint32_t out[2]);
const uint32_t *sr_dict_patterns_for_word(const sr_dict *d, uint32_t word, size_t *n);

/* ---- lexicon classes (lexicon.c) ---- */

enum {
    SR_LEX_NEGATION = 0, /* not, never, n't, no */
    SR_LEX_MODAL,        /* could, may, might, would, should */
    SR_LEX_FUTURE,       /* will, shall, 'll, going to */
    SR_LEX_CONDITIONAL,  /* if, unless, whether */
    SR_LEX_HEDGE,        /* likely, probably, reportedly... -> assessed */
    SR_LEX_ASSESS,       /* assess, believe, judge, estimate: analyst verbs */
    SR_LEX_REPORT,       /* say, report, state, claim, tell, add, note, announce */
    SR_LEX_INTENT,       /* plan, intend, aim, seek, prepare, ready, willing */
    SR_LEX_ANON,         /* source(s), official(s) ... with "familiar", "anonymity" */
    SR_LEX_COMPLEMENT,   /* that, which, who, whom, whose */
    SR_LEX_PREP,         /* of, with, to, against, on, in, for, from, by, at ... */
    SR_LEX_DET,          /* the, a, an, its, their, this, these */
    SR_LEX_BE,           /* be, is, are, was, were, been, being */
    SR_LEX_HAVE,         /* have, has, had, having */
    SR_LEX_PRONOUN,      /* he, she, they, it (coreference) */
    SR_LEX_COORD,        /* and, or, as well as */
    SR_LEX_ACCORDING,    /* according (to) */
    SR_LEX_CONTRAST,     /* but, however, yet: ends a clause for target search */
    SR_LEX_UNREAL,       /* feigns, pretends, routinely: not an event */
    SR_LEX_COUNT
};

/* Class membership of a word id (a word may be in several classes). */
int sr_dict_lex(const sr_dict *d, uint32_t word, int cls);

/* ---- issues (lexicon.c) ---- */

typedef struct sr_issue {
    char *tag;           /* "ceasefire" */
    const char *file;
    long line;
} sr_issue;

/* ---- the whole dictionary ---- */

struct sr_dict {
    uint64_t serial;             /* sr_serial_next(): names it to per-thread caches */
    char *dir;                   /* directory loaded from */
    sr_strtab paths;             /* interned file paths for 'why' */
    sr_strtab words;             /* lower-cased word forms */
    sr_strtab lemmas;            /* pattern words as written (their base forms) */
    uint32_t (*lemma_of)[2];     /* word id -> up to two lemma ids (inflections) */
    size_t nlemma_of;
    sr_strtab countries;         /* declared country codes */
    sr_strtab orgs;              /* declared organisation keys */
    sr_boiler *boiler;
    sr_gazetteer *geo;           /* places, or NULL (sr_dict_load_places) */
    sr_cameo *cameo; size_t ncameo, capcameo;
    sr_actor_entry *actors; size_t nactors, capactors;
    sr_phrase_index *actor_ix;   /* phrases -> actors[] (incl. agents) */
    sr_pattern *pats; size_t npats, cappats;
    uint32_t **pat_by_lemma;     /* lemma id -> [count, pattern indexes...] or NULL */
    size_t npat_by_lemma;
    uint32_t **pat_by_word;      /* word id -> [count, pattern indexes...] or NULL */
    size_t npat_by_word;
    uint32_t *lex;               /* word id -> bitmask of SR_LEX_* (words.n+1 entries) */
    size_t nlex;
    uint32_t *lexpairs;          /* (word id, class) pairs read, until sealed */
    size_t nlexpairs, caplexpairs;
    sr_phrase_index *lex_ix;     /* multi-word lexicon phrases */
    sr_issue *issues; size_t nissues, capissues;
    char (*conflicts)[2][4];     /* declared adversaries (conflicts.txt), both orders */
    size_t nconflicts, capconflicts;
    sr_phrase_index *issue_ix;   /* phrases -> issues[] */
    sr_split scratch;            /* tokenizes phrases while loading; freed after */
};

const sr_boiler *sr_dict_boiler(const sr_dict *d);

/* Tokenizes a dictionary phrase with the document tokenizer and interns its
 * lower-cased words into ids[] (max n); returns the count, 0 for an empty
 * phrase. *all_caps tells whether the phrase is written in capitals. */
size_t sr_dict_phrase_ids(sr_dict *d, const char *phrase, uint32_t *ids,
                          size_t max, int *all_caps);

/* Splits a "phrase | phrase | ..." list (the last column of most
 * dictionary files) and calls fn with each phrase's word ids; rejects
 * empty phrases, phrases over 200 bytes and over 16 words, naming L's
 * file:line. The phrase string is only borrowed by fn. */
typedef int (*sr_dict_phrase_fn)(void *ud, sr_dict_line *L, const uint32_t *ids, size_t n,
                                 int all_caps, const char *phrase, sr_err *err);
int sr_dict_each_phrase(sr_dict *d, sr_dict_line *L, const char *list, sr_dict_phrase_fn fn,
                        void *ud, sr_err *err);

/* Phrase index construction (dict.c). */
sr_phrase_index *sr_phrase_index_new(void);
void sr_phrase_index_add(sr_phrase_index *ix, const uint32_t *words, size_t n,
                         int exact_case, const char *text, uint32_t value);
void sr_phrase_index_seal(sr_phrase_index *ix);
/* Whether some phrase of the (sealed) index starts with this word id. */
int sr_phrase_starts(const sr_phrase_index *ix, uint32_t word);
void sr_phrase_index_free(sr_phrase_index *ix);
size_t sr_phrase_index_count(const sr_phrase_index *ix);

/* Loaders, each in its own file. */
int sr_cameo_load(sr_dict *d, const char *path, sr_err *err);
int sr_actors_load(sr_dict *d, const char *path, int agents, sr_err *err);
int sr_verbs_load(sr_dict *d, const char *path, sr_err *err);
int sr_lexicon_load(sr_dict *d, const char *path, sr_err *err);
int sr_issues_load(sr_dict *d, const char *path, sr_err *err);
int sr_conflicts_load(sr_dict *d, const char *path, sr_err *err);
/* The single declared adversary of a country (conflicts.txt); 0 when it has
 * none or several. */
int sr_dict_adversary(const sr_dict *d, const char *country, char out[4]);
void sr_verbs_seal(sr_dict *d);
void sr_lexicon_seal(sr_dict *d);

#endif
