/* server.c — `sitrep serve`: civetweb serving the API (handlers.c) and the
 * dashboard's static files from one process.
 *
 * Threads: civetweb runs a fixed pool of worker threads; each opens its own
 * store connection on first use and keeps it (SQLite connections are not
 * shared between threads here, PostgreSQL connections cannot be), so a
 * request never waits for another's connection. The loaded dictionary is
 * immutable and shared by all.
 *
 * Limits are checked before any work: a URL longer than MAX_URI is a 414,
 * a body larger than cfg->max_body a 413 (not read, connection closed).
 * Every error, civetweb's own included (a missing static file), is a JSON
 * body {"error", "status"}.
 *
 * Shutdown: the caller's signal handler sets *stop. mg_stop alone would
 * not do: it makes civetweb stop writing at once, truncating answers being
 * sent. So first the server drains: new API requests get a 503 (and the
 * connection closed) while the API requests in flight run to the end
 * (counted in api_handler; at most DRAIN_MS); then mg_stop, and each worker
 * thread closes its store connection on the way out (SQLite checkpoints
 * its WAL), so a SIGTERM leaves a clean database. */
#include "api.h"

#include <civetweb.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_URI 8192     /* bytes of path and query string */
#define DRAIN_MS 30000L  /* longest wait for requests in flight at shutdown */

/* Headers on every response: text is untrusted, so the page may run only
 * its own scripts, load only from this server, and never be framed;
 * Leaflet and uPlot set inline styles, hence 'unsafe-inline' for styles
 * only. */
static const char SECURITY_HEADERS[] =
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "X-Frame-Options: DENY\r\n"
    "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'"
    " 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none';"
    " base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

typedef struct server {
    const sr_api_config *cfg;
    unsigned store_flags;     /* SR_STORE_READONLY when the store cannot be written */
    api_cache *cache;
    atomic_int in_flight;     /* API requests inside api_handler */
    atomic_int draining;      /* shutting down: no new API requests */
} server;

typedef struct worker {
    sr_store *st;
} worker;

static void send_response(struct mg_connection *c, const api_response *r, int head_only,
                          int close_after)
{
    const char *inm = mg_get_header(c, "If-None-Match");
    int not_modified = r->etag[0] && inm && !strcmp(inm, r->etag);
    mg_response_header_start(c, not_modified ? 304 : r->status);
    if (!not_modified) {
        mg_response_header_add(c, "Content-Type", r->ctype, -1);
        char len[32];
        snprintf(len, sizeof len, "%zu", r->len);
        mg_response_header_add(c, "Content-Length", len, -1);
    }
    if (r->etag[0])
        mg_response_header_add(c, "ETag", r->etag, -1);
    /* answers change with the store: revalidate (cheap with the ETag) */
    mg_response_header_add(c, "Cache-Control", "no-cache", -1);
    mg_response_header_add_lines(c, SECURITY_HEADERS);
    if (r->status == 401)
        mg_response_header_add(c, "WWW-Authenticate", "Bearer realm=\"sitrep\"", -1);
    if (r->headers)
        mg_response_header_add_lines(c, r->headers);
    if (close_after)
        mg_response_header_add(c, "Connection", "close", -1);
    mg_response_header_send(c);
    if (!head_only && !not_modified)
        mg_write(c, r->body, r->len);
}

/* ---- tokens ---- */

/* Compares in time independent of where the strings differ. */
static int same_token(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char d = (unsigned char)(na != nb);
    for (size_t i = 0; i < na; i++)
        d |= (unsigned char)(a[i] ^ b[i % (nb ? nb : 1)]);
    return d == 0 && nb;
}

/* The request's bearer token is one of the accepted ones. */
static int authorized(const struct mg_connection *c, const char *t1, const char *t2)
{
    const char *h = mg_get_header(c, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7))
        return 0;
    h += 7;
    while (*h == ' ')
        h++;
    int ok1 = t1 && same_token(h, t1), ok2 = t2 && same_token(h, t2); /* both, always */
    return ok1 || ok2;
}

/* ---- the /api handler ---- */

static api_response *read_body(struct mg_connection *c, const sr_api_config *cfg, api_request *rq,
                               char **owned)
{
    const struct mg_request_info *ri = mg_get_request_info(c);
    if (ri->content_length > (long long)cfg->max_body)
        return api_error(413, "body of %lld bytes: at most %zu", ri->content_length, cfg->max_body);
    sr_buf b = {0};
    char blk[65536];
    int n;
    while ((n = mg_read(c, blk, sizeof blk)) > 0) {
        if (b.n + (size_t)n > cfg->max_body) {
            sr_buf_free(&b);
            return api_error(413, "body larger than %zu bytes", cfg->max_body);
        }
        sr_buf_put(&b, blk, (size_t)n);
    }
    if (n < 0) {
        sr_buf_free(&b);
        return api_error(400, "the body could not be read");
    }
    if (!b.p)
        sr_buf_puts(&b, "");
    *owned = sr_buf_take(&b, &rq->body_len);
    rq->body = *owned;
    return NULL;
}

