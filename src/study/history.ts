// The study's trial history in memory, synced from the store by update sequence: each sync reads only
// the trials that changed since the last one, so per-trial cost does not grow with re-reading.
import type { CompiledSpace } from '../space/compile.js';
import type { Direction, StudyRecord, TrialRecord } from '../tracking/entities.js';
import type { TrackingStore } from '../tracking/store.js';
import type { TrialState } from '../tracking/trial-state.js';
import type { StudyView } from './sampler.js';

export class StudyHistory implements StudyView {
  readonly name: string;
  readonly direction: Direction;
  readonly seed: number;
  readonly trials: TrialRecord[] = [];
  version = 0;

  constructor(
    private readonly store: TrackingStore,
    private readonly record: StudyRecord,
    readonly space: CompiledSpace | undefined,
    seed: number,
  ) {
    this.name = record.name;
    this.direction = record.directions[0] ?? 'minimize';
    this.seed = seed;
  }

  /** Reads what changed in the store since the last sync. */
  async sync(): Promise<void> {
    const changed = await this.store.getTrials(this.record.studyId, this.version);
    for (const trial of changed) if (trial.seq > this.version) this.version = trial.seq;
    this.apply(changed);
  }

  /**
   * Records trials this process just wrote, without a read. It leaves `version` alone: changes other
   * processes made in between still have lower sequence numbers and must come with the next sync.
   */
  apply(changed: readonly TrialRecord[]): void {
    for (const trial of changed) {
      const known = this.trials[trial.number];
      if (known === undefined || known.seq <= trial.seq) this.trials[trial.number] = trial;
    }
  }

  trialsIn(states: readonly TrialState[]): TrialRecord[] {
    return this.trials.filter((t) => t !== undefined && states.includes(t.state));
  }

  /** The best COMPLETE trial, ties going to the earliest. */
  best(): TrialRecord | undefined {
    let best: TrialRecord | undefined;
    for (const t of this.trials) {
      if (t === undefined || t.state !== 'COMPLETE' || t.value === null) continue;
      if (best === undefined || (this.direction === 'minimize' ? t.value < (best.value ?? Infinity) : t.value > (best.value ?? -Infinity))) best = t;
    }
    return best;
  }
}
