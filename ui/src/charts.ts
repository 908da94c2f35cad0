// Charts on uPlot (small, fast canvas series): line charts of several series, scatter plots with
// log or categorical x axes, and the optimization history with failed/pruned trials marked.
import uPlot from 'uplot';
import { fmtNumber } from './dom.js';
import { dotPaths } from './dots.js';

export const PALETTE = ['#1f5fbf', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#334155'];

export interface LineSeries {
  label: string;
  xs: number[];
  ys: (number | null)[];
}

/** Several series, each with its own x values (joined on the union of x). */
export function lineChart(target: HTMLElement, opts: { series: LineSeries[]; xLabel: string; yLabel?: string; height?: number; points?: boolean; width?: number }): uPlot {
  const data = opts.series.length === 0 ? [[]] : uPlot.join(opts.series.map((s) => [s.xs, s.ys.map((y) => y ?? null)]) as uPlot.AlignedData[]);
  target.dataset['series'] = String(opts.series.length);
  target.dataset['points'] = String(opts.series.reduce((n, s) => n + s.ys.filter((y) => y !== null).length, 0));
  return new uPlot({
    width: opts.width ?? widthOf(target),
    height: opts.height ?? 260,
    scales: { x: { time: false } },
    legend: { show: opts.series.length <= 12 },
    // A hover dot per series is one element each: not for the 200 learning curves of a study.
    cursor: { points: { show: opts.series.length <= 12 } },
    axes: [axis(opts.xLabel), axis(opts.yLabel ?? '')],
    series: [
      { label: opts.xLabel },
      ...opts.series.map((s, i) => ({
        label: s.label,
        stroke: PALETTE[i % PALETTE.length] as string,
        width: 1.5,
        spanGaps: true,
        points: { show: opts.points ?? false, size: 4 },
        value: (_u: uPlot, v: number | null) => fmtNumber(v),
      })),
    ],
  }, data as uPlot.AlignedData, target);
}

/** A scatter of (x, y): log x axis on request, or category labels for a choice param. */
export function scatterChart(target: HTMLElement, opts: { xs: number[]; ys: number[]; xLabel: string; yLabel: string; logX?: boolean; labels?: string[] | null; height?: number; width?: number }): uPlot {
  const order = opts.xs.map((_, i) => i).sort((a, b) => (opts.xs[a] as number) - (opts.xs[b] as number));
  const xs = order.map((i) => opts.xs[i] as number);
  const ys = order.map((i) => opts.ys[i] as number);
  target.dataset['points'] = String(xs.length);
  const labels = opts.labels;
  return new uPlot({
    width: opts.width ?? widthOf(target),
    height: opts.height ?? 220,
    scales: { x: { time: false, ...(opts.logX ? { distr: 3 } : {}), ...(labels ? { range: [-0.5, labels.length - 0.5] } : {}) } },
    legend: { show: false },
    axes: [
      {
        ...axis(opts.xLabel),
        ...(labels ? { splits: () => labels.map((_, i) => i), values: (_u: uPlot, v: number[]) => v.map((i) => labels[i] ?? '') } : {}),
        ...(opts.logX ? { grid: { show: false }, values: (_u: uPlot, v: number[]) => v.map((x) => (Number.isInteger(Math.log10(x)) ? fmtNumber(x) : '')) } : {}),
      },
      axis(opts.yLabel),
    ],
    series: [{}, { stroke: PALETTE[0] as string, fill: 'rgba(31,95,191,0.5)', paths: () => null, points: { show: true, size: 5, width: 0, fill: 'rgba(31,95,191,0.65)', paths: dotPaths } }],
  }, [xs, ys], target);
}

/** Objective per trial (points), best so far (step line); FAIL and PRUNED trials as ticks along the bottom. */
export function historyChart(target: HTMLElement, t: { number: number[]; value: (number | null)[]; best: (number | null)[]; state: string[] }, metric: string, width?: number): uPlot {
  const marks = t.state.map((s, i) => (s === 'FAIL' || s === 'PRUNED' ? { x: t.number[i] as number, fail: s === 'FAIL' } : null)).filter((m) => m !== null);
  target.dataset['points'] = String(t.value.filter((v) => v !== null).length);
  target.dataset['failed'] = String(marks.filter((m) => m.fail).length);
  target.dataset['pruned'] = String(marks.filter((m) => !m.fail).length);
  const draw = (u: uPlot): void => {
    const ctx = u.ctx;
    const bottom = u.bbox.top + u.bbox.height;
    ctx.save();
    ctx.lineWidth = 2 * devicePixelRatio;
    for (const fail of [true, false]) {
      ctx.strokeStyle = fail ? '#b91c1c' : '#a16207';
      ctx.beginPath();
      for (const m of marks) {
        if (m.fail !== fail) continue;
        const x = u.valToPos(m.x, 'x', true);
        ctx.moveTo(x, bottom);
        ctx.lineTo(x, bottom - 10 * devicePixelRatio);
      }
      ctx.stroke();
    }
    ctx.restore();
  };
  return new uPlot({
    width: width ?? widthOf(target),
    height: 280,
    scales: { x: { time: false } },
    axes: [axis('trial'), axis(metric)],
    hooks: { draw: [draw] },
    series: [
      { label: 'trial' },
      { label: 'objective', stroke: PALETTE[0] as string, paths: () => null, points: { show: true, size: 5, width: 0, fill: 'rgba(31,95,191,0.7)', paths: dotPaths }, value: (_u, v) => fmtNumber(v) },
      { label: 'best so far', stroke: PALETTE[1] as string, width: 2, spanGaps: true, paths: uPlot.paths.stepped?.({ align: 1 }), value: (_u, v) => fmtNumber(v) },
    ],
  }, [t.number, t.value, t.best] as uPlot.AlignedData, target);
}

/** The width a chart in `el` gets. Measure every chart's box before drawing any: each read after a draw forces a layout. */
export function widthOf(el: HTMLElement): number {
  return Math.max(280, Math.floor(el.getBoundingClientRect().width || el.parentElement?.getBoundingClientRect().width || 600));
}

// --- internal ---

function axis(label: string): uPlot.Axis {
  return { label, stroke: '#1e293b', grid: { stroke: '#e2e8f0' }, ticks: { stroke: '#cbd5e1' } };
}
