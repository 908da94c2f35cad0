// The study page's panels for several objectives: the Pareto front (2 objectives: one scatter with
// the front highlighted; 3 or more: a scatter per pair), the hypervolume history and each
// objective's history. Infeasible trials (constraints) are drawn apart and never on the front.
import uPlot from 'uplot';
import { lineChart, PALETTE, widthOf } from '../charts.js';
import { fmtNumber, h, section } from '../dom.js';
import { dotPaths } from '../dots.js';

export interface ObjectivesData {
  directions: string[];
  metrics: string[];
  values: (number | null)[][];
  feasible: (boolean | null)[];
  front: number[];
  hypervolume: { number: number[]; value: number[]; reference: number[] | null } | null;
}

/** Draws the panels into `el`; `numbers` are the page's trial numbers (aligned with the columns). */
export function renderObjectives(el: HTMLElement, o: ObjectivesData, numbers: number[]): void {
  const m = o.metrics.length;
  const pairs: [number, number][] = [];
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) pairs.push([a, b]);
  const scatters = pairs.map(([a, b]) => h('div', { class: 'chart pareto', 'data-x': o.metrics[a] as string, 'data-y': o.metrics[b] as string }));
  const hv = h('div', { class: 'chart', id: 'hypervolume-chart' });
  const histories = o.metrics.map((name) => h('div', { class: 'chart objective-history', 'data-metric': name }));
  const infeasible = o.feasible.filter((f) => f === false).length;
  el.replaceChildren(
    section('Pareto front',
      h('p', { class: 'muted' },
        `${o.directions.map((d, i) => `${d} ${o.metrics[i]}`).join(', ')}. Orange: the ${o.front.length} trials on the Pareto front; blue: the other complete trials`,
        infeasible > 0 ? `; grey: ${infeasible} infeasible trials (constraints violated).` : '.'),
      h('div', { class: m > 2 ? 'grid' : '', id: 'pareto-front' }, scatters.map((s, k) => h('figure', {}, h('figcaption', {}, `${o.metrics[(pairs[k] as [number, number])[0]]} vs ${o.metrics[(pairs[k] as [number, number])[1]]}`), s))),
      h('p', { class: 'muted', id: 'pareto-front-trials' }, 'On the front: ', o.front.map((n, i) => [i > 0 ? ', ' : '', h('span', { class: 'front-trial' }, `#${n}`)]).flat())),
    ...(o.hypervolume ? [section('Hypervolume history', h('p', { class: 'muted' }, `Hypervolume of the front after each complete trial; reference point ${o.hypervolume.reference?.map((r) => fmtNumber(r)).join(', ') ?? '-'} (minimized objectives).`), hv)] : []),
    section('Objective histories', h('div', { class: 'grid' }, histories.map((box, k) => h('figure', {}, h('figcaption', {}, o.metrics[k] as string), box)))),
  );
  const widths = [...scatters, hv, ...histories].map(widthOf);
  const onFront = new Set(o.front);
  pairs.forEach(([a, b], k) => paretoScatter(scatters[k] as HTMLElement, o, numbers, onFront, a, b, widths[k] as number));
  if (o.hypervolume) {
    hv.dataset['points'] = String(o.hypervolume.value.length);
    lineChart(hv, { xLabel: 'trial', yLabel: 'hypervolume', width: widths[pairs.length] as number, points: true, series: [{ label: 'hypervolume', xs: o.hypervolume.number, ys: o.hypervolume.value }] });
  }
  o.metrics.forEach((name, k) => {
    const xs: number[] = [];
    const ys: number[] = [];
    (o.values[k] ?? []).forEach((v, i) => {
      if (v !== null) {
        xs.push(numbers[i] as number);
        ys.push(v);
      }
    });
    lineChart(histories[k] as HTMLElement, { xLabel: 'trial', yLabel: name, width: widths[pairs.length + 1 + k] as number, points: true, series: [{ label: name, xs, ys }] });
  });
}

// --- internal ---

/** Objective a against objective b: every complete trial a dot, the front's in orange, infeasible ones grey. */
function paretoScatter(target: HTMLElement, o: ObjectivesData, numbers: number[], onFront: Set<number>, a: number, b: number, width: number): uPlot {
  const rows: { x: number; y: number; kind: 0 | 1 | 2 }[] = [];
  const xa = o.values[a] ?? [];
  const yb = o.values[b] ?? [];
  xa.forEach((x, i) => {
    const y = yb[i];
    if (x === null || y === null || y === undefined) return;
    const kind = onFront.has(numbers[i] as number) ? 1 : o.feasible[i] === false ? 2 : 0;
    rows.push({ x, y, kind });
  });
  rows.sort((p, q) => p.x - q.x);
  target.dataset['points'] = String(rows.length);
  target.dataset['front'] = String(rows.filter((r) => r.kind === 1).length);
  target.dataset['infeasible'] = String(rows.filter((r) => r.kind === 2).length);
  const col = (kind: number): (number | null)[] => rows.map((r) => (r.kind === kind ? r.y : null));
  const dots = (fill: string, size: number): uPlot.Series => ({
    stroke: fill, paths: () => null, points: { show: true, size, width: 0, fill, paths: dotPaths }, value: (_u, v) => fmtNumber(v),
  });
  return new uPlot({
    width,
    height: 300,
    scales: { x: { time: false } },
    legend: { show: true },
    axes: [axis(o.metrics[a] as string), axis(o.metrics[b] as string)],
    series: [
      { label: o.metrics[a] as string },
      { label: 'dominated', ...dots('rgba(31,95,191,0.55)', 5) },
      { label: 'Pareto front', ...dots(PALETTE[1] as string, 8) },
      { label: 'infeasible', ...dots('rgba(100,116,139,0.5)', 5) },
    ],
  }, [rows.map((r) => r.x), col(0), col(1), col(2)] as uPlot.AlignedData, target);
}

function axis(label: string): uPlot.Axis {
  return { label, stroke: '#1e293b', grid: { stroke: '#e2e8f0' }, ticks: { stroke: '#cbd5e1' } };
}
