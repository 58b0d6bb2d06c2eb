// web/dom.js — building DOM safely. Every string from the API (article text,
// titles, outlets, actor names) is untrusted: it only ever reaches the page as
// a text node or an attribute value set through the DOM, never as markup.

/**
 * h('li', {class: 'row', dataset: {id: 'x'}, onclick: fn}, 'text', child, [more])
 * Children may be strings (become text nodes), nodes, null/false (skipped)
 * or arrays of those. Attributes: `class`, `dataset`, `on*` functions,
 * boolean true/false (present/absent), anything else via setAttribute.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** An SVG element (same attribute rules as h, no event handlers). */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace all children of el with the given children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/**
 * A link only for http(s) URLs; anything else (javascript:, data:, relative
 * junk) is shown as plain text so a stored URL can never run script.
 */
export function safeLink(url, text, attrs = {}) {
  let parsed = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) {
    return h('a', { href: parsed.href, target: '_blank', rel: 'noopener noreferrer', ...attrs }, text ?? url);
  }
  return h('span', { class: 'unlinked', title: 'not an http(s) link' }, text ?? url);
}
