// web/list.js — the event list beside the map: one button per event (date,
// quad class, who → whom, CAMEO, place, sources, the sentence), newest first,
// paged with the API's `next` cursor by the "More" button. Arrow keys move
// between rows; Enter or a click opens the event.

import { h, replace } from './dom.js';
import { quadOf, quadColor, rootName, actorCode } from './codes.js';

function flags(ev) {
  const out = [];
  if (ev.negated) out.push(h('span', { class: 'flag flag-neg', title: 'negated: did not happen' }, 'not'));
  if (ev.modality && ev.modality !== 'asserted') {
    out.push(h('span', { class: `flag flag-${ev.modality}` }, ev.modality));
  }
  return out;
}

function row(ev, onSelect) {
  const quad = quadOf(ev.quad_class);
  const place = ev.location && ev.location.name;
  const who = ev.target ? `${actorCode(ev.source)} → ${actorCode(ev.target)}` : actorCode(ev.source);
  const button = h('button', {
    type: 'button', class: 'ev-row', dataset: { id: ev.event_id }, 'aria-pressed': 'false',
    onclick: () => onSelect(ev.event_id),
  },
  h('span', { class: 'ev-row-head' },
    h('span', { class: 'chip', style: `--chip:${quadColor(ev.quad_class)}`, title: quad ? quad.label : 'no quad class' },
      quad ? quad.short : '?'),
    h('span', { class: 'ev-who' }, who),
    h('span', { class: 'ev-cameo', title: rootName(ev.root) || '' }, ev.cameo),
    flags(ev),
    h('time', { class: 'ev-date', datetime: ev.date || '' }, ev.date || 'undated')),
  h('span', { class: 'ev-sentence' }, ev.sentence || ''),
  h('span', { class: 'ev-meta' },
    place ? h('span', { class: 'ev-place' }, place) : null,
    h('span', null, `${ev.num_sources} source${ev.num_sources === 1 ? '' : 's'}`),
    h('span', { class: 'ev-outlet' }, ev.outlet || ev.doc || '')));
  return h('li', null, button);
}

/**
 * createList(listElement, moreButton, {onSelect(id), onMore()}) → {
 *   clear(), append(events), setNext(cursor), select(id), rows() }
 */
export function createList(element, moreButton, { onSelect, onMore }) {
  let selected = null;

  moreButton.addEventListener('click', () => onMore());
  element.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = [...element.querySelectorAll('.ev-row')];
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const next = buttons[at + (e.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      next.focus();
      e.preventDefault();
    }
  });

  function mark() {
    for (const button of element.querySelectorAll('.ev-row')) {
      button.setAttribute('aria-pressed', button.dataset.id === selected ? 'true' : 'false');
    }
  }

  return {
    clear() {
      replace(element);
      moreButton.hidden = true;
    },
    append(events) {
      element.append(...events.map((ev) => row(ev, onSelect)));
      mark();
    },
    setNext(cursor) {
      moreButton.hidden = !cursor;
    },
    select(id) {
      selected = id;
      mark();
      const button = id && element.querySelector(`.ev-row[data-id="${CSS.escape(id)}"]`);
      if (button) button.scrollIntoView({ block: 'nearest' });
    },
    rows: () => element.querySelectorAll('.ev-row').length,
  };
}
