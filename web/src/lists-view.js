// The "Lister" view: the ministry's list rules applied to Copenhagen's housing areas, one list
// year at a time (GET /analysis/housing-areas?year=Y[&rules=NAME]). Per area: its figures, which
// criteria held, the published status beside the computed one, and a mark where they differ.
// Clicking an area outlines its departments and flies there.
import { ApiError, getJson, query } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { formatNumber } from './format.js';
import { highlightDepartments } from './analysis-views.js';
import { areaColumns, criteriaList } from './lists-table.js';
import { sortableTable } from './sortable-table.js';
import { fitBounds } from './selection.js';

let knownYears = null; // the list years, from the last answer: a year outside them is not asked for

async function fetchList(year, rules, signal) {
  const ask = (y) => getJson(`/analysis/housing-areas${query({ year: y, rules })}`, { signal });
  if (knownYears && !knownYears.includes(year)) year = knownYears[knownYears.length - 1];
  try {
    return await ask(year);
  } catch (e) {
    // A year without list data is a 400: ask for the default (latest) year, which names the years.
    if (e instanceof ApiError && e.status === 400 && year !== undefined) return ask(undefined);
    throw e;
  }
}

function yearSelect(app, answer) {
  const years = answer.years ?? [answer.year];
  const select = h('select', { id: 'list-year' },
    years.map((y) => h('option', { value: String(y), selected: y === answer.year }, String(y))));
  select.addEventListener('change', () => {
    const y = Number(select.value);
    // Tied to the app's year where the app has it, so the map shows the same year's figures.
    if (app.years.includes(y)) { app.listYear = null; app.setYear(y); } else { app.listYear = y; app.refreshPanels(); }
  });
  return h('label', { class: 'field' }, h('span', {}, t('list_year')), ' ', select);
}

function rulesSelect(app, answer) {
  const sets = app.analyses.rule_sets.length ? app.analyses.rule_sets : [answer.rules];
  const inForce = app.listRules ? null : answer.rules?.name;
  const select = h('select', { id: 'list-rules' },
    h('option', { value: '' }, inForce ? t('rules_in_force', { name: inForce }) : t('rules_in_force_plain')),
    sets.map((r) => h('option', { value: r.name, title: r.title ?? '', selected: r.name === app.listRules }, r.name)));
  select.addEventListener('change', () => {
    app.listRules = select.value || null;
    app.saveView();
    app.refreshPanels();
  });
  return h('label', { class: 'field' }, h('span', {}, t('rule_set')), ' ', select);
}

function summary(answer) {
  const lines = [h('p', { class: 'summary', id: 'list-summary' },
    t('listed_summary', { year: answer.year, listed: answer.listed ?? '–', areas: answer.areas.length }))];
  const a = answer.agreement;
  if (a && !a.compared && answer.rules?.in_force === false)
    lines.push(h('p', { class: 'summary', id: 'list-agreement', title: a.note ?? '' }, t('what_if_not_compared', { name: answer.rules.name, year: answer.year })));
  if (a && a.compared) {
    const differ = (a.differ ?? []).map((d) => (typeof d === 'string' ? answer.areas.find((x) => x.id === d)?.name ?? d : d.name ?? d.id));
    lines.push(h('p', { class: `summary agreement${differ.length ? ' has-differences' : ''}`, id: 'list-agreement' },
      t('agreement_summary', { agree: a.agree, compared: a.compared }),
      differ.length ? h('strong', { class: 'differs' }, ` – ≠ ${t('agreement_differ', { names: differ.join(', ') })}`) : ''));
  }
  return lines;
}

function rulesText(app, answer) {
  const r = answer.rules ?? {};
  const parts = [h('p', { class: 'rules-title' }, h('strong', {}, r.title ?? r.name ?? ''),
    r.min_residents !== undefined ? ` – ${t('rules_need', { min: formatNumber(r.min_residents, 0), required: r.required })}` : '')];
  if (app.listRules) parts.push(h('p', { class: 'warning what-if' }, t('rules_what_if', { name: app.listRules })));
  if (r.source) parts.push(h('p', { class: 'source' }, `${t('source')}: ${r.source}`));
  const from = answer.values_from === 'areas' ? 'values_from_areas' : answer.values_from === 'departments' ? 'values_from_departments' : null;
  if (from) parts.push(h('p', { class: 'legend-note' }, t(from)));
  return parts;
}

// Fills `body`; returns the departments to outline (the picked area's).
export async function renderLists(app, body, onPick, signal) {
  const answer = await fetchList(app.listYear ?? app.year ?? undefined, app.listRules ?? undefined, signal);
  knownYears = answer.years ?? knownYears;
  const picked = answer.areas.find((a) => a.id === app.listArea);
  const rows = answer.areas;
  const columns = areaColumns(answer);
  // Areas on the published list first (on the computed one where nothing was published).
  const table = sortableTable(columns, rows, {
    linkColumn: 0,
    initial: { key: columns.some((c) => c.key === 'published') ? 'published' : 'computed', ascending: true },
    rowClass: (area) => [area.agrees === false ? 'differs' : '', area.id === app.listArea ? 'picked' : ''].join(' ').trim() || undefined,
    onRowClick: (area) => pickArea(app, table, area),
  });
  const notice = app.year && app.year !== answer.year && !app.listYear
    ? h('p', { class: 'legend-note' }, t('year_not_in_lists', { year: app.year, shown: answer.year })) : null;
  body.replaceChildren(...[
    h('p', {}, t('lists_intro')),
    h('div', { class: 'list-controls', dataset: { year: String(answer.year) } }, yearSelect(app, answer), rulesSelect(app, answer)),
    notice, ...rulesText(app, answer), ...summary(answer),
    h('div', { class: 'table-scroll' }, table),
    criteriaList(answer)].filter(Boolean));
  return picked ? picked.departments.map(String) : [];
}

async function pickArea(app, table, area) {
  app.listArea = area.id;
  for (const tr of table.querySelectorAll('tbody tr')) tr.classList.toggle('picked', tr.dataset.id === area.id);
  const ids = area.departments.map(String);
  highlightDepartments(app.map, ids);
  // Fly to the departments themselves: they are what is outlined, and an area may have no
  // outline of its own (has_geometry false).
  const layer = [...app.collections.values()].find((c) => c['kvarter:role'] === 'housing_department')?.id;
  if (!layer || !ids.length) return;
  const features = await Promise.allSettled(ids.map((id) =>
    getJson(`/collections/${encodeURIComponent(layer)}/items/${encodeURIComponent(id)}`)));
  const geometries = features.filter((f) => f.status === 'fulfilled' && f.value?.geometry).map((f) => f.value.geometry);
  if (app.listArea === area.id && geometries.length) fitBounds(app, geometries);
}
