// A small line chart of one indicator over the years, as inline SVG (no chart library needed
// for a handful of points). A threshold, when given, is drawn as a dashed line.
import { formatNumber } from './format.js';

const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

// points: [{year, value}] (value may be null); returns an <svg>.
// `current`: the year chosen on the map, drawn as a larger point with its value.
export function lineChart(points, { title, threshold = null, unit = '', current = null } = {}) {
  const width = 300, height = 150, left = 44, right = 12, top = 12, bottom = 26;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart' });
  svg.append(el('title', {}, title));
  const known = points.filter((p) => typeof p.value === 'number');
  const values = known.map((p) => p.value);
  if (threshold !== null) values.push(threshold);
  if (values.length === 0) return svg;
  let low = Math.min(...values), high = Math.max(...values);
  if (low === high) { low -= 1; high += 1; }
  const pad = (high - low) * 0.1;
  low -= pad; high += pad;
  const years = points.map((p) => p.year);
  const x = (year) => left + ((year - years[0]) / Math.max(1, years[years.length - 1] - years[0])) * (width - left - right);
  const y = (v) => top + (1 - (v - low) / (high - low)) * (height - top - bottom);

  svg.append(el('line', { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: 'axis' }));
  for (const v of [low + pad, high - pad])
    svg.append(el('text', { x: left - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, formatNumber(v)));
  for (const year of years)
    svg.append(el('text', { x: x(year), y: height - 8, 'text-anchor': 'middle', class: 'tick' }, String(year)));
  if (threshold !== null) {
    svg.append(el('line', { x1: left, y1: y(threshold), x2: width - right, y2: y(threshold), class: 'threshold' }));
    svg.append(el('text', { x: width - right, y: y(threshold) - 4, 'text-anchor': 'end', class: 'tick' }, `${formatNumber(threshold)}${unit === '%' ? ' %' : ''}`));
  }
  if (known.length > 1)
    svg.append(el('polyline', { points: known.map((p) => `${x(p.year)},${y(p.value)}`).join(' '), class: 'series' }));
  for (const p of known) {
    const isCurrent = p.year === current;
    const dot = el('circle', { cx: x(p.year), cy: y(p.value), r: isCurrent ? 5.5 : 3.5, class: isCurrent ? 'point current' : 'point' });
    dot.append(el('title', {}, `${p.year}: ${formatNumber(p.value)}`));
    svg.append(dot);
    if (isCurrent)
      svg.append(el('text', { x: x(p.year), y: y(p.value) - 9, 'text-anchor': 'middle', class: 'value-label' }, formatNumber(p.value)));
  }
  return svg;
}
