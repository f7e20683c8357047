// The legend is drawn from the style's metadata (kvarter:legend); each entry is also the switch
// of its layer group. Its title is the layer's own (from /collections), so it names what this
// server loaded; the style's label is the fallback. The housing departments' entry shows the
// current choropleth classes and whether the indicator is published or synthetic; a derived
// layer says so, with its rule.
import { layerLabel, localized, t } from './i18n.js';
import { derivedNote, provenanceBadge } from './provenance.js';
import { formatNumber } from './format.js';
import { missingColor } from './choropleth.js';

function swatch(entry, color = entry.color, dasharray = entry.dasharray) {
  const el = document.createElement('span');
  el.className = `swatch swatch-${entry.type}`;
  el.setAttribute('aria-hidden', 'true');
  if (entry.type === 'line') {
    el.style.borderTopColor = color;
    if (dasharray) el.style.borderTopStyle = dasharray[0] <= 1.5 ? 'dotted' : 'dashed';
  } else {
    el.style.background = color;
    if (entry.outline) el.style.borderColor = entry.outline;
  }
  return el;
}

function classLabel(c, unit) {
  const u = unit === '%' ? ' %' : '';
  if (c.min === null) return `< ${formatNumber(c.max)}${u}`;
  if (c.max === null) return `≥ ${formatNumber(c.min)}${u}`;
  return `${formatNumber(c.min)}–${formatNumber(c.max)}${u}`;
}

function classList(items) {
  const ul = document.createElement('ul');
  ul.className = 'legend-classes';
  for (const { color, dasharray, label, strong, entry } of items) {
    const li = document.createElement('li');
    li.append(swatch(entry, color, dasharray), document.createTextNode(label));
    if (strong) li.classList.add('threshold');
    ul.append(li);
  }
  return ul;
}

// entries: kvarter:legend; groupOf(entry) -> collection id; visible: Set of collection ids;
// collections: id -> /collections entry.
export function renderLegend(container, { entries, groupOf, collections, visible, onToggle, choropleth, indicator, indicatorName }) {
  container.replaceChildren();
  for (const entry of entries) {
    const group = groupOf(entry);
    if (!group) continue;
    const row = document.createElement('div');
    row.className = 'legend-entry';
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = visible.has(group);
    box.dataset.group = group;
    box.addEventListener('change', () => onToggle(group, box.checked));
    const text = document.createElement('span');
    text.className = 'legend-title';
    const collection = collections.get(group);
    // The proposals' entry keeps the viewer's own words: it has both languages.
    const title = collection && group !== 'proposals' ? layerLabel(collection) : localized(entry);
    const choroplethEntry = group === 'housing-departments' && choropleth;
    text.textContent = choroplethEntry ? `${title.replace(/:.*$/, '')}: ${indicatorName}` : title;
    const badge = choroplethEntry ? provenanceBadge(indicator) : null;
    label.append(box, swatch(entry), text);
    if (badge) label.append(badge);
    row.dataset.group = group;
    row.append(label);
    const derived = derivedNote(collection, collections, { folded: true });
    if (derived) row.append(derived);

    if (choroplethEntry) {
      const items = choropleth.classes.map((c) => ({
        entry: { type: 'fill' },
        color: c.color,
        label: classLabel(c, indicator.unit) + (choropleth.threshold !== null && c.min === choropleth.threshold ? ` (${t('threshold')})` : ''),
        strong: choropleth.threshold !== null && c.min === choropleth.threshold,
      }));
      items.push({ entry: { type: 'fill' }, color: missingColor, label: t('no_value') });
      row.append(classList(items));
      const note = document.createElement('p');
      note.className = 'legend-note';
      note.textContent = t(indicator.direction ?? 'neutral');
      row.append(note);
    } else if (choropleth && group === 'districts') {
      row.append(Object.assign(document.createElement('p'), { className: 'legend-note', textContent: t('shaded_by_indicator') }));
    } else if (entry.classes) {
      row.append(classList(entry.classes.map((c) => ({ entry, color: c.color, dasharray: c.dasharray, label: localized(c) }))));
    }
    container.append(row);
  }
}
