// The "Screening" and "40 plus" views: the analyses' answers as a sortable list, and the
// departments they name outlined on the map.
import { getJson, query } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { formatNumber, formatShare } from './format.js';
import { sortableTable } from './sortable-table.js';
import { idExpression, loadIdKind } from './ids.js';

// Outlines the departments (the analysis-highlight layer draws the tiles' housing-departments).
// Ids compare as text, read the way this layer carries them (ids.js).
export async function highlightDepartments(map, ids) {
  const kind = await loadIdKind('housing-departments');
  map.setFilter('analysis-highlight', ['in', idExpression(kind), ['literal', ids.map(String)]]);
  map.setLayoutProperty('analysis-highlight', 'visibility', ids.length ? 'visible' : 'none');
}

// Each view fills `body` and returns the ids of the departments to outline.
export async function renderScreening(app, body, onPick, signal) {
  const answer = await getJson(`/analysis/screening${query({ year: app.year })}`, { signal });
  const columns = [
    { key: 'rank', label: t('col_rank'), value: (r) => r.rank, render: (r) => String(r.rank), numeric: true },
    { key: 'name', label: t('col_name'), value: (r) => r.name, render: (r) => r.name },
    { key: 'index', label: t('col_index'), value: (r) => r.index, render: (r) => formatNumber(r.index, 2), numeric: true },
    { key: 'covered', label: t('col_covered'), value: (r) => r.covered_share, render: (r) => formatShare(r.covered_share), numeric: true },
    { key: 'district', label: t('col_district'), value: (r) => r.districts?.[0]?.name ?? '', render: (r) => r.districts?.map((d) => d.name).join(', ') ?? '' },
  ];
  body.replaceChildren(
    h('p', {}, t('screening_intro')),
    h('p', { class: 'summary' }, `${answer.year}: ${answer.screened} / ${answer.ranked} ${t('departments')}`),
    sortableTable(columns, answer.candidates, { onRowClick: (r) => onPick(answer.layer, r.id) }),
  );
  return answer.candidates.map((c) => c.id);
}

export async function renderFortyPlus(app, body, onPick, signal) {
  const answer = await getJson(`/analysis/forty-plus${query({ year: app.year })}`, { signal });
  const columns = [
    { key: 'forty_plus', label: t('col_forty_plus'), value: (r) => (r.forty_plus ? 0 : 1), render: (r) => (r.forty_plus ? t('yes') : t('no')) },
    { key: 'name', label: t('col_name'), value: (r) => r.name, render: (r) => r.name },
    { key: 'share', label: t('col_share'), value: (r) => r.share ?? -1, render: (r) => (r.share === null || r.share === undefined ? '–' : `${formatNumber(r.share)} %`), numeric: true },
    { key: 'dwellings', label: t('col_dwellings'), value: (r) => r.dwellings ?? 0, render: (r) => formatNumber(r.dwellings, 0), numeric: true },
    { key: 'district', label: t('col_district'), value: (r) => r.district ?? '', render: (r) => r.district ?? '' },
  ];
  const c = answer.counts.forty_plus;
  body.replaceChildren(
    h('p', {}, t('forty_plus_intro', { threshold: formatNumber(answer.threshold) })),
    h('p', { class: 'summary' }, `${answer.year}: ${c.departments} ${t('departments')}, ${formatNumber(c.dwellings, 0)} ${t('dwellings')}`),
    sortableTable(columns, answer.departments, { onRowClick: (r) => onPick(answer.layer, r.id), initial: { key: 'share', ascending: false } }),
  );
  return answer.departments.filter((d) => d.forty_plus).map((d) => d.id);
}
