/* split.c — the sentence splitter and tokenizer behind sr_text_split (text.h).
 *
 * One left-to-right pass over normalised text emits tokens (byte offsets;
 * WORD, NUM or PUNCT plus CAP, UPPER, GLUED) and cuts them into sentences
 * that carry a block (paragraph) number and a kind (body, headline, item).
 * A sentence may end after . ! ? or "..." (with closing quotes, brackets and
 * footnote markers glued on) unless an abbreviation, an initial, a lowercase
 * continuation or a comma follows; line structure (blank lines, standalone
 * lines, bullets, hard wraps) is settled at each newline by looking one word
 * ahead. There is no backtracking and no memory but the sr_split arrays, so
 * the pass is linear. The executable spec is tests/unit/test_split.c.
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Why the open sentence may end before the next token (st.pend). */
enum {
    P_NONE,
    P_STOP,     /* "."; also a CJK or Arabic full stop */
    P_QUEST,    /* "?" or "!" */
    P_ELLIP,    /* "..." */
    P_END,      /* an abbreviation that often ends sentences: U.S., etc., Inc. */
    P_TITLE,    /* one that precedes what it abbreviates: Gen., Jan., J. */
};

/* What the text after a candidate boundary starts with (next_class). */
enum { K_LOWER, K_UPPER, K_DIGIT, K_QUOTE, K_CONT, K_OTHER };

/* Long sentences are cut after CUT_SOFT tokens at a comma or semicolon and
 * after CUT_HARD tokens anywhere, so that coding stays linear. */
#define CUT_SOFT 300
#define CUT_HARD 400
#define NOPOS UINT32_MAX
/* A line a sentence runs over is taken as evidence of hard wrapping only
 * if it is at least this long (short runs are menus, bylines, bits). */
#define WRAP_MIN 40

typedef struct st {
    const unsigned char *t;  /* the text */
    uint32_t n;              /* its length, clamped to 32-bit offsets */
    sr_split *out;           /* where tokens and sentences go */
    uint32_t sent_tok0;      /* first token of the open sentence */
    uint32_t line_tok0;      /* first token on the current line */
    uint32_t nwords;         /* WORD and NUM tokens in the open sentence */
    uint32_t prev_end;       /* end of the previous token; NOPOS after a bullet */
    uint32_t prev_flags;     /* flags of the previous token */
    uint32_t foot_end;       /* end of a footnote marker ("[4]") being absorbed */
    uint32_t line_off;       /* where the current line starts */
    uint32_t wrap_len;       /* length of the last line a sentence ran over, 0 if none */
    int pend;                /* P_*: may the open sentence end here */
    int blk_brk;             /* the next emitted sentence starts a new block */
    int in_item;             /* the open sentence belongs to a list item */
    int line_start;          /* the open sentence began with its line's first token */
    int squote;              /* a single quote was opened in the open sentence */
} st;

static inline int is_upper_a(unsigned c) { return c - 'A' < 26u; }
static inline int is_lower_a(unsigned c) { return c - 'a' < 26u; }
static inline int is_alpha_a(unsigned c) { return (c | 32u) - 'a' < 26u; }
static inline int is_digit_a(unsigned c) { return c - '0' < 10u; }

/* Decodes the code point at t[i] (i < n); returns its length, or 1 with
 * *cp = -1 for a byte that does not start valid UTF-8. */
static uint32_t dec(const st *s, uint32_t i, int32_t *cp)
{
    size_t l = sr_utf8_decode((const char *)s->t + i, s->n - i, cp);
    if (!l) {
        *cp = -1;
        return 1;
    }
    return (uint32_t)l;
}

static int cat(int32_t cp)
{
    return cp < 0 ? UTF8PROC_CATEGORY_CN : (int)utf8proc_category(cp);
}

static int cat_letter(int k) { return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO; }
static int cat_upper(int k) { return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT; }
static int cat_mark(int k) { return k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME; }

/* Length of the letter at t[i], 0 if there is none. */
static uint32_t letter_at(const st *s, uint32_t i)
{
    if (i >= s->n)
        return 0;
    unsigned c = s->t[i];
    if (c < 0x80)
        return is_alpha_a(c) ? 1 : 0;
    int32_t cp;
    uint32_t l = dec(s, i, &cp);
    return cat_letter(cat(cp)) ? l : 0;
}