static int handle(struct mg_connection *c, server *sv);

static int api_handler(struct mg_connection *c, void *ud)
{
    server *sv = ud;
    /* counted before the draining flag is read: the shutdown either sees
     * this request in flight or this request sees the shutdown */
    atomic_fetch_add(&sv->in_flight, 1);
    int status;
    if (atomic_load(&sv->draining)) {
        api_response *r = api_error(503, "the server is shutting down");
        send_response(c, r, 0, 1);
        status = r->status;
        api_response_free(r);
    } else {
        status = handle(c, sv);
    }
    atomic_fetch_sub(&sv->in_flight, 1);
    return status;
}

static int handle(struct mg_connection *c, server *sv)
{
    const sr_api_config *cfg = sv->cfg;
    const struct mg_request_info *ri = mg_get_request_info(c);
    worker *w = mg_get_thread_pointer(c);
    api_request rq = {.conn = c, .cfg = cfg, .path = ri->local_uri,
                      .query = ri->query_string ? ri->query_string : "",
                      .method = ri->request_method};
    int head = !strcmp(rq.method, "HEAD");
    int post = !strcmp(rq.method, "POST");
    api_response *r = NULL;
    char *body = NULL;
    int close_after = 0, cacheable = 0;
    sr_err err = {0};

    if (post && !strcmp(rq.path, "/api/documents")) {
        if (!cfg->token || !cfg->dict)
            r = api_error(403, "writes are off: start sitrep serve with --token or $SITREP_TOKEN");
        else if (sv->store_flags & SR_STORE_READONLY)
            r = api_error(403, "the store is read-only");
        else if (!authorized(c, cfg->token, NULL))
            r = api_error(401, "POST /api/documents needs Authorization: Bearer TOKEN");
        else if ((r = read_body(c, cfg, &rq, &body)))
            close_after = r->status == 413;
    } else if (cfg->token_read && !authorized(c, cfg->token_read, cfg->token)) {
        r = api_error(401, "reading needs Authorization: Bearer TOKEN (--token-read)");
    }
    if (!r && w && !w->st) {
        if (sr_store_open(cfg->db, sv->store_flags, &w->st, &err)) {
            char msg[1200];
            r = api_error(503, "store unavailable: %s", sr_err_format(&err, msg, sizeof msg));
            w->st = NULL;
        }
    }
    if (!r && !w)
        r = api_error(500, "no worker state");
    if (!r) {
        rq.st = w->st;
        char stamp[160] = "";
        long reuse = 0;
        sr_buf key = {0};
        int get = !strcmp(rq.method, "GET") || head;
        if (get && sv->cache) {
            sr_buf_printf(&key, "%s?%s", rq.path, rq.query);
            if (sr_store_stamp(rq.st, stamp, sizeof stamp, &reuse, &err) == SR_OK) {
                r = api_cache_get(sv->cache, key.p, stamp);
            } else {
                stamp[0] = 0;
            }
        }
        if (!r) {
            r = api_handle(&rq, &cacheable);
            if (cacheable && stamp[0] && key.p)
                api_cache_put(sv->cache, key.p, stamp, reuse, r);
        }
        sr_buf_free(&key);
    }
    send_response(c, r, head, close_after);
    int status = r->status;
    api_cache_release(sv->cache, r);
    free(body);
    return status;
}

/* ---- civetweb callbacks ---- */

static int on_begin_request(struct mg_connection *c)
{
    const struct mg_request_info *ri = mg_get_request_info(c);
    size_t n = strlen(ri->request_uri ? ri->request_uri : "") +
               strlen(ri->query_string ? ri->query_string : "");
    api_response *r = NULL;
    const char *m = ri->request_method;
    if (n > MAX_URI)
        r = api_error(414, "URL of %zu bytes: at most %d", n, MAX_URI);
    else if (strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "POST"))
        /* before civetweb's own PUT/DELETE handling (file uploads) */
        r = api_error(405, "method %s not allowed (GET, HEAD or POST)", m);
    if (!r)
        return 0;
    int status = r->status;
    send_response(c, r, 0, 1);
    api_response_free(r);
    return status;
}

/* civetweb's own errors (a static file not found, a bad request line) as
 * JSON like every other error. */
static int on_http_error(struct mg_connection *c, int status, const char *msg)
{
    api_response *r = api_error(status, "%s", msg && *msg ? msg : "error");
    send_response(c, r, 0, status >= 500 || status == 413 || status == 400);
    api_response_free(r);
    return 0;
}

static int on_log_message(const struct mg_connection *c, const char *msg)
{
    (void)c;
    fprintf(stderr, "sitrep serve: %s\n", msg);
    return 1;
}

static void *on_init_thread(const struct mg_context *ctx, int type)
{
    (void)ctx;
    return type == 1 ? sr_xcalloc(1, sizeof(worker)) : NULL; /* 1: a request worker */
}

static void on_exit_thread(const struct mg_context *ctx, int type, void *p)
{
    (void)ctx;
    (void)type;
    worker *w = p;
    if (w) {
        sr_store_close(w->st);
        free(w);
    }
}

