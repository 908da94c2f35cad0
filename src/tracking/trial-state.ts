// Trial states and the only transitions allowed between them.
import { InvalidTransitionError } from '../errors.js';
import type { RunStatus } from './entities.js';

export type TrialState = 'WAITING' | 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL';

export const TRIAL_STATES: readonly TrialState[] = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL'];

export const TRANSITIONS: Readonly<Record<TrialState, readonly TrialState[]>> = {
  WAITING: ['RUNNING', 'FAIL'],
  RUNNING: ['COMPLETE', 'PRUNED', 'FAIL'],
  COMPLETE: [],
  PRUNED: [],
  FAIL: [],
};

export function isFinished(state: TrialState): boolean {
  return state === 'COMPLETE' || state === 'PRUNED' || state === 'FAIL';
}

export function canTransition(from: TrialState, to: TrialState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** @throws InvalidTransitionError when the table does not allow `from -> to`. */
export function assertTransition(from: TrialState, to: TrialState, trialNumber: number): void {
  if (!canTransition(from, to)) {
    throw new InvalidTransitionError(`trial #${trialNumber} is ${from} and cannot move to ${to}`);
  }
}

/** The MLflow run status a trial state is shown as. */
export function runStatusOf(state: TrialState): RunStatus {
  switch (state) {
    case 'WAITING':
      return 'SCHEDULED';
    case 'RUNNING':
      return 'RUNNING';
    case 'COMPLETE':
      return 'FINISHED';
    case 'PRUNED':
      return 'KILLED';
    case 'FAIL':
      return 'FAILED';
  }
}