/* Non-ASCII sentence-final marks: ellipsis, ideographic and fullwidth
 * stops, Arabic question mark and full stop, Devanagari dandas. */
static int term_cp(int32_t cp)
{
    switch (cp) {
    case 0x2026: return P_ELLIP;
    case 0x3002: case 0xFF0E: case 0x06D4: case 0x0964: case 0x0965: return P_STOP;
    case 0xFF01: case 0xFF1F: case 0x061F: return P_QUEST;
    }
    return P_NONE;
}

/* List bullets: 1 if it may touch the text, 2 if a space must follow
 * (dashes, which also start ordinary lines). */
static int bullet_cp(int32_t cp)
{
    switch (cp) {
    case 0x2022: case 0x00B7: case 0x25AA: case 0x25AB: case 0x25E6:
    case 0x25CF: case 0x25A0: case 0x25BA: case 0x2023: case 0x2043:
    case 0x2219: case 0x27A2: case 0x2794:
        return 1;
    case 0x2013:
        return 2;
    }
    return 0;
}

/* ---- word lists (read-only, matched case-sensitively) ---- */

typedef char word12[12];     /* a word, NUL-padded */

typedef struct abbr {
    word12 w;               /* the abbreviation without its period */
    unsigned char type;     /* P_END or P_TITLE */
} abbr;

/* Abbreviations written with a final period (the period is part of the
 * token). Dotted letter sequences (U.S., a.m., e.g.) and initials are
 * recognised by shape in scan_word. */
static const abbr abbrs[] = {
    {"Mr", P_TITLE}, {"Mrs", P_TITLE}, {"Ms", P_TITLE}, {"Messrs", P_TITLE},
    {"Dr", P_TITLE}, {"Prof", P_TITLE}, {"Rev", P_TITLE}, {"St", P_TITLE},
    {"Mt", P_TITLE}, {"Ft", P_TITLE}, {"Gen", P_TITLE}, {"Gens", P_TITLE},
    {"Lt", P_TITLE}, {"Col", P_TITLE}, {"Maj", P_TITLE}, {"Capt", P_TITLE},
    {"Cmdr", P_TITLE}, {"Adm", P_TITLE}, {"Brig", P_TITLE}, {"Sgt", P_TITLE},
    {"Cpl", P_TITLE}, {"Pvt", P_TITLE}, {"Sen", P_TITLE}, {"Sens", P_TITLE},
    {"Rep", P_TITLE}, {"Reps", P_TITLE}, {"Gov", P_TITLE}, {"Pres", P_TITLE},
    {"Amb", P_TITLE}, {"Jan", P_TITLE}, {"Feb", P_TITLE}, {"Mar", P_TITLE},
    {"Apr", P_TITLE}, {"Jun", P_TITLE}, {"Jul", P_TITLE}, {"Aug", P_TITLE},
    {"Sep", P_TITLE}, {"Sept", P_TITLE}, {"Oct", P_TITLE}, {"Nov", P_TITLE},
    {"Dec", P_TITLE}, {"No", P_TITLE}, {"Nos", P_TITLE}, {"Vol", P_TITLE},
    {"Fig", P_TITLE}, {"vs", P_TITLE}, {"approx", P_TITLE}, {"est", P_TITLE},
    {"cf", P_TITLE}, {"pp", P_TITLE},
    {"etc", P_END}, {"Inc", P_END}, {"Ltd", P_END}, {"Co", P_END},
    {"Corp", P_END}, {"Jr", P_END}, {"Sr", P_END}, {"Bros", P_END},
    {"Dept", P_END}, {"al", P_END},
};

/* Capitalised words that start a sentence after "U.S." and its kind; any
 * other capitalised word is taken to continue it ("the U.S. Treasury"). */
static const word12 starters[] = {
    "The", "A", "An", "In", "It", "Its", "He", "She",
    "They", "We", "I", "You", "This", "That", "These",
    "Those", "There", "But", "And", "Or", "So", "Yet",
    "However", "Meanwhile", "Moreover", "Furthermore", "Also",
    "On", "At", "As", "After", "Before", "When", "While",
    "Since", "If", "Although", "Despite", "According", "His",
    "Her", "Their", "Our", "Some", "Many", "Most", "Both",
    "Each", "Such", "What", "Why", "How", "Who", "Earlier",
    "Later", "Still", "Now", "Then", "For", "With", "Under",
};

