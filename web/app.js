// web/app.js — the dashboard's entry point: wires the filter bar, map,
// timeline, event list and detail drawer to the URL and the API. A change of
// filters (bar, timeline brush, legend, history) reloads every view with one
// AbortController, so a slow answer for an old view never overwrites a newer
// one; errors from the API are shown with the server's message.

import { getJson, isAbort } from './client.js';
import { h, replace } from './dom.js';
import { QUADS } from './codes.js';
import { readUrl, pushView, replaceView, sameFilters } from './state.js';
import { createFilters } from './filters.js';
import { createMap } from './map.js';
import { createTimeline } from './timeline.js';
import { createList } from './list.js';
import { createDetail } from './detail.js';

const PAGE = 100; // list page size
const MAP_LIMIT = 1000; // the API's maximum page: the map shows at most this many
const WEEKLY_AFTER_DAYS = 400; // a longer timeline is drawn per week

const $ = (selector) => document.querySelector(selector);

const view = { filters: {}, event: null };
let loads = null; // AbortController of the current view's requests
let nextCursor = null;

const banner = $('#banner');
const countText = $('#count');

function showError(where, err) {
  if (isAbort(err) || !banner.hidden) return; // the first error of a view is the telling one
  banner.hidden = false;
  replace(banner, h('strong', null, `${where}: `), err.message,
    h('button', { type: 'button', class: 'banner-close', 'aria-label': 'dismiss', onclick: () => { banner.hidden = true; } }, '×'));
}

function clearError() {
  banner.hidden = true;
  replace(banner);
}

function setPaneState(selector, state, message = '') {
  const pane = $(selector);
  pane.dataset.state = state;
  const note = pane.querySelector('.pane-note');
  if (note) note.textContent = message;
}

// ---- views ----

const filterBar = createFilters($('#filters'), $('#chips'), { onChange: (filters) => setFilters(filters) });

const map = createMap($('#map'), { onSelect: (id) => openEvent(id) });

const timeline = createTimeline($('#timeline'), {
  onBrush: (since, until) => setFilters({ ...view.filters, since, until }),
});

const list = createList($('#event-list'), $('#more'), {
  onSelect: (id) => openEvent(id),
  onMore: () => loadListPage(nextCursor, loads.signal),
});

const detail = createDetail($('#detail'), {
  onClose: () => openEvent(null),
  onDocument: (doc) => setFilters({ doc }),
});

// ---- legend: quad classes, their counts, and a quick quad filter ----

function renderLegend(counts) {
  const active = view.filters.quad || '';
  replace($('#legend'), QUADS.map((q) => h('button', {
    type: 'button', class: 'legend-item', 'aria-pressed': active === q.key ? 'true' : 'false',
    title: active === q.key ? 'show every class' : `show only ${q.label.toLowerCase()}`,
    onclick: () => setFilters({ ...view.filters, quad: active === q.key ? '' : q.key }),
  },
  h('span', { class: 'swatch', style: `--chip:${q.color}` }),
  q.label,
  counts ? h('span', { class: 'legend-count' }, String(counts[q.key] || 0)) : null)));
}

// ---- loading ----

async function loadListPage(after, signal) {
  const more = $('#more');
  more.disabled = true;
  try {
    const page = await getJson('events', { ...view.filters, limit: PAGE, after }, { signal });
    if (!after) list.clear();
    list.append(page.events);
    list.select(view.event);
    nextCursor = page.next;
    list.setNext(page.next);
    setPaneState('#list-pane', list.rows() ? 'ready' : 'empty',
      list.rows() ? '' : 'No events match these filters.');
  } catch (err) {
    if (!after) setPaneState('#list-pane', 'error', 'The events could not be loaded.');
    showError('Events', err);
  } finally {
    more.disabled = false;
  }
}

async function loadMap(signal) {
  try {
    const collection = await getJson('events', { ...view.filters, format: 'geojson', limit: MAP_LIMIT }, { signal });
    await map.ready;
    map.setEvents(collection);
    map.select(view.event);
    const n = collection.features.length;
    setPaneState('#map-pane', n ? 'ready' : 'empty', n ? '' : 'No located events match these filters.');
    $('#map-count').textContent = `${n}${collection.next ? '+' : ''} on the map`;
  } catch (err) {
    setPaneState('#map-pane', 'error', 'The map could not be loaded.');
    showError('Map', err);
  }
}

