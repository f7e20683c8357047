// Where figures and layers come from, said next to them: each indicator is either published
// (with its source) or synthetic, and a derived layer says the rule it was made by. Read
// defensively: a server that states nothing gets no badge, rather than a wrong one.
import { h } from './dom.js';
import { layerLabel, t } from './i18n.js';

// 'published' | 'synthetic' | null (not stated).
export function provenanceOf(indicator) {
  const p = indicator?.provenance;
  return p === 'published' || p === 'synthetic' ? p : null;
}

export function provenanceTitle(indicator) {
  const p = provenanceOf(indicator);
  if (!p) return '';
  return t(`${p}_title`, { source: indicator.source ?? '' }).trim();
}

// A small badge ("offentliggjort" / "syntetisk") with the source as its tooltip; null when
// the server does not say.
export function provenanceBadge(indicator) {
  const p = provenanceOf(indicator);
  if (!p) return null;
  return h('span', { class: `badge badge-${p}`, title: provenanceTitle(indicator), dataset: { provenance: p } }, t(p));
}

// The badge and, for a published figure, its source written out: panels have the room for it.
export function provenanceWithSource(indicator) {
  const badge = provenanceBadge(indicator);
  if (!badge) return [];
  const source = indicator.source ? h('span', { class: 'source' }, `${t('source')}: ${indicator.source}`) : null;
  return [badge, source];
}

// For a <select>'s options, which hold text only.
export function provenanceSuffix(indicator) {
  const p = provenanceOf(indicator);
  return p ? ` · ${t(p)}` : '';
}

// True when there is at least one stated indicator and every stated one is synthetic: then one
// note for the page says so (the bundled sample). Real data mixes both, so it is said per figure.
export function allSynthetic(indicators) {
  const stated = indicators.map(provenanceOf).filter(Boolean);
  return stated.length > 0 && stated.every((p) => p === 'synthetic');
}

// kvarter:derived of a collection: {method, rule, from: [layer ids]}, or null.
export function derivedOf(collection) {
  const d = collection?.['kvarter:derived'];
  return d && typeof d === 'object' ? d : null;
}

// "afledt" badge plus the rule in words, for the legend and the feature panel. The rule can be
// long (how the renewal zones are outlined): the legend folds it under the badge (`folded`), the
// panel shows it open. The config's note, when there is one, says why in a sentence.
export function derivedNote(collection, collections, { folded = false } = {}) {
  const d = derivedOf(collection);
  if (!d) return null;
  const from = (Array.isArray(d.from) ? d.from : d.from ? [d.from] : [])
    .map((id) => (collections?.get(id) ? layerLabel(collections.get(id)) : id));
  const rule = d.rule ?? d.method ?? '';
  const head = [h('span', { class: 'badge badge-derived', title: t('derived_title', { rule }) }, t('derived')), ' ',
    from.length ? t('derived_from', { layers: from.join(', ') }) : ''];
  const body = [d.note ? h('span', { class: 'note' }, d.note) : null, ' ', h('span', { class: 'rule' }, rule)];
  const attrs = { class: 'derived-note', dataset: { derived: d.method ?? 'derived' } };
  return folded
    ? h('details', attrs, h('summary', {}, ...head), h('p', {}, ...body))
    : h('p', attrs, ...head, from.length ? ': ' : ' ', ...body);
}