/* Lowercase words a hard-wrapped line may end with; a line ending in one
 * continues on the next even when that one starts with a capital. */
static const word12 stops[] = {
    "a", "an", "the", "of", "in", "on", "at", "to", "for",
    "with", "by", "from", "into", "onto", "near", "and",
    "or", "but", "nor", "as", "than", "that", "which",
    "who", "whose", "whom", "is", "are", "was", "were",
    "be", "been", "has", "have", "had", "will", "would",
    "can", "could", "should", "may", "might", "must", "said",
    "says", "its", "their", "his", "her", "our", "this",
    "these", "those", "not", "about", "after", "before",
    "during", "over", "under", "between", "against", "via",
    "per", "amid", "across", "toward", "towards", "including",
    "if", "when", "while", "where", "also", "both", "either",
};

/* Is w[0..len) a word of tab? */
static int in_words(const word12 *tab, size_t ntab, const unsigned char *w,
                    uint32_t len)
{
    if (len == 0 || len >= sizeof(word12))
        return 0;
    for (size_t k = 0; k < ntab; k++)
        if (tab[k][len] == 0 && memcmp(tab[k], w, len) == 0)
            return 1;
    return 0;
}

/* The type of abbreviation w[0..len) (without its period), or P_NONE. */
static int abbr_type(const unsigned char *w, uint32_t len)
{
    if (len == 0 || len >= sizeof(word12))
        return P_NONE;
    for (size_t k = 0; k < SR_ARRAY_LEN(abbrs); k++)  /* every word before a period */
        if (abbrs[k].w[0] == w[0] && abbrs[k].w[len] == 0 && memcmp(abbrs[k].w, w, len) == 0)
            return abbrs[k].type;
    return P_NONE;
}

/* ---- look-ahead ---- */

/* Classifies the text at t[i] (i < n) after a possible sentence end. */
static int next_class(const st *s, uint32_t i)
{
    unsigned c = s->t[i];
    if (c < 0x80) {
        if (is_lower_a(c))
            return K_LOWER;
        if (is_upper_a(c))
            return K_UPPER;
        if (is_digit_a(c))
            return K_DIGIT;
        switch (c) {
        case '"': case '\'':
            return K_QUOTE;
        case ',': case ';': case ':': case ')': case ']': case '}':
            return K_CONT;
        }
        return K_OTHER;
    }
    int32_t cp;
    dec(s, i, &cp);
    switch (cat(cp)) {
    case UTF8PROC_CATEGORY_LL: return K_LOWER;
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return K_UPPER;
    case UTF8PROC_CATEGORY_ND: return K_DIGIT;
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF: return K_QUOTE;
    case UTF8PROC_CATEGORY_PE: return K_CONT;
    }
    return K_OTHER;
}

/* Is the ASCII word at t[i] a common sentence starter? */
static int is_starter(const st *s, uint32_t i)
{
    uint32_t j = i;
    while (j < s->n && j - i < 12 && is_alpha_a(s->t[j]))
        j++;
    if (letter_at(s, j))
        return 0;
    return in_words(starters, SR_ARRAY_LEN(starters), s->t + i, j - i);
}

/* Does the open sentence end before the text at t[i]? nl says a single
 * newline separates them, which makes "U.S." + capital a boundary. */
static int should_split(const st *s, uint32_t i, int nl)
{
    int k = next_class(s, i);
    if (k == K_LOWER || k == K_CONT)
        return 0;
    switch (s->pend) {
    case P_TITLE:
        return 0;
    case P_END:
        if (nl)
            return k == K_UPPER || k == K_DIGIT || k == K_QUOTE;
        return k == K_UPPER && is_starter(s, i);
    }
    return 1;
}

/* Length of an English clitic ('s 're 've 'll 'd 'm) whose letters start at
 * t[k], 0 if the letters there are something else (O'Brien). */
static uint32_t clitic_len(const st *s, uint32_t k)
{
    const unsigned char *t = s->t;
    uint32_t m = 0;
    while (k + m < s->n && m < 3 && is_alpha_a(t[k + m]))
        m++;
    if (m == 0 || letter_at(s, k + m))
        return 0;
    if (m == 1 && (t[k] == 's' || t[k] == 'S' || t[k] == 'd' || t[k] == 'm'))
        return 1;
    if (m == 2 && (!memcmp(t + k, "re", 2) || !memcmp(t + k, "ve", 2) ||
                   !memcmp(t + k, "ll", 2)))
        return 2;
    return 0;
}

