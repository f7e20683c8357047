// The views beside the map: screening, 40 plus and the ministry's lists (tables, with their
// departments outlined) and the planner. "map" is the map alone. A view that needs an analysis
// is offered only when the server's GET /analysis lists it: a config without it has none.
import { ApiError, getJson } from './api.js';
import { t } from './i18n.js';
import { highlightDepartments, renderFortyPlus, renderScreening } from './analysis-views.js';
import { renderLists } from './lists-view.js';
import { pickFromList } from './selection.js';
import { latestOnly, wasAborted } from './latest.js';

export const viewNames = ['map', 'screening', 'forty-plus', 'lists', 'planner'];
// The analysis (its id in GET /analysis) each view shows.
const needs = { screening: 'screening', 'forty-plus': 'forty-plus', lists: 'housing-areas' };
const titles = { screening: 'screening_title', 'forty-plus': 'forty_plus_title', lists: 'lists_title', planner: 'view_planner' };
const renderers = { screening: renderScreening, 'forty-plus': renderFortyPlus, lists: renderLists };
const beginRefresh = latestOnly(); // view and year can change faster than answers come

// {analyses: [{id, href, title}], rule_sets: [{name, title, in_force_from}]}. A server without
// the discovery answers 404 there: it then offers no analysis.
export async function loadAnalyses() {
  try {
    const answer = await getJson('/analysis');
    return { analyses: answer?.analyses ?? [], rule_sets: answer?.rule_sets ?? [] };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { analyses: [], rule_sets: [] };
    throw e;
  }
}

export function availableViews(analyses) {
  const have = new Set(analyses.analyses.map((a) => a.id));
  return viewNames.filter((v) => !needs[v] || have.has(needs[v]));
}

// Hides the buttons of the views this server cannot show.
export function showViewButtons(available) {
  for (const b of document.querySelectorAll('#views button')) b.hidden = !available.includes(b.dataset.view);
}

export async function setView(app, view) {
  if (!app.availableViews.includes(view)) view = 'map';
  if (app.view === 'planner' && view !== 'planner') app.planner?.leave();
  app.view = view;
  for (const b of document.querySelectorAll('#views button')) b.setAttribute('aria-pressed', String(b.dataset.view === view));
  app.saveView();
  await refreshPanels(app);
}

export async function refreshPanels(app) {
  const panel = document.getElementById('view-panel');
  const body = panel.querySelector('.panel-body');
  if (app.view === 'map') {
    panel.hidden = true;
    await highlightDepartments(app.map, []);
    return;
  }
  panel.hidden = false;
  panel.dataset.view = app.view;
  panel.querySelector('.panel-title').textContent = t(titles[app.view]);
  const request = beginRefresh();
  try {
    if (app.view === 'planner') {
      await highlightDepartments(app.map, []);
      await app.planner.render(body);
      return;
    }
    // Built aside and shown only if no newer view or year was asked for meanwhile.
    const fresh = document.createElement('div');
    const pick = (collection, id) => pickFromList(app, collection, id);
    const outlined = await renderers[app.view](app, fresh, pick, request.signal);
    if (request.stale()) return;
    body.replaceChildren(...fresh.childNodes);
    await highlightDepartments(app.map, outlined);
  } catch (e) {
    if (!wasAborted(e)) app.showError(e);
  }
}
