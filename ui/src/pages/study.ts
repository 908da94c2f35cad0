// The study page: history, importance, parallel coordinates, slices, learning curves and the
// trials table; polls every 2 s with ?since=<version> and redraws only when a trial changed.
import { getJson } from '../api.js';
import { historyChart, lineChart, scatterChart, widthOf } from '../charts.js';
import { fmtNumber, fmtTime, h, section, stateBadge, timed } from '../dom.js';
import { parallelCoordinates, warmParallelCoordinates } from '../parallel.js';
import { trialsTable } from './study-table.js';
import { renderObjectives, type ObjectivesData } from './study-pareto.js';

interface ParamMeta { name: string; kind: string; log: boolean; low: number | null; high: number | null; labels: string[] | null }
export interface StudyData {
  changed: boolean;
  version: number;
  study: { name: string; experimentId: string; parentRunId: string; direction: string; metric: string; sampler: string; pruner: string | null };
  counts: Record<string, number>;
  bestValue: number | null;
  bestTrial: number | null;
  lastActivity: number;
  params: ParamMeta[];
  trials: { number: number[]; state: string[]; value: (number | null)[]; best: (number | null)[]; durationMs: (number | null)[]; params: Record<string, (number | null)[]> };
  importance: { method: string; quantile: number; nTrials: number; items: { name: string; importance: number }[]; note: string | null };
  curves: { total: number; items: { number: number; state: string; steps: number[]; values: number[] }[] };
  /** Several objectives (or constraints): see study-pareto.ts. */
  objectives?: ObjectivesData | null;
}

const POLL_MS = 2000;