/* Length of a list marker at line start t[i] (bullet or "1." / "1)" and the
 * blanks after it), 0 if there is none. */
static uint32_t marker_len(const st *s, uint32_t i)
{
    const unsigned char *t = s->t;
    uint32_t n = s->n, j = i;
    unsigned c = t[i];
    int need_space = 1;
    if (c == '-' || c == '*') {
        j++;
    } else if (is_digit_a(c)) {
        while (j < n && j - i < 3 && is_digit_a(t[j]))
            j++;
        if (j - i > 2 || j >= n || (t[j] != '.' && t[j] != ')'))
            return 0;
        j++;
    } else if (c >= 0x80) {
        int32_t cp;
        uint32_t l = dec(s, i, &cp);
        int b = bullet_cp(cp);
        if (!b)
            return 0;
        need_space = b == 2;
        j += l;
    } else {
        return 0;
    }
    if (j < n && (t[j] == ' ' || t[j] == '\t')) {
        while (j < n && (t[j] == ' ' || t[j] == '\t'))
            j++;
    } else if (need_space) {
        return 0;
    }
    return j - i;
}

/* Footnote marker "[4]" / "[4,5]" at t[i]: records its end in foot_end. */
static int footnote(st *s, uint32_t i)
{
    uint32_t j = i + 1;
    while (j < s->n && j - i < 12 &&
           (is_digit_a(s->t[j]) || s->t[j] == ',' || s->t[j] == '-'))
        j++;
    if (j == i + 1 || j >= s->n || s->t[j] != ']')
        return 0;
    s->foot_end = j + 1;
    return 1;
}

/* ---- sentences ---- */

/* Emits the open sentence as kind (own_block: it is a block of its own);
 * a sentence of punctuation only is dropped with its tokens. */
static void close_sent(st *s, uint32_t kind, int own_block)
{
    sr_split *o = s->out;
    if (o->ntoks > s->sent_tok0) {
        if (s->nwords == 0) {
            o->ntoks = s->sent_tok0;
            if (s->line_tok0 > s->sent_tok0)
                s->line_tok0 = s->sent_tok0;
            s->blk_brk |= own_block;
        } else {
            if (o->nsents == o->capsents)
                SR_GROW(o->sents, o->capsents, o->nsents + 1);
            sr_sentence *p = &o->sents[o->nsents];
            p->start = o->toks[s->sent_tok0].start;
            p->end = o->toks[o->ntoks - 1].end;
            p->tok0 = s->sent_tok0;
            p->ntok = (uint32_t)o->ntoks - s->sent_tok0;
            p->block = o->nsents == 0 ? 0
                     : p[-1].block + ((s->blk_brk || own_block) ? 1 : 0);
            p->kind = kind;
            o->nsents++;
            s->blk_brk = own_block;
        }
    }
    s->sent_tok0 = (uint32_t)o->ntoks;
    s->nwords = 0;
    s->pend = P_NONE;
    s->squote = 0;
    s->foot_end = 0;
}

/* Kind of the open sentence when it ends at the end of a line: a line
 * that began it and has no final punctuation stands alone (a headline,
 * dateline or title), unless it is a long lead-in ending in ':'. */
static uint32_t line_kind(const st *s)
{
    const sr_split *o = s->out;
    if (s->in_item)
        return SR_SENT_ITEM;
    if (!s->line_start || s->pend != P_NONE || o->ntoks == s->sent_tok0)
        return SR_SENT_BODY;
    const sr_token *last = &o->toks[o->ntoks - 1];
    if (s->nwords > 10 && last->end - last->start == 1 && s->t[last->start] == ':')
        return SR_SENT_BODY;
    return SR_SENT_HEADLINE;
}

static void close_at_line_end(st *s)
{
    uint32_t kind = line_kind(s);
    close_sent(s, kind, kind == SR_SENT_HEADLINE);
}

/* Does the line just ended (no final punctuation, one sentence from its
 * first token) stand alone, given that the next line starts at t[j]? It
 * does when the next line starts like a new unit and this one does not end
 * in the middle of a phrase. */
