// web/detail.js — the detail drawer for one event (GET /api/events/{id}):
// what was coded (actors, CAMEO/PLOVER, date, place, modality), then every
// mention with its outlet, date, document (link only for http(s) URLs) and
// attribution, its sentence with the words the coder used highlighted by role,
// and the why: each role's words, the dictionary rule (file:line) and entry.

import { h, replace, safeLink } from './dom.js';
import { segments, ROLE_ORDER } from './highlight.js';
import { quadOf, quadColor, rootName, actorLabel } from './codes.js';

function highlighted(mention) {
  const start = Array.isArray(mention.offset) ? mention.offset[0] : 0;
  return h('p', { class: 'sentence' }, segments(mention.sentence || '', start, mention.why).map((run) =>
    run.roles.length
      ? h('mark', { class: ['hl', ...run.roles.map((r) => `hl-${r}`)].join(' '), title: run.roles.join(' · ') }, run.text)
      : run.text));
}

function whyTable(why) {
  const items = [...(why || [])].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  if (!items.length) return h('p', { class: 'muted' }, 'No explanation recorded.');
  return h('table', { class: 'why' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'role'), h('th', { scope: 'col' }, 'words'),
      h('th', { scope: 'col' }, 'rule and dictionary entry'))),
    h('tbody', null, items.map((item) => h('tr', null,
      h('td', null, h('span', { class: `role-tag hl-${item.role}` }, item.role)),
      h('td', { class: 'why-text' }, item.text || ''),
      h('td', null,
        h('div', { class: 'mono' }, item.rule || '—'),
        item.entry ? h('div', { class: 'mono why-entry' }, item.entry) : null)))));
}

function attributionText(attr) {
  if (!attr) return null;
  if (attr.anonymous) return `anonymous sources${attr.verb ? ` (${attr.verb})` : ''}`;
  if (!attr.by) return null;
  return `${attr.by}${attr.verb ? ` (${attr.verb})` : ''}`;
}

function mentionCard(mention, index, onDocument) {
  const attribution = attributionText(mention.attribution);
  const docLink = mention.url ? safeLink(mention.url, mention.url, { class: 'doc-url' }) : null;
  return h('li', { class: 'mention' },
    h('div', { class: 'mention-head' },
      h('span', { class: 'mention-outlet' }, mention.outlet || 'unknown outlet'),
      h('span', { class: 'muted' }, mention.published ? `published ${mention.published}` : 'undated document'),
      mention.date ? h('span', { class: 'muted' }, `event ${mention.date}`) : null),
    mention.title ? h('div', { class: 'mention-title' }, mention.title) : null,
    highlighted(mention),
    h('dl', { class: 'facts compact' },
      h('dt', null, 'document'),
      h('dd', null, docLink || h('span', { class: 'mono' }, mention.doc),
        ' ', h('button', { type: 'button', class: 'linkish', onclick: () => onDocument(mention.doc) },
          'events in this document')),
      h('dt', null, 'attribution'), h('dd', null, attribution || 'none'),
      h('dt', null, 'coded'), h('dd', null,
        `${mention.cameo} · ${actorLabel(mention.source)} → ${actorLabel(mention.target)} · ${mention.modality}${mention.negated ? ' · negated' : ''}`)),
    h('details', { class: 'why-box', open: index === 0 },
      h('summary', null, 'Why this was coded'),
      whyTable(mention.why)));
}

function placeText(loc) {
  if (!loc) return 'none';
  const parts = [loc.name, loc.admin1 && loc.admin1 !== loc.name ? loc.admin1 : null, loc.country].filter(Boolean);
  const coords = loc.lat != null && loc.lon != null ? ` (${loc.lat.toFixed(3)}, ${loc.lon.toFixed(3)})` : '';
  return `${parts.join(', ')}${coords}${loc.precision ? ` · ${loc.precision}` : ''}`;
}

function summary(ev) {
  const quad = quadOf(ev.quad_class);
  const root = rootName(ev.root);
  return [
    h('div', { class: 'detail-kicker' },
      h('span', { class: 'chip', style: `--chip:${quadColor(ev.quad_class)}` }, quad ? quad.label : 'no quad class'),
      ev.negated ? h('span', { class: 'flag flag-neg' }, 'negated') : null,
      ev.modality !== 'asserted' ? h('span', { class: `flag flag-${ev.modality}` }, ev.modality) : null),
    h('h2', { id: 'detail-title' },
      `${actorLabel(ev.source)} → ${actorLabel(ev.target)}`),
    h('dl', { class: 'facts' },
      h('dt', null, 'CAMEO'), h('dd', null, `${ev.cameo}${root ? ` · ${root}` : ''}`),
      h('dt', null, 'PLOVER'), h('dd', null, ev.plover ? `${ev.plover}${ev.plover_mode ? ` / ${ev.plover_mode}` : ''}` : '—'),
      h('dt', null, 'Goldstein'), h('dd', null, ev.goldstein == null ? '—' : ev.goldstein.toFixed(1)),
      h('dt', null, 'date'), h('dd', null, ev.date ? `${ev.date} (${ev.date_precision})` : 'undated'),
      h('dt', null, 'place'), h('dd', null, placeText(ev.location)),
      h('dt', null, 'modality'), h('dd', null, `${ev.modality}${ev.negated ? ', negated' : ''}`),
      ev.issues && ev.issues.length ? [h('dt', null, 'issues'), h('dd', null, ev.issues.join(', '))] : null,
      h('dt', null, 'reports'), h('dd', null,
        `${ev.num_mentions} mention${ev.num_mentions === 1 ? '' : 's'} in ${ev.num_articles} document${ev.num_articles === 1 ? '' : 's'} from ${ev.num_sources} source${ev.num_sources === 1 ? '' : 's'}`),
      h('dt', null, 'event id'), h('dd', { class: 'mono' }, ev.event_id)),
  ];
}

/**
 * createDetail(asideElement, {onClose(), onDocument(docId)}) → {
 *   loading(id), show(event), error(message), close(), isOpen() }
 */
export function createDetail(element, { onClose, onDocument }) {
  const body = element.querySelector('.detail-body');
  element.querySelector('.detail-close').addEventListener('click', () => onClose());

  function open() {
    element.hidden = false;
    element.parentElement.classList.add('with-detail');
  }

  return {
    loading(id) {
      open();
      element.dataset.state = 'loading';
      replace(body, h('p', { class: 'placeholder' }, `Loading event ${id}…`));
    },
    show(ev) {
      open();
      element.dataset.state = 'ready';
      element.dataset.eventId = ev.event_id;
      const mentions = ev.mentions || [];
      replace(body, summary(ev),
        h('h3', null, `Mentions (${mentions.length})`),
        h('ol', { class: 'mentions' }, mentions.map((m, i) => mentionCard(m, i, onDocument))),
        h('div', { class: 'role-legend', 'aria-label': 'highlight colours' },
          ROLE_ORDER.map((role) => h('span', { class: `role-tag hl-${role}` }, role))));
      body.scrollTop = 0;
    },
    error(message) {
      open();
      element.dataset.state = 'error';
      replace(body, h('p', { class: 'error-text', role: 'alert' }, message));
    },
    close() {
      element.hidden = true;
      element.parentElement.classList.remove('with-detail');
      delete element.dataset.eventId;
      replace(body);
    },
    isOpen: () => !element.hidden,
  };
}
