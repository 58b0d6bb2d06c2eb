/* code.h — the coder's internal types: actor mentions found in a sentence,
 * coded events, and the per-thread coder state.
 *
 *   coder.c     sr_code_doc: per sentence, finds actor mentions, matches verb
 *               patterns, picks source and target, negation, modality,
 *               attribution, issues; collects events
 *   jsonl.c     (src/out/) writes events as JSON Lines (docs/OUTPUT.md)
 *
 * Events borrow the document's text: write them before sr_doc_free.
 */
#ifndef SR_CODE_H
#define SR_CODE_H

#include "../dict/dict.h"

enum {
    SR_MOD_ASSERTED = 0,
    SR_MOD_REPORTED,
    SR_MOD_ASSESSED,
    SR_MOD_INTENDED,
    SR_MOD_HYPOTHETICAL,
};
const char *sr_modality_name(int modality);

/* An actor as it appears in an event. */
typedef struct sr_actor_ref {
    char code[16];                 /* "RUSMIL", "NATO", "" if unresolved */
    char country[4];               /* ISO alpha-3 or "" */
    char org[8];                   /* organisation key or "" */
    uint32_t start, end;           /* the words as written: byte offsets */
    const sr_actor_entry *entry[3];/* dictionary entries that built it (why) */
} sr_actor_ref;

typedef struct sr_why_tok {
    uint32_t start, end;           /* byte offsets of the words */
    const char *role;              /* "verb", "negation", "modal", "report", "issue" */
    const char *file;              /* dictionary file or NULL */
    long line;
    const char *entry;             /* the dictionary entry text or NULL */
} sr_why_tok;

typedef struct sr_event {
    uint32_t sent;                 /* sentence number in the document */
    uint32_t sstart, send;         /* sentence byte offsets */
    sr_actor_ref src, tgt;
    int has_tgt;
    char code[5];                  /* CAMEO code (may differ from the pattern's: intent -> 03x) */
    const sr_cameo *cameo;
    const sr_pattern *pat;
    int negated;
    int modality;                  /* SR_MOD_* */
    int has_attr;
    uint32_t attr_start, attr_end; /* attributor as written */
    int attr_anon;
    uint32_t attr_verb_start, attr_verb_end;
    uint64_t issues;               /* bit i = d->issues[i] */
    char date[11];                 /* YYYY-MM-DD or "" */
    const char *date_precision;    /* "day", "document", ... or NULL */
    sr_why_tok why[8];
    int nwhy;
    uint32_t vtok;                 /* the verb's token within its sentence */
    int tgt_default;               /* target from the adversary default, or none */
    int src_by_place;              /* source an agent without a country ("protesters"):
                                      the event's place gives it, else no event */
    int has_loc;
    sr_place loc;                  /* where, when has_loc */
} sr_event;

struct sr_events {
    const sr_dict *dict;
    const char *doc_id;            /* borrowed from the document */
    const char *text;              /* borrowed document text */
    size_t len;
    sr_event *ev;                  /* owned */
    size_t n, cap;
    size_t nsents;                 /* sentences in the document */
    const char *docdate_source;    /* "published", "dateline", "inferred" or NULL */
};

#endif
