// The selected feature: its panel, its outline on the map, and how a click or a list picks it.
import maplibregl from 'maplibre-gl';
import { getJson } from './api.js';
import { clickableLayers, groupOfSourceLayer } from './layers.js';
import { renderFeaturePanel } from './feature-panel.js';
import { tileFeatureId } from './ids.js';
import { latestOnly, wasAborted } from './latest.js';

const emptyCollection = { type: 'FeatureCollection', features: [] };
const beginRefresh = latestOnly(); // year and selection can change faster than answers come

export async function select(app, selected) {
  app.selected = selected;
  app.saveView();
  await refreshFeature(app);
}

export async function refreshFeature(app) {
  const panel = document.getElementById('feature-panel');
  if (!app.selected) {
    panel.hidden = true;
    app.map.getSource('selected').setData(emptyCollection);
    return;
  }
  const request = beginRefresh();
  try {
    const feature = await renderFeaturePanel(app, panel, app.selected, request);
    if (!feature) return; // a newer selection or year took over
    app.map.getSource('selected').setData(feature.geometry ? { type: 'Feature', properties: {}, geometry: feature.geometry } : emptyCollection);
  } catch (e) {
    if (!wasAborted(e)) app.showError(e);
  }
}

export function fitGeometry(app, geometry) {
  fitBounds(app, [geometry]);
}

// Flies to the box around every geometry given (e.g. the departments of a housing area).
export function fitBounds(app, geometries) {
  const b = new maplibregl.LngLatBounds();
  const walk = (c) => (typeof c[0] === 'number' ? b.extend(c) : c.forEach(walk));
  for (const g of geometries) walk(g.coordinates);
  app.map.resize(); // a panel may just have opened and narrowed the map
  app.map.fitBounds(b, { padding: 60, maxZoom: 16, duration: 600 });
}

// From a list (screening, 40 plus): open the panel, then fly to the feature.
export async function pickFromList(app, collection, id) {
  await select(app, { collection, id });
  const feature = await getJson(`/collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(id)}`);
  app.map.resize(); // the panel may just have opened and narrowed the map
  if (feature.geometry) fitGeometry(app, feature.geometry);
}

export async function onMapClick(app, e) {
  if (app.view === 'planner' && app.planner?.drawing?.active) return;
  const layers = clickableLayers(app.map, app.groups, app.visible);
  const hit = app.map.queryRenderedFeatures(e.point, { layers })[0];
  if (!hit) { select(app, null); return; }
  const collection = groupOfSourceLayer(hit.sourceLayer);
  if (collection === 'proposals') {
    // The tile has a simplified outline: open the stored proposal itself. (app.setView, not an
    // import of views.js: that module picks from lists through this one.)
    const id = hit.id ?? hit.properties.id;
    Promise.all([app.setView('planner'), getJson(`/proposals/${encodeURIComponent(id)}`)])
      .then(([, proposal]) => app.planner.open(proposal, false)).catch(app.showError);
    return;
  }
  const point = [e.lngLat.lng, e.lngLat.lat];
  await select(app, { collection, id: await tileFeatureId(hit), point });
}
