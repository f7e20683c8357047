// Search by name over the districts, deprived areas, housing departments and areas, and renewal zones.
// The names (and outlines, to fly to) are fetched once; matching ignores case and accents.
import { getJson, query } from './api.js';
import { h } from './dom.js';
import { layerLabel, t } from './i18n.js';
import { featureName } from './format.js';

const searchedRoles = ['district', 'deprived_area', 'housing_department', 'housing_area', 'renewal_zone'];

const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  .replace(/ø/g, 'o').replace(/æ/g, 'ae').replace(/å/g, 'a');

function bounds(geometry) {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const walk = (c) => {
    if (typeof c[0] === 'number') { w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1]); n = Math.max(n, c[1]); }
    else c.forEach(walk);
  };
  walk(geometry.coordinates);
  return [[w, s], [e, n]];
}

export async function loadSearchIndex(collections) {
  const wanted = [...collections.values()].filter((c) => searchedRoles.includes(c['kvarter:role']));
  const pages = await Promise.all(wanted.map((c) => getJson(`/collections/${c.id}/items${query({ limit: 10000 })}`)));
  const entries = [];
  pages.forEach((page, i) => {
    for (const f of page.features) {
      const name = featureName(f.properties, wanted[i]);
      if (!name || !f.geometry) continue;
      entries.push({ name, folded: fold(name), collection: wanted[i], id: String(f.id), bounds: bounds(f.geometry) });
    }
  });
  return entries;
}

// onPick(entry) flies there; the list is a plain list of buttons, reachable by Tab and arrows.
export function attachSearch(input, list, getEntries, onPick) {
  const render = () => {
    const q = fold(input.value.trim());
    list.replaceChildren();
    if (!q) { list.hidden = true; return; }
    const hits = getEntries().filter((e) => e.folded.includes(q))
      .sort((a, b) => (a.folded.startsWith(q) ? 0 : 1) - (b.folded.startsWith(q) ? 0 : 1) || a.name.localeCompare(b.name))
      .slice(0, 12);
    list.hidden = false;
    if (!hits.length) { list.append(h('li', { class: 'empty' }, t('no_results'))); return; }
    for (const hit of hits)
      list.append(h('li', {}, h('button', { type: 'button', onclick: () => { list.hidden = true; input.value = hit.name; onPick(hit); } },
        hit.name, h('span', { class: 'hint' }, ` – ${layerLabel(hit.collection)}`))));
  };
  input.addEventListener('input', render);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { list.hidden = true; return; }
    if (e.key === 'ArrowDown') { list.querySelector('button')?.focus(); e.preventDefault(); }
    if (e.key === 'Enter') { e.preventDefault(); list.querySelector('button')?.click(); }
  });
  list.addEventListener('keydown', (e) => {
    const buttons = [...list.querySelectorAll('button')];
    const at = buttons.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && at + 1 < buttons.length) { buttons[at + 1].focus(); e.preventDefault(); }
    if (e.key === 'ArrowUp') { (at > 0 ? buttons[at - 1] : input).focus(); e.preventDefault(); }
    if (e.key === 'Escape') { list.hidden = true; input.focus(); }
  });
}
