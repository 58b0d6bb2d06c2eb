/* params.c — query strings into store filters, every value checked.
 *
 * A query string is split on '&', each key and value %-decoded ('+' is a
 * space) and checked to be UTF-8. A parameter given twice is an error, not
 * "last one wins": a shared dashboard URL must mean one thing. Handlers
 * take the parameters they know (api_param marks them used); whatever is
 * left unused is reported as unknown, so a misspelt filter ("sinc=") is a
 * 400, never a silently unfiltered answer. Empty values count as absent,
 * which is what an HTML form with empty boxes sends. */
#include "api.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int valid_utf8(const char *s, size_t n)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, (utf8proc_ssize_t)n, &cp);
        if (k <= 0 || cp == 0)
            return 0;
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* %-decodes s[0..n) ('+' is a space) into a new string; NULL if an escape
 * is malformed or the result is not UTF-8 (or holds a NUL). */
static char *decode(const char *s, size_t n)
{
    char *out = sr_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 < n) {
                int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
                if (hi >= 0 && lo >= 0) {
                    out[k++] = (char)(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            free(out);
            return NULL;
        }
        out[k++] = s[i] == '+' ? ' ' : s[i];
    }
    out[k] = 0;
    if (!valid_utf8(out, k)) {
        free(out);
        return NULL;
    }
    return out;
}

static api_response *parse(const char *query, api_params *ps);

api_response *api_params_parse(const char *query, api_params *ps)
{
    api_response *r = parse(query, ps);
    if (r)
        api_params_free(ps); /* nothing half-parsed stays behind */
    return r;
}

static api_response *parse(const char *query, api_params *ps)
{
    memset(ps, 0, sizeof *ps);
    const char *s = query ? query : "";
    while (*s) {
        const char *amp = strchr(s, '&');
        size_t n = amp ? (size_t)(amp - s) : strlen(s);
        if (n) {
            const char *eq = memchr(s, '=', n);
            size_t kn = eq ? (size_t)(eq - s) : n;
            char *key = decode(s, kn);
            char *val = eq ? decode(eq + 1, n - kn - 1) : sr_xstrdup("");
            if (!key || !val || !*key) {
                free(key);
                free(val);
                return api_error(400, "malformed query string near '%.*s'", (int)(n > 40 ? 40 : n), s);
            }
            for (int i = 0; i < ps->n; i++)
                if (!strcmp(ps->p[i].key, key)) {
                    api_response *r = api_error(400, "parameter '%s' given twice", key);
                    free(key);
                    free(val);
                    return r;
                }
            if (ps->n == (int)SR_ARRAY_LEN(ps->p)) {
                free(key);
                free(val);
                return api_error(400, "too many parameters (at most %d)", (int)SR_ARRAY_LEN(ps->p));
            }
            ps->p[ps->n].key = key;
            ps->p[ps->n].value = val;
            ps->n++;
        }
        s = amp ? amp + 1 : s + n;
    }
    return NULL;
}

void api_params_free(api_params *ps)
{
    for (int i = 0; i < ps->n; i++) {
        free(ps->p[i].key);
        free(ps->p[i].value);
    }
    ps->n = 0;
}

const char *api_param(api_params *ps, const char *key)
{
    for (int i = 0; i < ps->n; i++)
        if (!strcmp(ps->p[i].key, key)) {
            ps->p[i].used = 1;
            return *ps->p[i].value ? ps->p[i].value : NULL;
        }
    return NULL;
}

api_response *api_params_unused(const api_params *ps)
{
    for (int i = 0; i < ps->n; i++)
        if (!ps->p[i].used)
            return api_error(400, "unknown parameter '%s' (docs/API.md lists them)", ps->p[i].key);
    return NULL;
}

/* A whole-string number, or 0 if s has anything else. */
static int parse_double(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && !*end && !errno && isfinite(*v);
}

api_response *api_param_long(api_params *ps, const char *key, long lo, long hi, long def,
                             long *out)
{
    const char *v = api_param(ps, key);
    *out = def;
    if (!v)
        return NULL;
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (end == v || *end || errno || x < lo || x > hi)
        return api_error(400, "%s: a whole number from %ld to %ld, not '%s'", key, lo, hi, v);
    *out = x;
    return NULL;
}

api_response *api_params_filters(api_params *ps, sr_query *q)
{
    /* the text filters, checked by the store (build_where) */
    static const struct {
        const char *name;
        size_t off;
    } TEXT[] = {
        {"since", offsetof(sr_query, since)},        {"until", offsetof(sr_query, until)},
        {"actor", offsetof(sr_query, actor)},        {"source", offsetof(sr_query, source_actor)},
        {"target", offsetof(sr_query, target_actor)}, {"cameo", offsetof(sr_query, cameo)},
        {"plover", offsetof(sr_query, plover)},      {"modality", offsetof(sr_query, modality)},
        {"attributed", offsetof(sr_query, attributed)}, {"place", offsetof(sr_query, place)},
        {"issue", offsetof(sr_query, issue)},        {"q", offsetof(sr_query, text)},
        {"doc", offsetof(sr_query, doc)},
    };
    memset(q, 0, sizeof *q);
    q->negated = -1;
    for (size_t i = 0; i < SR_ARRAY_LEN(TEXT); i++)
        *(const char **)((char *)q + TEXT[i].off) = api_param(ps, TEXT[i].name);
    long quad;
    api_response *r = api_param_long(ps, "quad", 1, 4, 0, &quad);
    if (r)
        return r;
    q->quad = (int)quad;
    const char *v = api_param(ps, "negated");
    if (v) {
        if (!strcmp(v, "true") || !strcmp(v, "1"))
            q->negated = 1;
        else if (!strcmp(v, "false") || !strcmp(v, "0"))
            q->negated = 0;
        else
            return api_error(400, "negated: true or false, not '%s'", v);
    }
    const char *near = api_param(ps, "near"), *radius = api_param(ps, "radius");
    if (near) {
        const char *comma = strchr(near, ',');
        char lat[64];
        if (!comma || (size_t)(comma - near) >= sizeof lat)
            return api_error(400, "near: LAT,LON in degrees, not '%s'", near);
        snprintf(lat, sizeof lat, "%.*s", (int)(comma - near), near);
        if (!parse_double(lat, &q->lat) || !parse_double(comma + 1, &q->lon) || q->lat < -90 ||
            q->lat > 90 || q->lon < -180 || q->lon > 180)
            return api_error(400, "near: LAT,LON with latitude -90..90 and longitude -180..180,"
                                  " not '%s'", near);
        q->near = 1;
        q->radius_km = 25; /* as `sitrep events --near` */
        if (radius && (!parse_double(radius, &q->radius_km) || q->radius_km <= 0 ||
                       q->radius_km > 20000))
            return api_error(400, "radius: kilometres, more than 0 and at most 20000, not '%s'",
                             radius);
    } else if (radius) {
        return api_error(400, "radius needs near=LAT,LON");
    }
    return NULL;
}
