// web/filters.js — the filter bar: date range, actor and place (with
// suggestions from /api/actors and /api/places), event type (a CAMEO root or
// a PLOVER type), quad class, modality and full text. Filters the bar has no
// control for (a document, one side, an issue, a point…) arrive through the
// URL and are shown as removable chips. The bar reports a complete filter
// object whenever a control is committed (change / Enter / submit).

import { getJson, isAbort } from './client.js';
import { h, replace } from './dom.js';
import { CAMEO_ROOTS, PLOVER_TYPES, MODALITIES, QUADS } from './codes.js';

/** " · 12 events" when the API counted them. */
const eventsNote = (n) => (typeof n === 'number' ? ` · ${n} event${n === 1 ? '' : 's'}` : '');

const FORM_KEYS = ['since', 'until', 'actor', 'quad', 'modality', 'place', 'q'];
const CHIP_LABELS = {
  source: 'source', target: 'target', negated: 'negated', attributed: 'attributed to',
  near: 'near', radius: 'radius km', issue: 'issue', doc: 'document', cameo: 'CAMEO', plover: 'PLOVER',
};

function option(value, label) {
  return h('option', { value }, label);
}

/** Suggestions for a text input: a <datalist> refreshed as the user types. */
function suggest(input, datalist, fetchOptions) {
  let timer = 0;
  let controller = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 1) return;
    timer = setTimeout(async () => {
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        replace(datalist, await fetchOptions(q, controller.signal));
      } catch (err) {
        if (!isAbort(err)) replace(datalist);
      }
    }, 150);
  });
}

/**
 * createFilters(form, chipsElement, {onChange(filters)}) → {
 *   fill(filters), current() }
 */
export function createFilters(form, chips, { onChange }) {
  const controls = form.elements;
  let extra = {};

  replace(controls.type,
    option('', 'Any type'),
    h('optgroup', { label: 'CAMEO root' }, CAMEO_ROOTS.map(([code, name]) => option(`cameo:${code}`, `${code} ${name}`))),
    h('optgroup', { label: 'PLOVER type' }, PLOVER_TYPES.map((t) => option(`plover:${t}`, t))));
  replace(controls.quad, option('', 'Any class'), QUADS.map((q) => option(q.key, q.label)));
  replace(controls.modality, option('', 'Any modality'), MODALITIES.map((m) => option(m, m)));

  suggest(controls.actor, form.querySelector('#actor-options'), async (q, signal) => {
    const { actors } = await getJson('actors', { q, limit: 12 }, { signal });
    return actors.map((a) => h('option', { value: a.code }, `${a.name || a.code}${eventsNote(a.events)}`));
  });
  suggest(controls.place, form.querySelector('#place-options'), async (q, signal) => {
    const { places } = await getJson('places', { q, limit: 12 }, { signal });
    return places.map((p) => h('option', { value: p.name },
      `${[p.name, p.admin1 !== p.name ? p.admin1 : null, p.country].filter(Boolean).join(', ')}${eventsNote(p.events)}`));
  });

  /** The filters the bar shows now (form controls + chips). */
  function current() {
    const filters = { ...extra };
    for (const key of FORM_KEYS) {
      const value = controls[key].value.trim();
      if (value) filters[key] = value;
    }
    const [kind, code] = controls.type.value.split(':');
    delete filters.cameo;
    delete filters.plover;
    if (kind && code) filters[kind] = code;
    return filters;
  }

  function renderChips() {
    const keys = Object.keys(extra);
    chips.hidden = keys.length === 0;
    replace(chips, keys.map((key) => h('span', { class: 'filter-chip' },
      `${CHIP_LABELS[key] || key}: `, h('strong', null, extra[key]),
      h('button', {
        type: 'button', class: 'chip-remove', 'aria-label': `remove filter ${CHIP_LABELS[key] || key}`,
        onclick: () => {
          delete extra[key];
          renderChips();
          onChange(current());
        },
      }, '×'))));
  }

  /** Show `filters` in the bar (from the URL). */
  function fill(filters) {
    for (const key of FORM_KEYS) controls[key].value = filters[key] || '';
    extra = {};
    for (const [key, value] of Object.entries(filters)) {
      if (!FORM_KEYS.includes(key) && key !== 'cameo' && key !== 'plover') extra[key] = value;
    }
    // A CAMEO root or PLOVER type is a menu entry; any other code becomes a chip.
    const typed = filters.cameo ? `cameo:${filters.cameo}` : filters.plover ? `plover:${filters.plover}` : '';
    const known = typed && [...controls.type.options].some((o) => o.value === typed);
    controls.type.value = known ? typed : '';
    if (filters.cameo && !known) extra.cameo = filters.cameo;
    if (filters.plover && (!known || filters.cameo)) extra.plover = filters.plover;
    // An unknown quad or modality value still goes to the API, which says what is wrong.
    for (const key of ['quad', 'modality']) {
      if (filters[key] && controls[key].value !== filters[key]) extra[key] = filters[key];
    }
    renderChips();
  }

  form.addEventListener('change', (e) => {
    if (e.target.name) onChange(current());
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onChange(current());
  });
  form.querySelector('#reset').addEventListener('click', () => {
    fill({});
    onChange({});
  });

  return { fill, current };
}
