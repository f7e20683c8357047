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
import { refreshPanels, setView, viewNames } from './views.js';
import { Planner } from './planner.js';

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

// ---- texts that change with the language ----

function applyTexts() {
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  $('search').placeholder = t('search_placeholder');
  $('views').setAttribute('aria-label', t('views'));
  $('lang').textContent = t('language');
  $('lang').setAttribute('lang', getLanguage() === 'da' ? 'en' : 'da');
  const syntheticNote = app.meta[`kvarter:data_note_${getLanguage()}`];
  $('synthetic').textContent = syntheticNote ?? t('synthetic_banner');
  fillIndicatorSelect();
}

function fillIndicatorSelect() {
  const select = $('indicator');
  select.replaceChildren(...app.indicators.map((i) => new Option(indicatorLabel(i), i.id, false, i.id === app.indicator?.id)));
}

function drawLegend() {
  renderLegend($('legend'), {
    entries: app.meta['kvarter:legend'] ?? [],
    // Only the layers this server has: a style may draw layers another config does not load.
    groupOf: (entry) => {
      const group = groupOfStyleLayer(app.style, entry.layer);
      return app.collections.has(group) ? group : null;
    },
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
let colourTicket = 0;

async function recolour() {
  if (!app.indicator) return; // a config without indicators: the style's own colours stay
  const ticket = ++colourTicket;
  const departments = [...app.collections.values()].find((c) => c['kvarter:role'] === 'housing_department');
  const choropleth = await classesFor(app.indicator, app.year, app.meta, departments.id);
  if (ticket !== colourTicket) return;
  app.choropleth = choropleth;
  applyChoropleth(app.map, app.indicator.id, app.choropleth);
  drawLegend();
}

function reloadTiles() {
  app.map.getSource(SOURCE).setTiles([tileUrl(app.template, app.year)]);
}

async function setYear(year) {
  app.year = year;
  reloadTiles();
  saveView();
  const panels = app.view === 'planner' ? app.planner.onYear() : refreshPanels(app);
  await Promise.all([recolour(), panels, refreshFeature(app)]);
}

async function setIndicator(id) {
  app.indicator = app.indicators.find((i) => i.id === id) ?? app.indicators[0];
  saveView();
  await Promise.all([recolour(), refreshFeature(app)]);
}

// ---- start ----

async function start() {
  const hash = readHash();
  setLanguage(hash.lang ?? 'da');
  const [landing, list] = await Promise.all([getJson('/'), getJson('/collections')]);
  for (const c of list.collections) app.collections.set(c.id, c);
  const withYears = list.collections.filter((c) => c['kvarter:years']?.length);
  app.years = [...new Set(withYears.flatMap((c) => c['kvarter:years']))].sort((a, b) => a - b);
  app.year = app.years.includes(hash.year) ? hash.year : app.years[app.years.length - 1] ?? null;
  const departments = withYears.find((c) => c['kvarter:role'] === 'housing_department') ?? withYears[0];
  app.indicators = departments?.['kvarter:indicators'] ?? [];

  const { style, meta, template, center } = await loadStyle(app.year);
  app.style = style;
  app.meta = meta;
  app.template = template;
  app.groups = layerGroups(style);
  app.visible = new Set(hash.layers ?? app.groups.keys());
  const styleIndicator = meta['kvarter:indicator']?.property;
  app.indicator = app.indicators.find((i) => i.id === (hash.indicator ?? styleIndicator)) ?? app.indicators[0];
  app.selected = hash.selected ?? null;
  app.view = viewNames.includes(hash.view) ? hash.view : 'map';

  // Which data this is: the config's description (it says when the indicators are synthetic).
  $('about').textContent = landing.description ?? '';
  $('synthetic').hidden = !/synthetic|syntetisk/i.test(`${landing.description ?? ''} ${landing.attribution ?? ''}`);
  // Without indicator tables there is no year or indicator to choose.
  $('year').closest('label').hidden = app.years.length === 0;
  $('indicator').closest('label').hidden = app.indicators.length === 0;
  $('year').replaceChildren(...app.years.map((y) => new Option(String(y), String(y), false, y === app.year)));
  applyTexts();
  // On a phone the legend starts folded, so the map gets the screen.
  if (matchMedia('(max-width: 760px)').matches) $('sidebar').open = false;

  const camera = hash.camera ?? { center: center ? [center[0], center[1]] : [12.55, 55.68], zoom: center?.[2] ?? 11 };
  app.map = new maplibregl.Map({
    container: 'map',
    style,
    center: camera.center,
    zoom: camera.zoom,
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

  await new Promise((resolve) => app.map.once('load', resolve));
  setGroupVisibility(app.map, app.groups, app.visible);
  app.planner = new Planner(app, { reloadTiles });
  await recolour();
  drawLegend();
  app.map.on('click', (e) => onMapClick(app, e));
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
