// web/state.js — the view's state and its home in the URL. The query string
// holds the filters under the API's own parameter names (so a dashboard URL
// reads like the API call behind it) plus `event`, the event open in the
// detail pane. Filter changes push a history entry (back/forward step through
// views); opening or closing an event replaces the current one.

/** Filters the API accepts (docs/API.md, "Filters"), in display order. */
export const FILTER_KEYS = [
  'since', 'until', 'actor', 'source', 'target', 'cameo', 'plover', 'quad', 'modality',
  'negated', 'attributed', 'place', 'near', 'radius', 'issue', 'q', 'doc',
];

/** The part of the URL the dashboard reads: {filters, event}. */
export function readUrl(search = window.location.search) {
  const params = new URLSearchParams(search);
  const filters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null && value.trim() !== '') filters[key] = value.trim();
  }
  const event = params.get('event');
  return { filters, event: event && /^[0-9a-f]{16}$/i.test(event) ? event.toLowerCase() : null };
}

function urlFor({ filters, event }) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    if (filters[key] !== undefined && filters[key] !== '') params.set(key, filters[key]);
  }
  if (event) params.set('event', event);
  const s = params.toString();
  return `${window.location.pathname}${s ? `?${s}` : ''}`;
}

/** Record a new view (filters changed): a new history entry. */
export function pushView(view) {
  const url = urlFor(view);
  if (url !== `${window.location.pathname}${window.location.search}`) {
    window.history.pushState(null, '', url);
  }
}

/** Amend the current history entry (event opened or closed). */
export function replaceView(view) {
  window.history.replaceState(null, '', urlFor(view));
}

export function sameFilters(a, b) {
  return FILTER_KEYS.every((key) => (a[key] ?? '') === (b[key] ?? ''));
}