static int standalone(const st *s, uint32_t j)
{
    int k = next_class(s, j);
    if (k != K_UPPER && k != K_DIGIT && k != K_QUOTE)
        return 0;
    const sr_token *tk = &s->out->toks[s->out->ntoks - 1];
    const unsigned char *w = s->t + tk->start;
    uint32_t len = tk->end - tk->start;
    /* In hard-wrapped text every line of a paragraph looks standalone;
     * only a line clearly shorter than the wrap width is a title. */
    if (s->wrap_len && (uint64_t)(tk->end - s->line_off) * 10 > (uint64_t)s->wrap_len * 7)
        return 0;
    if (tk->flags & SR_TOK_PUNCT) {
        switch (w[0]) {
        case ',': case ';': case '-': case '(': case '[': case '/': case '&': case '+':
            return 0;
        }
        return !(len == 3 && w[0] == 0xE2 && w[1] == 0x80 && w[2] == 0x94);
    }
    if ((tk->flags & SR_TOK_WORD) && !(tk->flags & SR_TOK_CAP) &&
        in_words(stops, SR_ARRAY_LEN(stops), w, len))
        return 0;
    return 1;
}

/* After a sentence break at a line end: an item goes on over indented
 * lines, any other line leaves the list and starts a block. */
static void leave_item(st *s, int indented)
{
    if (s->in_item && !indented) {
        s->in_item = 0;
        s->blk_brk = 1;
    }
}

/* Handles the run of white space holding the line break at t[i]; returns
 * where the text of the next line starts. A sentence that runs over a
 * single line break records the line's length as the wrap width. */
static uint32_t newlines(st *s, uint32_t i)
{
    const unsigned char *t = s->t;
    uint32_t j = i, nl = 0, bol = i;
    while (j < s->n) {
        unsigned c = t[j];
        if (c == '\n') {
            nl++;
            bol = ++j;
        } else if (c < 0x80) {
            if (c > ' ' && c != 0x7f)
                break;
            j++;
        } else {
            int32_t cp;
            uint32_t l = dec(s, j, &cp);
            int k = cat(cp);
            if (k != UTF8PROC_CATEGORY_ZS && k != UTF8PROC_CATEGORY_CF &&
                k != UTF8PROC_CATEGORY_ZL && k != UTF8PROC_CATEGORY_ZP)
                break;
            j += l;
            if (k == UTF8PROC_CATEGORY_ZL || k == UTF8PROC_CATEGORY_ZP) {
                nl += k == UTF8PROC_CATEGORY_ZL ? 1 : 2;
                bol = j;
            }
        }
    }
    if (j >= s->n)
        return j;   /* the end of the text closes the sentence */
    sr_split *o = s->out;
    if (nl >= 2) {
        close_at_line_end(s);
        s->blk_brk = 1;
        s->in_item = 0;
    } else if (marker_len(s, j)) {
        close_at_line_end(s);
    } else if (s->pend != P_NONE) {
        if (should_split(s, j, 1)) {
            close_sent(s, s->in_item ? SR_SENT_ITEM : SR_SENT_BODY, 0);
            leave_item(s, j > bol);
        } else {
            s->pend = P_NONE;
        }
    } else if (o->ntoks > s->sent_tok0 && s->sent_tok0 == s->line_tok0 &&
               standalone(s, j)) {
        close_at_line_end(s);
        leave_item(s, j > bol);
    }
    if (o->ntoks > s->sent_tok0 && o->ntoks > s->line_tok0 &&
        o->toks[o->ntoks - 1].end - s->line_off >= WRAP_MIN)
        s->wrap_len = o->toks[o->ntoks - 1].end - s->line_off;
    s->line_tok0 = (uint32_t)o->ntoks;
    s->line_off = j;
    return j;
}

/* ---- tokens ---- */

/* Scans the WORD whose first letter is at t[i]; returns its end and sets
 * *flags and *pend (an abbreviation keeps its period and sets P_END or
 * P_TITLE). English clitics are left for the next token. */