/* ---- serve ---- */

int sr_api_serve(const sr_api_config *cfg, const volatile sig_atomic_t *stop, sr_err *err)
{
    server sv = {.cfg = cfg};
    atomic_init(&sv.in_flight, 0);
    atomic_init(&sv.draining, 0);
    /* Open (and create or migrate) the store once up front, so that a bad
     * target fails here with a message rather than in every request. */
    sr_store *st = NULL;
    if (sr_store_open(cfg->db, 0, &st, err)) {
        sr_err e2 = {0};
        if (sr_store_open(cfg->db, SR_STORE_READONLY, &st, &e2))
            return SR_IO;
        sv.store_flags = SR_STORE_READONLY;
        if (!cfg->quiet)
            fprintf(stderr, "sitrep serve: %s is read-only: serving reads only\n", cfg->db);
    }
    sr_store_close(st);
    memset(err, 0, sizeof *err);

    char threads[16], index_path[4096];
    snprintf(threads, sizeof threads, "%d", cfg->threads > 0 ? cfg->threads : 8);
    snprintf(index_path, sizeof index_path, "%s/index.html", cfg->web_dir);
    if (access(index_path, R_OK) != 0 && !cfg->quiet)
        fprintf(stderr, "sitrep serve: warning: no dashboard at %s (build it, or give --web DIR)\n",
                index_path);
    const char *opts[32];
    int k = 0;
    opts[k++] = "listening_ports";
    opts[k++] = cfg->listen;
    opts[k++] = "document_root";
    opts[k++] = cfg->web_dir;
    opts[k++] = "enable_directory_listing";
    opts[k++] = "no";
    opts[k++] = "hide_files_patterns";
    opts[k++] = "**/.*";
    opts[k++] = "num_threads";
    opts[k++] = threads;
    opts[k++] = "enable_keep_alive";
    opts[k++] = "yes";
    /* headers and body go out in separate writes: with Nagle's algorithm
     * the body waits for the client's delayed ACK, 40 ms per answer on a
     * kept-alive connection */
    opts[k++] = "tcp_nodelay";
    opts[k++] = "1";
    opts[k++] = "keep_alive_timeout_ms";
    opts[k++] = "5000";
    opts[k++] = "request_timeout_ms";
    opts[k++] = "30000";
    opts[k++] = "max_request_size";
    opts[k++] = "16384";
    /* the dashboard's files change when sitrep is rebuilt: browsers
     * revalidate every time (a 304 when unchanged) rather than run
     * yesterday's scripts against today's API */
    opts[k++] = "static_file_max_age";
    opts[k++] = "0";
    opts[k++] = "additional_header";
    opts[k++] = SECURITY_HEADERS;
    if (cfg->access_log) {
        opts[k++] = "access_log_file";
        opts[k++] = cfg->access_log;
    }
    opts[k] = NULL;

    sv.cache = cfg->cache_bytes ? api_cache_new(cfg->cache_bytes) : NULL;
    struct mg_callbacks cb = {0};
    cb.begin_request = on_begin_request;
    cb.http_error = on_http_error;
    cb.log_message = on_log_message;
    cb.init_thread = on_init_thread;
    cb.exit_thread = on_exit_thread;
    mg_init_library(0);
    struct mg_context *ctx = mg_start(&cb, &sv, opts);
    if (!ctx) {
        api_cache_free(sv.cache);
        mg_exit_library();
        return sr_err_set(err, SR_IO, cfg->listen, 0,
                          "cannot listen on %s (address in use, or not an address:port?)",
                          cfg->listen);
    }
    /* "/api/" and not "/api": civetweb matches handler URIs as prefixes, and
     * the dashboard has its own api.js */
    mg_set_request_handler(ctx, "/api/", api_handler, &sv);

    struct mg_server_port ports[4];
    int np = mg_get_server_ports(ctx, 4, ports);
    const char *host = cfg->listen;
    const char *colon = strrchr(host, ':');
    char hostpart[256] = "127.0.0.1";
    if (colon && colon > host)
        snprintf(hostpart, sizeof hostpart, "%.*s", (int)(colon - host), host);
    printf("sitrep serve: http://%s:%d/ (store %s, %s threads%s)\n", hostpart,
           np > 0 ? ports[0].port : 0, cfg->db, threads,
           sv.store_flags & SR_STORE_READONLY ? ", read-only"
           : cfg->token                       ? ", writes with the token"
                                              : "");
    fflush(stdout);

    struct timespec tick = {0, 20 * 1000 * 1000};
    while (!*stop)
        nanosleep(&tick, NULL);
    if (!cfg->quiet)
        fprintf(stderr, "sitrep serve: stopping (finishing requests in flight)\n");
    atomic_store(&sv.draining, 1);
    for (long waited = 0; atomic_load(&sv.in_flight) > 0 && waited < DRAIN_MS; waited += 20)
        nanosleep(&tick, NULL);
    mg_stop(ctx); /* joins the workers; each closes its store */
    mg_exit_library();
    api_cache_free(sv.cache);
    return SR_OK;
}
