// Which id a tile feature has. The tiles carry a feature's id as the MVT feature id when the
// layer's ids are numbers (the real departments' v_id), and as an `id` property when they are
// text (the sample's "0739-0026"; the MVT id is then only the feature's place). A layer with
// numeric ids may still have a source field called `id` (the real departments' "almene_boliger_kk.1"),
// so the property cannot be trusted blindly: the kind of each layer's ids is read once from its
// items (`GET /collections/{id}/items?limit=1`).
import { getJson } from './api.js';
import { groupOfSourceLayer } from './layers.js';

const kinds = new Map(); // collection id -> Promise<'number' | 'string'>

export function loadIdKind(collectionId) {
  if (!kinds.has(collectionId))
    kinds.set(collectionId, getJson(`/collections/${encodeURIComponent(collectionId)}/items?limit=1`)
      .then((page) => (typeof page?.features?.[0]?.id === 'number' ? 'number' : 'string'))
      .catch(() => 'string'));
  return kinds.get(collectionId);
}

// The id the API knows a rendered tile feature by (as text).
export async function tileFeatureId(feature) {
  const kind = await loadIdKind(groupOfSourceLayer(feature.sourceLayer));
  return String(kind === 'number' ? feature.id : feature.properties.id ?? feature.id);
}

// A MapLibre expression for a tile feature's API id, as text, for a layer whose ids are `kind`.
export function idExpression(kind) {
  return kind === 'number' ? ['to-string', ['id']] : ['to-string', ['coalesce', ['get', 'id'], ['id']]];
}
