// The runs table of an experiment: top-level runs with expandable children, chosen columns,
// grammar filter and order with inline errors, server-side pages, and picking runs to compare.
import { getJson } from '../api.js';
import { fmtTime, fmtValue, h, hashWith } from '../dom.js';
import { dataTable, pager } from '../table.js';

interface RunRow {
  runId: string; runName: string; status: string; startTime: number; endTime: number | null; parentRunId: string | null;
  studyName: string | null; role: string | null; childrenCount?: number; hasMoreChildren?: boolean; values: Record<string, unknown>;
  depth?: number;
  /** A placeholder row after the loaded children: how many more there are. */
  more?: number;
}
interface RunsPage { items?: RunRow[]; columns?: string[]; availableColumns?: string[]; nextPageToken?: string; error?: string; column?: number | null }

const CHILD_PAGE = 200;

export async function runsPage(root: HTMLElement, experimentId: string, query: URLSearchParams): Promise<void> {
  let filter = query.get('filter') ?? '';
  let order = query.get('order') ?? '';
  let columns = query.get('columns') ?? '';
  let token = query.get('page') ?? '';
  const previous: string[] = [];
  const expanded = new Map<string, RunRow[]>();
  const chosen = new Set<string>();
  document.title = `sweep: runs of experiment ${experimentId}`;
  const filterInput = h('input', { type: 'search', id: 'runs-filter', value: filter, size: 50, 'aria-describedby': 'runs-error', 'aria-label': 'Filter runs', placeholder: "metrics.acc > 0.9 AND params.model = 'cnn'" });
  const orderInput = h('input', { type: 'text', id: 'runs-order', value: order, size: 24, 'aria-label': 'Order by', placeholder: 'metrics.acc DESC' });
  const error = h('p', { id: 'runs-error', class: 'error', role: 'alert' });
  const body = h('div', { id: 'runs-table' });
  const compare = h('button', { type: 'button', id: 'compare-button', disabled: true, onclick: () => { location.hash = `#/compare?runs=${[...chosen].join(',')}`; } }, 'Compare selected');
  const form = h('form', { class: 'filter', role: 'search' },
    h('label', { for: 'runs-filter' }, 'Filter '), filterInput, ' ', h('label', { for: 'runs-order' }, 'Order by '), orderInput, ' ', h('button', { type: 'submit' }, 'Apply'), ' ', compare);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    filter = filterInput.value.trim();
    order = orderInput.value.trim();
    token = '';
    previous.length = 0;
    void refreshShowingErrors();
  });
  const columnsBox = h('details', { class: 'columns' }, h('summary', {}, 'Columns'));
  root.replaceChildren(h('h1', {}, `Runs of experiment ${experimentId}`), form, error, columnsBox, body);

  /** For the clicks that start a refresh and move on: a failure shows above the table, not as a page error. */
  function refreshShowingErrors(): Promise<void> {
    return refresh().catch((failed: unknown) => { error.textContent = (failed as Error).message; });
  }

  async function refresh(): Promise<void> {
    history.replaceState(null, '', hashWith(`/experiment/${encodeURIComponent(experimentId)}`, { filter, order, columns, page: token }));
    const page = await getJson<RunsPage>('runs', { experiment_id: experimentId, filter, order_by: order, columns, page_size: 50, page_token: token });
    if (page.error !== undefined) {
      error.textContent = page.error;
      filterInput.setAttribute('aria-invalid', 'true');
      body.replaceChildren();
      return;
    }
    error.textContent = '';
    filterInput.removeAttribute('aria-invalid');
    renderColumns(page.availableColumns ?? [], page.columns ?? []);
    const draw = (): void => {
      const rows: RunRow[] = [];
      for (const r of page.items ?? []) {
        rows.push(r);
        for (const c of expanded.get(r.runId) ?? []) rows.push({ ...c, depth: 1 });
      }
      const cols = page.columns ?? [];
      body.replaceChildren(dataTable<RunRow>({
        caption: 'Runs (top level; expand a parent to see its children)',
        rows,
        onActivate: (r) => { location.hash = `#/run/${r.runId}`; },
        rowClass: (r) => (r.depth ? 'child' : ''),
        sort: order ? { key: order.split(/\s+/)[0] ?? '', desc: /DESC$/i.test(order) } : undefined,
        onSort: (k, desc) => { order = `${k} ${desc ? 'DESC' : 'ASC'}`; orderInput.value = order; token = ''; previous.length = 0; void refreshShowingErrors(); },
        columns: [
          { key: 'pick', label: 'Pick', cell: (r) => r.more ? '' : h('input', { type: 'checkbox', 'aria-label': `pick ${r.runName} to compare`, checked: chosen.has(r.runId), onchange: (e) => {
            const on = (e.target as HTMLInputElement).checked;
            if (on) chosen.add(r.runId); else chosen.delete(r.runId);
            compare.disabled = chosen.size < 2 || chosen.size > 10;
          } }) },
          { key: 'children', label: '', cell: (r) => (r.childrenCount && !r.more ? h('button', { type: 'button', class: 'expand', 'aria-expanded': expanded.has(r.runId) ? 'true' : 'false',
            onclick: async () => {
              if (expanded.has(r.runId)) expanded.delete(r.runId);
              else {
                const kids = (await getJson<RunsPage>('runs/children', { run_id: r.runId, columns: cols.join(','), page_size: CHILD_PAGE })).items ?? [];
                const more = (r.childrenCount ?? 0) - kids.length;
                expanded.set(r.runId, more > 0 ? [...kids, { ...r, more, values: {} }] : kids);
              }
              draw();
            } }, `${expanded.has(r.runId) ? '▾' : '▸'} ${r.childrenCount}${r.hasMoreChildren ? '+' : ''}`) : '') },
          { key: 'attributes.run_name', label: 'Run', sortable: true, cell: (r) => (r.more
            ? h('a', { class: 'indent', href: r.studyName ? `#/study/${encodeURIComponent(r.studyName)}` : `#/run/${r.runId}` }, `… ${r.more}${r.hasMoreChildren ? '+' : ''} more${r.studyName ? ': see the study page' : ''}`)
            : h('a', { href: `#/run/${r.runId}`, class: r.depth ? 'indent' : '' }, r.runName)) },
          { key: 'attributes.status', label: 'Status', sortable: true, cell: (r) => (r.more ? '' : r.status) },
          { key: 'attributes.start_time', label: 'Started', sortable: true, cell: (r) => (r.more ? '' : fmtTime(r.startTime)) },
          ...cols.map((c) => ({ key: c, label: c, sortable: true, numeric: c.startsWith('metrics.'), cell: (r: RunRow) => fmtValue(r.values[c]) })),
        ],
      }), pager({
        label: `page ${previous.length + 1}`,
        hasPrev: previous.length > 0,
        hasNext: page.nextPageToken !== undefined,
        onPrev: () => { token = previous.pop() ?? ''; void refreshShowingErrors(); },
        onNext: () => { previous.push(token); token = page.nextPageToken ?? ''; void refreshShowingErrors(); },
      }));
    };
    draw();
  }

  function renderColumns(available: string[], current: string[]): void {
    const boxes = available.map((c) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: c, checked: current.includes(c) }), ` ${c}`));
    const apply = h('button', { type: 'button', onclick: () => {
      columns = boxes.map((b) => b.querySelector('input') as HTMLInputElement).filter((i) => i.checked).map((i) => i.value).join(',');
      void refreshShowingErrors();
    } }, 'Show columns');
    columnsBox.replaceChildren(h('summary', {}, `Columns (${current.length} of ${available.length})`), h('div', { class: 'checks' }, boxes), apply);
  }

  await refresh();
}
