// What users call a study and a trial, for the PostgreSQL store's messages: the study's name and the
// trial's number, not the database ids its functions take (`study "lab" trial #3`, not `trial 1734`).
import { isSweepError } from '../../errors.js';

interface TrialRef {
  readonly studyId: number;
  readonly number: number;
}

/**
 * Names of the studies this store has read and the trials it created or claimed (the ones it writes
 * to), each remembered until the trial is finished here, at most `maxTrials` at once (the oldest
 * forgotten first): a trial it never saw is named by its database id.
 */
export class TrialLabels {
  private readonly studies = new Map<number, string>();
  private readonly trials = new Map<number, TrialRef>();

  constructor(private readonly maxTrials = 10_000) {}

  rememberStudy(study: { readonly studyId: number; readonly name: string }): void {
    this.studies.set(study.studyId, study.name);
  }

  rememberTrial(trial: { readonly trialId: number; readonly studyId: number; readonly number: number }): void {
    this.trials.delete(trial.trialId);
    this.trials.set(trial.trialId, { studyId: trial.studyId, number: trial.number });
    if (this.trials.size > this.maxTrials) {
      const oldest = this.trials.keys().next();
      if (oldest.done !== true) this.trials.delete(oldest.value);
    }
  }

  forgetTrial(trialId: number): void {
    this.trials.delete(trialId);
  }

  /** `study "lab"`, or `study with database id 4` for one this store has not read. */
  study(studyId: number): string {
    const name = this.studies.get(studyId);
    return name === undefined ? `study with database id ${studyId}` : `study ${JSON.stringify(name)}`;
  }

  /** `study "lab" trial #3`, or `trial with database id 1734` for one this store did not create or claim. */
  trial(trialId: number): string {
    const ref = this.trials.get(trialId);
    if (ref === undefined) return `trial with database id ${trialId}`;
    return `${this.study(ref.studyId)} trial #${ref.number}`;
  }

  /**
   * The error of an operation on trial `trialId` (or of study `studyId`), naming the study and trial
   * as users know them: `trial N does not exist` and `study N does not exist` (N a database id) are
   * reworded, and a refusal that names neither (a param that cannot change, a finish the study's
   * objectives refuse) says which trial it is about. Other errors pass unchanged.
   */
  relabel(error: unknown, target: { readonly trialId?: number; readonly studyId?: number }): unknown {
    if (!isSweepError(error)) return error;
    let message = error.message
      .replace(/\btrial (\d+) does not exist\b/g, (_all, id: string) => `${this.trial(Number(id))} does not exist`)
      .replace(/\bstudy (\d+)(?= does not exist\b|: )/g, (_all, id: string) => this.study(Number(id)));
    if ((error.code === 'E_IMMUTABLE' || error.code === 'E_INVALID_TRANSITION') && target.trialId !== undefined) {
      const ref = this.trials.get(target.trialId);
      if (ref !== undefined && message.startsWith(`trial #${ref.number} `)) message = `${this.study(ref.studyId)}: ${message}`;
      else if (!message.includes(this.trial(target.trialId))) message = `${this.trial(target.trialId)}: ${message}`;
    }
    if (message !== error.message) Object.defineProperty(error, 'message', { value: message, writable: true, configurable: true, enumerable: false });
    return error;
  }
}
