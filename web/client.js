// web/client.js — the dashboard's only way to the sitrep JSON API (docs/API.md).
// Requests go to the same origin; failures become ApiError carrying the
// server's own message ({"error": ..., "status": ...}). The number of
// requests in flight is mirrored on <html data-busy="N"> so that the page
// (a progress bar) and the browser tests can tell when the view has settled.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

let inFlight = 0;

function track(delta) {
  inFlight += delta;
  document.documentElement.dataset.busy = String(inFlight);
}
track(0);

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const qs = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') qs.set(key, String(value));
  }
  const s = qs.toString();
  return s ? `?${s}` : '';
}

/**
 * GET /api/PATH?params as JSON. Rejects with ApiError (HTTP or network
 * failure, message from the server when it sent one) or with the
 * AbortError of `signal`.
 */
export function getJson(path, params = {}, { signal } = {}) {
  return request(`/api/${path}${query(params)}`, signal);
}

/** A static JSON file of the dashboard (e.g. the base map under /vendor/). */
export function getAsset(url, { signal } = {}) {
  return request(url, signal);
}

async function request(url, signal) {
  track(+1);
  try {
    let response;
    try {
      response = await fetch(url, {
        signal,
        headers: { Accept: 'application/json' },
      });
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      throw new ApiError('cannot reach the sitrep server', 0);
    }
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      body = null;
    }
    if (!response.ok) {
      const message = body && typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
      throw new ApiError(message, response.status);
    }
    if (body === null) throw new ApiError('the server sent something that is not JSON', response.status);
    return body;
  } finally {
    track(-1);
  }
}

export const isAbort = (err) => err && err.name === 'AbortError';
