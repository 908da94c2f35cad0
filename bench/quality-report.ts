// Rendering the quality benchmark: regret tables per function beside Optuna 3.1's figures (read from
// ../shared/bench/optuna-3.1-quality.json when present) and the verdict against the issue's quality bar.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { referenceDir } from './functions.js';

export interface Stats {
  readonly median: number;
  readonly q25: number;
  readonly q75: number;
  readonly n: number;
  /** Every seed's regret, seed order (runs since 2026-12-07 16:30 UTC; older JSON files lack it). */
  readonly values?: readonly number[];
}

/** fn -> label -> budget -> collected values (filled while runs come in). */
export type QualitySummary = Record<string, Record<string, Record<string, { values: number[] }>>>;
type StatsTable = Record<string, Record<string, Record<string, Stats>>>;

/** Optuna's summary (fn -> sampler -> budget -> stats), or undefined without the reference file. */
export function loadOptunaQuality(): StatsTable | undefined {
  const file = `${referenceDir()}/optuna-3.1-quality.json`;
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(readFileSync(file, 'utf8')) as { summary: StatsTable };
  return json.summary;
}

export function renderQuality(
  ours: StatsTable,
  optuna: StatsTable | undefined,
  labels: readonly string[],
  budgets: readonly number[],
  meta: { seeds: number; trials: number; seconds: number; referenceChecked: boolean },
): string {
  const lines: string[] = [];
  lines.push(`Regret (best found minus known minimum): median [q25, q75] over ${meta.seeds} seeds, ${meta.trials} trials per run.`);
  lines.push(`Wall time ${meta.seconds.toFixed(1)} s. Objectives ${meta.referenceChecked ? 'checked equal (1e-9) to' : 'NOT checked against'} the reference suite.`);
  lines.push('');
  lines.push(`| function | sampler | ${budgets.join(' | ')} |`);
  lines.push(`|---|---|${budgets.map(() => '---:').join('|')}|`);
  for (const fn of Object.keys(ours)) {
    const rows: [string, Record<string, Stats> | undefined][] = labels.map((l) => [`sweep ${l}`, ours[fn]?.[l]]);
    if (optuna?.[fn]) for (const s of ['random', 'tpe', 'tpe_mv']) rows.push([`optuna 3.1 ${s}`, optuna[fn]?.[s]]);
    for (const [name, byBudget] of rows) {
      if (!byBudget) continue;
      lines.push(`| ${fn} | ${name} | ${budgets.map((b) => cell(byBudget[String(b)])).join(' | ')} |`);
    }
  }
  if (optuna && labels.includes('tpe')) lines.push('', ...verdict(ours, optuna, labels.filter((l) => l !== 'random')));
  return `${lines.join('\n')}\n`;
}

// --- internal ---

/** Each TPE variant's median vs Optuna's better mode (lower median of tpe, tpe_mv) at 100 and 200 trials. */
function verdict(ours: StatsTable, optuna: StatsTable, labels: readonly string[]): string[] {
  const out = ['Against Optuna 3.1\'s better mode per function (median regret; "=" within 2%):', ''];
  out.push(`| sampler | ${Object.keys(ours).map((fn) => `${fn} @100 | ${fn} @200`).join(' | ')} | strictly better (fns) | worse (cells) |`);
  out.push(`|---|${Object.keys(ours).map(() => '---|---').join('|')}|---:|---:|`);
  for (const label of labels) {
    let better = 0;
    let worse = 0;
    const cells: string[] = [];
    for (const fn of Object.keys(ours)) {
      let fnBetter = true;
      for (const b of ['100', '200']) {
        const mine = ours[fn]?.[label]?.[b]?.median;
        const theirs = Math.min(optuna[fn]?.['tpe']?.[b]?.median ?? Infinity, optuna[fn]?.['tpe_mv']?.[b]?.median ?? Infinity);
        if (mine === undefined) {
          cells.push('-');
          fnBetter = false;
          continue;
        }
        const mark = mine < theirs * 0.98 ? '<' : mine <= theirs * 1.02 ? '=' : '>';
        if (mark === '>') worse++;
        if (mark !== '<') fnBetter = false;
        cells.push(`${mark} ${fmt(mine / theirs)}x`);
      }
      if (fnBetter) better++;
    }
    out.push(`| ${label} | ${cells.join(' | ')} | ${better} | ${worse} |`);
  }
  out.push('', '`< 0.42x` means our median regret is 0.42 times Optuna\'s better mode.');
  return out;
}

function cell(s: Stats | undefined): string {
  return s ? `${fmt(s.median)} [${fmt(s.q25)}, ${fmt(s.q75)}]` : '-';
}

function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 0.01 && a < 1000 ? x.toPrecision(3) : x.toExponential(2);
}

// --- the wide suite (issue 15) ---

/** Regrets below this count as this much when taking ratios (a median of exactly 0 would divide by 0). */
export const REGRET_FLOOR = 1e-12;
/** The selection rule of bench/README.md: geometric mean of the ratios below this, and no ratio above WORST_MAX. */
export const GEO_MEAN_MAX = 0.7;
export const WORST_MAX = 1.25;
export const RULE_BUDGETS = ['100', '200'] as const;

