// The viewer: kvarter's style and tiles on a MapLibre map, with layer switches, year and
// indicator choice, a feature panel, search, the analysis views and planner mode. The view is
// kept in the URL's hash.
import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';

import { getJson } from './api.js';
import { getLanguage, indicatorLabel, setLanguage, t } from './i18n.js';
import { readHash, writeHash } from './url-state.js';
import { loadStyle, SOURCE, tileUrl } from './map-style.js';
import { layerGroups, groupOfStyleLayer, setGroupVisibility } from './layers.js';
import { renderLegend } from './legend.js';
import { applyChoropleth, classesFor } from './choropleth.js';
import { attachSearch, loadSearchIndex } from './search.js';
import { fitGeometry, onMapClick, refreshFeature, select } from './selection.js';
import { availableViews, loadAnalyses, refreshPanels, setView, showViewButtons, viewNames } from './views.js';
import { Planner } from './planner.js';
import { tileFeatureId } from './ids.js';
import { latestOnly, wasAborted } from './latest.js';
import { allSynthetic, provenanceBadge, provenanceSuffix, provenanceTitle } from './provenance.js';

const $ = (id) => document.getElementById(id);

const app = {
  map: null,
  meta: {},
  collections: new Map(),
  years: [],
  year: null,
  indicators: [],
  indicator: null,
  visible: new Set(),
  selected: null,
  view: 'map',
  choropleth: null,
  groups: new Map(),
  style: null,
  template: null,
  analyses: { analyses: [], rule_sets: [] }, // GET /analysis: which views this server can show
  availableViews: ['map', 'planner'],
  listYear: null, // the Lister view's year when the app's years lack it (else it follows app.year)
  listRules: null, // the Lister view's rule set; null: the one in force
  listArea: null, // the area picked in the Lister view
};

function saveView() {
  if (!app.map) return;
  const c = app.map.getCenter();
  writeHash({
    camera: { zoom: app.map.getZoom(), center: [c.lng, c.lat] },
    layers: [...app.groups.keys()].filter((g) => app.visible.has(g) && app.collections.has(g)),
    year: app.year,
    indicator: app.indicator?.id,
    selected: app.selected ? { collection: app.selected.collection, id: app.selected.id } : null,
    view: app.view,
    rules: app.view === 'lists' ? app.listRules : null,
    lang: getLanguage(),
  });
}

function showError(e) {
  console.warn(e);
  const box = $('errors');
  box.textContent = t('error', { message: e.message });
  box.hidden = false;
}

// What the other modules call back through `app`.
app.saveView = saveView;
app.showError = showError;
app.fitGeometry = (geometry) => fitGeometry(app, geometry);
app.setView = (view) => setView(app, view);
app.refreshPanels = () => refreshPanels(app);
app.setYear = (year) => setYear(year);

// ---- texts that change with the language ----

function applyTexts() {
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  $('search').placeholder = t('search_placeholder');
  $('views').setAttribute('aria-label', t('views'));
  $('lang').textContent = t('language');
  $('lang').setAttribute('lang', getLanguage() === 'da' ? 'en' : 'da');
  $('synthetic').textContent = t('synthetic_banner');
  fillIndicatorSelect();
}

// The picker says per indicator whether it is published or synthetic (options hold text only:
// a suffix, the source as tooltip), and a badge beside it does for the chosen one.
function fillIndicatorSelect() {
  const select = $('indicator');
  select.replaceChildren(...app.indicators.map((i) => {
    const option = new Option(`${indicatorLabel(i)}${provenanceSuffix(i)}`, i.id, false, i.id === app.indicator?.id);
    option.title = provenanceTitle(i);
    return option;
  }));
  const badge = app.indicator ? provenanceBadge(app.indicator) : null;
  $('indicator-provenance').replaceChildren(...(badge ? [badge] : []));
}

