/* response.c — finished API responses: made once, immutable after, shared
 * by the cache (reference counts under cache.c's lock). Error responses
 * are all one JSON shape, {"error", "status"}. No civetweb here, so that
 * the parameter parser can be fuzzed without a server (fuzz/fuzz_params.c). */
#include "api.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

api_response *api_response_new(int status, const char *ctype, sr_buf *body, const char *headers)
{
    api_response *r = sr_xcalloc(1, sizeof *r);
    r->status = status;
    r->ctype = ctype;
    r->headers = headers && *headers ? sr_xstrdup(headers) : NULL;
    if (!body->p)
        sr_buf_puts(body, "");
    r->body = sr_buf_take(body, &r->len);
    r->refs = 1;
    if (status == 200)
        snprintf(r->etag, sizeof r->etag, "\"%016llx\"",
                 (unsigned long long)sr_hash64(SR_HASH64_INIT, r->body, r->len));
    return r;
}

void api_response_free(api_response *r)
{
    if (!r)
        return;
    free(r->headers);
    free(r->body);
    free(r);
}

static void json_escaped(sr_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            sr_buf_putc(b, '\\');
            sr_buf_putc(b, (char)c);
        } else if (c < 0x20) {
            sr_buf_printf(b, "\\u%04x", c);
        } else {
            sr_buf_putc(b, (char)c);
        }
    }
}

api_response *api_error(int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sr_buf b = {0};
    sr_buf_puts(&b, "{\"error\":\"");
    json_escaped(&b, msg);
    sr_buf_printf(&b, "\",\"status\":%d}\n", status);
    return api_response_new(status, "application/json; charset=utf-8", &b, NULL);
}
