// tests/web/dashboard.test.mjs — browser tests of the dashboard (web/) against
// a real `sitrep serve`.
//
//   node tests/web/dashboard.test.mjs SITREP_BINARY SOURCE_DIR
//
// Stores the bundled examples plus a hostile document (markup in its text,
// title, outlet and URL; non-ASCII before the coded words) in a temporary
// SQLite store, serves it with `sitrep serve --web BUILD/web` on a free
// loopback port (BUILD is the binary's directory) and drives Debian's
// Chromium through playwright-core (no browser download). Checks the map,
// filters, timeline brushing, paging, the detail pane and its highlighting,
// the URL and history, keyboard use, error display, that the page is inert
// to the hostile text, logs no console errors and asks no other host.
// Screenshots go to BUILD/test-artifacts/web/. Exit 0 pass, 1 fail, 77 skip:
// Chromium or playwright-core missing and $CI unset (under CI a failure).

import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT = 15000;

const [binaryArg, sourceArg] = process.argv.slice(2);
if (!binaryArg || !sourceArg) {
  console.error('usage: node tests/web/dashboard.test.mjs SITREP_BINARY SOURCE_DIR');
  process.exit(1);
}
const binary = path.resolve(binaryArg);
const sourceDir = path.resolve(sourceArg);
const buildDir = path.dirname(binary);
const webDir = path.join(buildDir, 'web');
const artifacts = path.join(buildDir, 'test-artifacts', 'web');
const underCi = Boolean(process.env.CI) && !['0', 'false', 'no'].includes(process.env.CI.toLowerCase());

// ---- prerequisites: skip (77) without a browser, unless under CI ----

function unavailable(what) {
  if (underCi) {
    console.error(`FAIL: ${what} (required when CI is set)`);
    process.exit(1);
  }
  console.log(`SKIP: ${what}`);
  process.exit(77);
}

if (!fs.existsSync(CHROMIUM)) unavailable(`${CHROMIUM} not found (apt-get install chromium)`);
let chromium;
try {
  ({ chromium } = createRequire(path.join(sourceDir, 'package.json'))('playwright-core'));
} catch {
  unavailable(`playwright-core not installed in ${sourceDir}/node_modules (run npm ci)`);
}
for (const file of ['index.html', 'app.js', 'vendor/leaflet.js', 'vendor/uPlot.iife.min.js', 'vendor/countries-50m.json']) {
  if (!fs.existsSync(path.join(webDir, file))) {
    console.error(`FAIL: ${path.join(webDir, file)} missing: build the "web" target after npm ci`);
    process.exit(1);
  }
}

// ---- the temporary store and the server; both go away on any exit ----

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-web-'));
const db = path.join(tmp, 'test.db');
const serverLog = path.join(tmp, 'server.log');
let server = null;

process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(1));

function fatal(message) {
  console.error(`FAIL: ${message}`);
  if (fs.existsSync(serverLog)) console.error(`server log:\n${fs.readFileSync(serverLog, 'utf8')}`);
  process.exit(1);
}

