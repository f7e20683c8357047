// The viewer on the real city (geodata/copenhagen.json, the server's default config): opens on
// the whole city, highlights a real deprived area, says per indicator whether it is published or
// synthetic, marks derived layers, credits both publishers, and shows the ministry's lists with
// the published status beside the computed one.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startServer, realConfig } from './server.mjs';
import { launch, openPage, waitForReady, waitForIdle, screenshot, canvasColour, pagePoint } from './browser.mjs';
import { apiOf, bboxOf, blend, close, hash, hex, lowContrast, pointOutside, renderedIds } from './helpers.mjs';

const roleOf = (collections, role) => collections.find((c) => c['kvarter:role'] === role);

export function realCitySuite(binary) {
  let server;
  let chrome;
  let api;
  let collections;
  const lookup = (lon, lat) => api(`/lookup?lon=${lon}&lat=${lat}`);

  // A point well inside a feature of `layer` named like `name` and in no other feature of it,
  // found on a grid over its box with /lookup (the box centre of a real outline may lie outside).
  async function pointInside(layer, name) {
    const page = await api(`/collections/${layer}/items?limit=1000`);
    const feature = page.features.find((f) => Object.values(f.properties).some((v) => typeof v === 'string' && v.includes(name)));
    assert.ok(feature, `no ${layer} feature named ${name}`);
    const [w, s, e, n] = bboxOf(feature.geometry);
    for (const fy of [0.5, 0.4, 0.6, 0.3, 0.7]) for (const fx of [0.5, 0.4, 0.6, 0.3, 0.7]) {
      const at = [w + (e - w) * fx, s + (n - s) * fy].map((v) => Number(v.toFixed(6)));
      const inside = (await lookup(...at)).layers[layer]?.features ?? [];
      if (inside.length === 1 && String(inside[0].id) === String(feature.id)) return { at, feature };
    }
    throw new Error(`no point found inside ${name}`);
  }

  describe('map viewer on the real city', { concurrency: 1, skip: !existsSync(realConfig) && `${realConfig} is missing` }, () => {
    before(async () => {
      server = await startServer(binary, { config: realConfig });
      api = apiOf(server);
      collections = (await api('/collections')).collections;
      chrome = await launch();
    });
    after(async () => {
      await chrome?.close();
      await server?.stop();
    });

    it('opens on the whole city, with both publishers credited in full and no page-wide synthetic note', async () => {
      const tilejson = await api('/tiles/default/tilejson.json');
      const { page, problems } = await openPage(chrome.context);
      await page.goto(`${server.base}/map/`);
      await waitForReady(page);
      await screenshot(page, 'real-loaded');
      assert.deepEqual(problems, []);
      // Fit to the data's extent: the view holds the whole of it, and not much more.
      const [w, s, e, n] = tilejson.bounds;
      const view = await page.evaluate(() => window.kvarter.map.getBounds().toArray().flat());
      const slack = 0.02;
      assert.ok(view[0] <= w + slack && view[1] <= s + slack && view[2] >= e - slack && view[3] >= n - slack,
        `the view ${view} does not hold the data's extent ${tilejson.bounds}`);
      assert.ok(view[2] - view[0] < (e - w) * 3, `the view ${view} is far wider than the data`);

      // The attribution: both publishers, whole (not folded behind a button, not cut off).
      const attribution = await page.evaluate(() => {
        const el = document.querySelector('.maplibregl-ctrl-attrib');
        const inner = el.querySelector('.maplibregl-ctrl-attrib-inner');
        const box = el.getBoundingClientRect(), map = document.querySelector('#map').getBoundingClientRect();
        return { text: inner.textContent, compact: el.classList.contains('maplibregl-compact'),
          cut: inner.scrollWidth > inner.clientWidth + 1 || inner.scrollHeight > inner.clientHeight + 1,
          inside: box.left >= map.left - 1 && box.right <= map.right + 1 && box.top >= map.top - 1 && box.bottom <= map.bottom + 1 };
      });
      assert.equal(attribution.compact, false);
      assert.equal(attribution.cut, false, 'the attribution is cut off');
      assert.ok(attribution.inside, 'the attribution lies outside the map');
      assert.match(attribution.text, /Københavns Kommune, CC BY 4\.0/);
      assert.match(attribution.text, /Ministeriet for By, Bolig og Landdistrikter/);
      if (tilejson.attribution) assert.ok(attribution.text.includes(tilejson.attribution), attribution.text);
      // Real data mixes published and synthetic figures: said per indicator, not for the page.
      assert.ok(await page.isHidden('#synthetic'));
      await page.close();
    });

    it('titles the legend from the layers themselves and marks the derived ones with their rule', async () => {
      const { page, problems } = await openPage(chrome.context);
      await page.goto(`${server.base}/map/`);
      await waitForReady(page);
      const rows = await page.$$eval('#legend .legend-entry', (es) => es.map((e) => ({
        group: e.dataset.group, title: e.querySelector('.legend-title').textContent,
        derived: e.querySelector('.derived-note .badge-derived')?.textContent ?? null,
        rule: e.querySelector('.derived-note .rule')?.textContent ?? null })));
      const byId = new Map(collections.map((c) => [c.id, c]));
      assert.ok(rows.length >= 5, `legend: ${JSON.stringify(rows)}`);
      for (const row of rows) {
        if (row.group === 'proposals') continue;
        const c = byId.get(row.group);
        assert.ok(c, `the legend lists ${row.group}, which the server does not have`);
        if (row.group !== 'housing-departments') assert.equal(row.title, c.title);
        else assert.ok(row.title.startsWith(`${c.title}: `), row.title);
        const derived = c['kvarter:derived'];
        assert.equal(row.derived, derived ? 'afledt' : null, row.group);
        if (derived?.rule) assert.equal(row.rule, derived.rule);
      }
      assert.ok(rows.some((r) => r.derived), 'no derived layer in the legend');
      // The 2017 sub-areas are not called the 2011 areas.
      const deprived = rows.find((r) => r.group === 'deprived-areas');
      assert.ok(deprived && !/2011/.test(deprived.title), `deprived-areas: ${deprived?.title}`);
      await screenshot(page, 'real-legend');
      assert.deepEqual(problems, []);
      await page.close();
    });

    it('shows the deprived-area highlight on a real deprived area, and not beside it', async () => {
      const { at } = await pointInside('deprived-areas', 'Tingbjerg');
      const style = await api('/styles/default.json');
      const paint = (id) => style.layers.find((l) => l.id === id).paint;
      const background = hex(paint('background')['background-color']);
      const fill = paint('deprived-areas-fill');
      const expected = blend(background, hex(fill['fill-color']), fill['fill-opacity'] ?? 1);

      const { page, problems } = await openPage(chrome.context);
      await page.goto(`${server.base}/map/${hash({ map: `14/${at[1]}/${at[0]}`, layers: 'deprived-areas' })}`);
      await waitForReady(page);
      await screenshot(page, 'real-deprived-on');
      const p = await pagePoint(page, at);
      const highlighted = await canvasColour(page, p.canvasX, p.canvasY);
      assert.ok(close(highlighted, expected), `in Tingbjerg ${highlighted}, expected about ${expected.map(Math.round)}`);

      const outside = await pointOutside(page, 'deprived-areas', lookup);
      assert.ok(outside, 'no point outside the deprived areas in view');
      const bare = await canvasColour(page, ...outside);
      assert.ok(close(bare, background), `outside a deprived area ${bare}, expected the background ${background}`);
      assert.deepEqual(problems, []);
      await page.close();
    });

    it('says per indicator whether it is published or synthetic: picker, legend, panel and chart', async () => {
      const departments = roleOf(collections, 'housing_department');
      const hasPublished = (c) => (c['kvarter:indicators'] ?? []).some((i) => i.provenance === 'published');
      // The list areas, whose figures are the ministry's (else any layer with a published figure).
      const withPublished = [roleOf(collections, 'housing_area'), ...collections].find((c) => c && hasPublished(c));
      assert.ok(withPublished, 'no collection has a published indicator');
      assert.ok((departments['kvarter:indicators'] ?? []).some((i) => i.provenance === 'synthetic'), 'the departments have no synthetic indicator');

      const { page, problems } = await openPage(chrome.context);
      await page.goto(`${server.base}/map/`);
      await waitForReady(page);
      // The picker: every option says it; the chosen one has a badge beside it.
      const options = await page.$$eval('#indicator option', (os) => os.map((o) => ({ id: o.value, text: o.textContent, title: o.title })));
      for (const i of departments['kvarter:indicators']) {
        const o = options.find((x) => x.id === i.id);
        if (i.provenance === 'published') assert.ok(o.text.endsWith(' · offentliggjort') && o.title.includes(i.source ?? ''), JSON.stringify(o));
        if (i.provenance === 'synthetic') assert.ok(o.text.endsWith(' · syntetisk'), JSON.stringify(o));
      }
      assert.match(await page.textContent('#indicator-provenance .badge'), /^(offentliggjort|syntetisk)$/);
      // The legend's department entry names the indicator and its provenance.
      assert.ok(await page.$('#legend .legend-entry[data-group="housing-departments"] .badge'), 'no provenance badge in the legend');

      await page.goto('about:blank'); // a new load: only the hash would change otherwise

      // A feature with published figures (a housing area on the lists): its panel and chart.
      const published = withPublished['kvarter:indicators'].find((i) => i.provenance === 'published');
      const year = withPublished['kvarter:years'].at(-1);
      const items = await api(`/collections/${withPublished.id}/items?limit=1000&year=${year}`);
      const feature = items.features.find((f) => typeof f.properties[published.id] === 'number') ?? items.features[0];
      await page.goto(`${server.base}/map/${hash({ year, selected: `${withPublished.id}/${encodeURIComponent(String(feature.id))}` })}`);
      await waitForReady(page);
      await page.waitForSelector('#feature-panel:not([hidden]) .indicator-table');
      for (const i of withPublished['kvarter:indicators']) {
        if (!i.provenance) continue;
        const badge = `#feature-panel [data-indicator="${i.id}"] th .badge`;
        assert.equal(await page.textContent(badge), i.provenance === 'published' ? 'offentliggjort' : 'syntetisk', i.id);
        if (i.source) assert.ok((await page.getAttribute(badge, 'title')).includes(i.source), `${i.id}: the badge's tooltip lacks the source`);
      }
      if (published.source) assert.ok((await page.textContent('#feature-panel ul.sources')).includes(published.source), 'the panel does not show the source');
      assert.match(await page.textContent('#feature-panel .chart-source .badge'), /^(offentliggjort|syntetisk)$/);
      await screenshot(page, 'real-published-panel');
      assert.deepEqual(problems, []);
      await page.close();
    });

    it('marks a derived layer as derived in the feature panel', async () => {
      const derived = collections.find((c) => c['kvarter:derived'] && c['kvarter:featureCount'] > 0);
      assert.ok(derived, 'no derived layer');
      const feature = (await api(`/collections/${derived.id}/items?limit=1`)).features[0];
      const { page, problems } = await openPage(chrome.context);
      await page.goto(`${server.base}/map/${hash({ selected: `${derived.id}/${encodeURIComponent(String(feature.id))}` })}`);
      await waitForReady(page);
      await page.waitForSelector('#feature-panel:not([hidden]) .derived-note');
      assert.equal(await page.textContent('#feature-panel .derived-note .badge-derived'), 'afledt');
      if (derived['kvarter:derived'].rule)
        assert.equal(await page.textContent('#feature-panel .derived-note .rule'), derived['kvarter:derived'].rule);
      assert.deepEqual(problems, []);
      await page.close();
    });

    it('lists the areas of the ministry\'s lists: published beside computed, criteria, and departments outlined on a click', async () => {
      const discovery = await api('/analysis');
      assert.ok(discovery.analyses.some((a) => a.id === 'housing-areas'), 'the real config has no list analysis');
      const first = await api('/analysis/housing-areas');
      const year = first.years.includes(2014) ? 2014 : first.years[first.years.length - 1];
      const answer = await api(`/analysis/housing-areas?year=${year}`);
      assert.equal(answer.values_from, 'areas');

      const { page, problems } = await openPage(chrome.context);
      await page.goto(`${server.base}/map/${hash({ view: 'lists', year })}`);
      await waitForReady(page);
      await page.waitForSelector('#view-panel table.sortable tbody tr');
      assert.equal(await page.getAttribute('#view-panel .list-controls', 'data-year'), String(year));
      // A row per area, with its published and computed status as the API gives them.
      const rows = await page.$$eval('#view-panel table.sortable tbody tr', (trs) => trs.map((tr) => tr.dataset.id).sort());
      assert.deepEqual(rows, answer.areas.map((a) => a.id).sort());
      for (const area of answer.areas) {
        const row = `#view-panel tr[data-id="${area.id}"]`;
        assert.equal(await page.getAttribute(`${row} td.computed .status`, 'data-listed'), String(area.listed ?? null), area.id);
        if (area.published?.on_list !== undefined && area.published?.on_list !== null)
          assert.equal(await page.getAttribute(`${row} td.published .status`, 'data-on-list'), String(area.published.on_list), area.id);
        assert.equal(await page.evaluate((r) => document.querySelector(r).classList.contains('differs'), row), area.agrees === false, area.id);
        for (const c of area.criteria)
          assert.equal(await page.getAttribute(`${row} [data-criterion="${c.id}"]`, 'data-holds'), String(c.holds ?? null), `${area.id} ${c.id}`);
      }
      // The criteria columns say where their figures come from.
      assert.ok(await page.$('#view-panel thead .badge-published'), 'no published badge on a criterion');
      assert.match(await page.textContent('#list-agreement'), new RegExp(`${answer.agreement.agree} af ${answer.agreement.compared}`));
      await screenshot(page, 'real-lists');

      // Clicking an area outlines its departments and flies there.
      const area = answer.areas.find((a) => /Mjølnerparken/.test(a.name)) ?? answer.areas.find((a) => a.departments.length);
      await page.click(`#view-panel tr[data-id="${area.id}"] button.link`);
      await page.waitForFunction(() => !window.kvarter.map.isMoving());
      await waitForIdle(page);
      const outlined = await renderedIds(page, 'analysis-highlight');
      assert.ok(outlined.length > 0, `none of ${area.name}'s departments is outlined`);
      assert.ok(outlined.every((id) => area.departments.map(String).includes(id)), `outlined ${outlined}, not ${area.departments}`);
      const centre = await page.evaluate(() => window.kvarter.map.getCenter().toArray());
      const boxes = await Promise.all(area.departments.map((id) => api(`/collections/housing-departments/items/${id}`).then((f) => bboxOf(f.geometry))));
      const [w, s, e, n] = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
      assert.ok(centre[0] >= w && centre[0] <= e && centre[1] >= s && centre[1] <= n, `the map is at ${centre}, ${area.name} at ${[w, s, e, n]}`);
      await screenshot(page, 'real-lists-area');

      // What if: another rule set on the same year; a criterion it cannot evaluate shows "?".
      const other = discovery.rule_sets.find((r) => r.name !== answer.rules.name && r.in_force_from > year) ?? discovery.rule_sets.find((r) => r.name !== answer.rules.name);
      if (other) {
        const whatIf = await api(`/analysis/housing-areas?year=${year}&rules=${other.name}`);
        await page.selectOption('#list-rules', other.name);
        await page.waitForSelector('#view-panel .what-if');
        await page.waitForFunction((n) => document.querySelectorAll('#view-panel table.sortable tbody tr').length === n, whatIf.areas.length);
        const unknown = whatIf.areas.flatMap((a) => a.criteria.filter((c) => c.holds === null).map((c) => [a.id, c.id]));
        for (const [a, c] of unknown.slice(0, 10)) {
          const cell = `#view-panel tr[data-id="${a}"] [data-criterion="${c}"]`;
          assert.equal(await page.getAttribute(cell, 'data-holds'), 'null');
          assert.match(await page.textContent(cell), /\?$/);
        }
        const notEvaluable = whatIf.areas.filter((a) => a.listed === null);
        for (const a of notEvaluable.slice(0, 5))
          assert.match(await page.textContent(`#view-panel tr[data-id="${a.id}"] td.computed`), /kan ikke vurderes/);
        // Rules not in force that year are not scored against the published list.
        if (whatIf.rules.in_force === false)
          for (const a of whatIf.areas.slice(0, 5))
            assert.match(await page.textContent(`#view-panel tr[data-id="${a.id}"] td.agrees`), /ikke sammenlignet/);
        assert.match(await page.evaluate(() => location.hash), new RegExp(`rules=${other.name}`));
        await screenshot(page, 'real-lists-what-if');
        // Badges, marks and the rows that differ keep WCAG AA contrast.
        assert.deepEqual(await lowContrast(page), []);
      }
      assert.deepEqual(problems, []);
      await page.close();
    });

    it('draws the names from the tiles\' label layers', async () => {
      const tilejson = await api('/tiles/default/tilejson.json');
      const labelled = tilejson.vector_layers.map((l) => l.id).filter((id) => id.endsWith('-labels'));
      assert.ok(labelled.includes('districts-labels'), `no districts-labels layer in ${labelled}`);
      const { page, problems } = await openPage(chrome.context);
      await page.goto(`${server.base}/map/${hash({ map: '12/55.68/12.56' })}`);
      await waitForReady(page);
      const names = await page.evaluate(() => window.kvarter.map.queryRenderedFeatures({ layers: ['districts-label'] }).map((f) => f.properties.name));
      assert.ok(names.length > 0 && names.every((n) => typeof n === 'string' && n), `district labels: ${names}`);
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
}
