// The map viewer in a real browser (Debian's Chromium, headless) against a real kvarter, on the
// real city (geodata/copenhagen.json, the server's default: real-city.mjs) and on the bundled
// sample (below: what the sample alone has, e.g. its synthetic indicators, a proposal store with
// the sample's token, a config without analyses).
// Usage: node tests/web/viewer.test.mjs path/to/kvarter   (ctest passes the built binary)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sampleToken, sampleConfig } from './server.mjs';
import { launch, openPage, waitForReady, waitForIdle, screenshot, canvasColour, pagePoint } from './browser.mjs';
import { apiOf, binary, blend, bboxCentre, close, daNumber, hash, hex, lowContrast, pointOutside, renderedIds } from './helpers.mjs';
import { realCitySuite } from './real-city.mjs';

let server;
let chrome;
let api;
const lookup = (lon, lat) => api(`/lookup?lon=${lon}&lat=${lat}`);

realCitySuite(binary);

// A housing department whose outside-labour-force share differs between the first and last year,
// with a centre that lies inside it (checked with /lookup).
async function knownDepartment() {
  const collection = await api('/collections/housing-departments');
  const years = collection['kvarter:years'];
  const [first, last] = [years[0], years[years.length - 1]];
  const page = await api(`/collections/housing-departments/items?limit=40&year=${last}`);
  for (const f of page.features) {
    const centre = bboxCentre(f.geometry);
    const inside = (await lookup(centre[0], centre[1])).layers['housing-departments'].features;
    if (inside.length !== 1 || inside[0].id !== f.id) continue;
    const earlier = await api(`/collections/housing-departments/items/${f.id}?year=${first}`);
    const a = earlier.properties.outside_labour_force_share, b = f.properties.outside_labour_force_share;
    if (typeof a === 'number' && typeof b === 'number' && a !== b)
      return { id: f.id, name: f.properties.navn, centre, first, last, valueFirst: a, valueLast: b };
  }
  throw new Error('no housing department fits the test');
}

