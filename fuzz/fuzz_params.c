/* fuzz_params.c — libFuzzer target for the HTTP API's query-string parser
 * and filter checks (src/api/params.c, src/api/response.c).
 *
 * Each input is a query string as a client could send it. Parsing must
 * either give an error response (400, a JSON body naming the problem) or
 * parameters whose keys and values are NUL-free UTF-8; the filters, the
 * number parameters and the unknown-parameter check must then answer
 * without crashing or leaking, and every error must be a 400 whose body is
 * one line of JSON. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "fuzz_params: %s:%d: %s\n", __FILE__, __LINE__, \
                    #cond);                                                 \
            abort();                                                        \
        }                                                                   \
    } while (0)

static void check_error(api_response *r)
{
    CHECK(r->status == 400);
    CHECK(r->len > 12 && !memcmp(r->body, "{\"error\":\"", 10));
    CHECK(r->body[r->len - 1] == '\n' && memchr(r->body, '\n', r->len) == r->body + r->len - 1);
    api_response_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384)
        return 0;
    char *query = malloc(size + 1);
    memcpy(query, data, size);
    query[size] = 0;
    api_params ps;
    api_response *r = api_params_parse(query, &ps);
    if (r) {
        check_error(r);
        CHECK(ps.n == 0);
        free(query);
        return 0;
    }
    for (int i = 0; i < ps.n; i++)
        CHECK(ps.p[i].key[0] && strlen(ps.p[i].value) < size + 1);
    sr_query q;
    if ((r = api_params_filters(&ps, &q))) {
        check_error(r);
    } else {
        CHECK(q.quad >= 0 && q.quad <= 4);
        CHECK(q.negated >= -1 && q.negated <= 1);
        CHECK(!q.near || (q.radius_km > 0 && q.radius_km <= 20000));
        long limit;
        if ((r = api_param_long(&ps, "limit", 1, 1000, 100, &limit)))
            check_error(r);
        else
            CHECK(limit >= 1 && limit <= 1000);
        if ((r = api_params_unused(&ps)))
            check_error(r);
    }
    api_params_free(&ps);
    free(query);
    return 0;
}
