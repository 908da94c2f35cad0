// Compare 2-10 runs: params and latest metrics side by side (differences highlighted) and each
// metric's histories overlaid in one chart.
import { getJson } from '../api.js';
import { lineChart } from '../charts.js';
import { fmtNumber, fmtValue, h, section } from '../dom.js';
import { dataTable } from '../table.js';

interface Row { key: string; values: (string | number | null)[]; differs: boolean }
interface CompareData {
  runs: { runId: string; runName: string; status: string; studyName: string | null }[];
  params: Row[];
  metrics: Row[];
  histories: Record<string, ({ steps: number[]; values: number[] } | null)[]>;
}

export async function comparePage(root: HTMLElement, query: URLSearchParams): Promise<void> {
  const d = await getJson<CompareData>('compare', { run_ids: query.get('runs') ?? '' });
  document.title = `sweep: compare ${d.runs.length} runs`;
  const table = (rows: Row[], caption: string, numeric: boolean): HTMLElement => dataTable<Row>({
    caption, rows,
    rowClass: (r) => (r.differs ? 'differs' : ''),
    columns: [
      { key: 'key', label: 'Key', cell: (r) => h('span', {}, r.key, r.differs ? h('span', { class: 'sr-only' }, ' (differs)') : null) },
      ...d.runs.map((run, i) => ({ key: run.runId, label: run.runName, numeric, cell: (r: Row) => (numeric ? fmtNumber(r.values[i] as number | null) : fmtValue(r.values[i])) })),
    ],
  });
  const charts = h('div', { class: 'grid' });
  root.replaceChildren(
    h('h1', {}, `Compare ${d.runs.length} runs`),
    h('p', { class: 'meta' }, d.runs.flatMap((r, i) => [i > 0 ? ' · ' : '', h('a', { href: `#/run/${r.runId}` }, r.runName), ` (${r.status})`])),
    h('p', { class: 'muted' }, 'Rows whose values differ come first and are highlighted.'),
    h('div', { class: 'two' }, section('Params', table(d.params, 'Params', false)), section('Latest metrics', table(d.metrics, 'Latest metrics', true))),
    section('Metric histories', charts),
  );
  const boxes = Object.entries(d.histories).map(([key, per]) => {
    const box = h('div', { class: 'chart', 'data-metric': key });
    charts.append(h('figure', {}, h('figcaption', {}, key), box));
    return [key, per, box] as const;
  });
  for (const [key, per, box] of boxes) {
    const series = per.flatMap((s, i) => (s ? [{ label: d.runs[i]?.runName ?? `run ${i}`, xs: s.steps, ys: s.values }] : []));
    lineChart(box, { xLabel: 'step', yLabel: key, series, height: 220, points: series.every((s) => s.xs.length < 60) });
  }
}
