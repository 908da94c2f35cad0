// The study's trial history in memory, synced from the store by its sync cursor: each sync reads only
// the trials that changed since the last one, so per-trial cost does not grow with re-reading.
// Samplers and pruners get `view`: frozen trials in a frozen list, copied once per change, so code
// that tries to mutate what it reads throws instead of corrupting the study.
import type { CompiledSpace } from '../space/compile.js';
import type { Direction, StudyRecord, TrialRecord } from '../tracking/entities.js';
import type { TrackingStore } from '../tracking/store.js';
import type { TrialState } from '../tracking/trial-state.js';
import type { StudyView } from './sampler.js';
import { isFeasible, minimizedValues, studyObjectives } from './objectives.js';
import { dominates, type Point } from './pareto/dominance.js';

export class StudyHistory implements StudyView {
  /** The read-only face handed to samplers, pruners and users. */
  readonly view: StudyView;
  readonly name: string;
  readonly direction: Direction;
  /** Every objective's direction (one for a single-objective study). */
  readonly directions: readonly Direction[];
  readonly seed: number;
  readonly trials: TrialRecord[] = [];
  /** Moves with every change applied (the highest seq seen, or one more): a changed history has a new version. */
  version = 0;
  /** The store's sync cursor (undefined before the first sync). */
  private cursor: number | undefined;
  /** Trials WAITING to be claimed (enqueued), kept up to date as trials change. */
  waiting = 0;
  private bestTrial: TrialRecord | undefined;
  /** The Pareto front, kept incrementally (finished trials never change), with its members' minimized values. */
  private readonly frontMembers = new Map<number, { trial: TrialRecord; point: Point }>();
  /** The worst minimized value per objective over the feasible COMPLETE trials (for a nadir reference). */
  private readonly worst: number[];
  private snapshot: readonly TrialRecord[] | undefined;

  constructor(
    private readonly store: TrackingStore,
    private readonly record: StudyRecord,
    readonly space: CompiledSpace | undefined,
    seed: number,
  ) {
    this.name = record.name;
    this.directions = Object.freeze([...studyObjectives(record).directions]);
    this.direction = this.directions[0] as Direction;
    this.seed = seed;
    this.worst = this.directions.map(() => Number.NEGATIVE_INFINITY);
    this.view = readOnlyView(this);
  }

  /** Reads what changed in the store since the last sync. */
  async sync(): Promise<void> {
    const { trials, cursor } = await this.store.syncTrials(this.record.studyId, this.cursor);
    // Syncs of one process may overlap and answer out of order: each cursor is safe for its own read,
    // whose trials are applied here, so the larger one is.
    if (this.cursor === undefined || cursor > this.cursor) this.cursor = cursor;
    this.apply(trials);
  }

  /**
   * Records trials this process just wrote (or read), without a read. It leaves the sync cursor alone:
   * changes other processes made in between must come with the next sync. A record older than the one
   * held (a lower seq) is ignored.
   */
  apply(changed: readonly TrialRecord[]): void {
    for (const trial of changed) {
      freezeRecord(trial);
      const known = this.trials[trial.number];
      if (known !== undefined && known.seq >= trial.seq) continue;
      this.snapshot = undefined;
      // A change applied out of seq order (writers that do not take turns) still moves the version.
      this.version = trial.seq > this.version ? trial.seq : this.version + 1;
      if (known?.state === 'WAITING') this.waiting--;
      if (trial.state === 'WAITING') this.waiting++;
      this.trials[trial.number] = trial;
      // Finished trials never change, so the best one can be kept incrementally.
      // With several objectives there is a front (bestTrials), not one best trial.
      // An infeasible trial (constraints) is never the best.
      if (trial.state === 'COMPLETE' && trial.value !== null && this.directions.length === 1 && isFeasible(trial) && this.isBetter(trial, this.bestTrial)) this.bestTrial = trial;
      if (trial.state === 'COMPLETE' && known?.state !== 'COMPLETE') this.addToFront(trial);
    }
  }

  trialsIn(states: readonly TrialState[]): TrialRecord[] {
    return this.trials.filter((t) => t !== undefined && states.includes(t.state));
  }

  /** The trials as a frozen list, copied only when something changed since the last call. */
  frozenTrials(): readonly TrialRecord[] {
    this.snapshot ??= Object.freeze(this.trials.slice());
    return this.snapshot;
  }

  /** The Pareto front: the feasible COMPLETE trials no other one dominates, by number. */
  front(): TrialRecord[] {
    return [...this.frontMembers.values()].map((m) => m.trial).sort((a, b) => a.number - b.number);
  }

  /** The front's minimized points, by trial number. */
  frontPoints(): Point[] {
    return [...this.frontMembers.values()].sort((a, b) => a.trial.number - b.trial.number).map((m) => m.point);
  }

  /** The worst minimized value of each objective over the feasible COMPLETE trials (-Infinity before any). */
  worstPoint(): readonly number[] {
    return this.worst;
  }

  private addToFront(trial: TrialRecord): void {
    if (!isFeasible(trial)) return;
    const point = minimizedValues(trial, this.directions);
    if (point === null) return;
    point.forEach((v, k) => {
      if (v > (this.worst[k] as number)) this.worst[k] = v;
    });
    for (const m of this.frontMembers.values()) if (dominates(m.point, point)) return;
    for (const [n, m] of this.frontMembers) if (dominates(point, m.point)) this.frontMembers.delete(n);
    this.frontMembers.set(trial.number, { trial, point });
  }

  /** The best COMPLETE trial, ties going to the earliest (undefined with several objectives). */
  best(): TrialRecord | undefined {
    return this.bestTrial;
  }

  private isBetter(t: TrialRecord, best: TrialRecord | undefined): boolean {
    if (best === undefined || best.value === null || t.value === null) return true;
    if (t.value === best.value) return t.number < best.number;
    return this.direction === 'minimize' ? t.value < best.value : t.value > best.value;
  }
}

function readOnlyView(history: StudyHistory): StudyView {
  return Object.freeze({
    name: history.name,
    direction: history.direction,
    directions: history.directions,
    space: history.space,
    seed: history.seed,
    get trials(): readonly TrialRecord[] {
      return history.frozenTrials();
    },
    get version(): number {
      return history.version;
    },
    trialsIn: (states: readonly TrialState[]): TrialRecord[] => history.trialsIn(states),
  });
}

/** Stores hand out frozen records; one from elsewhere (a test, a custom store) is frozen here. */
function freezeRecord(trial: TrialRecord): void {
  if (Object.isFrozen(trial)) return;
  Object.freeze(trial.params);
  Object.freeze(trial.distributions);
  Object.freeze(trial.intermediate);
  Object.freeze(trial.systemAttrs);
  Object.freeze(trial);
}
