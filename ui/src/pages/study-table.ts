// The study's trials table: grammar filter with inline errors, server-side sort and pages; its
// state lives in the URL (filter, order, page) so a filtered view is a shareable link.
import { getJson } from '../api.js';
import { fmtDuration, fmtNumber, fmtValue, h, hashWith, section, stateBadge } from '../dom.js';
import { dataTable, pager } from '../table.js';

interface TrialRow { number: number; state: string; value: number | null; values?: (number | null)[]; feasible?: boolean; durationMs: number | null; runId: string; params: Record<string, unknown>; error: string | null }
interface TrialsPage { total?: number; offset?: number; paramNames?: string[]; items?: TrialRow[]; nextPageToken?: string; error?: string; column?: number | null }

/**
 * `objectives`: the metric names of a study with several objectives (one column each, instead of
 * Value); `constrained`: show a Feasible column. The study page sets them once its data is in.
 */
export function trialsTable(name: string, query: URLSearchParams, shape: { objectives?: string[]; constrained?: boolean } = {}): { element: HTMLElement; refresh: () => Promise<void>; shape: { objectives?: string[]; constrained?: boolean } } {
  let filter = query.get('filter') ?? '';
  let order = query.get('order') ?? 'number ASC';
  let token = query.get('page') ?? '';
  const previous: string[] = [];
  const input = h('input', { type: 'search', id: 'trials-filter', value: filter, size: 60, 'aria-describedby': 'trials-filter-error',
    placeholder: "params.lr < 0.01 AND attributes.status = 'FINISHED'", 'aria-label': 'Filter trials (run search grammar)' });
  const error = h('p', { id: 'trials-filter-error', class: 'error', role: 'alert' });
  const body = h('div', { id: 'trials-table' });
  const form = h('form', { class: 'filter', role: 'search' }, h('label', { for: 'trials-filter' }, 'Filter '), input, h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    filter = input.value.trim();
    token = '';
    previous.length = 0;
    void refresh();
  });

  async function refresh(): Promise<void> {
    history.replaceState(null, '', hashWith(`/study/${encodeURIComponent(name)}`, { filter, order: order === 'number ASC' ? '' : order, page: token }));
    let page: TrialsPage;
    try {
      page = await getJson<TrialsPage>('study/trials', { name, filter, order_by: order, page_size: 50, page_token: token });
    } catch (failed) {
      // Every caller fires and forgets (sort, pages, polls): the table shows why it has no rows.
      error.textContent = (failed as Error).message;
      body.replaceChildren();
      return;
    }
    if (page.error !== undefined) {
      error.textContent = page.error;
      input.setAttribute('aria-invalid', 'true');
      body.replaceChildren();
      return;
    }
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    const [key, dir] = order.split(/\s+/);
    const params = page.paramNames ?? [];
    body.replaceChildren(
      dataTable<TrialRow>({
        caption: `Trials of ${name}: ${page.total ?? 0}${filter ? ' matching the filter' : ''}`,
        rows: page.items ?? [],
        sort: { key: key ?? 'number', desc: dir === 'DESC' },
        onSort: (k, desc) => {
          order = `${k} ${desc ? 'DESC' : 'ASC'}`;
          token = '';
          previous.length = 0;
          void refresh();
        },
        onActivate: (r) => { location.hash = `#/run/${r.runId}`; },
        rowClass: (r) => `s-${r.state.toLowerCase()}`,
        columns: [
          { key: 'number', label: '#', sortable: true, numeric: true, cell: (r) => h('a', { href: `#/run/${r.runId}` }, String(r.number)) },
          { key: 'state', label: 'State', sortable: true, cell: (r) => h('span', { title: r.error ?? '' }, stateBadge(r.state)) },
          ...(shape.objectives !== undefined && shape.objectives.length > 1
            ? shape.objectives.map((m, k) => ({ key: `objective.${k}`, label: m, sortable: true, numeric: true, cell: (r: TrialRow) => fmtNumber(r.values?.[k] ?? null) }))
            : [{ key: 'value', label: 'Value', sortable: true, numeric: true, cell: (r: TrialRow) => fmtNumber(r.value) }]),
          ...(shape.constrained ? [{ key: 'feasible', label: 'Feasible', cell: (r: TrialRow) => (r.feasible === undefined ? '' : r.feasible ? 'yes' : h('span', { class: 'infeasible' }, 'no')) }] : []),
          { key: 'duration', label: 'Duration', sortable: true, numeric: true, cell: (r) => fmtDuration(r.durationMs) },
          ...params.map((p) => ({ key: `params.${p}`, label: p, sortable: true, numeric: true, cell: (r: TrialRow) => fmtValue(r.params[p]) })),
        ],
      }),
      pager({
        label: `${(page.offset ?? 0) + 1}–${(page.offset ?? 0) + (page.items?.length ?? 0)} of ${page.total ?? 0}`,
        hasPrev: previous.length > 0,
        hasNext: page.nextPageToken !== undefined,
        onPrev: () => { token = previous.pop() ?? ''; void refresh(); },
        onNext: () => { previous.push(token); token = page.nextPageToken ?? ''; void refresh(); },
      }),
    );
  }

  const element = section('Trials', form, error, h('p', { class: 'muted hint' },
    'Grammar over the trial runs: params.<name>, metrics.<name>, tags."sweep.state", attributes.status; AND, OR, parentheses.'), body);
  void refresh();
  return { element, refresh, shape };
}