export async function studyPage(root: HTMLElement, name: string, query: URLSearchParams): Promise<() => void> {
  warmParallelCoordinates(); // the drawing worker starts while the data loads
  const table = trialsTable(name, query); // its first page loads while the study data does
  let data = await getJson<StudyData>('study', { name });
  if (data.objectives) {
    // One column per objective (and feasibility) in the trials table, known once the study data is in.
    table.shape.objectives = data.objectives.metrics;
    table.shape.constrained = data.objectives.feasible.some((f) => f !== null);
    void table.refresh();
  }
  document.title = `sweep: study ${name}`;
  const summary = h('div');
  const objectives = h('div', { id: 'objectives' });
  const charts = h('div');
  const brushes = new Map<string, [number, number]>();
  root.replaceChildren(summary, objectives, charts, table.element);
  const draw = (): void => {
    renderSummary(summary, data);
    if (data.objectives) renderObjectives(objectives, data.objectives, data.trials.number);
    renderCharts(charts, data, brushes);
  };
  draw();
  let stopped = false;
  let timer = 0;
  const poll = async (): Promise<void> => {
    if (stopped) return;
    if (!document.hidden) {
      try {
        const next = await getJson<StudyData | { changed: false; version: number }>('study', { name, since: data.version });
        if (!stopped && next.changed) {
          data = next as StudyData;
          draw();
          void table.refresh();
        }
      } catch {
        // The next poll tries again; the status line shows the last error.
      }
    }
    if (!stopped) timer = window.setTimeout(() => void poll(), POLL_MS);
  };
  timer = window.setTimeout(() => void poll(), POLL_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

// --- internal ---

function renderSummary(el: HTMLElement, d: StudyData): void {
  const s = d.study;
  const counts = ['COMPLETE', 'RUNNING', 'WAITING', 'PRUNED', 'FAIL'].filter((k) => (d.counts[k] ?? 0) > 0);
  el.replaceChildren(
    h('h1', {}, `Study ${s.name}`),
    h('p', { class: 'meta' },
      `${d.objectives ? d.objectives.directions.map((dir, i) => `${dir} ${d.objectives?.metrics[i] ?? ''}`).join(', ') : `${s.direction} ${s.metric}`} · sampler ${s.sampler}${s.pruner ? ` · pruner ${s.pruner}` : ''} · `,
      h('a', { href: `#/experiment/${encodeURIComponent(s.experimentId)}` }, 'runs table'), ' · ',
      h('a', { href: `#/run/${s.parentRunId}` }, 'parent run')),
    h('p', { class: 'meta' },
      counts.map((k) => h('span', { class: 'count' }, stateBadge(k), ' ', String(d.counts[k]))),
      d.objectives && d.objectives.metrics.length > 1
        ? ` · Pareto front of ${d.objectives.front.length} trials · last activity ${fmtTime(d.lastActivity)}`
        : ` · best ${fmtNumber(d.bestValue)}${d.bestTrial === null ? '' : ` (trial #${d.bestTrial})`} · last activity ${fmtTime(d.lastActivity)}`,
      h('span', { class: 'live', title: 'updates every 2 s' }, ' ● live')),
  );
}

function renderCharts(el: HTMLElement, d: StudyData, brushes: Map<string, [number, number]>): void {
  const t = d.trials;
  const history = h('div', { class: 'chart', id: 'history-chart' });
  const importance = h('div', { id: 'importance' });
  const pc = h('div', { id: 'parallel' });
  const slices = h('div', { class: 'grid', id: 'slices' });
  const curves = h('div', { class: 'chart', id: 'curves-chart' });
  el.replaceChildren(
    section('Optimization history', h('p', { class: 'muted' }, 'Points: objective of COMPLETE trials; line: best so far; ticks on the axis: failed (red) and pruned (amber) trials.'), history),
    h('div', { class: 'two' },
      section('Parameter importance', importance),
      section('Learning curves', h('p', { class: 'muted' }, `Intermediate values of the latest ${d.curves.items.length} of ${d.curves.total} reporting trials.`), curves)),
    section('Parallel coordinates', h('p', { class: 'muted' }, 'COMPLETE trials, colored by objective (blue: low, orange: high). Drag along an axis to select a range; click it to clear.'), pc),
    section('Slice plots', slices),
  );
  renderImportance(importance, d.importance);
  if (d.curves.items.length === 0) curves.append(h('p', { class: 'muted' }, 'No trial reported intermediate values.'));
  const boxes = d.params.map((p) => {
    const box = h('div', { class: 'chart slice', 'data-param': p.name });
    slices.append(h('figure', {}, h('figcaption', {}, `${p.name}${p.log ? ' (log scale)' : ''}`), box));
    return box;
  });
  if (d.params.length === 0) slices.append(h('p', { class: 'muted' }, 'No params yet.'));
  // Every box is in place and measured once before anything draws (a read after a draw is a layout).
  const pcWidth = pc.getBoundingClientRect().width || 800;
  const [historyWidth, curvesWidth, ...sliceWidths] = [history, curves, ...boxes].map(widthOf);
  timed('history', () => historyChart(history, t, d.study.metric, historyWidth));
  if (d.curves.items.length > 0) {
    timed('curves', () => lineChart(curves, { xLabel: 'step', yLabel: d.study.metric, width: curvesWidth as number, series: d.curves.items.map((c) => ({ label: `#${c.number}`, xs: c.steps, ys: c.values })) }));
  }
  const done = t.state.map((s, i) => (s === 'COMPLETE' && t.value[i] !== null ? i : -1)).filter((i) => i >= 0);
  const pick = <T,>(xs: T[]): T[] => done.map((i) => xs[i] as T);
  const objective = pick(t.value);
  timed('parallel', () => parallelCoordinates(pc, [
    ...d.params.map((p) => ({ name: p.name, values: pick(t.params[p.name] ?? []), log: p.log, labels: p.labels })),
    { name: d.study.metric, values: objective },
  ], objective, undefined, brushes, pcWidth));
  d.params.forEach((p, k) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const i of done) {
      const x = t.params[p.name]?.[i];
      if (x !== null && x !== undefined) {
        xs.push(x);
        ys.push(t.value[i] as number);
      }
    }
    timed(`slice:${p.name}`, () => scatterChart(boxes[k] as HTMLElement, { xs, ys, xLabel: p.name, yLabel: d.study.metric, logX: p.log, labels: p.labels, width: sliceWidths[k] as number }));
  });
}

function renderImportance(el: HTMLElement, imp: StudyData['importance']): void {
  if (imp.items.length === 0) {
    el.replaceChildren(h('p', { class: 'muted' }, imp.note ?? 'Not enough trials.'));
    return;
  }
  el.replaceChildren(
    h('p', { class: 'muted' }, `PED-ANOVA over ${imp.nTrials} complete trials: how differently the best ${Math.round(imp.quantile * 100)}% spread over each param than all trials.`),
    h('ul', { class: 'bars' }, imp.items.map((i) => h('li', {},
      h('span', { class: 'bar-label' }, i.name),
      h('span', { class: 'bar', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 1, 'aria-valuenow': i.importance.toFixed(3), 'aria-label': `importance of ${i.name}` },
        h('span', { class: 'fill', style: `width:${(i.importance * 100).toFixed(1)}%` })),
      h('span', { class: 'bar-value' }, `${(i.importance * 100).toFixed(1)}%`)))),
  );
}