describe('map viewer on the bundled sample', { concurrency: 1 }, () => {
  before(async () => {
    server = await startServer(binary, { config: sampleConfig });
    api = apiOf(server);
    chrome = await launch();
  });
  after(async () => {
    await chrome?.close();
    await server?.stop();
  });

  it('is where a browser lands at /, loads with no console errors or failed requests, and draws tiles', async () => {
    const { page, problems, tiles, requests } = await openPage(chrome.context);
    await page.goto(`${server.base}/`); // Chromium asks for text/html: 302 to /map/
    assert.equal(new URL(page.url()).pathname, '/map/');
    await waitForReady(page);
    await screenshot(page, 'loaded');
    assert.deepEqual(problems, []);
    // Nothing from elsewhere (no CDN): every request goes to this server (or is inline data).
    const elsewhere = requests.filter((u) => !u.startsWith(`${server.base}/`) && !/^(data|blob):/.test(u));
    assert.deepEqual(elsewhere, []);
    assert.ok(tiles.length > 0, 'no tile was requested');
    assert.ok(tiles.some((t) => t.status === 200), 'no tile answered 200');
    assert.ok(tiles.every((t) => new URL(t.url).searchParams.get('year')), 'tiles are asked for without ?year=');
    // Every indicator of the sample is synthetic: one note for the page says so, and each
    // indicator in the picker says it too.
    assert.ok(await page.isVisible('#synthetic'));
    assert.match(await page.textContent('#synthetic'), /syntetiske/);
    const options = await page.$$eval('#indicator option', (os) => os.map((o) => o.textContent));
    assert.ok(options.length > 0 && options.every((o) => o.endsWith(' · syntetisk')), `picker: ${options}`);
    assert.equal(await page.textContent('#indicator-provenance .badge'), 'syntetisk');
    // The viewer names no developer's folders (the about text is the config's own description).
    const text = await page.evaluate(() => { const b = document.body.cloneNode(true); b.querySelector('#about').remove(); return b.textContent; });
    assert.doesNotMatch(text, /geodata\/|\.py\b|\/work\//);
    await page.close();
  });

  it('shows the deprived-area highlight where a deprived area is, and not once it is switched off', async () => {
    const at = [12.542, 55.699]; // inside the Nørrebro deprived area (README's lookup example)
    assert.equal((await lookup(...at)).layers['deprived-areas'].features.length, 1);
    // The colours the style asks for: its background, and the deprived areas' fill and opacity.
    const style = await api('/styles/default.json');
    const paint = (id) => style.layers.find((l) => l.id === id).paint;
    const background = hex(paint('background')['background-color']);
    const fill = paint('deprived-areas-fill');
    assert.equal(typeof fill['fill-color'], 'string', 'the test expects one fill colour for deprived areas');
    const expected = blend(background, hex(fill['fill-color']), fill['fill-opacity'] ?? 1);

    const { page, problems } = await openPage(chrome.context);
    await page.goto(`${server.base}/map/${hash({ map: `14/${at[1]}/${at[0]}`, layers: 'deprived-areas' })}`);
    await waitForReady(page);
    await screenshot(page, 'deprived-on');
    const p = await pagePoint(page, at);
    const highlighted = await canvasColour(page, p.canvasX, p.canvasY);
    assert.ok(close(highlighted, expected), `at the deprived area ${highlighted}, expected about ${expected.map(Math.round)}`);
    assert.ok(!close(highlighted, background), 'the highlight cannot be told from the background');

    // A point in view that is in no deprived area shows the bare background.
    const outside = await pointOutside(page, 'deprived-areas', lookup);
    assert.ok(outside, 'no point outside the deprived areas in view');
    const bare = await canvasColour(page, ...outside);
    assert.ok(close(bare, background), `outside a deprived area ${bare}, expected the background ${background}`);

    await page.uncheck('#legend input[data-group="deprived-areas"]');
    await waitForIdle(page);
    await screenshot(page, 'deprived-off');
    const off = await canvasColour(page, p.canvasX, p.canvasY);
    assert.ok(close(off, background), `switched off, the deprived area still draws ${off}`);
    assert.match(await page.evaluate(() => location.hash), /layers=(&|$)/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('opens the panel of a clicked housing department, and changing the year changes its values', async () => {
    const dep = await knownDepartment();
    const { page, problems } = await openPage(chrome.context);
    await page.goto(`${server.base}/map/${hash({ map: `16/${dep.centre[1]}/${dep.centre[0]}` })}`);
    await waitForReady(page);
    const p = await pagePoint(page, dep.centre);
    await page.mouse.click(p.x, p.y);
    await page.waitForSelector('#feature-panel:not([hidden]) [data-indicator="outside_labour_force_share"]');
    assert.equal(await page.textContent('#feature-title'), dep.name);
    const value = () => page.textContent('#feature-panel [data-indicator="outside_labour_force_share"] .value');
    assert.equal(await value(), `${daNumber(dep.valueLast)} %`);
    assert.ok((await page.$$('#feature-panel svg.chart circle.point')).length >= 2, 'the chart has no points');
    await screenshot(page, 'department-panel');

    await page.selectOption('#year', String(dep.first));
    await page.waitForFunction((want) => document.querySelector('#feature-panel [data-indicator="outside_labour_force_share"] .value')?.textContent === want,
      `${daNumber(dep.valueFirst)} %`, { timeout: 20000 });
    assert.match(await page.evaluate(() => location.hash), new RegExp(`year=${dep.first}`));
    assert.match(await page.evaluate(() => location.hash), new RegExp(`selected=housing-departments/${dep.id}`));
    await waitForIdle(page);
    await screenshot(page, 'department-panel-earlier-year');

    // Another indicator recolours the department and retitles the legend.
    const before = await canvasColour(page, p.canvasX, p.canvasY);
    await page.selectOption('#indicator', 'employment_rate');
    await page.waitForFunction(() => /Beskæftigelsesfrekvens/.test(document.querySelector('#legend').textContent));
    await waitForIdle(page);
    const after = await canvasColour(page, p.canvasX, p.canvasY);
    assert.ok(!close(before, after, 2), `the department is drawn ${after} for both indicators`);
    assert.match(await page.evaluate(() => location.hash), /indicator=employment_rate/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('reports on a drawn polygon with the area the API gives, and a saved proposal is there after a reload', async () => {
    const { page, problems } = await openPage(chrome.context);
    await page.goto(`${server.base}/map/${hash({ map: '14/55.699/12.542', view: 'planner' })}`);
    await waitForReady(page);
    await page.click('#draw-start');
    const centre = await pagePoint(page, [12.542, 55.699]);
    const corners = [[-120, -80], [110, -90], [130, 70], [-100, 90]].map(([dx, dy]) => [centre.x + dx, centre.y + dy]);
    for (const [x, y] of corners) await page.mouse.click(x, y);
    await page.click('#draw-finish');
    await page.waitForSelector('.report .area');

    // The same polygon, from the same pixels, asked of the API directly.
    const ring = await page.evaluate((pts) => {
      const map = window.kvarter.map;
      const box = map.getCanvas().getBoundingClientRect();
      return pts.map(([x, y]) => map.unproject([x - box.left, y - box.top]).toArray());
    }, corners);
    ring.push(ring[0]);
    const year = Number(await page.inputValue('#year'));
    const answer = await api(`/analysis/overlay?year=${year}`, { method: 'POST', body: JSON.stringify({ type: 'Polygon', coordinates: [ring] }) });
    const shown = Number(await page.getAttribute('.report .area', 'data-area-m2'));
    assert.ok(Math.abs(shown - answer.area_m2) <= answer.area_m2 * 1e-4, `report says ${shown} m², the API ${answer.area_m2} m²`);
    assert.match(await page.textContent('.report .area'), new RegExp(answer.area_m2.toLocaleString('da-DK', { maximumFractionDigits: 0 }).replace(/\./g, '\\.')));
    await screenshot(page, 'planner-report');

    const name = `Browsertest ${Date.now()}`;
    await page.fill('#proposal-name', name);
    await page.fill('#proposal-description', 'drawn by tests/web');
    // Another year: the report is asked again for it, and what was typed stays.
    const other = await page.$eval('#year', (s) => s.options[0].value);
    await page.selectOption('#year', other);
    await page.waitForFunction((y) => document.querySelector('.report h3')?.textContent.includes(`(${y})`), other);
    assert.equal(await page.inputValue('#proposal-name'), name);
    await page.fill('#token', sampleToken());
    await page.click('#save-proposal');
    await page.waitForFunction(() => document.querySelector('.proposal-form .message')?.textContent === 'Gemt.');
    const stored = (await api('/proposals')).features.find((f) => f.properties.name === name);
    assert.ok(stored, 'the API does not list the saved proposal');
    assert.equal(stored.properties.description, 'drawn by tests/web');
    await page.waitForSelector(`.proposal-list li[data-id="${stored.id}"]`); // the list shows it at once

    await page.reload();
    await waitForReady(page);
    await page.waitForSelector(`.proposal-list li[data-id="${stored.id}"]`);
    assert.equal(await page.textContent(`.proposal-list li[data-id="${stored.id}"] .proposal-name`), name);
    const drawn = await page.evaluate((n) => window.kvarter.map.queryRenderedFeatures({ layers: ['proposals-fill'] })
      .some((f) => f.properties.name === n), name);
    assert.ok(drawn, 'the saved proposal is not drawn on the map after a reload');
    await screenshot(page, 'proposal-after-reload');

    // Edit: a new name, saved with PUT.
    await page.click(`.proposal-list li[data-id="${stored.id}"] button.edit`);
    await page.fill('#proposal-name', `${name} (rev)`);
    await page.click('#save-proposal');
    await page.waitForSelector(`.proposal-list li[data-id="${stored.id}"] .proposal-name:text-is("${name} (rev)")`);
    assert.equal((await api(`/proposals/${stored.id}`)).properties.name, `${name} (rev)`);

    await page.click(`.proposal-list li[data-id="${stored.id}"] button.delete`);
    await page.waitForSelector(`.proposal-list li[data-id="${stored.id}"]`, { state: 'detached' });
    assert.ok(!(await api('/proposals')).features.some((f) => f.id === stored.id), 'delete left the proposal in the store');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('finds a place by name and flies there', async () => {
    const dep = await knownDepartment();
    const { page, problems } = await openPage(chrome.context);
    await page.goto(`${server.base}/map/`);
    await waitForReady(page);
    // Typed without accents and in lower case, as people do.
    const typed = dep.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ø/g, 'o').replace(/æ/g, 'ae').replace(/å/g, 'a').toLowerCase();
    await page.fill('#search', typed);
    const hit = page.locator('#search-results button', { hasText: dep.name }).first();
    await hit.click();
    await page.waitForSelector('#feature-panel:not([hidden])');
    assert.equal(await page.textContent('#feature-title'), dep.name);
    await page.waitForFunction(() => !window.kvarter.map.isMoving());
    const centre = await page.evaluate(() => window.kvarter.map.getCenter().toArray());
    assert.ok(Math.abs(centre[0] - dep.centre[0]) < 0.002 && Math.abs(centre[1] - dep.centre[1]) < 0.002,
      `the map is at ${centre}, the department at ${dep.centre}`);
    assert.ok(await page.evaluate(() => window.kvarter.map.getZoom()) >= 14);
    await waitForIdle(page);
    await screenshot(page, 'search');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('lists the screening and the 40 plus departments, sortable, and outlines them on the map', async () => {
    const { page, problems } = await openPage(chrome.context);
    await page.goto(`${server.base}/map/${hash({ view: 'screening', map: '12/55.68/12.55' })}`);
    await waitForReady(page);
    await page.waitForSelector('#view-panel table.sortable tbody tr');
    const year = Number(await page.inputValue('#year'));
    const screening = await api(`/analysis/screening?year=${year}`);
    const rows = () => page.$$eval('#view-panel table.sortable tbody tr', (trs) => trs.map((tr) => tr.dataset.id));
    assert.deepEqual(await rows(), screening.candidates.map((c) => c.id)); // by rank, as the API ranks them
    await page.click('#view-panel th:nth-child(2) button'); // sort by name
    const byName = [...screening.candidates].sort((a, b) => a.name.localeCompare(b.name, 'da')).map((c) => c.id);
    assert.deepEqual(await rows(), byName);
    assert.equal(await page.getAttribute('#view-panel th:nth-child(2)', 'aria-sort'), 'ascending');
    await page.click('#view-panel th:nth-child(2) button');
    assert.deepEqual(await rows(), [...byName].reverse());
    await waitForIdle(page);
    const outlined = await renderedIds(page, 'analysis-highlight');
    assert.ok(outlined.length > 0, 'no screened department is outlined on the map');
    assert.ok(outlined.every((id) => screening.candidates.some((c) => c.id === id)), 'a department outside the screening is outlined');
    await screenshot(page, 'screening');

    await page.click('#views button[data-view="forty-plus"]');
    const forty = await api(`/analysis/forty-plus?year=${year}`);
    await page.waitForFunction((n) => document.querySelectorAll('#view-panel table.sortable tbody tr').length === n, forty.departments.length);
    assert.match(await page.textContent('#view-panel .summary'), new RegExp(`: ${forty.counts.forty_plus.departments} `));
    await waitForIdle(page);
    const fortyOutlined = await renderedIds(page, 'analysis-highlight');
    const above = new Set(forty.departments.filter((d) => d.forty_plus).map((d) => d.id));
    assert.ok(fortyOutlined.length > 0 && fortyOutlined.every((id) => above.has(id)), 'the outlined departments are not the 40 plus ones');
    assert.match(await page.evaluate(() => location.hash), /view=forty-plus/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('credits the data source the config names', async () => {
    const credited = await startServer(binary, { config: sampleConfig, overrides: { attribution: 'Københavns Kommune, CC BY 4.0' } });
    try {
      const { page, problems } = await openPage(chrome.context);
      await page.goto(`${credited.base}/map/`);
      await waitForReady(page);
      assert.match(await page.textContent('.maplibregl-ctrl-attrib'), /Københavns Kommune, CC BY 4\.0/);
      await screenshot(page, 'attribution');
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      await credited.stop();
    }
  });

  it('keeps the view in the URL: a copied link opens the same view', async () => {
    const dep = await knownDepartment();
    const link = hash({ map: `13.50/${dep.centre[1].toFixed(5)}/${dep.centre[0].toFixed(5)}`, layers: 'districts,housing-departments',
      year: dep.first, indicator: 'employment_rate', selected: `housing-departments/${dep.id}`, lang: 'en' });
    const { page, problems } = await openPage(chrome.context);
    await page.goto(`${server.base}/map/${link}`);
    await waitForReady(page);
    await page.waitForSelector('#feature-panel:not([hidden])');
    const view = () => page.evaluate(() => {
      const map = window.kvarter.map;
      return {
        zoom: Math.round(map.getZoom() * 100) / 100,
        centre: map.getCenter().toArray().map((v) => Math.round(v * 1e4) / 1e4),
        year: document.querySelector('#year').value,
        indicator: document.querySelector('#indicator').value,
        layers: [...document.querySelectorAll('#legend input:checked')].map((b) => b.dataset.group).sort(),
        selected: document.querySelector('#feature-title').textContent,
        lang: document.documentElement.lang,
      };
    });
    const first = await view();
    assert.deepEqual(first, { zoom: 13.5, centre: [Number(dep.centre[0].toFixed(4)), Number(dep.centre[1].toFixed(4))],
      year: String(dep.first), indicator: 'employment_rate', layers: ['districts', 'housing-departments'], selected: dep.name, lang: 'en' });
    // In English: the panel's labels and the language switch (which offers Danish back).
    assert.equal(await page.textContent('#feature-panel [data-indicator="outside_labour_force_share"] th .name'), 'Outside the labour force');
    assert.equal(await page.textContent('#feature-panel [data-indicator="outside_labour_force_share"] th .badge'), 'synthetic');
    assert.equal(await page.textContent('#lang'), 'Sprog: dansk');
    // The chart follows the chosen indicator.
    assert.match(await page.textContent('#feature-panel .chart-title'), /^Employment rate, /);
    await screenshot(page, 'url-view');

    // The hash the page keeps, opened in a fresh page, gives the same view.
    const kept = await page.evaluate(() => location.hash);
    const second = await openPage(chrome.context);
    await second.page.goto(`${server.base}/map/${kept}`);
    await waitForReady(second.page);
    await second.page.waitForSelector('#feature-panel:not([hidden])');
    const view2 = await second.page.evaluate(() => location.hash);
    assert.equal(view2, kept);
    assert.deepEqual(problems, []);
    assert.deepEqual(second.problems, []);
    await second.page.close();
    await page.close();
  });

  it('serves the viewer at /map/ with content types, ETags and no way out of its folder', async () => {
    const page = await fetch(`${server.base}/map/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    // The bundle's names carry a content hash; the page names them.
    const html = await page.text();
    const [script, style] = [html.match(/src="\.\/(main-[\w-]+\.js)"/)?.[1], html.match(/href="\.\/(main-[\w-]+\.css)"/)?.[1]];
    assert.ok(script && style, 'index.html names no hashed main-*.js / main-*.css');
    const js = await fetch(`${server.base}/map/${script}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
    const tag = js.headers.get('etag');
    assert.ok(tag, 'no ETag');
    assert.equal((await fetch(`${server.base}/map/${script}`, { headers: { 'If-None-Match': tag } })).status, 304);
    assert.match((await fetch(`${server.base}/map/${style}`)).headers.get('content-type'), /^text\/css/);
    for (const path of ['/map/..%2f..%2fCMakeLists.txt', '/map/%2e%2e/index.html', '/map/nothing.js', `/map/.%2f${script}`, '/map//index.html'])
      assert.equal((await fetch(`${server.base}${path}`)).status, 404, path);
    // Programs asking for JSON still get the landing page at /; browsers are sent to the map.
    const landing = await fetch(`${server.base}/`, { headers: { Accept: 'application/json' } });
    assert.equal(landing.status, 200);
    assert.ok((await landing.json()).links.length > 0);
    const redirect = await fetch(`${server.base}/`, { headers: { Accept: 'text/html' }, redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), '/map/');

    // And a browser at /map (no slash) lands on the viewer.
    const { page: tab, problems } = await openPage(chrome.context);
    await tab.goto(`${server.base}/map`);
    assert.equal(new URL(tab.url()).pathname, '/map/');
    await waitForReady(tab);
    await screenshot(tab, 'map-without-slash');
    assert.deepEqual(problems, []);
    await tab.close();
  });

  it('draws its text with WCAG AA contrast and shows where keyboard focus is', async () => {
    const { page, problems } = await openPage(chrome.context);
    await page.goto(`${server.base}/map/${hash({ view: 'forty-plus' })}`);
    await waitForReady(page);
    await page.waitForSelector('#view-panel table.sortable tbody tr');
    assert.deepEqual(await lowContrast(page), []);
    // Tab to the first view button: it gets a visible outline.
    await page.focus('#search');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { tag: document.activeElement.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    assert.notEqual(outline.style, 'none', `focused ${outline.tag} has no outline`);
    assert.ok(outline.width >= 2, `focused ${outline.tag} has a ${outline.width}px outline`);
    await screenshot(page, 'forty-plus');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('fits a phone: no sideways scrolling, panels below the map', async () => {
    const { page, problems } = await openPage(chrome.context, { width: 390, height: 844 });
    await page.goto(`${server.base}/map/`);
    await waitForReady(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
    const mapBox = await page.locator('#map').boundingBox();
    assert.ok(mapBox.width >= 380 && mapBox.height >= 300, `map is ${mapBox.width}×${mapBox.height} on a phone`);
    // The folded legend sits whole above the map, not under it.
    assert.equal(await page.evaluate(() => document.querySelector('#sidebar').open), false);
    const summary = await page.locator('#sidebar summary').boundingBox();
    assert.ok(summary.height > 10 && summary.y + summary.height <= mapBox.y + 0.5, 'the legend summary is hidden under the map');
    await screenshot(page, 'phone');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('offers only the views whose analysis the server has', async () => {
    const listed = (await api('/analysis')).analyses.map((a) => a.id);
    const { page, problems } = await openPage(chrome.context);
    await page.goto(`${server.base}/map/`);
    await waitForReady(page);
    const shown = await page.$$eval('#views button:not([hidden])', (bs) => bs.map((b) => b.dataset.view));
    const want = ['map', ...[['screening', 'screening'], ['forty-plus', 'forty-plus'], ['lists', 'housing-areas']]
      .filter(([, analysis]) => listed.includes(analysis)).map(([view]) => view), 'planner'];
    assert.deepEqual(shown, want);
    assert.deepEqual(problems, []);
    await page.close();

    // A config without analyses: no Screening, 40 plus or Lister, and a link to one opens the map.
    const bare = await startServer(binary, { config: sampleConfig, overrides: (cfg) => { delete cfg.analysis; } });
    try {
      assert.deepEqual((await (await fetch(`${bare.base}/analysis`)).json()).analyses, []);
      const tab = await openPage(chrome.context);
      await tab.page.goto(`${bare.base}/map/${hash({ view: 'screening' })}`);
      await waitForReady(tab.page);
      assert.deepEqual(await tab.page.$$eval('#views button:not([hidden])', (bs) => bs.map((b) => b.dataset.view)), ['map', 'planner']);
      assert.ok(await tab.page.isHidden('#view-panel'));
      assert.doesNotMatch(await tab.page.evaluate(() => location.hash), /view=/);
      await screenshot(tab.page, 'no-analyses');
      assert.deepEqual(tab.problems, []);
      await tab.page.close();
    } finally {
      await bare.stop();
    }
  });

  it('lists the housing areas by the list rules, computed from the departments', async () => {
    const { page, problems } = await openPage(chrome.context);
    await page.goto(`${server.base}/map/${hash({ view: 'lists', map: '12/55.68/12.55' })}`);
    await waitForReady(page);
    await page.waitForSelector('#view-panel table.sortable tbody tr');
    const year = Number(await page.getAttribute('#view-panel .list-controls', 'data-year'));
    const answer = await api(`/analysis/housing-areas?year=${year}`);
    const rows = await page.$$eval('#view-panel table.sortable tbody tr', (trs) => trs.map((tr) => tr.dataset.id).sort());
    assert.deepEqual(rows, answer.areas.map((a) => a.id).sort());
    for (const area of answer.areas) {
      const listed = await page.getAttribute(`#view-panel tr[data-id="${area.id}"] td.computed .status`, 'data-listed');
      assert.equal(listed, String(area.listed ?? null), area.id);
    }
    // The sample has no published list: nothing to compare with.
    if (!answer.areas.some((a) => a.published)) assert.equal(await page.$('#view-panel td.published'), null);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