static uint32_t scan_word(st *s, uint32_t i, uint32_t *flags, int *pend)
{
    const unsigned char *t = s->t;
    uint32_t n = s->n, j = i, nlet = 0, nup = 0, firstlen = 0;
    int first_up = 0, ascii = 1;
    while (j < n) {
        unsigned c = t[j];
        uint32_t al;
        if (is_lower_a(c)) {
            /* most bytes of news text: a run of lower-case ASCII letters,
             * counted in one tight loop */
            uint32_t j0 = j;
            do
                j++;
            while (j < n && is_lower_a(t[j]));
            if (nlet == 0)
                firstlen = 1;
            nlet += j - j0;
            continue;
        }
        if (c < 0x80) {
            if (is_alpha_a(c)) {
                if (nlet++ == 0) {
                    first_up = is_upper_a(c);
                    firstlen = 1;
                }
                nup += is_upper_a(c);
                j++;
                continue;
            }
            if (c != '\'')
                break;
            al = 1;
        } else {
            int32_t cp;
            uint32_t l = dec(s, j, &cp);
            int k = cat(cp);
            if (cat_letter(k)) {
                if (nlet++ == 0) {
                    first_up = cat_upper(k);
                    firstlen = l;
                }
                nup += cat_upper(k);
                ascii = 0;
                j += l;
                continue;
            }
            if (cat_mark(k) || k == UTF8PROC_CATEGORY_CF) {
                ascii = 0;
                j += l;
                continue;
            }
            if (cp != 0x2019)   /* the typographic apostrophe of raw text */
                break;
            al = 3;
        }
        /* an apostrophe at t[j], after at least one letter */
        uint32_t k2 = j + al;
        if (letter_at(s, k2)) {
            if ((t[j - 1] | 32) == 'n' && (t[k2] | 32) == 't' && !letter_at(s, k2 + 1)) {
                if (j - i == 1) {           /* the "n't" token itself */
                    nup += is_upper_a(t[k2]);
                    nlet++;
                    j = k2 + 1;
                    break;
                }
                if (nlet >= 2) {            /* don't -> do + n't */
                    nup -= is_upper_a(t[j - 1]);
                    nlet--;
                    j--;
                    break;
                }
            }
            if (clitic_len(s, k2))          /* Russia's -> Russia + 's */
                break;
            j = k2;                         /* O'Brien, Kam'yanske */
            continue;
        }
        /* A final apostrophe closes a quote or marks a plural possessive
         * (Russians'); otherwise it transliterates a soft sign (Tver'). */
        if (!s->squote && (t[j - 1] | 32) != 's')
            j = k2;
        break;
    }

    *pend = P_NONE;
    if (j < n && t[j] == '.') {
        if (nlet == 1 && j - i == firstlen) {
            /* one letter: a dotted abbreviation (U.S., a.m.) or an initial */
            uint32_t p = j + 1, chain = 1;
            int dot = 1;
            while (firstlen == 1 && p < n && is_alpha_a(t[p]) && !letter_at(s, p + 1)) {
                chain++;
                nup += is_upper_a(t[p]);
                if (p + 1 < n && t[p + 1] == '.') {
                    p += 2;
                } else {
                    p++;
                    dot = 0;
                    break;
                }
            }
            if (chain >= 2) {
                nlet = chain;
                j = p;
                if (dot)
                    *pend = (p - i == 4 && (!memcmp(t + i, "e.g.", 4) ||
                                            !memcmp(t + i, "i.e.", 4)))
                            ? P_TITLE : P_END;
            } else if (first_up) {
                j++;
                *pend = P_TITLE;
            }
        } else if (ascii) {
            *pend = abbr_type(t + i, j - i);
            if (*pend != P_NONE)
                j++;
        }
    }
    uint32_t f = SR_TOK_WORD;
    if (first_up)
        f |= SR_TOK_CAP;
    if (nlet >= 2 && nup == nlet)
        f |= SR_TOK_UPPER;
    *flags = f;
    return j;
}

/* Length of the decimal digit at t[i], 0 if there is none. */
static uint32_t digit_at(const st *s, uint32_t i)
{
    if (i >= s->n)
        return 0;
    unsigned c = s->t[i];
    if (c < 0x80)
        return is_digit_a(c) ? 1 : 0;
    int32_t cp;
    uint32_t l = dec(s, i, &cp);
    return cat(cp) == UTF8PROC_CATEGORY_ND ? l : 0;
}

