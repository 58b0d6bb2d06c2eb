/* handlers.c — the endpoints of docs/API.md, each turning checked
 * parameters into store calls and the store's answer into a response.
 *
 * Event rows are formatted by the same writers as `sitrep events`
 * (src/out/rows.c) so that the API, the CLI and exports print the same
 * bytes for the same event; JSON pages are the jsonl rows joined into an
 * array (a JSON string never holds a raw newline, so each newline is a row
 * boundary). Pages are found by asking for one row more than the limit:
 * if it comes, its predecessor's cursor is the next page's start. */
#include "api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static api_response *json_response(int status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9));
    json_decref(j);
    sr_buf b = {0};
    sr_buf_puts(&b, s ? s : "null");
    sr_buf_putc(&b, '\n');
    free(s);
    return api_response_new(status, "application/json; charset=utf-8", &b, NULL);
}

/* A store error: the caller's mistake (400) or the server's (500). */
static api_response *store_error(const sr_err *err)
{
    if (err->code == SR_USAGE)
        return api_error(400, "%s", err->msg);
    char msg[1200];
    return api_error(500, "store error: %s", sr_err_format(err, msg, sizeof msg));
}

static json_t *jstr_or_null(const char *s) { return s ? json_string(s) : json_null(); }

/* ---- GET /api/health ---- */

static api_response *h_health(api_request *rq)
{
    char stamp[160];
    long reuse;
    sr_err err = {0};
    if (sr_store_stamp(rq->st, stamp, sizeof stamp, &reuse, &err)) {
        char msg[1200];
        return api_error(503, "store unavailable: %s", sr_err_format(&err, msg, sizeof msg));
    }
    json_t *j = json_object();
    json_object_set_new(j, "status", json_string("ok"));
    json_object_set_new(j, "version", json_string(SR_VERSION));
    json_object_set_new(j, "backend", json_string(sr_store_backend(rq->st)));
    json_object_set_new(j, "writes", json_boolean(rq->cfg->token && rq->cfg->dict));
    return json_response(200, j);
}

/* ---- GET /api/events ---- */

typedef struct {
    sr_rows_writer *w;
    long n, limit;
    int more;
    char next[80];
} page;

static int page_row(void *ud, const sr_event_row *row)
{
    page *p = ud;
    if (p->n == p->limit) {
        p->more = 1;
        return 1;
    }
    sr_rows_write(p->w, row);
    p->n++;
    snprintf(p->next, sizeof p->next, "%s", row->cursor ? row->cursor : "");
    return 0;
}

/* The filters and the limit, which the listing endpoints share. */
static api_response *filters_and_limit(api_params *ps, sr_query *q, long max, long def,
                                       long *limit)
{
    api_response *r = api_params_filters(ps, q);
    return r ? r : api_param_long(ps, "limit", 1, max, def, limit);
}

static api_response *h_events(api_request *rq, api_params *ps)
{
    sr_query q;
    long limit;
    api_response *r = filters_and_limit(ps, &q, 1000, 100, &limit);
    if (r)
        return r;
    q.after = api_param(ps, "after");
    const char *format = api_param(ps, "format");
    if (!format)
        format = "json";
    const char *ctype;
    if (!strcmp(format, "json"))
        ctype = "application/json; charset=utf-8";
    else if (!strcmp(format, "geojson"))
        ctype = "application/geo+json";
    else if (!strcmp(format, "csv") || !strcmp(format, "hxl"))
        ctype = "text/csv; charset=utf-8";
    else
        return api_error(400, "format: json, csv, geojson or hxl, not '%s'", format);
    if ((r = api_params_unused(ps)))
        return r;
    q.limit = limit + 1;

    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    if (!f)
        return api_error(500, "out of memory");
    page p = {.limit = limit};
    sr_err err = {0};
    int rc = sr_rows_writer_new(strcmp(format, "json") ? format : "jsonl", f, &p.w, &err);
    if (rc == SR_OK) {
        rc = sr_store_query(rq->st, &q, page_row, &p, &err);
        sr_err werr = {0};
        if (sr_rows_writer_finish(p.w, &werr) && rc == SR_OK) {
            err = werr;
            rc = SR_IO;
        }
    }
    fclose(f);
    if (rc) {
        free(out);
        return store_error(&err);
    }
    sr_buf body = {0};
    if (!strcmp(format, "json")) {
        sr_buf_puts(&body, "{\"events\":[");
        for (size_t i = 0; i < outlen; i++)
            sr_buf_putc(&body, out[i] == '\n' ? (i + 1 < outlen ? ',' : '\n') : out[i]);
        sr_buf_puts(&body, "],\"next\":");
        if (p.more) {
            sr_buf_putc(&body, '"');
            sr_buf_puts(&body, p.next); /* a date, '|' and hex digits: nothing to escape */
            sr_buf_putc(&body, '"');
        } else {
            sr_buf_puts(&body, "null");
        }
        sr_buf_puts(&body, "}\n");
        free(out);
    } else {
        sr_buf_put(&body, out ? out : "", outlen);
        free(out);
    }
    char hdr[128] = "";
    if (p.more)
        snprintf(hdr, sizeof hdr, "X-Next-Cursor: %s\r\n", p.next);
    return api_response_new(200, ctype, &body, hdr);
}

