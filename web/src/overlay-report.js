// The overlay report (POST /analysis/overlay or GET /proposals/{id}/report) in plain words.
import { h, definitionList } from './dom.js';
import { indicatorLabel, layerLabel, t } from './i18n.js';
import { formatArea, formatNumber, formatShare, formatValue } from './format.js';

export function renderReport(app, report) {
  const parts = [h('h3', {}, `${t('report')} (${report.year})`)];
  const area = h('span', { class: 'area', dataset: { areaM2: String(report.area_m2) } }, formatArea(report.area_m2));
  parts.push(definitionList([
    [t('area'), area],
    [t('residents_inside'), formatNumber(report.residents_inside, 0)],
    [t('dwellings_inside'), formatNumber(report.dwellings_inside, 0)],
    [t('active_renewal'), `${formatArea(report.active_renewal?.overlap_m2 ?? 0)}, ${formatShare(report.active_renewal?.share_of_proposal ?? 0)} ${t('of_proposal')}`],
  ]));
  if (report.repaired) parts.push(h('p', { class: 'warning' }, `${t('repaired')}${report.repair_reason ? `: ${report.repair_reason}` : ''}`));

  for (const [layerId, entry] of Object.entries(report.areas ?? {})) {
    if (!entry.features?.length) continue;
    const collection = app.collections.get(layerId);
    parts.push(h('h4', {}, collection ? layerLabel(collection) : layerId), h('ul', { class: 'report-list' },
      entry.features.map((f) => h('li', {}, h('strong', {}, f.name ?? f.id),
        `${f.active === undefined ? '' : ` (${f.active ? t('renewal_active') : t('renewal_finished')})`}: `,
        `${formatShare(f.share_of_proposal)} ${t('of_proposal')}, ${formatShare(f.share_of_feature)} ${t('of_feature', { name: f.name ?? f.id })}`))));
  }

  if (report.housing_departments?.length)
    parts.push(h('h4', {}, t('housing_departments')), h('ul', { class: 'report-list' },
      report.housing_departments.map((d) => h('li', {}, h('strong', {}, d.name),
        `: ${formatShare(d.share_inside)} ${t('share_inside')}, ${formatNumber(d.dwellings_inside, 0)} ${t('dwellings')}, ${formatNumber(d.residents_inside, 0)} ${t('residents')}`))));

  const indicators = Object.entries(report.indicators ?? {});
  if (indicators.length)
    parts.push(h('h4', {}, t('indicators')), h('table', { class: 'report-indicators' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('indicator')), h('th', { scope: 'col', class: 'num' }, t('col_covered_value')),
        h('th', { scope: 'col', class: 'num' }, `${t('col_district_value')}${report.district ? ` (${report.district.name})` : ''}`),
        h('th', { scope: 'col', class: 'num' }, t('col_city_value')))),
      h('tbody', {}, indicators.map(([id, v]) => h('tr', {},
        h('th', { scope: 'row' }, indicatorLabel({ id, label: v.label })),
        h('td', { class: 'num' }, formatValue(v.covered_resident_weighted ?? v.covered_area_weighted, v.unit)),
        h('td', { class: 'num' }, formatValue(v.district, v.unit)),
        h('td', { class: 'num' }, formatValue(v.city, v.unit)))))));

  if (report.playgrounds?.length)
    parts.push(h('h4', {}, t('playgrounds')), h('ul', { class: 'report-list' },
      report.playgrounds.map((p) => h('li', {}, p.name ?? p.id, `: ${p.inside ? t('inside') : t('distance', { m: formatNumber(p.distance_m, 0) })}`))));
  return h('section', { class: 'report' }, parts);
}