/* Scans the NUM starting at t[i]: 2025, 4,000, 3.5, 1st, 1990s. */
static uint32_t scan_num(const st *s, uint32_t i)
{
    const unsigned char *t = s->t;
    uint32_t n = s->n, j = i;
    for (;;) {
        for (uint32_t l; (l = digit_at(s, j)) != 0;)
            j += l;
        if (j + 1 < n && t[j] == '.' && is_digit_a(t[j + 1])) {
            j++;
            continue;
        }
        if (j + 3 < n && t[j] == ',' && is_digit_a(t[j + 1]) && is_digit_a(t[j + 2]) &&
            is_digit_a(t[j + 3]) && !(j + 4 < n && is_digit_a(t[j + 4]))) {
            j += 4;
            continue;
        }
        break;
    }
    if (j + 1 < n && is_alpha_a(t[j]) && is_alpha_a(t[j + 1]) && !letter_at(s, j + 2)) {
        unsigned a = t[j] | 32, b = t[j + 1] | 32;
        if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
            (a == 't' && b == 'h'))
            j += 2;
    } else if (j < n && t[j] == 's' && t[j - 1] == '0' && !letter_at(s, j + 1)) {
        j++;
    }
    return j;
}

/* Appends token [a, b) to the open sentence. */
static void push(st *s, uint32_t a, uint32_t b, uint32_t f)
{
    sr_split *o = s->out;
    if (o->ntoks == o->captoks)
        SR_GROW(o->toks, o->captoks, o->ntoks + 1);
    if (a == s->prev_end)
        f |= SR_TOK_GLUED;
    if (o->ntoks == s->sent_tok0)
        s->line_start = o->ntoks == s->line_tok0;
    sr_token *tk = &o->toks[o->ntoks++];
    tk->start = a;
    tk->end = b;
    tk->flags = f;
    s->prev_end = b;
    s->prev_flags = f;
    if (f & (SR_TOK_WORD | SR_TOK_NUM))
        s->nwords++;
}

/* Is the character at t[i], glued to a sentence end, part of that end
 * (a closing quote or bracket, more terminal marks, a footnote)? */
static int closer(st *s, uint32_t i, int32_t cp)
{
    if (cp < 0x80) {
        switch (cp) {
        case '"': case '\'': case ')': case ']': case '}': case '.': case '!': case '?':
            return 1;
        case '[':
            return footnote(s, i);
        }
        return 0;
    }
    int k = cat(cp);
    return k == UTF8PROC_CATEGORY_PF || k == UTF8PROC_CATEGORY_PE || term_cp(cp) != P_NONE;
}

/* Scans one token at t[i] (not white space), first deciding whether the
 * open sentence ends before it; returns the token's end. */
