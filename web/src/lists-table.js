// The columns of the "Lister" table and the list of criteria under it. Each criterion column
// shows the area's value and whether it held: ✓ held, ✗ did not, ? not evaluable (`holds`
// null: e.g. a reference the data lacks). Not evaluable is never shown as "did not hold".
import { h } from './dom.js';
import { indicatorLabel, t } from './i18n.js';
import { formatNumber, formatValue } from './format.js';
import { provenanceBadge, provenanceWithSource } from './provenance.js';

const mark = (holds) => (holds === true ? '✓' : holds === false ? '✗' : '?');
const holdsText = (holds) => (holds === true ? t('holds') : holds === false ? t('holds_not') : t('not_evaluable'));
const holdsClass = (holds) => (holds === true ? 'holds' : holds === false ? 'holds-not' : 'unknown');

function indicatorOf(answer, criterion) {
  const meta = answer.indicators?.[criterion.indicator] ?? {};
  return { id: criterion.indicator, ...meta };
}

function criterionColumn(answer, criterion) {
  const indicator = indicatorOf(answer, criterion);
  const threshold = criterion.threshold === null || criterion.threshold === undefined
    ? '?' : formatValue(criterion.threshold, indicator.unit);
  const label = `${indicatorLabel(indicator)} ${criterion.op ?? ''} ${threshold}${criterion.counts === false ? ' *' : ''}`;
  const of = (area) => area.criteria?.find((c) => c.id === criterion.id);
  return {
    key: `criterion:${criterion.id}`,
    label,
    title: [criterion.label_da, criterion.counts === false ? t('criterion_counts_not') : ''].filter(Boolean).join(' – '),
    extra: provenanceBadge(indicator),
    numeric: true,
    value: (area) => of(area)?.value ?? area.values?.[criterion.indicator] ?? -Infinity,
    cellClass: (area) => `criterion ${holdsClass(of(area)?.holds)}`,
    render: (area) => {
      const c = of(area);
      const value = c?.value ?? area.values?.[criterion.indicator];
      return h('span', { title: holdsText(c?.holds), dataset: { criterion: criterion.id, holds: String(c?.holds ?? null) } },
        `${formatValue(value, indicator.unit)} `, h('span', { class: 'mark', 'aria-label': holdsText(c?.holds) }, mark(c?.holds)));
    },
  };
}

// Published status: on the list, new on it, not on it; "–" where nothing was published.
function publishedText(area) {
  const p = area.published;
  if (!p || p.on_list === null || p.on_list === undefined) return h('span', { class: 'status none', title: t('not_published') }, '–');
  return h('span', { class: `status ${p.on_list ? 'on' : 'off'}`, dataset: { onList: String(p.on_list) } },
    p.on_list ? t('on_list') : t('off_list'), p.new_on_list ? h('span', { class: 'new' }, ` (${t('new_on_list')})`) : '');
}

function computedText(area, answer) {
  if (area.listed === null || area.listed === undefined)
    return h('span', { class: 'status unknown', dataset: { listed: 'null' } }, `? ${t('not_evaluable')}`);
  const why = !area.listed && area.eligible === false
    ? ` (${t('not_eligible', { min: formatNumber(answer.rules?.min_residents, 0) })})` : '';
  return h('span', { class: `status ${area.listed ? 'on' : 'off'}`, dataset: { listed: String(area.listed) } },
    area.listed ? t('on_list') : t('off_list'), why,
    area.listed && area.category?.label_da ? h('span', { class: 'category' }, ` – ${area.category.label_da}`) : '');
}

function agreementText(area, answer) {
  // Rules not in force that year (a what-if) are not scored against the published list.
  if (answer.rules?.in_force === false && (area.agrees === null || area.agrees === undefined))
    return h('span', { class: 'agreement none', dataset: { agrees: 'null' }, title: answer.agreement?.note ?? '' }, `– ${t('not_compared')}`);
  if (area.agrees === true) return h('span', { class: 'agreement agrees', dataset: { agrees: 'true' } }, `✓ ${t('agrees')}`);
  if (area.agrees === false) return h('strong', { class: 'agreement differs', dataset: { agrees: 'false' } }, `≠ ${t('differs')}`);
  if (area.agrees === null) return h('span', { class: 'agreement unknown', dataset: { agrees: 'null' } }, `? ${t('not_evaluable')}`);
  return ''; // nothing published to compare with
}

const statusOrder = (v) => (v === true ? 0 : v === false ? 2 : 1);

// Published and computed status come first, beside the name, so they are compared at a glance
// even when the criteria columns need the table to scroll sideways.
export function areaColumns(answer) {
  const criteria = answer.rules?.criteria ?? [];
  const anyPublished = answer.areas.some((a) => a.published);
  return [
    { key: 'name', label: t('col_area'), value: (a) => a.name,
      render: (a) => [a.name, a.has_geometry === false ? h('span', { class: 'hint' }, ` (${t('no_geometry')})`) : ''] },
    ...(anyPublished ? [{ key: 'published', label: t('col_published'), value: (a) => statusOrder(a.published?.on_list),
      render: publishedText, cellClass: () => 'published' }] : []),
    { key: 'computed', label: t('col_computed'), value: (a) => statusOrder(a.listed),
      render: (a) => computedText(a, answer), cellClass: () => 'computed' },
    ...(anyPublished ? [{ key: 'agrees', label: t('col_agreement'), value: (a) => statusOrder(a.agrees === undefined ? null : !a.agrees),
      render: (a) => agreementText(a, answer), cellClass: () => 'agrees' }] : []),
    { key: 'met', label: t('col_met'), numeric: true, value: (a) => a.criteria_met ?? -1,
      render: (a) => `${a.criteria_met ?? '–'}${a.criteria_unknown ? ` +${a.criteria_unknown}?` : ''} / ${a.required ?? answer.rules?.required ?? '–'}` },
    { key: 'residents', label: t('col_residents'), numeric: true, value: (a) => a.residents ?? -1,
      render: (a) => formatNumber(a.residents, 0) },
    ...criteria.map((c) => criterionColumn(answer, c)),
  ];
}

// The criteria in the law's words, each with where its figures come from (source written out).
export function criteriaList(answer) {
  const criteria = answer.rules?.criteria ?? [];
  return h('section', { class: 'criteria' }, h('h3', {}, t('indicators')),
    h('ul', { class: 'criteria-list' }, criteria.map((c) => {
      const indicator = indicatorOf(answer, c);
      return h('li', { dataset: { criterion: c.id } },
        h('strong', {}, indicatorLabel(indicator)), ' ', ...provenanceWithSource(indicator),
        h('br'), c.label_da ?? '', c.counts === false ? h('em', {}, ` (* ${t('criterion_counts_not')})`) : '',
        c.evaluable === false ? h('em', { class: 'unknown' }, ` (? ${t('not_evaluable')})`) : '');
    })));
}