function sitrep(...args) {
  const run = spawnSync(binary, args, { encoding: 'utf8' });
  if (run.status !== 0) fatal(`sitrep ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

// The hostile document: a sentence that codes to an event (Russian forces →
// Ukraine, shelling, at Kharkiv) with live-looking markup around it, and
// "Über" first so the highlighted words sit after a 2-byte character.
const XSS_IMG = '<img src=x onerror=alert(1)>';
const XSS_SCRIPT = '<script>window.__xss=1</script>';
const XSS_DOC = {
  id: 'xss-probe',
  published: '2025-05-05',
  source: '<b>Probe</b> Wire',
  url: 'javascript:alert(1)',
  title: `Strikes ${XSS_SCRIPT} and ${XSS_IMG}`,
  text: `Über Nacht: Russian forces shelled Kharkiv on Monday ${XSS_IMG} ${XSS_SCRIPT}, the regional governor of Kharkiv Oblast said.`,
};
fs.writeFileSync(path.join(tmp, 'xss.jsonl'), `${JSON.stringify(XSS_DOC)}\n`);
sitrep('ingest', '--db', db, path.join(sourceDir, 'examples'));
sitrep('ingest', '--db', db, path.join(tmp, 'xss.jsonl'));

const port = await new Promise((resolve, reject) => {
  const probe = net.createServer();
  probe.once('error', reject);
  probe.listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
const base = `http://127.0.0.1:${port}`;
const logFd = fs.openSync(serverLog, 'w');
server = spawn(binary, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web', webDir],
  { stdio: ['ignore', logFd, logFd] });

async function api(pathAndQuery) {
  const response = await fetch(`${base}${pathAndQuery}`);
  const body = await response.json();
  if (!response.ok) throw new Error(`${pathAndQuery}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body;
}

{
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) fatal(`sitrep serve exited (${server.exitCode ?? server.signalCode})`);
    try {
      if ((await api('/api/health')).status === 'ok') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) fatal(`sitrep serve did not answer ${base}/api/health within ${TIMEOUT} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---- checks ----

// Screenshots of this run only: a failed-*.png left from an earlier run would mislead.
fs.mkdirSync(artifacts, { recursive: true });
for (const old of fs.readdirSync(artifacts)) if (old.endsWith('.png')) fs.rmSync(path.join(artifacts, old));
let passed = 0;
let failed = 0;

class Failure extends Error {}
function expect(condition, message) {
  if (!condition) throw new Failure(message);
}
function equal(actual, wanted, what) {
  expect(JSON.stringify(actual) === JSON.stringify(wanted),
    `${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(TIMEOUT);

// Everything the page does is watched for the whole run.
const consoleErrors = [];
const foreignRequests = [];
const dialogs = [];
page.on('console', (msg) => {
  if (msg.type() === 'error') consoleErrors.push(`${msg.text()} (${msg.location().url || 'page'})`);
});
page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
page.on('dialog', (dialog) => {
  dialogs.push(`${dialog.type()}: ${dialog.message()}`);
  dialog.dismiss().catch(() => {});
});
context.on('request', (request) => {
  const url = request.url();
  if (!url.startsWith(`${base}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
});

async function check(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`not ok - ${name}\n    ${err instanceof Failure ? err.message : err.stack}`);
    await page.screenshot({ path: path.join(artifacts, `failed-${name.replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => {});
  }
}

const shot = (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`) });

/**
 * Wait until no API request is in flight (html[data-busy]) for two frames
 * and the map has finished zooming and splitting or merging clusters (while
 * it animates, clusters of both zoom levels are in the page).
 */
async function settle() {
  for (let i = 0; i < 2; i += 1) {
    await page.waitForFunction(() => document.documentElement.dataset.busy === '0'
      && !document.querySelector('#map .leaflet-cluster-anim, #map .leaflet-zoom-anim'));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
}

async function open(query = '') {
  await page.goto(`${base}/${query}`);
  // client.js marks <html data-busy> as soon as it runs; without it a script failed to load.
  await page.waitForFunction(() => 'busy' in document.documentElement.dataset, null, { timeout: 5000 })
    .catch(() => { throw new Failure(`the dashboard's scripts did not start on ${page.url()}`); });
  await settle();
}

const rowIds = () => page.$$eval('#event-list .ev-row', (rows) => rows.map((r) => r.dataset.id));
const urlParams = () => Object.fromEntries(new URL(page.url()).searchParams);

/** Markers on the map: events in cluster icons plus single markers. */
const mapMarkers = () => page.evaluate(() => {
  const inClusters = [...document.querySelectorAll('#map .ev-cluster-inner')]
    .reduce((sum, el) => sum + Number(el.dataset.count), 0);
  const singles = document.querySelectorAll('#map .ev-marker').length;
  return { shown: inClusters + singles, layer: Number(document.querySelector('#map').dataset.markers) };
});

const qs = (filters) => new URLSearchParams(filters).toString();
const firstPage = async (filters) => (await api(`/api/events?${qs({ ...filters, limit: 100 })}`)).events;
const located = async (filters) => (await api(`/api/events?${qs({ ...filters, format: 'geojson', limit: 1000 })}`)).features;

/** How many events match: the sum of GET /api/stats?by=quad. */
const count = async (filters) => (await api(`/api/stats?${qs({ ...filters, by: 'quad' })}`)).counts
  .reduce((sum, c) => sum + c.count, 0);

const all = await firstPage({});
const allLocated = await located({});

await check('the page loads its own scripts and shows the newest events', async () => {
  await open();
  expect(await page.evaluate(() => typeof window.L === 'object' && typeof window.uPlot === 'function'),
    'Leaflet or uPlot did not load from /vendor/');
  const ids = await rowIds();
  expect(all.length > 0, 'the API lists no events for the examples');
  equal(ids, all.map((e) => e.event_id), 'list rows vs GET /api/events?limit=100');
  equal(await page.textContent('#count'), `${(await count({})).toLocaleString('en')} events`, 'event count');
  expect(await page.locator('#banner').isHidden(), `an error banner is shown: ${await page.textContent('#banner')}`);
  const health = await api('/api/health');
  expect((await page.textContent('#health')).includes(health.backend), 'the header does not show the store backend');
  await shot('overview');
});

await check('the map shows a marker for every located event', async () => {
  expect(allLocated.length > 0, 'the API has no located events for the examples');
  const markers = await mapMarkers();
  equal(markers.layer, allLocated.length, 'markers on the map layer vs GeoJSON features');
  equal(markers.shown, allLocated.length, 'markers drawn (clusters counted by size) vs GeoJSON features');
  expect(await page.locator('#map .leaflet-overlay-pane path').count() > 100, 'no country boundaries drawn');
});

await check('the timeline draws the days that have events', async () => {
  const timeline = await api('/api/timeline?bucket=day');
  expect(timeline.buckets.length > 0, 'GET /api/timeline has no buckets');
  expect(await page.locator('#timeline canvas').count() === 1, 'no uPlot canvas');
  const days = (Date.parse(timeline.buckets.at(-1)) - Date.parse(timeline.buckets[0])) / 864e5 + 1;
  equal(Number(await page.getAttribute('#timeline', 'data-buckets')), Math.max(7, days), 'days on the chart');
});

await check('"More events" pages with the next cursor', async () => {
  const first = await api('/api/events?limit=100');
  expect(first.next, 'the examples should fill more than one page of 100');
  const second = await api(`/api/events?limit=100&after=${encodeURIComponent(first.next)}`);
  await page.click('#more');
  await settle();
  const ids = await rowIds();
  equal(ids.length, 100 + second.events.length, 'rows after one "More"');
  equal(ids.slice(100), second.events.map((e) => e.event_id), 'rows of the second page');
});

let filteredIds = [];
await check('an actor filter narrows the list and the map and goes into the URL', async () => {
  await page.fill('input[name="actor"]', 'RUS');
  await page.press('input[name="actor"]', 'Enter');
  await settle();
  equal(urlParams().actor, 'RUS', 'actor in the URL');
  const wanted = await firstPage({ actor: 'RUS' });
  const wantedLocated = await located({ actor: 'RUS' });
  filteredIds = await rowIds();
  equal(filteredIds, wanted.map((e) => e.event_id), 'rows vs GET /api/events?actor=RUS');
  expect(wantedLocated.length > 0 && wantedLocated.length < allLocated.length,
    `actor=RUS should keep some but not all located events (${wantedLocated.length} of ${allLocated.length})`);
  equal((await mapMarkers()).shown, wantedLocated.length, 'markers for actor=RUS');
});

await check('a CAMEO root narrows further; every row has that root', async () => {
  await page.selectOption('select[name="type"]', 'cameo:19');
  await settle();
  equal(urlParams().cameo, '19', 'cameo in the URL');
  const wanted = await firstPage({ actor: 'RUS', cameo: '19' });
  filteredIds = await rowIds();
  equal(filteredIds, wanted.map((e) => e.event_id), 'rows vs GET /api/events?actor=RUS&cameo=19');
  const codes = await page.$$eval('#event-list .ev-cameo', (els) => els.map((e) => e.textContent));
  expect(codes.length > 0 && codes.every((c) => c.startsWith('19')), `CAMEO codes not all 19x: ${codes.join(' ')}`);
  equal((await mapMarkers()).shown, (await located({ actor: 'RUS', cameo: '19' })).length, 'markers for actor=RUS&cameo=19');
  await shot('filtered');
});

await check('reloading the URL restores the filters and the list', async () => {
  await page.reload();
  await settle();
  equal(await page.inputValue('input[name="actor"]'), 'RUS', 'actor input after reload');
  equal(await page.inputValue('select[name="type"]'), 'cameo:19', 'type menu after reload');
  equal(await rowIds(), filteredIds, 'rows after reload');
});

await check('back and forward step through filter changes', async () => {
  await page.goBack();
  await settle();
  equal(urlParams(), { actor: 'RUS' }, 'URL after back');
  equal(await page.inputValue('select[name="type"]'), '', 'type menu after back');
  equal(await rowIds(), (await firstPage({ actor: 'RUS' })).map((e) => e.event_id), 'rows after back');
  await page.goForward();
  await settle();
  equal(urlParams(), { actor: 'RUS', cameo: '19' }, 'URL after forward');
  equal(await rowIds(), filteredIds, 'rows after forward');
});

await check('brushing the timeline sets since/until and filters the list', async () => {
  await open();
  const box = await page.locator('#timeline .u-over').boundingBox();
  expect(box && box.width > 100, 'timeline plot area not found');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, y, { steps: 8 });
  await page.mouse.move(box.x + box.width * 0.8, y, { steps: 8 });
  await page.mouse.up();
  await settle();
  const { since, until } = urlParams();
  expect(/^\d{4}-\d{2}-\d{2}$/.test(since || '') && /^\d{4}-\d{2}-\d{2}$/.test(until || ''),
    `since/until not in the URL: ${page.url()}`);
  expect(since < until, `since ${since} should be before until ${until}`);
  equal([await page.inputValue('input[name="since"]'), await page.inputValue('input[name="until"]')],
    [since, until], 'date inputs');
  const wanted = await firstPage({ since, until });
  const ids = await rowIds();
  equal(ids, wanted.map((e) => e.event_id), `rows vs GET /api/events?since=${since}&until=${until}`);
  const inRange = await count({ since, until });
  expect(inRange > 0 && inRange < await count({}), `the brushed range should hold some, not all, events (${inRange})`);
  const dates = await page.$$eval('#event-list .ev-date', (els) => els.map((e) => e.getAttribute('datetime')));
  expect(dates.every((d) => d >= since && d <= until), `rows outside ${since}..${until}: ${dates.join(' ')}`);
  equal((await mapMarkers()).shown, (await located({ since, until })).length, 'markers in the brushed range');
  await shot('brushed');
});

/** The words of `why` items of a role, cut from the sentence by byte offsets. */
function whyWords(mention, role) {
  const bytes = Buffer.from(mention.sentence, 'utf8');
  return mention.why.filter((w) => w.role === role && Array.isArray(w.offset))
    .map((w) => bytes.subarray(w.offset[0] - mention.offset[0], w.offset[1] - mention.offset[0]).toString('utf8'));
}

await check('clicking an event shows its sentence with the coded words highlighted', async () => {
  await open();
  const id = all[0].event_id;
  await page.click(`#event-list .ev-row[data-id="${id}"]`);
  await settle();
  await page.waitForSelector('#detail[data-state="ready"]');
  const event = await api(`/api/events/${id}`);
  equal(await page.getAttribute('#detail', 'data-event-id'), id, 'event in the detail pane');
  equal(urlParams().event, id, 'event in the URL');
  equal(await page.getAttribute(`#event-list .ev-row[data-id="${id}"]`, 'aria-pressed'), 'true', 'row marked as selected');
  const sentences = await page.$$eval('#detail .mention .sentence', (els) => els.map((e) => e.textContent));
  equal(sentences, event.mentions.map((m) => m.sentence), 'highlighted sentences vs the mentions');
  const verbs = await page.$$eval('#detail .mention:first-child mark.hl-verb', (els) => els.map((e) => e.textContent));
  const wantedVerb = whyWords(event.mentions[0], 'verb');
  expect(wantedVerb.length > 0, 'the event has no verb in its why');
  equal(verbs.join(' '), wantedVerb.join(' '), 'highlighted verb');
  const whyRows = await page.locator('#detail .mention:first-child table.why tbody tr').count();
  equal(whyRows, event.mentions[0].why.length, 'rows of the why table');
  await shot('detail');
  await page.reload();
  await settle();
  await page.waitForSelector('#detail[data-state="ready"]');
  equal(await page.getAttribute('#detail', 'data-event-id'), id, 'event reopened after reload');
});

await check('the list and the drawer work from the keyboard', async () => {
  await open();
  await page.focus('#event-list .ev-row');
  await page.keyboard.press('ArrowDown');
  const second = await page.evaluate(() => document.activeElement.dataset.id);
  equal(second, all[1].event_id, 'focus after ArrowDown');
  await page.keyboard.press('Enter');
  await settle();
  await page.waitForSelector('#detail[data-state="ready"]');
  equal(await page.getAttribute('#detail', 'data-event-id'), second, 'event opened with Enter');
  await page.keyboard.press('Escape');
  expect(await page.locator('#detail').isHidden(), 'Escape did not close the detail pane');
  expect(!('event' in urlParams()), 'event still in the URL after closing');
});

await check('markup in article text is shown as text, never run', async () => {
  await open(`?doc=${XSS_DOC.id}`);
  const features = await located({ doc: XSS_DOC.id });
  equal(features.length, 1, 'located events of the hostile document');
  await page.click('#map .ev-marker');
  await settle();
  await page.waitForSelector('#detail[data-state="ready"]');
  equal(await page.getAttribute('#detail', 'data-event-id'), features[0].properties.event_id, 'event opened from its marker');
  const sentence = await page.textContent('#detail .mention .sentence');
  expect(sentence.includes(XSS_IMG), `the sentence does not show ${XSS_IMG} literally: ${sentence}`);
  const title = await page.textContent('#detail .mention-title');
  expect(title.includes(XSS_SCRIPT) && title.includes(XSS_IMG), `the title is not shown literally: ${title}`);
  equal(await page.textContent('#detail .mention-outlet'), XSS_DOC.source, 'outlet');
  equal(await page.locator('#detail a[href^="javascript:"]').count(), 0, 'javascript: links');
  await page.hover('#map .ev-marker');
  await page.waitForSelector('.leaflet-tooltip .map-tip');
  expect((await page.textContent('.leaflet-tooltip')).includes(XSS_IMG), 'the map tooltip does not show the markup as text');
  const state = await page.evaluate(() => ({
    xss: typeof window.__xss,
    imgs: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.scripts].filter((s) => s.textContent.includes('__xss')).length,
  }));
  equal(state, { xss: 'undefined', imgs: 0, scripts: 0 }, 'window.__xss, <img src=x>, injected scripts');
  equal(dialogs, [], 'dialogs opened');
  // "Über" is 2 bytes in UTF-8: the highlights start one character early if
  // byte offsets were used as string indexes.
  const marks = await page.$$eval('#detail .mention .sentence mark', (els) => els.map((e) => [e.className, e.textContent]));
  const verb = marks.filter(([cls]) => cls.includes('hl-verb')).map(([, text]) => text);
  equal(verb, ['shelled'], 'highlighted verb after a non-ASCII letter');
  expect(marks.some(([cls, text]) => cls.includes('hl-source') && text === 'Russian forces'),
    `source words not highlighted exactly: ${JSON.stringify(marks)}`);
  expect(marks.some(([cls, text]) => cls.includes('hl-place') && text === 'Kharkiv'),
    `place not highlighted exactly: ${JSON.stringify(marks)}`);
  await shot('xss');
});

await check('byte offsets map to the right characters for 2-, 3- and 4-byte text', async () => {
  const runs = await page.evaluate(async () => {
    const { segments } = await import('/highlight.js');
    // "Ü" 2 bytes, "—" 3, "🙂" 4 (two UTF-16 units): "Kyiv" is bytes 10..14.
    return segments('Ü—🙂 Kyiv!', 100, [{ role: 'place', offset: [110, 114] }, { role: 'verb', offset: [100, 102] }]);
  });
  equal(runs, [
    { text: 'Ü', roles: ['verb'] }, { text: '—🙂 ', roles: [] }, { text: 'Kyiv', roles: ['place'] }, { text: '!', roles: [] },
  ], 'segments');
});

await check('API errors are shown with the server\'s message', async () => {
  // A page of its own: the browser logs the 400s as console errors, expected here.
  const errorPage = await context.newPage();
  await errorPage.goto(`${base}/?since=2025-02-30`);
  await errorPage.waitForFunction(() => document.documentElement.dataset.busy === '0');
  const banner = errorPage.locator('#banner');
  await banner.waitFor({ state: 'visible' });
  const text = await banner.textContent();
  const wanted = await fetch(`${base}/api/events?since=2025-02-30`).then((r) => r.json());
  expect(wanted.status === 400 && text.includes(wanted.error), `banner "${text}" lacks the API's error "${wanted.error}"`);
  equal(await errorPage.getAttribute('#list-pane', 'data-state'), 'error', 'list state');
  await errorPage.screenshot({ path: path.join(artifacts, 'error.png') });
  await errorPage.close();
});

await check('filters with no match show empty states', async () => {
  await open('?q=zzzxqvnothingmatches');
  equal(await page.getAttribute('#list-pane', 'data-state'), 'empty', 'list state');
  expect((await page.textContent('#list-pane .pane-note')).includes('No events'), 'no empty-list message');
  equal((await mapMarkers()).shown, 0, 'markers');
});

await check('the OpenAPI description is served and names every endpoint', async () => {
  const spec = await api('/api/openapi.json');
  expect(/^3\.0\.\d+$/.test(spec.openapi || ''), `openapi version ${spec.openapi}`);
  for (const p of ['/api/health', '/api/events', '/api/events/{id}', '/api/timeline', '/api/stats',
    '/api/actors', '/api/places', '/api/documents', '/api/openapi.json']) {
    expect(spec.paths && spec.paths[p], `no path ${p}`);
  }
});

await check('no console errors, dialogs or requests to other hosts', async () => {
  equal(consoleErrors, [], 'console errors');
  equal(dialogs, [], 'dialogs');
  equal(foreignRequests, [], 'requests to other hosts');
});

await browser.close();

// A clean stop: SIGTERM, then the server must be gone within 5 s.
server.kill('SIGTERM');
const stopped = await Promise.race([
  new Promise((resolve) => server.once('exit', () => resolve(true))),
  new Promise((resolve) => setTimeout(() => resolve(false), 5000)),
]);
if (!stopped) console.log('note: sitrep serve ignored SIGTERM for 5 s; killed');

console.log(`screenshots: ${artifacts}`);
console.log(`${passed} passed, ${failed} failed`);
if (failed) console.error(`server log:\n${fs.readFileSync(serverLog, 'utf8').slice(-4000)}`);
process.exit(failed ? 1 : 0);
