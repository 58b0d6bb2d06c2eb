/* jsonl.c — writes coded events as JSON Lines, one object per event, keys
 * in the stable order documented in docs/OUTPUT.md. JSON is built with
 * jansson, so escaping of untrusted article text is never hand-written. */
#include "../code/code.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

static json_t *span_str(const sr_events *ev, uint32_t a, uint32_t b)
{
    return json_stringn(ev->text + a, b - a);
}

static json_t *actor_json(const sr_events *ev, const sr_actor_ref *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", str_or_null(r->code));
    json_object_set_new(o, "country", str_or_null(r->country));
    json_object_set_new(o, "org", str_or_null(r->org));
    json_object_set_new(o, "name", r->end > r->start ? span_str(ev, r->start, r->end) : json_null());
    return o;
}

/* "dict/verbs/fight.txt" -> "verbs/fight.txt": paths relative to the
 * dictionary directory read better and do not leak the install prefix. */
static const char *rel_path(const sr_events *ev, const char *file)
{
    size_t n = strlen(ev->dict->dir);
    if (!strncmp(file, ev->dict->dir, n) && file[n] == '/')
        return file + n + 1;
    return file;
}

static json_t *rule_json(const sr_events *ev, const char *file, long line)
{
    char buf[600];
    snprintf(buf, sizeof buf, "%s:%ld", rel_path(ev, file), line);
    return json_string(buf);
}

static json_t *event_json(const sr_events *ev, const sr_event *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "doc", json_string(ev->doc_id));
    json_object_set_new(o, "sentence", span_str(ev, e->sstart, e->send));
    json_object_set_new(o, "offset", json_pack("[II]", (json_int_t)e->sstart, (json_int_t)e->send));
    json_object_set_new(o, "source", actor_json(ev, &e->src));
    json_object_set_new(o, "target", e->has_tgt ? actor_json(ev, &e->tgt) : json_null());
    json_object_set_new(o, "cameo", json_string(e->code));
    json_object_set_new(o, "root", json_stringn(e->code, 2));
    const sr_cameo *cm = e->cameo;
    json_object_set_new(o, "quad_class", cm ? json_integer(cm->quad) : json_null());
    json_object_set_new(o, "goldstein", cm ? json_real((double)cm->goldstein) : json_null());
    json_object_set_new(o, "plover", str_or_null(cm ? cm->plover : NULL));
    json_object_set_new(o, "plover_mode", str_or_null(cm ? cm->plover_mode : NULL));
    json_object_set_new(o, "negated", json_boolean(e->negated));
    json_object_set_new(o, "modality", json_string(sr_modality_name(e->modality)));
    if (e->has_attr) {
        json_object_set_new(o, "attribution",
                            json_pack("{s:o,s:b,s:o}", "by", span_str(ev, e->attr_start, e->attr_end),
                                      "anonymous", e->attr_anon, "verb",
                                      span_str(ev, e->attr_verb_start, e->attr_verb_end)));
    } else {
        json_object_set_new(o, "attribution", json_null());
    }
    json_t *iss = json_array();
    for (size_t i = 0; i < ev->dict->nissues && i < 64; i++)
        if (e->issues & (1ull << i))
            json_array_append_new(iss, json_string(ev->dict->issues[i].tag));
    json_object_set_new(o, "issues", iss);
    json_object_set_new(o, "location", json_null());
    json_object_set_new(o, "date", e->date[0] ? json_string(e->date) : json_null());
    json_object_set_new(o, "date_precision", str_or_null(e->date_precision));

    json_t *why = json_array();
    for (int i = 0; i < e->nwhy; i++) {
        const sr_why_tok *w = &e->why[i];
        json_t *wj = json_object();
        json_object_set_new(wj, "role", json_string(w->role));
        json_object_set_new(wj, "text", span_str(ev, w->start, w->end));
        json_object_set_new(wj, "offset", json_pack("[II]", (json_int_t)w->start, (json_int_t)w->end));
        if (w->file) {
            json_object_set_new(wj, "rule", rule_json(ev, w->file, w->line));
            json_object_set_new(wj, "entry", str_or_null(w->entry));
        }
        json_array_append_new(why, wj);
    }
    const sr_actor_ref *refs[2] = {&e->src, e->has_tgt ? &e->tgt : NULL};
    static const char *const roles[2] = {"source", "target"};
    for (int r = 0; r < 2; r++) {
        if (!refs[r])
            continue;
        for (int k = 0; k < 3 && refs[r]->entry[k]; k++) {
            const sr_actor_entry *a = refs[r]->entry[k];
            json_t *wj = json_object();
            json_object_set_new(wj, "role", json_string(roles[r]));
            json_object_set_new(wj, "text", json_string(a->phrase));
            json_object_set_new(wj, "rule", rule_json(ev, a->file, a->line));
            json_object_set_new(wj, "entry", json_string(a->code));
            json_array_append_new(why, wj);
        }
    }
    json_object_set_new(o, "why", why);
    return o;
}

int sr_events_to_jsonl(const sr_events *ev, char **buf, size_t *len, sr_err *err)
{
    sr_buf b = {0};
    for (size_t i = 0; i < ev->n; i++) {
        json_t *o = event_json(ev, &ev->ev[i]);
        char *s = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        if (!s)
            return sr_err_set(err, SR_NOMEM, ev->doc_id, 0, "cannot serialise event");
        sr_buf_puts(&b, s);
        sr_buf_putc(&b, '\n');
        free(s);
    }
    *buf = sr_buf_take(&b, len);
    return SR_OK;
}

int sr_events_write_jsonl(const sr_events *ev, FILE *f, sr_err *err)
{
    char *buf;
    size_t len;
    int rc = sr_events_to_jsonl(ev, &buf, &len, err);
    if (rc)
        return rc;
    size_t w = fwrite(buf, 1, len, f);
    free(buf);
    if (w != len)
        return sr_err_set(err, SR_IO, "<output>", 0, "write error: %s", strerror(errno));
    return SR_OK;
}
