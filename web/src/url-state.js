// The view lives in the URL's hash, so a link reproduces it:
// #map=zoom/lat/lon&layers=a,b&year=2013&indicator=x&selected=collection/id&view=lists&rules=2018&lang=da

export function readHash(hash = location.hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const state = {};
  const map = p.get('map')?.split('/').map(Number);
  if (map && map.length === 3 && map.every(Number.isFinite)) state.camera = { zoom: map[0], center: [map[2], map[1]] };
  if (p.has('layers')) state.layers = p.get('layers').split(',').filter(Boolean);
  if (p.has('year') && Number.isInteger(Number(p.get('year')))) state.year = Number(p.get('year'));
  if (p.get('indicator')) state.indicator = p.get('indicator');
  const selected = p.get('selected');
  if (selected && selected.includes('/')) {
    const slash = selected.indexOf('/');
    state.selected = { collection: selected.slice(0, slash), id: selected.slice(slash + 1) };
  }
  if (p.get('view')) state.view = p.get('view');
  if (p.get('rules')) state.rules = p.get('rules');
  if (p.get('lang')) state.lang = p.get('lang');
  return state;
}

export function writeHash(state) {
  const parts = [];
  if (state.camera) {
    const [lon, lat] = state.camera.center;
    parts.push(`map=${state.camera.zoom.toFixed(2)}/${lat.toFixed(5)}/${lon.toFixed(5)}`);
  }
  if (state.layers) parts.push(`layers=${state.layers.map(encodeURIComponent).join(',')}`);
  if (state.year) parts.push(`year=${state.year}`);
  if (state.indicator) parts.push(`indicator=${encodeURIComponent(state.indicator)}`);
  if (state.selected) parts.push(`selected=${encodeURIComponent(state.selected.collection)}/${encodeURIComponent(state.selected.id)}`);
  if (state.view && state.view !== 'map') parts.push(`view=${state.view}`);
  if (state.rules) parts.push(`rules=${encodeURIComponent(state.rules)}`);
  if (state.lang && state.lang !== 'da') parts.push(`lang=${state.lang}`);
  // replaceState: moving the map must not fill the browser's history.
  history.replaceState(null, '', `#${parts.join('&')}`);
}
