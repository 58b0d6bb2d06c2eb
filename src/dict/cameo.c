/* cameo.c — loads dict/cameo.tsv, the CAMEO code table (code, root,
 * Goldstein value, quad class, PLOVER type and mode, name), and answers
 * code lookups. Every verb pattern's code is checked against it. */
#include "dict.h"

#include <stdlib.h>
#include <string.h>

static int valid_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 4)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!sr_is_digit((unsigned char)s[i]))
            return 0;
    int root = (s[0] - '0') * 10 + (s[1] - '0');
    return root >= 1 && root <= 20;
}

static int cameo_line(void *ud, sr_dict_line *L, sr_err *err)
{
    sr_dict *d = ud;
    if (L->ncols < 6 || !*L->rest)
        return sr_err_set(err, SR_DICT, L->path, L->lineno,
                          "expected 7 columns: code root goldstein quad plover_type plover_mode name");
    const char *code = L->cols[0];
    if (!valid_code(code))
        return sr_err_set(err, SR_DICT, L->path, L->lineno,
                          "invalid CAMEO code '%s' (expected 2-4 digits, root 01-20)", code);
    if (strncmp(code, L->cols[1], 2) || strlen(L->cols[1]) != 2)
        return sr_err_set(err, SR_DICT, L->path, L->lineno, "root '%s' does not match code '%s'",
                          L->cols[1], code);
    char *end;
    double g = strtod(L->cols[2], &end);
    if (*end || g < -10.0 || g > 10.0)
        return sr_err_set(err, SR_DICT, L->path, L->lineno,
                          "invalid Goldstein value '%s' (expected -10..10)", L->cols[2]);
    int quad = atoi(L->cols[3]);
    if (quad < 1 || quad > 4 || L->cols[3][1])
        return sr_err_set(err, SR_DICT, L->path, L->lineno, "invalid quad class '%s' (expected 1-4)",
                          L->cols[3]);
    if (sr_dict_cameo(d, code))
        return sr_err_set(err, SR_DICT, L->path, L->lineno, "duplicate CAMEO code '%s'", code);
    SR_GROW(d->cameo, d->capcameo, d->ncameo + 1);
    sr_cameo *c = &d->cameo[d->ncameo++];
    memset(c, 0, sizeof *c);
    memcpy(c->code, code, strlen(code) + 1);
    memcpy(c->root, code, 2);
    c->goldstein = (float)g;
    c->quad = quad;
    c->plover = strcmp(L->cols[4], "-") ? sr_xstrdup(L->cols[4]) : NULL;
    c->plover_mode = strcmp(L->cols[5], "-") ? sr_xstrdup(L->cols[5]) : NULL;
    c->name = sr_xstrdup(L->rest);
    return SR_OK;
}

int sr_cameo_load(sr_dict *d, const char *path, sr_err *err)
{
    int rc = sr_dict_read_lines(path, 6, cameo_line, d, err);
    if (rc == SR_OK && d->ncameo < 20)
        rc = sr_err_set(err, SR_DICT, path, 0, "only %zu CAMEO codes (expected all 20 roots at least)",
                        d->ncameo);
    return rc;
}

/* Linear scan is fine: ~300 codes, looked up only while loading patterns
 * (patterns keep the pointer). */
const sr_cameo *sr_dict_cameo(const sr_dict *d, const char *code)
{
    for (size_t i = 0; i < d->ncameo; i++)
        if (!strcmp(d->cameo[i].code, code))
            return &d->cameo[i];
    return NULL;
}
