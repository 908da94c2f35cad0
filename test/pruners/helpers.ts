// Hand-built trial histories for the pruner tests: frozen TrialRecords and a StudyView over them.
import type { StudyView } from '../../src/study/sampler.js';
import type { Direction, TrialRecord } from '../../src/tracking/entities.js';
import type { TrialState } from '../../src/tracking/trial-state.js';

/** A frozen trial record; only number, state, intermediate and value matter to pruners. */
export function trial(number: number, state: TrialState, intermediate: Record<number, number>, value: number | null = null): TrialRecord {
  return Object.freeze({
    trialId: number + 1,
    studyId: 1,
    number,
    runId: `run-${number}`,
    state,
    value,
    params: Object.freeze({}),
    distributions: Object.freeze({}),
    intermediate: Object.freeze({ ...intermediate }),
    systemAttrs: Object.freeze({}),
    startTime: 0,
    endTime: state === 'RUNNING' || state === 'WAITING' ? null : 1,
    heartbeat: null,
    workerId: null,
    seq: number,
  });
}

/** A running trial (number 99 unless given) that reported `values` at steps start, start + 1, ... */
export function running(values: readonly number[], start = 1, number = 99): TrialRecord {
  return trial(number, 'RUNNING', curve(values, start));
}

/** `{ start: values[0], start + 1: values[1], ... }`. */
export function curve(values: readonly number[], start = 1): Record<number, number> {
  return Object.fromEntries(values.map((v, i) => [start + i, v]));
}

/** A frozen study view over `trials` (indexed by number). */
export function view(trials: readonly TrialRecord[], direction: Direction = 'minimize', name = 'study'): StudyView {
  const byNumber: TrialRecord[] = [];
  for (const t of trials) byNumber[t.number] = t;
  const frozen = Object.freeze(byNumber);
  return Object.freeze({
    name,
    direction,
    space: undefined,
    seed: 0,
    trials: frozen,
    version: trials.length,
    trialsIn: (states: readonly TrialState[]) => frozen.filter((t) => t !== undefined && states.includes(t.state)),
  });
}

/** The same trial with every reported value negated: a maximize mirror of a minimize history. */
export function negated(t: TrialRecord): TrialRecord {
  const intermediate = Object.fromEntries(Object.entries(t.intermediate).map(([s, v]) => [s, -v]));
  return trial(t.number, t.state, intermediate, t.value === null ? null : -t.value);
}
