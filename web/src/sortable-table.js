// A table whose column headers sort it (click or Enter/Space on the header's button);
// aria-sort tells screen readers the order.
import { h } from './dom.js';
import { t } from './i18n.js';

// columns: [{key, label, title?, extra? (node after the label), cellClass?(row), value(row) -> sortable, render(row) -> text/node, numeric}]
// onRowClick makes column `linkColumn` (default the second: the first is often a rank) a button;
// rowClass(row) adds classes to a row.
export function sortableTable(columns, rows, { onRowClick, initial, linkColumn = 1, rowClass } = {}) {
  let sortKey = initial?.key ?? columns[0].key;
  let ascending = initial?.ascending ?? true;
  const tbody = h('tbody');
  const headers = columns.map((c) => {
    const button = h('button', { type: 'button', title: c.title ?? t('sort_by', { column: c.label }) }, c.label);
    const th = h('th', { scope: 'col', class: c.numeric ? 'num' : '' }, button, c.extra ?? null);
    button.addEventListener('click', () => {
      ascending = sortKey === c.key ? !ascending : true;
      sortKey = c.key;
      draw();
    });
    return { c, th };
  });
  const draw = () => {
    const col = columns.find((c) => c.key === sortKey);
    const sorted = [...rows].sort((a, b) => {
      const x = col.value(a), y = col.value(b);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'da');
      return ascending ? order : -order;
    });
    for (const { c, th } of headers) th.setAttribute('aria-sort', c.key === sortKey ? (ascending ? 'ascending' : 'descending') : 'none');
    tbody.replaceChildren(...sorted.map((row) => {
      const tr = h('tr', { class: rowClass?.(row) }, columns.map((c, i) => (i === linkColumn && onRowClick
        ? h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => onRowClick(row) }, c.render(row)))
        : h('td', { class: [c.numeric ? 'num' : '', c.cellClass?.(row) ?? ''].join(' ').trim() }, c.render(row)))));
      tr.dataset.id = row.id;
      return tr;
    }));
  };
  draw();
  return h('table', { class: 'sortable' }, h('thead', {}, h('tr', {}, headers.map((x) => x.th))), tbody);
}