function drawLegend() {
  renderLegend($('legend'), {
    entries: app.meta['kvarter:legend'] ?? [],
    // Only the layers this server has: a style may draw layers another config does not load.
    groupOf: (entry) => {
      const group = groupOfStyleLayer(app.style, entry.layer);
      return app.collections.has(group) ? group : null;
    },
    collections: app.collections,
    visible: app.visible,
    onToggle: (group, on) => {
      if (on) app.visible.add(group); else app.visible.delete(group);
      setGroupVisibility(app.map, app.groups, app.visible);
      saveView();
    },
    choropleth: app.choropleth,
    indicator: app.indicator,
    indicatorName: app.indicator ? indicatorLabel(app.indicator) : '',
  });
}

// ---- year and indicator ----

// Year and indicator can change faster than answers come: only the latest recolouring draws.
const beginRecolour = latestOnly();

async function recolour() {
  if (!app.indicator) return; // a config without indicators: the style's own colours stay
  const request = beginRecolour();
  const departments = [...app.collections.values()].find((c) => c['kvarter:role'] === 'housing_department');
  let choropleth;
  try {
    choropleth = await classesFor(app.indicator, app.year, app.meta, departments.id, request.signal);
  } catch (e) {
    if (wasAborted(e)) return;
    throw e;
  }
  if (request.stale()) return;
  app.choropleth = choropleth;
  applyChoropleth(app.map, app.indicator.id, app.choropleth);
  drawLegend();
}

function reloadTiles() {
  app.map.getSource(SOURCE).setTiles([tileUrl(app.template, app.year)]);
}

async function setYear(year) {
  app.year = year;
  app.listYear = null; // the Lister view follows the app's year again
  $('year').value = String(year);
  reloadTiles();
  saveView();
  const panels = app.view === 'planner' ? app.planner.onYear() : refreshPanels(app);
  await Promise.all([recolour(), panels, refreshFeature(app)]);
}

async function setIndicator(id) {
  app.indicator = app.indicators.find((i) => i.id === id) ?? app.indicators[0];
  fillIndicatorSelect();
  saveView();
  await Promise.all([recolour(), refreshFeature(app)]);
}

// ---- start ----

// The union of the collections' extents (lon/lat), for a server whose TileJSON has no bounds.
function extentOf(collections) {
  const boxes = collections.map((c) => c.extent?.spatial?.bbox?.[0]).filter((b) => b?.length >= 4 && b.every(Number.isFinite));
  if (!boxes.length) return null;
  const n = (b) => b.length === 6 ? [b[0], b[1], b[3], b[4]] : b;
  const all = boxes.map(n);
  return [Math.min(...all.map((b) => b[0])), Math.min(...all.map((b) => b[1])), Math.max(...all.map((b) => b[2])), Math.max(...all.map((b) => b[3]))];
}