/* ---- GET /api/events/{id} ---- */

static api_response *h_event(api_request *rq, api_params *ps, const char *id)
{
    api_response *r = api_params_unused(ps);
    if (r)
        return r;
    if (strlen(id) != 16 || strspn(id, "0123456789abcdef") != 16)
        return api_error(400, "event id: 16 lower-case hex digits, not '%.40s'", id);
    char *json = NULL;
    sr_err err = {0};
    int rc = sr_store_event_json(rq->st, id, &json, &err);
    if (rc == SR_DONE)
        return api_error(404, "no event '%s'", id);
    if (rc)
        return store_error(&err);
    sr_buf b = {0};
    sr_buf_puts(&b, json);
    sr_buf_putc(&b, '\n');
    free(json);
    return api_response_new(200, "application/json; charset=utf-8", &b, NULL);
}

/* ---- GET /api/timeline ---- */

typedef struct {
    json_t *buckets;   /* array of bucket names, in order */
    json_t *counts;    /* key -> array of counts, one per bucket */
    json_t *total;     /* array, one per bucket */
    json_t *keys;      /* array of keys */
} timeline;

static json_t *key_series(timeline *t, const char *key)
{
    json_t *a = json_object_get(t->counts, key);
    if (!a) {
        a = json_array();
        for (size_t i = 0; i < json_array_size(t->buckets); i++)
            json_array_append_new(a, json_integer(0));
        json_object_set_new(t->counts, key, a);
        json_array_append_new(t->keys, json_string(key));
    }
    return a;
}

static int timeline_row(void *ud, const char *bucket, const char *key, long count)
{
    timeline *t = ud;
    size_t nb = json_array_size(t->buckets);
    if (!bucket || !key)
        return 0;
    if (!nb || strcmp(json_string_value(json_array_get(t->buckets, nb - 1)), bucket)) {
        /* rows come in bucket order: a new bucket starts every series */
        json_array_append_new(t->buckets, json_string(bucket));
        json_array_append_new(t->total, json_integer(0));
        for (void *it = json_object_iter(t->counts); it; it = json_object_iter_next(t->counts, it))
            json_array_append_new(json_object_iter_value(it), json_integer(0));
        nb++;
    }
    json_t *series = key_series(t, key);
    json_array_set_new(series, nb - 1, json_integer(count));
    json_t *tot = json_array_get(t->total, nb - 1);
    json_integer_set(tot, json_integer_value(tot) + count);
    return 0;
}

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

static api_response *h_timeline(api_request *rq, api_params *ps)
{
    sr_query q;
    api_response *r = api_params_filters(ps, &q);
    if (r)
        return r;
    const char *bucket = api_param(ps, "bucket"), *by = api_param(ps, "by");
    if (!bucket)
        bucket = "day";
    if (!by)
        by = "quad";
    if ((r = api_params_unused(ps)))
        return r;
    timeline t = {json_array(), json_object(), json_array(), json_array()};
    if (!strcmp(by, "quad")) /* the four classes always, for stable colours */
        for (int k = 1; k <= 4; k++) {
            char key[2] = {(char)('0' + k), 0};
            key_series(&t, key);
        }
    sr_err err = {0};
    int rc = sr_store_timeline(rq->st, &q, bucket, by, timeline_row, &t, &err);
    if (rc) {
        json_decref(t.buckets);
        json_decref(t.counts);
        json_decref(t.total);
        json_decref(t.keys);
        return store_error(&err);
    }
    /* keys in order ("01".."20" for roots) */
    size_t nk = json_array_size(t.keys);
    json_t **kv = sr_xcalloc(nk ? nk : 1, sizeof *kv);
    for (size_t i = 0; i < nk; i++)
        kv[i] = json_incref(json_array_get(t.keys, i));
    qsort(kv, nk, sizeof *kv, cmp_keys);
    json_array_clear(t.keys);
    for (size_t i = 0; i < nk; i++)
        json_array_append_new(t.keys, kv[i]);
    free(kv);
    json_t *j = json_object();
    json_object_set_new(j, "bucket", json_string(bucket));
    json_object_set_new(j, "by", json_string(by));
    json_object_set_new(j, "buckets", t.buckets);
    json_object_set_new(j, "keys", t.keys);
    json_object_set_new(j, "counts", t.counts);
    json_object_set_new(j, "total", t.total);
    return json_response(200, j);
}

