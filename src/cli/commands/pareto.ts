// `sweep best` for a study with several objectives: the Pareto front (feasible COMPLETE trials no
// other dominates), as a table with one column per objective, or JSON. And the per-objective cells
// and CSV that `sweep trials` shows for every study.
import { paretoTrials, studyObjectives } from '../../study/objectives.js';
import type { TrialView } from '../../study/trial.js';
import type { StudyRecord, TrialRecord } from '../../tracking/entities.js';
import { formatParam, formatValue, table } from '../format.js';
import type { CliIO } from '../io.js';

/** Prints the Pareto front of `study` (`records` and their `views`, by number). */
export function printParetoFront(study: StudyRecord, records: readonly TrialRecord[], views: readonly TrialView[], json: boolean, top: number | undefined, io: CliIO): void {
  const { directions, metrics } = studyObjectives(study);
  const byNumber = new Map(views.map((v) => [v.number, v]));
  const front = paretoTrials(records, directions).map((r) => byNumber.get(r.number) as TrialView);
  if (top !== undefined) io.stderr.write(`note: --top is ignored for a study with ${directions.length} objectives: every trial of the Pareto front is shown\n`);
  if (json) {
    const out = {
      study: study.name,
      directions,
      metrics,
      paretoFront: front.map((t) => ({
        number: t.number, values: t.values, objectives: objectivesOf(t, metrics), params: t.params, flatParams: t.flatParams, runId: t.runId,
        ...(t.constraints !== undefined && { constraints: t.constraints }),
      })),
    };
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  io.stdout.write(`Study "${study.name}" (${directions.map((d, i) => `${d} ${metrics[i]}`).join(', ')}): Pareto front of ${front.length} trial${front.length === 1 ? '' : 's'}\n`);
  const names = [...new Set(front.flatMap((t) => Object.keys(t.flatParams)))];
  const rows = front.map((t) => [`#${t.number}`, ...metrics.map((_, i) => formatValue(t.values?.[i])), ...names.map((n) => (n in t.flatParams ? formatParam(t.flatParams[n]) : '-')), t.runId]);
  io.stdout.write(`${table(['trial', ...metrics, ...names, 'run'], rows)}\n`);
}

/** Every objective's value by metric name (null before the trial completes). */
export function objectivesOf(t: TrialView, metrics: readonly string[]): Record<string, number | null> {
  return Object.fromEntries(metrics.map((m, i) => [m, t.values?.[i] ?? null]));
}

/** The feasibility cell of `sweep trials`: blank without constraints. */
export function feasibleCell(t: TrialView): string {
  if (t.constraints === undefined) return '';
  return t.feasible ? 'yes' : 'NO (infeasible)';
}

export function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
