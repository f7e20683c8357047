// kvarter's own style, made ready for this viewer: its TileJSON source becomes a tile URL that
// carries ?year=Y, and the layers the style leaves to viewers (proposals, the drawing, the
// selection, analysis highlights) are added on top.
import { getJson } from './api.js';

export const SOURCE = 'kvarter';

export function tileUrl(template, year) {
  const url = new URL(template);
  if (year) url.searchParams.set('year', String(year));
  // MapLibre fills the braces in; URL() escaped them.
  return decodeURI(url.toString());
}

export const proposalsLegend = {
  layer: 'proposals-fill',
  type: 'fill',
  label_da: 'Forslag fra planlæggere',
  label_en: "Planners' proposals",
  color: '#56B4E9',
  outline: '#0b4a78',
};

function viewerLayers() {
  return [
    { id: 'proposals-fill', type: 'fill', source: SOURCE, 'source-layer': 'proposals',
      paint: { 'fill-color': '#56B4E9', 'fill-opacity': 0.35 } },
    { id: 'proposals-outline', type: 'line', source: SOURCE, 'source-layer': 'proposals',
      paint: { 'line-color': '#0b4a78', 'line-width': 2, 'line-dasharray': [3, 1.5] } },
    { id: 'analysis-highlight', type: 'line', source: SOURCE, 'source-layer': 'housing-departments',
      filter: ['boolean', false], layout: { visibility: 'none' }, // nothing until a view names departments
      paint: { 'line-color': '#D55E00', 'line-width': 3.5 } },
    { id: 'selected-outline', type: 'line', source: 'selected',
      paint: { 'line-color': '#000000', 'line-width': 3 } },
    { id: 'draw-fill', type: 'fill', source: 'draw', filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': '#000000', 'fill-opacity': 0.12 } },
    { id: 'draw-line', type: 'line', source: 'draw', filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': '#000000', 'line-width': 2, 'line-dasharray': [2, 1] } },
    { id: 'draw-points', type: 'circle', source: 'draw', filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 5, 'circle-color': '#ffffff', 'circle-stroke-color': '#000000', 'circle-stroke-width': 2 } },
  ];
}

const emptyCollection = () => ({ type: 'FeatureCollection', features: [] });

// Returns the style object for maplibregl.Map, its metadata and the tile URL template.
export async function loadStyle(year) {
  const style = await getJson('/styles/default.json');
  const source = style.sources[SOURCE];
  const tilejson = source.url ? await getJson(source.url) : source;
  const template = tilejson.tiles[0];
  style.sources[SOURCE] = {
    type: 'vector',
    tiles: [tileUrl(template, year)],
    minzoom: tilejson.minzoom ?? 0,
    maxzoom: tilejson.maxzoom ?? 14,
    ...(tilejson.bounds ? { bounds: tilejson.bounds } : {}),
    // The config's attribution (e.g. "Københavns Kommune, CC BY 4.0") reaches the map's corner from here.
    ...(tilejson.attribution ? { attribution: tilejson.attribution } : {}),
  };
  style.sources.selected = { type: 'geojson', data: emptyCollection() };
  style.sources.draw = { type: 'geojson', data: emptyCollection() };
  style.layers.push(...viewerLayers());
  const meta = style.metadata ?? {};
  meta['kvarter:legend'] = [...(meta['kvarter:legend'] ?? []), proposalsLegend];
  return { style, meta, template, center: tilejson.center, bounds: tilejson.bounds };
}