/** Optuna 3.1 on the wide suite (bench/optuna/optuna-3.1-suite.json, in this repository), or undefined without it. */
export function loadOptunaSuite(): StatsTable | undefined {
  const file = fileURLToPath(new URL('./optuna/optuna-3.1-suite.json', import.meta.url));
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { summary: StatsTable }).summary;
}

/** Optuna's better mode on one function at one budget: the lower median of `tpe` and `tpe_mv`. */
export function optunaBetter(optuna: StatsTable, fn: string, budget: string): { median: number; mode: string; n: number } | undefined {
  const modes = ['tpe', 'tpe_mv'].map((m) => ({ mode: m, s: optuna[fn]?.[m]?.[budget] })).filter((x) => x.s !== undefined);
  if (modes.length === 0) return undefined;
  const best = modes.reduce((a, b) => ((b.s as Stats).median < (a.s as Stats).median ? b : a));
  return { median: (best.s as Stats).median, mode: best.mode, n: (best.s as Stats).n };
}

export interface SuiteVerdict {
  readonly label: string;
  readonly half: string;
  readonly geoMean: number;
  readonly worst: number;
  readonly worstAt: string;
  readonly cells: number;
  readonly passes: boolean;
}

/** Ratios of one label's median regret to Optuna's better mode, per function and rule budget. */
export function suiteRatios(ours: StatsTable, optuna: StatsTable, label: string, fns: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const fn of fns) {
    for (const b of RULE_BUDGETS) {
      const mine = ours[fn]?.[label]?.[b]?.median;
      const theirs = optunaBetter(optuna, fn, b)?.median;
      if (mine === undefined || theirs === undefined) continue;
      out.set(`${fn}@${b}`, Math.max(mine, REGRET_FLOOR) / Math.max(theirs, REGRET_FLOOR));
    }
  }
  return out;
}

export function suiteVerdict(ours: StatsTable, optuna: StatsTable, label: string, half: string, fns: readonly string[]): SuiteVerdict {
  const ratios = suiteRatios(ours, optuna, label, fns);
  let logSum = 0;
  let worst = 0;
  let worstAt = '-';
  for (const [at, r] of ratios) {
    logSum += Math.log(r);
    if (r > worst) {
      worst = r;
      worstAt = at;
    }
  }
  const geoMean = ratios.size > 0 ? Math.exp(logSum / ratios.size) : Number.NaN;
  return { label, half, geoMean, worst, worstAt, cells: ratios.size, passes: ratios.size > 0 && geoMean < GEO_MEAN_MAX && worst <= WORST_MAX };
}

/**
 * The suite table: for each label, every function's median regret beside Optuna 3.1's better mode at 100
 * and 200 trials with the ratio, then the geometric mean and worst ratio per half and overall, and the rule.
 */
export function renderSuite(
  ours: StatsTable,
  optuna: StatsTable,
  labels: readonly string[],
  halves: Readonly<Record<string, string>>,
): string {
  const lines: string[] = [];
  const fns = Object.keys(ours);
  for (const label of labels) {
    lines.push(`### sweep ${label} vs Optuna 3.1's better mode (lower median of tpe, tpe_mv)`, '');
    lines.push('| function | half | sweep @100 | optuna @100 | ratio @100 | sweep @200 | optuna @200 | ratio @200 |');
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|');
    for (const fn of fns) {
      const cells: string[] = [];
      for (const b of RULE_BUDGETS) {
        const mine = ours[fn]?.[label]?.[b]?.median;
        const theirs = optunaBetter(optuna, fn, b);
        const ratio = mine !== undefined && theirs ? Math.max(mine, REGRET_FLOOR) / Math.max(theirs.median, REGRET_FLOOR) : undefined;
        const flag = ratio === undefined ? '' : ratio > WORST_MAX ? ' **!**' : '';
        cells.push(mine === undefined ? '-' : fmt(mine), theirs ? `${fmt(theirs.median)} (${theirs.mode})` : '-', ratio === undefined ? '-' : `${fmt(ratio)}${flag}`);
      }
      lines.push(`| ${fn} | ${halves[fn] ?? '-'} | ${cells.join(' | ')} |`);
    }
    lines.push('');
    lines.push('| half | cells | geometric mean ratio | worst ratio (where) | rule |');
    lines.push('|---|---:|---:|---:|---|');
    const groups: [string, string[]][] = [
      ['tune', fns.filter((f) => halves[f] === 'tune')],
      ['validation', fns.filter((f) => halves[f] === 'validation')],
      ['all', fns],
    ];
    for (const [half, list] of groups) {
      if (list.length === 0) continue;
      const v = suiteVerdict(ours, optuna, label, half, list);
      lines.push(`| ${half} | ${v.cells} | ${fmt(v.geoMean)} | ${fmt(v.worst)} (${v.worstAt}) | ${v.passes ? 'met' : 'NOT met'} |`);
    }
    lines.push('');
  }
  lines.push(`Rule (bench/README.md): geometric mean of the ratios at 100 and 200 trials < ${GEO_MEAN_MAX} and no ratio above ${WORST_MAX}; ratio = our median regret / Optuna's better mode (regrets floored at ${REGRET_FLOOR}).`);
  return `${lines.join('\n')}\n`;
}
