// An accessible data table: sortable headers (buttons with aria-sort), rows reachable with the
// arrow keys / Home / End (roving tabindex), Enter activates a row, and a pager.
import { h } from './dom.js';

export interface Column<R> {
  key: string;
  label: string;
  /** Sorting is done by the server: the table only reports the key clicked. */
  sortable?: boolean;
  numeric?: boolean;
  cell: (row: R) => Node | string;
}

export interface TableOptions<R> {
  columns: Column<R>[];
  rows: R[];
  /** Current order: key and direction. */
  sort?: { key: string; desc: boolean } | undefined;
  onSort?: (key: string, desc: boolean) => void;
  /** Enter (or double click) on a row. */
  onActivate?: (row: R) => void;
  /** Extra class per row. */
  rowClass?: (row: R) => string;
  caption?: string;
  empty?: string;
}

export function dataTable<R>(opts: TableOptions<R>): HTMLElement {
  const head = h('tr', {}, opts.columns.map((c) => {
    const sorted = opts.sort?.key === c.key;
    const ariaSort = sorted ? (opts.sort?.desc ? 'descending' : 'ascending') : c.sortable ? 'none' : null;
    const label = c.sortable && opts.onSort
      ? h('button', { type: 'button', class: 'sort', onclick: () => opts.onSort?.(c.key, sorted ? !opts.sort?.desc : false) },
          c.label, sorted ? (opts.sort?.desc ? ' ▼' : ' ▲') : '')
      : c.label;
    return h('th', { scope: 'col', 'aria-sort': ariaSort, class: c.numeric ? 'num' : null }, label);
  }));
  const body = h('tbody');
  opts.rows.forEach((row, i) => {
    const tr = h('tr', { tabindex: i === 0 ? 0 : -1, class: opts.rowClass?.(row) ?? null }, opts.columns.map((c) => h('td', { class: c.numeric ? 'num' : null }, c.cell(row))));
    tr.addEventListener('keydown', (e) => rowKey(e, tr, () => opts.onActivate?.(row)));
    if (opts.onActivate) tr.addEventListener('dblclick', () => opts.onActivate?.(row));
    body.append(tr);
  });
  if (opts.rows.length === 0) body.append(h('tr', {}, h('td', { colspan: opts.columns.length, class: 'empty' }, opts.empty ?? 'Nothing to show.')));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, opts.caption ? h('caption', {}, opts.caption) : null, h('thead', {}, head), body));
}

/** Pager: "Previous" / "Next" and a count; tokens are kept by the page that owns the table. */
export function pager(opts: { label: string; hasPrev: boolean; hasNext: boolean; onPrev: () => void; onNext: () => void }): HTMLElement {
  return h('div', { class: 'pager', role: 'navigation', 'aria-label': 'Pagination' },
    h('button', { type: 'button', disabled: !opts.hasPrev, onclick: opts.onPrev }, '‹ Previous'),
    h('span', { class: 'muted' }, opts.label),
    h('button', { type: 'button', disabled: !opts.hasNext, onclick: opts.onNext }, 'Next ›'));
}

// --- internal ---

function rowKey(e: KeyboardEvent, tr: HTMLTableRowElement, activate: () => void): void {
  const rows = [...(tr.parentElement?.children ?? [])] as HTMLElement[];
  const i = rows.indexOf(tr);
  const target = e.key === 'ArrowDown' ? rows[i + 1]
    : e.key === 'ArrowUp' ? rows[i - 1]
    : e.key === 'Home' ? rows[0]
    : e.key === 'End' ? rows[rows.length - 1]
    : undefined;
  if (target) {
    e.preventDefault();
    tr.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  } else if (e.key === 'Enter' && e.target === tr) {
    e.preventDefault();
    activate();
  }
}