static uint32_t token(st *s, uint32_t i)
{
    const unsigned char *t = s->t;
    uint32_t n = s->n;
    unsigned c = t[i];
    if (is_lower_a(c) && s->pend == P_NONE) {
        /* the common case, a plain lower-case ASCII word in mid-sentence:
         * what scan_word and the rest below would do, without their
         * tests for abbreviations, apostrophes and capitals */
        uint32_t j = i + 1;
        while (j < n && is_lower_a(t[j]))
            j++;
        unsigned d = j < n ? t[j] : ' ';
        if (d < 0x80 && !is_alpha_a(d) && d != '\'' && d != '.') {
            push(s, i, j, SR_TOK_WORD);
            if ((uint32_t)s->out->ntoks - s->sent_tok0 >= CUT_HARD)
                close_sent(s, s->in_item ? SR_SENT_ITEM : SR_SENT_BODY, 0);
            return j;
        }
    } else if (is_upper_a(c) && s->pend == P_NONE) {
        /* a capitalised ASCII word in mid-sentence (names), likewise */
        uint32_t j = i + 1, nup = 1;
        for (; j < n && is_alpha_a(t[j]); j++)
            nup += is_upper_a(t[j]);
        unsigned d = j < n ? t[j] : ' ';
        if (d < 0x80 && !is_alpha_a(d) && d != '\'' && d != '.') {
            uint32_t f = SR_TOK_WORD | SR_TOK_CAP;
            if (j - i >= 2 && nup == j - i)
                f |= SR_TOK_UPPER;
            push(s, i, j, f);
            if ((uint32_t)s->out->ntoks - s->sent_tok0 >= CUT_HARD)
                close_sent(s, s->in_item ? SR_SENT_ITEM : SR_SENT_BODY, 0);
            return j;
        }
    }
    int32_t cp = (int32_t)c;
    uint32_t l = 1;
    int k = 0;
    if (c >= 0x80) {
        l = dec(s, i, &cp);
        k = cat(cp);
    }

    int keep = 0;
    if (s->pend != P_NONE) {
        if (i == s->prev_end && (i < s->foot_end || closer(s, i, cp)))
            keep = 1;
        else if (should_split(s, i, 0))
            close_sent(s, s->in_item ? SR_SENT_ITEM : SR_SENT_BODY, 0);
        else
            s->pend = P_NONE;
    }

    uint32_t e, f = SR_TOK_PUNCT;
    int tp = P_NONE;            /* the token's own reason to end a sentence */
    int glued = i == s->prev_end;
    if (is_alpha_a(c) || (c >= 0x80 && cat_letter(k))) {
        e = scan_word(s, i, &f, &tp);
    } else if (is_digit_a(c) || k == UTF8PROC_CATEGORY_ND) {
        e = scan_num(s, i);
        f = SR_TOK_NUM;
    } else if (c == '\'' || cp == 0x2019) {
        uint32_t m;
        e = i + l;
        if (glued && (s->prev_flags & SR_TOK_WORD) && (m = clitic_len(s, e)) != 0) {
            f = SR_TOK_WORD;
            if (is_upper_a(t[e]))
                f |= SR_TOK_CAP;
            e += m;
        } else if (!glued && letter_at(s, e)) {
            s->squote = 1;
        } else if (glued) {
            s->squote = 0;
        }
    } else if (c == '.') {
        e = i + 1;
        while (e < n && t[e] == '.')
            e++;
        if (e - i == 2)
            e = i + 1;
        tp = e - i == 1 ? P_STOP : P_ELLIP;
    } else if (c == '-') {
        e = i + 1;
        while (e < n && t[e] == '-')
            e++;
    } else if (c == '!' || c == '?') {
        e = i + 1;
        tp = P_QUEST;
    } else {
        e = i + l;
        if (c >= 0x80)
            tp = term_cp(cp);
    }

    push(s, i, e, f);
    int is_term = (f & SR_TOK_PUNCT) && tp != P_NONE;
    if (is_term)    /* "..." opening a sentence ends nothing */
        s->pend = s->nwords ? tp : P_NONE;
    else if (!keep) /* a kept closer leaves the sentence end pending */
        s->pend = tp;

    uint32_t nt = (uint32_t)s->out->ntoks - s->sent_tok0;
    if (nt >= CUT_SOFT &&
        (nt >= CUT_HARD || (e - i == 1 && (c == ',' || c == ';'))))
        close_sent(s, s->in_item ? SR_SENT_ITEM : SR_SENT_BODY, 0);
    return e;
}

void sr_text_split(const char *text, size_t len, sr_split *out)
{
    out->nsents = 0;
    out->ntoks = 0;
    if (!text || len == 0)
        return;
    if (len > UINT32_MAX - 1)   /* offsets are 32-bit: the rest is ignored */
        len = UINT32_MAX - 1;

    st s;
    memset(&s, 0, sizeof s);
    s.t = (const unsigned char *)text;
    s.n = (uint32_t)len;
    s.out = out;
    s.prev_end = NOPOS;

    uint32_t i = 0;
    int bol = 1;    /* only white space so far on this line */
    while (i < s.n) {
        unsigned c = s.t[i];
        if (c < 0x80) {
            if (c == '\n') {
                i = newlines(&s, i);
                bol = 1;
                continue;
            }
            if (c <= ' ' || c == 0x7f) {
                i++;
                continue;
            }
        } else {
            int32_t cp;
            uint32_t l = dec(&s, i, &cp);
            int k = cat(cp);
            if (k == UTF8PROC_CATEGORY_ZS || k == UTF8PROC_CATEGORY_CF) {
                i += l;
                continue;
            }
            if (k == UTF8PROC_CATEGORY_ZL || k == UTF8PROC_CATEGORY_ZP) {
                i = newlines(&s, i);
                bol = 1;
                continue;
            }
        }
        if (bol) {
            bol = 0;
            uint32_t m = marker_len(&s, i);
            if (m) {
                close_at_line_end(&s);
                s.in_item = 1;
                s.blk_brk = 1;
                s.prev_end = NOPOS;
                i += m;
                continue;
            }
        }
        i = token(&s, i);
    }
    close_at_line_end(&s);
}

void sr_split_free(sr_split *s)
{
    if (!s)
        return;
    free(s->sents);
    free(s->toks);
    s->sents = NULL;
    s->toks = NULL;
    s->nsents = s->capsents = s->ntoks = s->captoks = 0;
}