/* ---- GET /api/stats ---- */

static int stats_row(void *ud, const char *key, long count)
{
    json_t *o = json_object();
    json_object_set_new(o, "key", jstr_or_null(key));
    json_object_set_new(o, "count", json_integer(count));
    json_array_append_new(ud, o);
    return 0;
}

static api_response *h_stats(api_request *rq, api_params *ps)
{
    sr_query q;
    long limit;
    api_response *r = filters_and_limit(ps, &q, 10000, 50, &limit);
    if (r)
        return r;
    const char *by = api_param(ps, "by");
    if (!by)
        by = "root";
    if ((r = api_params_unused(ps)))
        return r;
    q.limit = limit;
    json_t *counts = json_array();
    sr_err err = {0};
    if (sr_store_stats(rq->st, &q, by, stats_row, counts, &err)) {
        json_decref(counts);
        return store_error(&err);
    }
    json_t *j = json_object();
    json_object_set_new(j, "by", json_string(by));
    json_object_set_new(j, "counts", counts);
    return json_response(200, j);
}

/* ---- GET /api/actors, /api/places ---- */

static int actor_row(void *ud, const sr_actor_row *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", jstr_or_null(a->code));
    json_object_set_new(o, "name", jstr_or_null(a->name));
    json_object_set_new(o, "country", jstr_or_null(a->country));
    json_object_set_new(o, "org", jstr_or_null(a->org));
    json_array_append_new(ud, o);
    return 0;
}

static int place_row(void *ud, const sr_place_row *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", jstr_or_null(p->place_id));
    json_object_set_new(o, "name", jstr_or_null(p->name));
    json_object_set_new(o, "country", jstr_or_null(p->country));
    json_object_set_new(o, "admin1", jstr_or_null(p->admin1));
    json_object_set_new(o, "lat", p->has_coords ? json_real(p->lat) : json_null());
    json_object_set_new(o, "lon", p->has_coords ? json_real(p->lon) : json_null());
    json_array_append_new(ud, o);
    return 0;
}

static api_response *h_suggest(api_request *rq, api_params *ps, int places)
{
    long limit;
    api_response *r = api_param_long(ps, "limit", 1, 100, 20, &limit);
    if (r)
        return r;
    const char *prefix = api_param(ps, "q");
    if ((r = api_params_unused(ps)))
        return r;
    if (prefix && strlen(prefix) > 100)
        return api_error(400, "q: at most 100 bytes");
    json_t *list = json_array();
    sr_err err = {0};
    int rc = places ? sr_store_places(rq->st, prefix, limit, place_row, list, &err)
                    : sr_store_actors(rq->st, prefix, limit, actor_row, list, &err);
    if (rc) {
        json_decref(list);
        return store_error(&err);
    }
    json_t *j = json_object();
    json_object_set_new(j, places ? "places" : "actors", list);
    return json_response(200, j);
}

/* ---- GET /api/openapi.json ---- */

static api_response *h_openapi(api_request *rq)
{
    sr_buf path = {0};
    sr_buf_printf(&path, "%s/openapi.json", rq->cfg->web_dir);
    FILE *f = fopen(path.p, "rb");
    sr_buf_free(&path);
    if (!f)
        return api_error(404, "openapi.json is not in the web directory");
    sr_buf b = {0};
    char blk[8192];
    size_t n;
    while ((n = fread(blk, 1, sizeof blk, f)) > 0)
        sr_buf_put(&b, blk, n);
    fclose(f);
    return api_response_new(200, "application/json; charset=utf-8", &b, NULL);
}

/* ---- POST /api/documents ---- */

static const char *const OUTCOMES[] = {"", "new", "changed", "unchanged"};