async function start() {
  const hash = readHash();
  setLanguage(hash.lang ?? 'da');
  const [landing, list, analyses] = await Promise.all([getJson('/'), getJson('/collections'), loadAnalyses()]);
  app.analyses = analyses;
  app.availableViews = availableViews(analyses);
  showViewButtons(app.availableViews);
  for (const c of list.collections) app.collections.set(c.id, c);
  const withYears = list.collections.filter((c) => c['kvarter:years']?.length);
  app.years = [...new Set(withYears.flatMap((c) => c['kvarter:years']))].sort((a, b) => a - b);
  const departments = withYears.find((c) => c['kvarter:role'] === 'housing_department') ?? withYears[0];
  app.indicators = departments?.['kvarter:indicators'] ?? [];
  // By default the latest year of the layer the indicator recolours: other layers may reach
  // further (the real districts' population runs to 2025), a year the departments lack.
  const ownYears = departments?.['kvarter:years'] ?? app.years;
  app.year = app.years.includes(hash.year) ? hash.year : ownYears[ownYears.length - 1] ?? null;

  const { style, meta, template, center, bounds } = await loadStyle(app.year);
  app.style = style;
  app.meta = meta;
  app.template = template;
  app.groups = layerGroups(style);
  app.visible = new Set(hash.layers ?? app.groups.keys());
  const styleIndicator = meta['kvarter:indicator']?.property;
  app.indicator = app.indicators.find((i) => i.id === (hash.indicator ?? styleIndicator)) ?? app.indicators[0];
  app.selected = hash.selected ?? null;
  app.view = viewNames.includes(hash.view) && app.availableViews.includes(hash.view) ? hash.view : 'map';
  app.listRules = hash.rules ?? null;

  // Which data this is: the config's description.
  $('about').textContent = landing.description ?? '';
  // Provenance is said per indicator; one note for the page only when every indicator is
  // synthetic (the bundled sample), not for real data that mixes published and synthetic.
  $('synthetic').hidden = !allSynthetic(list.collections.flatMap((c) => c['kvarter:indicators'] ?? []));
  // Without indicator tables there is no year or indicator to choose.
  $('year').closest('label').hidden = app.years.length === 0;
  $('indicator').closest('label').hidden = app.indicators.length === 0;
  $('year').replaceChildren(...app.years.map((y) => new Option(String(y), String(y), false, y === app.year)));
  applyTexts();
  // On a phone the legend starts folded, so the map gets the screen.
  if (matchMedia('(max-width: 760px)').matches) $('sidebar').open = false;

  // Without a position in the link the map opens on the whole city: the data's extent.
  const extent = bounds ?? extentOf(list.collections);
  const camera = hash.camera ?? (extent ? null : { center: center ? [center[0], center[1]] : [12.55, 55.68], zoom: center?.[2] ?? 11 });
  app.map = new maplibregl.Map({
    container: 'map',
    style,
    ...(camera ? { center: camera.center, zoom: camera.zoom } : { bounds: extent, fitBoundsOptions: { padding: 20 } }),
    hash: false,
    attributionControl: { compact: false },
    // Lets the browser tests (and screenshots) read the drawn pixels back.
    canvasContextAttributes: { preserveDrawingBuffer: true },
    // Tiles carry the proposals, which change: revalidate them (cheap: ETag, 304) instead of
    // trusting the browser's copy for the tiles' max-age.
    transformRequest: (url, type) => (type === 'Tile' ? { url, cache: 'no-cache' } : { url }),
  });
  app.map.addControl(new maplibregl.NavigationControl(), 'top-right');
  app.map.addControl(new maplibregl.ScaleControl(), 'bottom-left');
  window.kvarter = app; // for debugging in the console and for the browser tests
  app.tileFeatureId = tileFeatureId;

  await new Promise((resolve) => app.map.once('load', resolve));
  setGroupVisibility(app.map, app.groups, app.visible);
  app.planner = new Planner(app, { reloadTiles });
  await recolour();
  drawLegend();
  app.map.on('click', (e) => onMapClick(app, e).catch(showError));
  app.map.on('moveend', saveView);
  for (const id of [...app.groups.values()].flat())
    if (['fill', 'circle'].includes(app.map.getLayer(id)?.type)) {
      app.map.on('mouseenter', id, () => { if (!app.planner.drawing?.active) app.map.getCanvas().style.cursor = 'pointer'; });
      app.map.on('mouseleave', id, () => { if (!app.planner.drawing?.active) app.map.getCanvas().style.cursor = ''; });
    }

  $('year').addEventListener('change', (e) => setYear(Number(e.target.value)));
  $('indicator').addEventListener('change', (e) => setIndicator(e.target.value));
  $('lang').addEventListener('click', async () => {
    setLanguage(getLanguage() === 'da' ? 'en' : 'da');
    applyTexts();
    drawLegend();
    saveView();
    await Promise.all([refreshFeature(app), refreshPanels(app)]);
  });
  for (const b of document.querySelectorAll('#views button')) b.addEventListener('click', () => setView(app, b.dataset.view));
  $('feature-close').addEventListener('click', () => select(app, null));
  $('view-close').addEventListener('click', () => setView(app, 'map'));
  let index = [];
  attachSearch($('search'), $('search-results'), () => index, async (hit) => {
    await select(app, { collection: hit.collection.id, id: hit.id });
    app.map.resize(); // the panel that just opened narrowed the map: fit to the map's new size
    app.map.fitBounds(hit.bounds, { padding: 60, maxZoom: 16, duration: 800 });
  });
  loadSearchIndex(app.collections).then((entries) => { index = entries; }).catch(showError);

  await setView(app, app.view);
  await refreshFeature(app);
  saveView();
  document.body.dataset.ready = 'true'; // the browser tests wait for this
}

start().catch(showError);
