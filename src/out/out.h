/* out.h — pieces the output writers share: the JSON string escaper and
 * the number formatting of jsonl.c (coded events), reused by rows.c
 * (stored events) so that both print the same bytes for the same value.
 * Everything appends to an sr_buf; nothing here fails or allocates beyond
 * the buffer. The formats themselves: docs/OUTPUT.md, docs/FORMATS.md.
 */
#ifndef SR_OUT_H
#define SR_OUT_H

#include "base/base.h"

#include <stdint.h>

/* Appends the escaped contents of a JSON string (without the quotes) for
 * s[0..n): quotes, backslashes and every control character escaped, valid
 * UTF-8 copied, each invalid byte replaced by U+FFFD. */
void sr_json_escape(sr_buf *b, const char *s, size_t n);
/* Appends v in decimal. */
void sr_out_u64(sr_buf *b, uint64_t v);
/* Appends v with exactly `decimals` (1-5) digits after the point, rounded
 * half away from zero, never "-0.0"; "null" for NaN or |v| > 1e12. */
void sr_out_fixed(sr_buf *b, double v, int decimals);

/* Appends the `why` array of event e (docs/OUTPUT.md). */
struct sr_event;
void sr_out_event_why(sr_buf *b, const sr_events *ev, const struct sr_event *e);

#endif
