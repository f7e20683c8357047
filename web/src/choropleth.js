// Recolours the housing departments and the districts by the chosen indicator and year. The
// style's own indicator keeps the style's classes (and its 40 % line); any other indicator gets
// five classes at the quintiles of the departments' values, darkest where it is worst.
import { getJson, query } from './api.js';

const ylgnbu = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'];
const missingColor = '#bdbdbd';

function quantileBreaks(values, classes) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks = [];
  for (let i = 1; i < classes; i++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / classes))];
    const rounded = Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 10) / 10;
    if (breaks.length === 0 || rounded > breaks[breaks.length - 1]) breaks.push(rounded);
  }
  return breaks;
}

// classes: [{min, max, color, threshold?}] in rising order of value.
export async function classesFor(indicator, year, meta, departmentsLayer, signal) {
  const styleIndicator = meta['kvarter:indicator'];
  if (styleIndicator && indicator.id === styleIndicator.property) {
    const entry = (meta['kvarter:legend'] ?? []).find((e) => e.property === indicator.id && e.classes);
    if (entry) return { classes: entry.classes.filter((c) => !c.missing), threshold: styleIndicator.threshold };
  }
  const page = await getJson(
    `/collections/${departmentsLayer}/items${query({ year, properties: indicator.id, limit: 10000 })}`,
    { signal },
  );
  const values = page.features.map((f) => f.properties[indicator.id]);
  const breaks = quantileBreaks(values, ylgnbu.length);
  const colors = indicator.direction === 'higher_is_better' ? [...ylgnbu].reverse() : ylgnbu;
  const edges = [-Infinity, ...breaks, Infinity];
  const classes = [];
  for (let i = 0; i + 1 < edges.length; i++)
    classes.push({ min: Number.isFinite(edges[i]) ? edges[i] : null, max: Number.isFinite(edges[i + 1]) ? edges[i + 1] : null, color: colors[i] });
  return { classes, threshold: null };
}

export function fillExpression(property, classes) {
  const step = ['step', ['get', property], classes[0].color];
  for (const c of classes.slice(1)) step.push(c.min, c.color);
  return ['case', ['==', ['typeof', ['get', property]], 'number'], step, missingColor];
}

export function applyChoropleth(map, property, { classes, threshold }) {
  const fill = fillExpression(property, classes);
  map.setPaintProperty('housing-departments-fill', 'fill-color', fill);
  map.setPaintProperty('districts-fill', 'fill-color', fill);
  map.setPaintProperty('districts-fill', 'fill-opacity', 0.45);
  // The threshold line: departments above it get a heavy dark outline, as the style does for 40 %.
  const outline = threshold === null || threshold === undefined
    ? '#6f7f8f'
    : ['step', ['coalesce', ['get', property], -1], '#6f7f8f', threshold, '#111111'];
  const width = threshold === null || threshold === undefined
    ? 0.6
    : ['step', ['coalesce', ['get', property], -1], 0.6, threshold, 2];
  map.setPaintProperty('housing-departments-outline', 'line-color', outline);
  map.setPaintProperty('housing-departments-outline', 'line-width', width);
}

export { missingColor };
