// The views beside the map: screening and 40 plus (lists, with their departments outlined) and
// the planner. "map" is the map alone.
import { t } from './i18n.js';
import { highlightDepartments, renderFortyPlus, renderScreening } from './analysis-views.js';
import { pickFromList } from './selection.js';

export const viewNames = ['map', 'screening', 'forty-plus', 'planner'];
const titles = { screening: 'screening_title', 'forty-plus': 'forty_plus_title', planner: 'view_planner' };
let ticket = 0; // only the latest refresh draws

export async function setView(app, view) {
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
    highlightDepartments(app.map, []);
    return;
  }
  panel.hidden = false;
  panel.querySelector('.panel-title').textContent = t(titles[app.view]);
  const mine = ++ticket;
  try {
    if (app.view === 'planner') {
      highlightDepartments(app.map, []);
      await app.planner.render(body);
      return;
    }
    // Built aside and shown only if no newer view or year was asked for meanwhile.
    const fresh = document.createElement('div');
    const render = app.view === 'screening' ? renderScreening : renderFortyPlus;
    const outlined = await render(app, fresh, (collection, id) => pickFromList(app, collection, id));
    if (mine !== ticket) return;
    body.replaceChildren(...fresh.childNodes);
    highlightDepartments(app.map, outlined);
  } catch (e) {
    app.showError(e);
  }
}
