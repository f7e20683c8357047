// Layer groups: every style layer drawing one source layer (one catalog collection) is switched
// on and off together, so "districts" hides its fill, outline and labels at once. The labels
// come from the tiles' "<layer>-labels" layer (one point per feature), which belongs to its layer.

export const groupOfSourceLayer = (sourceLayer) => sourceLayer?.replace(/-labels$/, '');

export function layerGroups(style) {
  const groups = new Map();
  for (const layer of style.layers) {
    const group = groupOfSourceLayer(layer['source-layer']);
    if (!group || layer.id === 'analysis-highlight') continue;
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(layer.id);
  }
  return groups; // collection id -> style layer ids
}

export function groupOfStyleLayer(style, styleLayerId) {
  return groupOfSourceLayer(style.layers.find((l) => l.id === styleLayerId)?.['source-layer']);
}

export function setGroupVisibility(map, groups, visible) {
  for (const [group, ids] of groups)
    for (const id of ids) map.setLayoutProperty(id, 'visibility', visible.has(group) ? 'visible' : 'none');
}

// The layers a click can pick, top-most first: points before outlines before areas.
export function clickableLayers(map, groups, visible) {
  const ids = [];
  for (const [group, layerIds] of groups) {
    if (!visible.has(group)) continue;
    for (const id of layerIds) {
      const type = map.getLayer(id)?.type;
      if (type === 'fill' || type === 'circle') ids.push(id);
    }
  }
  return ids;
}
