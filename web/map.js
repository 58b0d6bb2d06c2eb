// web/map.js — the event map: Leaflet with no tile server. The base map is
// Natural Earth's country boundaries (world-atlas TopoJSON, converted with
// topojson-client) drawn as one GeoJSON layer; events are markers coloured by
// quad class and sized by num_sources, clustered by leaflet.markercluster with
// cluster icons that show their quad-class mix as a ring. Leaflet, its
// clustering plugin and topojson-client are classic scripts (globals L and
// topojson) loaded by index.html before the modules.

import { getAsset } from './client.js';
import { h, svg } from './dom.js';
import { QUADS, quadColor, quadOf, actorCode } from './codes.js';

const L = window.L;
const BASE_MAP = '/vendor/countries-50m.json';
const ANTARCTICA = '010'; // ISO 3166 numeric; left out: it only smears across Mercator's bottom

/**
 * Natural Earth cuts a few countries at the antimeridian (Fiji, Russia's
 * Chukotka); a ring with points at both -180 and 180 would be drawn by
 * Leaflet as a stroke across the whole world. Such rings get their western
 * longitudes moved east by 360°, so they are drawn in one piece past 180°.
 */
function unwrapRings(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates]
    : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      const lons = ring.map(([lon]) => lon);
      if (Math.max(...lons) - Math.min(...lons) <= 180) continue;
      for (const point of ring) if (point[0] < 0) point[0] += 360;
    }
  }
}

/** Marker diameter in px for an event reported by n outlets. */
function markerSize(n) {
  return 12 + 4 * Math.min(4, Math.log2(Math.max(1, n || 1)));
}

function markerTitle(p) {
  const place = p.location && p.location.name ? ` · ${p.location.name}` : '';
  const target = p.target ? ` → ${actorCode(p.target)}` : '';
  return `${p.date || 'undated'} · ${actorCode(p.source)}${target} · CAMEO ${p.cameo}${place}`;
}

function tooltipContent(p) {
  const quad = quadOf(p.quad_class);
  return h('div', { class: 'map-tip' },
    h('div', { class: 'map-tip-head' },
      h('span', { class: 'chip', style: `--chip:${quadColor(p.quad_class)}` }, quad ? quad.short : '?'),
      ` ${p.date || 'undated'} · ${actorCode(p.source)}${p.target ? ` → ${actorCode(p.target)}` : ''}`),
    h('div', { class: 'map-tip-sentence' }, p.sentence || ''),
    h('div', { class: 'map-tip-meta' },
      `${p.location && p.location.name ? p.location.name : ''} · ${p.num_sources} source${p.num_sources === 1 ? '' : 's'}`));
}

/** A ring of the quad classes of a cluster's events, with the count inside. */
function clusterIcon(cluster) {
  const counts = { 1: 0, 2: 0, 3: 0, 4: 0, other: 0 };
  const markers = cluster.getAllChildMarkers();
  for (const marker of markers) {
    const q = String(marker.options.quad);
    counts[q in counts ? q : 'other'] += 1;
  }
  const total = markers.length;
  const size = total < 10 ? 34 : total < 50 ? 40 : 48;
  const r = 15.9155; // circumference 100, so dash lengths are percentages
  let offset = 25;
  const arcs = [...QUADS.map((q) => [q.color, counts[q.key]]), [quadColor(null), counts.other]]
    .filter(([, n]) => n > 0)
    .map(([color, n]) => {
      const pct = (100 * n) / total;
      const arc = svg('circle', {
        cx: 21, cy: 21, r, fill: 'none', stroke: color, 'stroke-width': 6,
        'stroke-dasharray': `${pct} ${100 - pct}`, 'stroke-dashoffset': offset,
      });
      offset -= pct;
      return arc;
    });
  const ring = svg('svg', { viewBox: '0 0 42 42', width: size, height: size, 'aria-hidden': 'true' },
    svg('circle', { cx: 21, cy: 21, r: 18.5, fill: '#fff' }), arcs);
  const el = h('div', { class: 'ev-cluster-inner', dataset: { count: String(total) } },
    ring, h('span', { class: 'ev-cluster-count' }, String(total)));
  return L.divIcon({ html: el, className: 'ev-cluster', iconSize: [size, size] });
}

/**
 * createMap(element, {onSelect(eventId)}) → {
 *   setEvents(featureCollection), select(eventId|null), ready }
 */
export function createMap(element, { onSelect }) {
  const map = L.map(element, {
    center: [30, 20], zoom: 2, minZoom: 1, maxZoom: 11, worldCopyJump: false,
    maxBounds: [[-85, -200], [85, 200]], maxBoundsViscosity: 0.8,
    attributionControl: true, zoomSnap: 0.5,
  });
  map.attributionControl.setPrefix('Leaflet');
  map.attributionControl.addAttribution('Boundaries: Natural Earth');

  const clusters = L.markerClusterGroup({
    maxClusterRadius: 45,
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    iconCreateFunction: clusterIcon,
  });
  clusters.addTo(map);

  const markers = new Map();
  let selected = null;

  const ready = getAsset(BASE_MAP).then((topo) => {
    const countries = window.topojson.feature(topo, topo.objects.countries);
    countries.features = countries.features.filter((f) => f.id !== ANTARCTICA);
    for (const feature of countries.features) if (feature.geometry) unwrapRings(feature.geometry);
    L.geoJSON(countries, {
      interactive: false,
      style: { color: '#ffffff', weight: 0.8, fillColor: '#dfe3e8', fillOpacity: 1 },
    }).addTo(map);
  });

  function markerFor(feature) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const size = markerSize(p.num_sources);
    const dot = h('span', { class: 'ev-dot', style: `--dot:${quadColor(p.quad_class)}` });
    const marker = L.marker([lat, lon], {
      icon: L.divIcon({ html: dot, className: `ev-marker q${p.quad_class ?? 0}`, iconSize: [size, size] }),
      title: markerTitle(p),
      keyboard: true,
      riseOnHover: true,
      quad: p.quad_class,
      eventId: p.event_id,
    });
    marker.bindTooltip(tooltipContent(p), { direction: 'top', offset: [0, -size / 2], opacity: 1 });
    marker.on('click', () => onSelect(p.event_id));
    marker.on('add', () => {
      const el = marker.getElement();
      if (!el) return;
      el.dataset.eventId = p.event_id;
      el.classList.toggle('selected', p.event_id === selected);
    });
    return marker;
  }

  function setEvents(collection) {
    clusters.clearLayers();
    markers.clear();
    const list = [];
    for (const feature of collection.features || []) {
      if (!feature.geometry || feature.geometry.type !== 'Point') continue;
      const marker = markerFor(feature);
      markers.set(feature.properties.event_id, marker);
      list.push(marker);
    }
    clusters.addLayers(list);
    element.dataset.markers = String(list.length);
    if (list.length) {
      map.fitBounds(clusters.getBounds(), { padding: [30, 30], maxZoom: 7, animate: false });
    }
  }

  function select(eventId) {
    const previous = selected && markers.get(selected);
    if (previous && previous.getElement()) previous.getElement().classList.remove('selected');
    selected = eventId;
    const marker = eventId && markers.get(eventId);
    if (!marker) return;
    const mark = () => {
      const el = marker.getElement();
      if (el) el.classList.add('selected');
    };
    if (clusters.getVisibleParent(marker) === marker) mark();
    else clusters.zoomToShowLayer(marker, mark);
  }

  // The pane changes size when the detail drawer opens or closes.
  new ResizeObserver(() => map.invalidateSize()).observe(element);

  return { setEvents, select, ready };
}