static api_response *h_documents(api_request *rq, api_params *ps)
{
    api_response *r = api_params_unused(ps);
    if (r)
        return r;
    const sr_api_config *cfg = rq->cfg;
    /* One JSON object (perhaps pretty-printed over many lines) becomes one
     * JSONL line; anything else is read as JSONL, line by line. */
    char *compact = NULL;
    json_t *one = json_loadb(rq->body, rq->body_len, 0, NULL);
    if (json_is_object(one))
        compact = json_dumps(one, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(one);
    const char *bytes = compact ? compact : rq->body;
    size_t len = compact ? strlen(compact) : rq->body_len;
    FILE *f = fmemopen((void *)bytes, len ? len : 1, "r");
    if (!f) {
        free(compact);
        return api_error(500, "cannot read the body");
    }
    sr_input *in = NULL;
    sr_err err = {0};
    sr_input_open_stream(f, "<body>", cfg->dict, &in, &err);
    json_t *docs = json_array(), *errors = json_array();
    int rc = sr_store_begin(rq->st, &err), failed = rc != SR_OK;
    for (;;) {
        if (failed)
            break;
        sr_doc *doc = NULL;
        sr_err derr = {0};
        int irc = sr_input_next(in, &doc, &derr);
        if (irc == SR_DONE)
            break;
        if (irc != SR_OK) {
            if (derr.code == SR_NOMEM || derr.code == SR_IO) {
                failed = 1;
                err = derr;
                break;
            }
            json_t *e = json_object();
            json_object_set_new(e, "line", json_integer(derr.line));
            json_object_set_new(e, "error", json_string(derr.msg));
            json_array_append_new(errors, e);
            continue;
        }
        sr_events *ev = NULL;
        int outcome = 0;
        if (sr_code_doc(cfg->dict, doc, 0, &ev, &err) ||
            sr_store_put(rq->st, doc, ev, &outcome, &err)) {
            failed = 1;
        } else {
            char *jl = NULL;
            size_t jlen = 0;
            json_t *events = json_array();
            if (sr_events_to_jsonl(ev, &jl, &jlen, &err) == SR_OK && jl) {
                /* each line is one event object */
                char *save = NULL;
                for (char *line = strtok_r(jl, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
                    json_array_append_new(events, json_loads(line, 0, NULL));
            }
            free(jl);
            json_t *d = json_object();
            json_object_set_new(d, "id", json_string(sr_doc_id(doc)));
            json_object_set_new(d, "outcome",
                                json_string(outcome > 0 && outcome < 4 ? OUTCOMES[outcome] : "?"));
            json_object_set_new(d, "events", events);
            json_array_append_new(docs, d);
        }
        sr_events_free(ev);
        sr_doc_free(doc);
    }
    if (!failed && sr_store_commit(rq->st, &err))
        failed = 1;
    if (failed && rc == SR_OK)
        sr_store_rollback(rq->st);
    sr_input_free(in);
    fclose(f);
    free(compact);
    if (failed) {
        json_decref(docs);
        json_decref(errors);
        return store_error(&err);
    }
    int status = 200;
    if (!json_array_size(docs)) {
        status = 400;
        if (!json_array_size(errors)) {
            json_decref(docs);
            json_decref(errors);
            return api_error(400, "no document in the body (JSON object or JSON Lines with"
                                  " \"id\" and \"text\" or \"html\")");
        }
    }
    json_t *j = json_object();
    json_object_set_new(j, "documents", docs);
    json_object_set_new(j, "errors", errors);
    if (status == 400)
        json_object_set_new(j, "error", json_string("no valid document in the body"));
    return json_response(status, j);
}

/* ---- routing ---- */

api_response *api_handle(api_request *rq, int *cacheable)
{
    *cacheable = 0;
    api_params ps;
    api_response *r = api_params_parse(rq->query, &ps);
    if (r)
        return r;
    const char *path = rq->path;
    int get = !strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD");
    int post = !strcmp(rq->method, "POST");
    static const char EV[] = "/api/events/";
    if (!strcmp(path, "/api/documents")) {
        r = post ? h_documents(rq, &ps) : api_error(405, "use POST for /api/documents");
    } else if (!post && !get) {
        r = api_error(405, "method %s not allowed (GET, HEAD or POST)", rq->method);
    } else if (post) {
        r = api_error(405, "use GET for %s", path);
    } else {
        *cacheable = 1;
        if (!strcmp(path, "/api/health")) {
            *cacheable = 0;
            r = h_health(rq);
        } else if (!strcmp(path, "/api/events")) {
            r = h_events(rq, &ps);
        } else if (!strncmp(path, EV, sizeof EV - 1) && !strchr(path + sizeof EV - 1, '/')) {
            r = h_event(rq, &ps, path + sizeof EV - 1);
        } else if (!strcmp(path, "/api/timeline")) {
            r = h_timeline(rq, &ps);
        } else if (!strcmp(path, "/api/stats")) {
            r = h_stats(rq, &ps);
        } else if (!strcmp(path, "/api/actors")) {
            r = h_suggest(rq, &ps, 0);
        } else if (!strcmp(path, "/api/places")) {
            r = h_suggest(rq, &ps, 1);
        } else if (!strcmp(path, "/api/openapi.json")) {
            r = h_openapi(rq);
        } else {
            *cacheable = 0;
            r = api_error(404, "no such endpoint: %s (docs/API.md)", path);
        }
    }
    api_params_free(&ps);
    if (r->status != 200)
        *cacheable = r->status == 400 || r->status == 404; /* as stable as the data */
    return r;
}
