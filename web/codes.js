// web/codes.js — the event vocabularies the dashboard names and colours:
// quad classes (with the palette used by the map, timeline, list and legend),
// CAMEO roots, PLOVER types and modalities, as dict/cameo.tsv and
// docs/OUTPUT.md define them.

/**
 * Quad classes. Colours from the Okabe–Ito palette, which stays distinct
 * under the common colour-vision deficiencies: cooperation in blues,
 * conflict in oranges, light for verbal, dark for material.
 */
export const QUADS = [
  { key: '1', label: 'Verbal cooperation', short: 'V-coop', color: '#56B4E9' },
  { key: '2', label: 'Material cooperation', short: 'M-coop', color: '#0072B2' },
  { key: '3', label: 'Verbal conflict', short: 'V-conf', color: '#E69F00' },
  { key: '4', label: 'Material conflict', short: 'M-conf', color: '#D55E00' },
];

export const UNKNOWN_QUAD_COLOR = '#8a8f98';

export function quadOf(key) {
  return QUADS.find((q) => q.key === String(key)) || null;
}

export function quadColor(key) {
  const quad = quadOf(key);
  return quad ? quad.color : UNKNOWN_QUAD_COLOR;
}

/** CAMEO roots 01–20 (CAMEO codebook 1.1b3). */
export const CAMEO_ROOTS = [
  ['01', 'Make public statement'], ['02', 'Appeal'], ['03', 'Express intent to cooperate'],
  ['04', 'Consult'], ['05', 'Engage in diplomatic cooperation'],
  ['06', 'Engage in material cooperation'], ['07', 'Provide aid'], ['08', 'Yield'],
  ['09', 'Investigate'], ['10', 'Demand'], ['11', 'Disapprove'], ['12', 'Reject'],
  ['13', 'Threaten'], ['14', 'Protest'], ['15', 'Exhibit force posture'],
  ['16', 'Reduce relations'], ['17', 'Coerce'], ['18', 'Assault'], ['19', 'Fight'],
  ['20', 'Use unconventional mass violence'],
];

export function rootName(root) {
  const found = CAMEO_ROOTS.find(([code]) => code === root);
  return found ? found[1] : null;
}

/** PLOVER event types that dict/cameo.tsv maps CAMEO codes to. */
export const PLOVER_TYPES = [
  'ACCUSE', 'AGREE', 'AID', 'ASSAULT', 'COERCE', 'CONCEDE', 'CONSULT', 'COOPERATE',
  'MOBILIZE', 'PROTEST', 'REJECT', 'REQUEST', 'RETREAT', 'SANCTION', 'SUPPORT', 'THREATEN',
];

export const MODALITIES = ['asserted', 'reported', 'assessed', 'intended', 'hypothetical'];

/** "RUSMIL (Russian forces)" — an actor object of the API, or "—". */
export function actorLabel(actor) {
  if (!actor) return '—';
  const code = actor.code || actor.country || '?';
  return actor.name ? `${code} (${actor.name})` : code;
}

export function actorCode(actor) {
  return actor ? actor.code || actor.country || '?' : '—';
}
