// web/timeline.js — events per day (or week) as bars stacked by quad class,
// drawn with uPlot (global uPlot, loaded by index.html). Dragging across the
// chart brushes a date range: the chart reports it (onBrush(since, until))
// and draws the range it is given back as a shaded band, so the chart keeps
// showing the whole period around the selection.

import { QUADS } from './codes.js';

const uPlot = window.uPlot;
const DAY = 86400;

const isoDay = (t) => new Date(t * 1000).toISOString().slice(0, 10);
const toTime = (iso) => Date.parse(`${iso}T00:00:00Z`) / 1000;

const MIN_BUCKETS = 7; // a short series is widened with empty buckets, so bars keep a sane width

/**
 * Columnar /api/timeline answer → continuous buckets (empty days or weeks
 * filled with zeros, at least MIN_BUCKETS) {times, raw: {quad: counts}, step}.
 */
function fill(timeline) {
  const step = timeline.bucket === 'week' ? 7 * DAY : DAY;
  const times = [];
  const raw = Object.fromEntries(QUADS.map((q) => [q.key, []]));
  if (!timeline.buckets.length) return { times, raw, step };
  const index = new Map(timeline.buckets.map((b, i) => [toTime(b), i]));
  const last = toTime(timeline.buckets[timeline.buckets.length - 1]);
  for (let t = toTime(timeline.buckets[0]); t <= last; t += step) {
    times.push(t);
    const i = index.get(t);
    for (const q of QUADS) {
      const counts = timeline.counts[q.key];
      raw[q.key].push(i === undefined || !counts ? 0 : counts[i] || 0);
    }
  }
  while (times.length < MIN_BUCKETS) {
    const before = times.length % 2 === 1;
    if (before) times.unshift(times[0] - step);
    else times.push(times[times.length - 1] + step);
    for (const q of QUADS) raw[q.key][before ? 'unshift' : 'push'](0);
  }
  return { times, raw, step };
}

/**
 * createTimeline(element, {onBrush(since, until)}) → {
 *   setData(timeline, {since, until}), setRange({since, until}) }
 */
export function createTimeline(element, { onBrush }) {
  let plot = null;
  let data = null;
  let range = {};

  // Stacked bars: series k is drawn as the sum of quads k..4, largest first,
  // so each later (shorter) bar paints its own colour over the one behind.
  // Material conflict sits at the bottom.
  function stacked() {
    const sums = [];
    let running = data.times.map(() => 0);
    for (const q of [...QUADS].reverse()) {
      running = running.map((v, i) => v + data.raw[q.key][i]);
      sums.unshift(running);
    }
    return [data.times, ...sums];
  }

  function shadeRange(u) {
    if (!data || !data.times.length || (!range.since && !range.until)) return;
    const half = data.step / 2;
    const from = range.since ? toTime(range.since) - half : u.scales.x.min;
    const to = range.until ? toTime(range.until) + half - (data.step - DAY) : u.scales.x.max;
    const left = Math.max(u.bbox.left, u.valToPos(from, 'x', true));
    const right = Math.min(u.bbox.left + u.bbox.width, u.valToPos(to, 'x', true));
    if (right <= left) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = 'rgba(35, 99, 235, 0.10)';
    ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
    ctx.strokeStyle = 'rgba(35, 99, 235, 0.55)';
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    ctx.strokeRect(left, u.bbox.top, right - left, u.bbox.height);
    ctx.restore();
  }

  function brushed(u) {
    const { left, width } = u.select;
    if (width < 3 || !data.times.length) return;
    const first = data.times[0];
    const last = data.times.length - 1;
    const bucketAt = (px) => {
      const i = Math.round((u.posToVal(px, 'x') - first) / data.step);
      return Math.max(0, Math.min(last, i));
    };
    const since = data.times[bucketAt(left)];
    const until = data.times[bucketAt(left + width)] + data.step - DAY;
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    onBrush(isoDay(since), isoDay(until));
  }

  function options(width, height) {
    const bars = uPlot.paths.bars({ size: [0.85, 28], gap: 1 });
    return {
      width,
      height,
      padding: [8, 12, 0, 4],
      cursor: { y: false, drag: { x: true, y: false, setScale: false }, points: { show: false } },
      select: { show: true },
      legend: { show: true, live: true },
      scales: {
        x: { time: true, range: (u, min, max) => [min - data.step / 2, max + data.step / 2] },
        y: { range: (u, min, max) => [0, Math.max(1, max) * 1.08] },
      },
      axes: [
        { stroke: '#59606b', grid: { show: false }, ticks: { stroke: '#c9ced6' } },
        { stroke: '#59606b', size: 36, grid: { stroke: '#eceff3' }, ticks: { show: false } },
      ],
      series: [
        { label: 'Date', value: (u, t) => (t == null ? '—' : isoDay(t)) },
        ...QUADS.map((q) => ({
          label: q.short,
          fill: q.color,
          stroke: q.color,
          width: 0,
          paths: bars,
          points: { show: false },
          value: (u, v, si, i) => (i == null ? '—' : String(data.raw[q.key][i])),
        })),
      ],
      hooks: { drawClear: [shadeRange], setSelect: [brushed] },
    };
  }

  // The legend (hover read-out) is one 22px line under the plot (app.css).
  function size() {
    const box = element.getBoundingClientRect();
    return { width: Math.max(200, Math.floor(box.width)), height: Math.max(60, Math.floor(box.height) - 24) };
  }

  new ResizeObserver(() => {
    if (plot) plot.setSize(size());
  }).observe(element);

  function setData(timeline, selection) {
    data = fill(timeline);
    range = selection || {};
    element.dataset.buckets = String(data.times.length);
    element.dataset.bucket = timeline.bucket;
    if (plot) plot.destroy();
    plot = null;
    if (!data.times.length) return;
    const { width, height } = size();
    plot = new uPlot(options(width, height), stacked(), element);
  }

  function setRange(selection) {
    range = selection || {};
    if (plot) plot.redraw(false);
  }

  return { setData, setRange };
}
