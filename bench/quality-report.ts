// Rendering the quality benchmark: regret tables per function beside Optuna 3.1's figures (read from
// ../shared/bench/optuna-3.1-quality.json when present) and the verdict against the issue's quality bar.
import { existsSync, readFileSync } from 'node:fs';
import { referenceDir } from './functions.js';

export interface Stats {
  readonly median: number;
  readonly q25: number;
  readonly q75: number;
  readonly n: number;
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
