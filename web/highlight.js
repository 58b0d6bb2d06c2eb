// web/highlight.js — which words of a mention's sentence its `why` explains.
// The API gives each why item's `offset` in UTF-8 bytes of the document; the
// mention's `offset[0]` is where its sentence starts. JavaScript strings are
// indexed in UTF-16 code units, so byte positions are converted through the
// sentence's UTF-8 encoding (an "Ü" is 2 bytes but 1 unit, an emoji 4 bytes
// but 2 units). Pure functions, no DOM: the browser tests call them directly.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Roles in the order they win a word that several explain (most specific first). */
export const ROLE_ORDER = [
  'verb', 'negation', 'modality', 'source', 'target', 'place', 'date', 'attribution', 'issue',
];

/**
 * UTF-16 index in `text` of UTF-8 byte position `byte` of its encoding
 * `bytes`. A position inside a multi-byte character moves back to that
 * character's start; positions outside are clamped.
 */
export function byteToIndex(bytes, byte) {
  let b = Math.max(0, Math.min(bytes.length, Math.trunc(byte)));
  while (b > 0 && b < bytes.length && (bytes[b] & 0xc0) === 0x80) b -= 1;
  return decoder.decode(bytes.subarray(0, b)).length;
}

/**
 * Split `sentence` into runs [{text, roles}] by the why items that carry an
 * offset inside it; `roles` lists every role covering the run, in
 * ROLE_ORDER (empty for plain text). `sentenceStart` is the mention's
 * offset[0] (document bytes).
 */
export function segments(sentence, sentenceStart, why) {
  const bytes = encoder.encode(sentence);
  const spans = [];
  for (const item of why || []) {
    if (!item || !Array.isArray(item.offset) || item.offset.length !== 2) continue;
    const start = byteToIndex(bytes, item.offset[0] - sentenceStart);
    const end = byteToIndex(bytes, item.offset[1] - sentenceStart);
    if (end > start) spans.push({ start, end, role: String(item.role) });
  }
  const cuts = new Set([0, sentence.length]);
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const runs = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [from, to] = [points[i], points[i + 1]];
    const roles = [...new Set(spans.filter((s) => s.start <= from && s.end >= to).map((s) => s.role))];
    roles.sort((a, b) => rank(a) - rank(b));
    const last = runs[runs.length - 1];
    if (last && last.roles.join() === roles.join()) last.text += sentence.slice(from, to);
    else runs.push({ text: sentence.slice(from, to), roles });
  }
  return runs;
}

function rank(role) {
  const i = ROLE_ORDER.indexOf(role);
  return i < 0 ? ROLE_ORDER.length : i;
}
