// The panel of one clicked feature: its properties in plain words, the areas it lies in, its
// indicators for the chosen year and a chart of the chosen indicator over every year.
import { getJson, itemUrl, query } from './api.js';
import { h, definitionList } from './dom.js';
import { indicatorLabel, layerLabel, propertyLabel, t } from './i18n.js';
import { featureName, formatValue } from './format.js';
import { lineChart } from './chart.js';
import { derivedNote, provenanceBadge, provenanceTitle, provenanceWithSource } from './provenance.js';

// Derived flags the tiles use for drawing; they mean nothing to a reader.
const hidden = new Set(['deprived', 'in_deprived_area', 'renewal_active', 'green_team_active', 'renewal_status',
  'green_team_status', 'year']);
const areaProperties = new Set(['district', 'deprived_area', 'renewal_zone', 'renewal_zones', 'green_team']);
const areaRoles = new Set(['district', 'deprived_area', 'renewal_zone', 'green_team', 'housing_area']);

function centreOf(geometry) {
  const coords = [];
  const walk = (c) => (typeof c[0] === 'number' ? coords.push(c) : c.forEach(walk));
  walk(geometry.coordinates);
  const xs = coords.map((c) => c[0]), ys = coords.map((c) => c[1]);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

async function membership(app, collectionId, point, signal) {
  const found = await getJson(`/lookup${query({ lon: point[0].toFixed(6), lat: point[1].toFixed(6) })}`, { signal });
  const rows = [];
  for (const [layerId, entry] of Object.entries(found.layers ?? {})) {
    // Areas only: a district clicked inside a housing department does not "lie in" it.
    if (layerId === collectionId || !entry.features?.length || !areaRoles.has(entry.role)) continue;
    const collection = app.collections.get(layerId);
    rows.push([collection ? layerLabel(collection) : layerId, entry.features.map((f) => f.name ?? f.id).join(', ')]);
  }
  return rows;
}

async function history(app, collection, id, signal) {
  const years = collection['kvarter:years'] ?? [];
  const features = await Promise.all(years.map((year) => getJson(itemUrl(collection.id, id, year), { signal })));
  return years.map((year, i) => ({ year, properties: features[i].properties }));
}

// Each distinct source once, written out, with the indicators it gives (the badges carry it as
// a tooltip only).
function sourcesList(indicators) {
  const bySource = new Map();
  for (const i of indicators) {
    if (!provenanceBadge(i)) continue;
    const key = `${i.provenance}\n${i.source ?? ''}`;
    if (!bySource.has(key)) bySource.set(key, { indicator: i, names: [] });
    bySource.get(key).names.push(indicatorLabel(i));
  }
  if (!bySource.size) return null;
  return h('ul', { class: 'sources' }, [...bySource.values()].map(({ indicator, names }) =>
    h('li', { dataset: { provenance: indicator.provenance } }, ...provenanceWithSource(indicator), h('span', { class: 'names' }, ` (${names.join(', ')})`))));
}

// selected: {collection, id, point?}. Returns the feature (its geometry outlines it on the map),
// or null when a newer request took over before the answers came. request: {signal, stale()}
// from latest.js; its signal aborts this panel's fetches when a newer one starts.
export async function renderFeaturePanel(app, container, selected, request = { signal: undefined, stale: () => false }) {
  const { signal } = request;
  const collection = app.collections.get(selected.collection);
  if (!collection) throw new Error(`no collection ${selected.collection}`);
  const indicators = collection['kvarter:indicators'] ?? [];
  const years = collection['kvarter:years'] ?? [];
  const year = years.includes(app.year) ? app.year : undefined;
  const feature = await getJson(itemUrl(collection.id, selected.id, year), { signal });
  const props = feature.properties;
  const point = selected.point ?? (feature.geometry ? centreOf(feature.geometry) : null);
  const indicatorIds = new Set(indicators.map((i) => i.id));

  const [areas, series] = await Promise.all([
    point ? membership(app, collection.id, point, signal) : [],
    indicators.length ? history(app, collection, selected.id, signal) : [],
  ]);

  if (request.stale()) return null;
  const name = featureName(props, collection, String(feature.id));
  const propertyRows = Object.entries(props)
    .filter(([k, v]) => !hidden.has(k) && !indicatorIds.has(k) && !areaProperties.has(k) && v !== null && v !== '')
    .map(([k, v]) => [propertyLabel(k), typeof v === 'boolean' ? t(v ? 'yes' : 'no') : String(v)]);

  // A renewal zone's status in the chosen year, as the tiles colour it.
  if (typeof props.start_year === 'number' && typeof props.end_year === 'number' && app.year) {
    const status = app.year < props.start_year ? 'planned' : app.year > props.end_year ? 'finished' : 'active';
    propertyRows.push([`${propertyLabel('status')} ${app.year}`, t(`renewal_${status}`)]);
  }
  const body = [h('p', { class: 'layer-name' }, layerLabel(collection)), derivedNote(collection, app.collections),
    definitionList(propertyRows)];
  body.push(h('h3', {}, t('belongs_to')), areas.length ? definitionList(areas) : h('p', {}, t('none')));

  if (indicators.length) {
    body.push(h('h3', {}, `${t('indicators')} ${year ?? ''}`),
      h('table', { class: 'indicator-table' },
        h('tbody', {}, indicators.map((i) =>
          h('tr', { dataset: { indicator: i.id } },
            h('th', { scope: 'row' }, h('span', { class: 'name' }, indicatorLabel(i)), ' ', provenanceBadge(i)),
            h('td', { class: 'value' }, formatValue(props[i.id], i.unit)))))),
      sourcesList(indicators));
    const shown = indicators.find((i) => i.id === app.indicator?.id) ?? indicators[0];
    const styleIndicator = app.meta['kvarter:indicator'];
    const threshold = styleIndicator?.property === shown.id ? styleIndicator.threshold : null;
    const title = `${indicatorLabel(shown)}, ${years[0]}–${years[years.length - 1]}`;
    // The chart says where its figures come from, the source written out (the badges above only
    // have it as a tooltip).
    body.push(h('h3', {}, t('over_years')), h('p', { class: 'chart-title' }, h('span', { class: 'name' }, title)),
      provenanceBadge(shown) ? h('p', { class: 'chart-source' }, ...provenanceWithSource(shown)) : null,
      lineChart(series.map((s) => ({ year: s.year, value: s.properties[shown.id] })),
        { title: [title, provenanceTitle(shown)].filter(Boolean).join(' – '), threshold, unit: shown.unit, current: year }));
  }

  container.querySelector('.panel-title').textContent = name;
  container.querySelector('.panel-body').replaceChildren(...body.filter(Boolean));
  container.hidden = false;
  container.dataset.collection = collection.id;
  container.dataset.featureId = selected.id;
  return feature;
}
