// Planner mode: draw a polygon, read its overlay report, and (with a write token) save it as a
// proposal; list, open, edit and delete the saved ones. Saved proposals are drawn for everyone
// by the tiles' "proposals" layer, which is reloaded after every write.
import { getJson, sendJson, query } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { PolygonDrawing } from './draw.js';
import { renderReport } from './overlay-report.js';
import { latestOnly, wasAborted } from './latest.js';

const TOKEN_KEY = 'kvarter.token';

export class Planner {
  constructor(app, { reloadTiles }) {
    this.app = app;
    this.reloadTiles = reloadTiles;
    this.geometry = null; // the polygon the report and a save are about
    this.editing = null; // the proposal being edited: {id, ...}
    this.drawing = null;
    this.beginReport = latestOnly(); // a newer polygon or year aborts the report still coming
  }

  // Builds the planner's panel content into `body`.
  async render(body) {
    const map = this.app.map;
    this.drawing ??= new PolygonDrawing(map, {
      onChange: (n) => { this.status.textContent = n ? t('drawing', { n }) : ''; },
      onFinish: (geometry) => this.report(geometry),
    });
    // Re-rendered on a language switch: what the planner typed stays.
    const typed = { name: this.name?.value ?? '', description: this.description?.value ?? '' };
    this.status = h('p', { class: 'draw-status', role: 'status' });
    this.reportBox = h('div', { class: 'report-box', 'aria-live': 'polite' });
    this.message = h('p', { class: 'message', role: 'status' });
    this.list = h('ul', { class: 'proposal-list' });
    this.token = h('input', { id: 'token', type: 'password', autocomplete: 'off', value: sessionStorage.getItem(TOKEN_KEY) ?? '' });
    this.name = h('input', { id: 'proposal-name', type: 'text', maxlength: 200, required: true, value: typed.name });
    this.description = h('textarea', { id: 'proposal-description', rows: 3 });
    this.description.value = typed.description;
    this.saveButton = h('button', { type: 'submit', id: 'save-proposal' }, t(this.editing ? 'save_changes' : 'save'));
    const form = h('form', { class: 'proposal-form', onsubmit: (e) => { e.preventDefault(); this.save(); } },
      h('label', { for: 'proposal-name' }, t('proposal_name')), this.name,
      h('label', { for: 'proposal-description' }, t('proposal_description')), this.description,
      h('label', { for: 'token' }, t('token')), this.token,
      this.saveButton, this.message);

    body.replaceChildren(
      h('p', {}, t('planner_intro')),
      h('div', { class: 'draw-buttons' },
        h('button', { type: 'button', id: 'draw-start', onclick: () => this.startDrawing() }, t('draw_start')),
        h('button', { type: 'button', id: 'draw-finish', onclick: () => this.drawing.finish() }, t('draw_finish')),
        h('button', { type: 'button', id: 'draw-undo', onclick: () => this.drawing.undo() }, t('draw_undo')),
        h('button', { type: 'button', id: 'draw-cancel', onclick: () => this.drawing.cancel() }, t('draw_cancel'))),
      this.status, this.reportBox, form,
      h('h3', {}, t('proposals')), this.list);
    if (this.geometry) {
      this.drawing.show(this.geometry);
      this.report(this.geometry, this.reportedProposal);
    }
    await this.refreshList();
  }

  // A new year changes the report's indicators and which renewals are active; the form stays.
  onYear() {
    if (this.geometry) this.report(this.geometry, this.reportedProposal);
  }

  leave() {
    this.drawing?.stop();
  }

  startDrawing() {
    this.editing = null;
    this.saveButton.textContent = t('save');
    this.geometry = null;
    this.reportedProposal = undefined;
    this.reportBox.replaceChildren();
    this.drawing.start();
    this.app.map.getCanvas().focus();
  }

  async report(geometry, proposalId) {
    this.geometry = geometry;
    this.reportedProposal = proposalId;
    const request = this.beginReport();
    this.reportBox.replaceChildren(h('p', {}, t('loading')));
    try {
      const { signal } = request;
      const report = proposalId
        ? await getJson(`/proposals/${proposalId}/report${query({ year: this.app.year })}`, { signal })
        : await sendJson(`/analysis/overlay${query({ year: this.app.year })}`, 'POST', geometry, undefined, signal);
      if (request.stale()) return; // a newer report was asked for meanwhile
      this.reportBox.replaceChildren(renderReport(this.app, report));
    } catch (e) {
      if (wasAborted(e)) return;
      this.reportBox.replaceChildren(h('p', { class: 'error' }, t('error', { message: e.message })));
    }
  }

  async save() {
    if (!this.geometry) { this.message.textContent = t('need_polygon'); return; }
    const token = this.token.value.trim();
    if (!token) { this.message.textContent = t('need_token'); return; }
    sessionStorage.setItem(TOKEN_KEY, token);
    const feature = { type: 'Feature', geometry: this.geometry,
      properties: { name: this.name.value.trim(), description: this.description.value } };
    try {
      if (this.editing) {
        feature.properties.status = this.editing.properties.status;
        await sendJson(`/proposals/${this.editing.id}`, 'PUT', feature, token);
      } else {
        const saved = await sendJson('/proposals', 'POST', feature, token);
        this.editing = saved;
        this.saveButton.textContent = t('save_changes');
      }
      this.message.textContent = t('saved');
      this.reloadTiles();
      await this.refreshList();
    } catch (e) {
      this.message.textContent = t('error', { message: e.message });
    }
  }

  async remove(p) {
    if (!confirm(t('confirm_delete', { name: p.properties.name }))) return;
    try {
      await sendJson(`/proposals/${p.id}`, 'DELETE', undefined, this.token.value.trim());
      if (this.editing?.id === p.id) this.editing = null;
      this.message.textContent = t('deleted');
      this.reloadTiles();
      await this.refreshList();
    } catch (e) {
      this.message.textContent = t('error', { message: e.message });
    }
  }

  open(p, edit) {
    this.drawing.stop();
    this.drawing.show(p.geometry);
    this.app.fitGeometry(p.geometry);
    this.report(p.geometry, p.id);
    if (edit) {
      this.editing = p;
      this.name.value = p.properties.name ?? '';
      this.description.value = p.properties.description ?? '';
      this.saveButton.textContent = t('save_changes');
      this.name.focus();
    }
  }

  async refreshList() {
    try {
      const page = await getJson(`/proposals${query({ limit: 1000 })}`);
      this.list.replaceChildren(...page.features.map((p) => h('li', { dataset: { id: String(p.id) } },
        h('span', { class: 'proposal-name' }, p.properties.name || `#${p.id}`),
        h('span', { class: 'proposal-meta' }, ` (${p.properties.author ?? ''}, ${p.properties.status ?? ''})`),
        h('span', { class: 'row-buttons' },
          h('button', { type: 'button', class: 'open', onclick: () => this.open(p, false) }, t('open')),
          h('button', { type: 'button', class: 'edit', onclick: () => this.open(p, true) }, t('edit')),
          h('button', { type: 'button', class: 'delete', onclick: () => this.remove(p) }, t('delete'))))));
    } catch (e) {
      this.list.replaceChildren(h('li', { class: 'error' }, t('error', { message: e.message })));
    }
  }
}