let timelineFor = null; // the filters (dates left out) the chart was drawn for

async function loadTimeline(signal) {
  // The timeline shows the whole period (every filter but the dates) with the
  // selected range shaded, so a brush can always widen or move it; a change
  // of dates alone only moves the shading.
  const { since, until, ...rest } = view.filters;
  const key = JSON.stringify(rest);
  if (key === timelineFor) {
    timeline.setRange({ since, until });
    return;
  }
  timelineFor = null;
  setPaneState('#timeline-pane', 'loading', 'Loading…');
  try {
    let answer = await getJson('timeline', { ...rest, bucket: 'day' }, { signal });
    const span = answer.buckets.length > 1
      ? (Date.parse(answer.buckets[answer.buckets.length - 1]) - Date.parse(answer.buckets[0])) / 864e5 : 0;
    if (span > WEEKLY_AFTER_DAYS) answer = await getJson('timeline', { ...rest, bucket: 'week' }, { signal });
    timeline.setData(answer, { since, until });
    timelineFor = key;
    $('#timeline-title').textContent = `Events per ${answer.bucket}`;
    setPaneState('#timeline-pane', answer.buckets.length ? 'ready' : 'empty',
      answer.buckets.length ? '' : 'No dated events match these filters.');
  } catch (err) {
    setPaneState('#timeline-pane', 'error', 'The timeline could not be loaded.');
    showError('Timeline', err);
  }
}

async function loadCounts(signal) {
  try {
    const stats = await getJson('stats', { ...view.filters, by: 'quad' }, { signal });
    const counts = Object.fromEntries(stats.counts.map((c) => [c.key, c.count]));
    const total = stats.counts.reduce((sum, c) => sum + c.count, 0);
    countText.textContent = `${total.toLocaleString('en')} event${total === 1 ? '' : 's'}`;
    renderLegend(counts);
  } catch (err) {
    countText.textContent = '';
    renderLegend(null);
    showError('Counts', err);
  }
}

function loadAll() {
  if (loads) loads.abort();
  loads = new AbortController();
  const { signal } = loads;
  clearError();
  for (const pane of ['#list-pane', '#map-pane']) setPaneState(pane, 'loading', 'Loading…');
  renderLegend(null);
  $('#reset').disabled = Object.keys(view.filters).length === 0;
  loadListPage(null, signal);
  loadMap(signal);
  loadTimeline(signal);
  loadCounts(signal);
}

// ---- the event drawer ----

let detailLoad = null;

async function showEvent(id) {
  if (detailLoad) detailLoad.abort();
  list.select(id);
  map.select(id);
  if (!id) {
    detail.close();
    return;
  }
  detailLoad = new AbortController();
  detail.loading(id);
  try {
    detail.show(await getJson(`events/${encodeURIComponent(id)}`, {}, { signal: detailLoad.signal }));
  } catch (err) {
    if (!isAbort(err)) detail.error(err.status === 404 ? `No event ${id} in this store.` : err.message);
  }
}

function openEvent(id) {
  if (id === view.event && (id === null || detail.isOpen())) return;
  view.event = id;
  replaceView(view);
  showEvent(id);
}

// ---- filters and history ----

function setFilters(filters) {
  const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '' && v != null));
  if (sameFilters(clean, view.filters)) return;
  view.filters = clean;
  pushView(view);
  filterBar.fill(clean);
  loadAll();
}

function fromUrl() {
  const { filters, event } = readUrl();
  const changed = !sameFilters(filters, view.filters);
  view.filters = filters;
  filterBar.fill(filters);
  if (changed || !loads) loadAll();
  if (event !== view.event || (event && !detail.isOpen())) {
    view.event = event;
    showEvent(event);
  }
}

window.addEventListener('popstate', fromUrl);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && detail.isOpen() && !e.target.closest('input, select, textarea')) openEvent(null);
});

async function loadHealth() {
  try {
    const health = await getJson('health');
    const counted = (n, what) => (typeof n === 'number' ? `${n.toLocaleString('en')} ${what}` : null);
    $('#health').textContent = [counted(health.events, 'events'), counted(health.documents, 'documents'),
      health.backend, `v${health.version}`].filter(Boolean).join(' · ');
  } catch (err) {
    showError('Server', err);
  }
}

loadHealth();
fromUrl();
