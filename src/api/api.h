/* api.h — the HTTP API and dashboard server (`sitrep serve`), a thin layer
 * over libsitrep's store on top of civetweb. Its files:
 *
 *   server.c    civetweb set-up, one store connection per worker thread,
 *               routing, limits (414/413), tokens, JSON errors, shutdown
 *   params.c    query strings -> sr_query, every value checked (400)
 *   handlers.c  the endpoints of docs/API.md
 *   cache.c     responses kept while the store's stamp is unchanged
 *   response.c  responses and JSON errors (no civetweb: fuzzable)
 *
 * The contract is docs/API.md (and web/openapi.json). */
#ifndef SR_API_H
#define SR_API_H

#include "sitrep.h"
#include "base/base.h"

#include <signal.h>

struct mg_connection;

typedef struct sr_api_config {
    const char *db;           /* store target (path or postgresql:// URL) */
    const char *listen;       /* "127.0.0.1:8080"; port 0 picks a free one */
    const char *web_dir;      /* the dashboard's files (build/web) */
    const char *token;        /* needed by POST /api/documents; NULL: writes off */
    const char *token_read;   /* needed by GET /api/... too when set */
    const sr_dict *dict;      /* codes posted documents; NULL: writes off */
    int threads;              /* worker threads (each with its own connection) */
    size_t max_body;          /* bytes a POST body may have */
    size_t cache_bytes;       /* response cache size; 0 turns it off */
    const char *access_log;   /* file, or NULL */
    int quiet;
} sr_api_config;

/* Serves until *stop becomes non-zero (a signal handler sets it), then
 * finishes the requests in flight, closes every connection and returns.
 * Prints the URL on stdout once listening (and the bound port when the
 * configured one was 0). Errors (cannot bind, bad store) go into err. */
int sr_api_serve(const sr_api_config *cfg, const volatile sig_atomic_t *stop, sr_err *err);

/* ---- what the files share ---- */

/* A finished response: status, content type, extra header lines (each
 * ending in "\r\n"), body. Immutable once made, shared by the cache. */
typedef struct api_response {
    int status;
    const char *ctype;
    char *headers;            /* malloc'd, may be NULL */
    char *body;               /* malloc'd */
    size_t len;
    char etag[24];            /* "\"hex\"" or "" */
    int refs;                 /* owned by cache.c's lock */
} api_response;

api_response *api_response_new(int status, const char *ctype, sr_buf *body, const char *headers);
api_response *api_error(int status, const char *fmt, ...) SR_PRINTF(2, 3);
void api_response_free(api_response *r);

/* One request as the handlers see it. */
typedef struct api_request {
    struct mg_connection *conn;
    const sr_api_config *cfg;
    sr_store *st;             /* this thread's connection */
    const char *path;         /* local URI, decoded */
    const char *query;        /* raw query string, "" if none */
    const char *method;
    const char *body;         /* POST: the whole body, NUL-terminated */
    size_t body_len;
} api_request;

/* params.c: the decoded parameters of a query string. */
typedef struct api_params {
    struct {
        char *key, *value;
        int used;
    } p[48];
    int n;
} api_params;

/* Splits and decodes query; on a malformed string (bad %-escape, invalid
 * UTF-8, a parameter twice, too many) returns an error response. */
api_response *api_params_parse(const char *query, api_params *ps);
void api_params_free(api_params *ps);
/* The value of key (marked used), NULL when absent or empty. */
const char *api_param(api_params *ps, const char *key);
/* Fills q from the filter parameters of docs/API.md; an error response for
 * a malformed value. Strings in q point into ps. */
api_response *api_params_filters(api_params *ps, sr_query *q);
/* An integer parameter in [lo, hi], def when absent. */
api_response *api_param_long(api_params *ps, const char *key, long lo, long hi, long def,
                             long *out);
/* An error response naming the first parameter no handler looked at. */
api_response *api_params_unused(const api_params *ps);

/* handlers.c: each returns the response to send (never NULL). cacheable
 * is set when the answer depends only on the URL and the stored data. */
api_response *api_handle(api_request *rq, int *cacheable);

/* cache.c */
typedef struct api_cache api_cache;
api_cache *api_cache_new(size_t max_bytes);
void api_cache_free(api_cache *c);
/* The response stored for key under stamp, no older than its reuse
 * limit, with a reference the caller releases; NULL if none. */
api_response *api_cache_get(api_cache *c, const char *key, const char *stamp);
/* Stores r (taking one more reference) for key under stamp, reusable for
 * reuse_ms (-1: while the stamp holds). */
void api_cache_put(api_cache *c, const char *key, const char *stamp, long reuse_ms,
                   api_response *r);
void api_cache_release(api_cache *c, api_response *r);

#endif
