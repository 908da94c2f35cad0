// The trial runner: the life of one trial from claim to finish. ask/tell, optimize and every executor
// go through it. It claims a trial (enqueued first, else a new number with the sampler's values in the
// same write), opens the trial's session, hands the trial to an executor, and always ends it with
// exactly one finishTrial: COMPLETE, PRUNED, or FAIL with the reason, whatever throws where. It is the
// only code outside the stores that ends a trial (stale trials of dead processes included).
import { NotFoundError, DuplicateError, SweepAbortedError, TrialLostError, isSweepError } from '../errors.js';
import { createRng } from '../rng.js';
import type { CompiledSpace } from '../space/compile.js';
import type { RunStatus, StudyRecord, TrialRecord } from '../tracking/entities.js';
import type { TrackingStore, TrialFinish } from '../tracking/store.js';
import type { Executor, ObjectiveSource, TrialTask } from './executor.js';
import type { StudyHistory } from './history.js';
import { findStaleTrials, storeNow } from './liveness.js';
import { failedOutcome, faultOutcome, type FailReason, type TrialOutcome } from './outcome.js';
import type { Pruner } from './pruner.js';
import type { Sampler, StudyView } from './sampler.js';
import { sealedView } from './sealed-view.js';
import { sampleParams } from './sample-params.js';
import { studyObjectives, type Objectives } from './objectives.js';
import { checkedFinish, frontBatch, toFinish, withBuffered } from './objective-finish.js';
import type { ConstraintsFn } from './trial.js';
import { picker, provisionalTrial, samplerContext } from './trial-sampling.js';
import { TrialSession } from './trial-session.js';

const MAX_CLAIM_RETRIES = 20;

export interface TrialRunnerParts {
  readonly store: TrackingStore;
  readonly record: StudyRecord;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly history: StudyHistory;
  readonly workerId: string;
  /** The study's constraints, evaluated once a trial completes (each satisfied when ≤ 0). */
  readonly constraints?: ConstraintsFn;
}

export interface ClaimOptions {
  /** Cap on the study's total trials (the store refuses a claim past it with E_BUDGET). */
  readonly maxTrials?: number;
  /**
   * A reproducible batch's first number: the sampler and the pruner see the trials numbered from it on
   * (the batch-mates) as they were when claimed (sealed-view.ts).
   */
  readonly sealedFrom?: number;
}

export interface RunOptions extends ClaimOptions {
  /** Called once the trial is claimed and sampled, before it is handed to the executor. */
  readonly onClaimed?: (trial: { readonly number: number; readonly trialId: number }) => void;
}

export class TrialRunner {
  private readonly sessions = new Map<number, TrialSession>();
  /** Sessions whose params are still to be sampled (claimed enqueued trials, or a number taken by another process). */
  private readonly unsampled = new Set<TrialSession>();
  private readonly store: TrackingStore;
  private readonly history: StudyHistory;
  private parentRunOpen = false;
  /** Whether run() finished a trial (and synced the history) since the last claim. */
  private freshHistory = false;
  /** Trials of other processes (by number) whose stale check failed, with the store's time of that check. */
  private readonly aliveAt = new Map<number, number>();
  /** This process's claims of the current reproducible batch, as claimed (see ClaimOptions.sealedFrom). */
  private readonly asClaimed = new Map<number, TrialRecord>();

  constructor(private readonly parts: TrialRunnerParts) {
    this.store = parts.store;
    this.history = parts.history;
  }

  private get space(): CompiledSpace | undefined {
    return this.history.space;
  }

  /** The lowest number the next claim can take: an enqueued trial's, else the next new one's. */
  nextNumber(): number {
    if (this.history.waiting > 0) {
      const waiting = this.history.trials.find((t) => t?.state === 'WAITING');
      if (waiting !== undefined) return waiting.number;
    }
    return this.history.trials.length;
  }

  /** Whether the sampler has nothing left to propose. */
  isExhausted(): boolean {
    if (this.history.waiting > 0) return false;
    return this.parts.sampler.isExhausted?.(this.history.view) ?? false;
  }

  /**
   * Starts a trial for a caller that runs it itself (ask/tell): claims it and samples it. A fault after
   * the claim ends the trial as FAIL before it is thrown.
   */
  async start(options: ClaimOptions = {}): Promise<TrialSession> {
    const session = await this.claim(options);
    try {
      await this.prepare(session);
    } catch (error) {
      await this.finish(session, faultOutcome('error', error));
      throw error;
    }
    return session;
  }

  /**
   * Runs one whole trial on `executor`: claim, sample, execute, finish. Resolves with the stored
   * trial; rejects (after ending the trial) for an infrastructure fault, or when nothing could be
   * claimed (E_ABORTED: the sampler is exhausted; E_BUDGET: the study's budget is used up).
   */
  async run(objective: ObjectiveSource, executor: Executor, signal: AbortSignal, options: RunOptions = {}): Promise<TrialRecord> {
    const session = await this.claim(options);
    let outcome: TrialOutcome = failedOutcome('error', 'NotRun', 'the trial ended before it ran');
    let fault: unknown;
    let finished: TrialRecord | undefined;
    let stage: FailReason = 'error';
    try {
      await this.prepare(session);
      options.onClaimed?.({ number: session.number, trialId: session.trialId });
      stage = 'crashed';
      outcome = await executor.run(this.taskOf(session, objective), session, signal);
    } catch (error) {
      // A sampling or store fault ('error'), or the executor's own (no such command, a dead pool).
      fault = error;
      outcome = faultOutcome(stage, error);
    } finally {
      finished = await this.finish(session, outcome);
      this.freshHistory = true;
    }
    if (fault !== undefined) throw fault;
    return finished;
  }

  /** The running session of trial `number` in this process. @throws NotFoundError */
  session(number: number, studyName: string): TrialSession {
    const session = this.sessions.get(number);
    if (!session) throw new NotFoundError(`study "${studyName}": trial #${number} is not running in this process`);
    return session;
  }

  /**
   * Ends a running trial with its outcome and what it buffered, in one write; if the store refuses
   * that write, ends it FAIL with the store's error and rethrows. Then the sampler hears of it.
   */
  async finish(session: TrialSession, outcome: TrialOutcome): Promise<TrialRecord> {
    if (this.sessions.get(session.number) === session) this.sessions.delete(session.number);
    this.unsampled.delete(session);
    this.updateExitHook();
    const buffered = await session.close();
    const checked = checkedFinish(outcome, this.objectives, this.parts.constraints, session, buffered);
    let fault: unknown;
    try {
      await this.end(session.trialId, withBuffered(checked, buffered));
    } catch (error) {
      if (isSweepError(error) && error.code === 'E_NOT_FOUND') {
        // The store no longer has the trial (a database crash rolled back its creation): nothing to end.
        await this.history.sync().catch(() => undefined);
        throw new TrialLostError(
          `study "${this.parts.record.name}": trial #${session.number} is gone from the store (a database crash lost its creation); its outcome is dropped`,
          { cause: error },
        );
      }
      // What the trial buffered could not be stored (a param changing value, a full disk): keep the
      // trial from staying RUNNING, then report the fault.
      fault = error;
      await this.end(session.trialId, toFinish(faultOutcome('error', error)));
    }
    if (fault !== undefined) {
      await this.history.sync().catch(() => undefined);
      throw fault;
    }
    await this.history.sync();
    const stored = this.history.trials[session.number];
    if (!stored) throw new NotFoundError(`study "${this.parts.record.name}": trial #${session.number} vanished`);
    this.parts.sampler.afterTrial?.(samplerContext(this.parts.sampler, this.history.view, stored), stored.state, stored.value);
    if (stored.state === 'COMPLETE' && this.objectives.directions.length > 1) {
      await this.store.logBatch(this.parts.record.parentRunId, frontBatch(this.history, stored.number));
    }
    return stored;
  }

  /** Numbers of the trials this process is running. */
  runningHere(): number[] {
    return [...this.sessions.keys()];
  }

  /** Marks this process's running trials alive, and `others` (trial ids its worker loops run). */
  async heartbeat(others: readonly number[] = []): Promise<void> {
    const ids = [...[...this.sessions.values()].map((s) => s.trialId), ...others];
    if (ids.length > 0) await this.store.heartbeat(ids, await storeNow(this.store));
  }

  /**
   * Ends trial `number` (id `trialId`), which a worker loop was running when it stopped, with
   * `outcome` unless it has ended already. Resolves with the stored trial either way.
   */
  async endLoopTrial(trialId: number, number: number, outcome: TrialOutcome): Promise<TrialRecord> {
    await this.end(trialId, toFinish(outcome));
    return this.storedTrial(number);
  }

  /**
   * Ends with `outcome` this process's RUNNING trials that it does not run itself: those of worker
   * loops that stopped between claiming a trial and telling of it. Only once no loop runs. Resolves
   * with them as stored.
   */
  async endUnreportedTrials(outcome: TrialOutcome): Promise<TrialRecord[]> {
    await this.history.sync();
    const orphans = this.history.trials.filter(
      (t): t is TrialRecord => t !== undefined && t.state === 'RUNNING' && t.workerId === this.parts.workerId && !this.sessions.has(t.number),
    );
    const ended: TrialRecord[] = [];
    for (const trial of orphans) ended.push(await this.endLoopTrial(trial.trialId, trial.number, outcome));
    return ended;
  }

  /** Trial `number` as stored now (after another thread or process ended it). */
  async storedTrial(number: number): Promise<TrialRecord> {
    await this.history.sync();
    const stored = this.history.trials[number];
    if (!stored) throw new NotFoundError(`study "${this.parts.record.name}": trial #${number} vanished`);
    return stored;
  }

  /**
   * Fails RUNNING trials nobody is running any more: their process on this machine is gone, or no
   * heartbeat came for `staleAfterMs`. Returns their numbers.
   */
  async failStaleTrials(staleAfterMs: number): Promise<number[]> {
    const now = await storeNow(this.store);
    const stale = await findStaleTrials(this.history, new Set(this.sessions.keys()), staleAfterMs, now, this.aliveAt);
    for (const number of this.aliveAt.keys()) if (this.history.trials[number]?.state !== 'RUNNING') this.aliveAt.delete(number);
    const failed: number[] = [];
    for (const { trial, why, heartbeatBefore } of stale) {
      const finish = toFinish({ kind: 'failed', reason: 'stale', error: { name: 'Stale', message: why } });
      if (await this.end(trial.trialId, { ...finish, onlyIfHeartbeatBefore: heartbeatBefore })) failed.push(trial.number);
      // Refused: its owner's heartbeat (which plain heartbeats never bring into this history) is newer
      // than the cutoff, or it has just ended. Count it alive at `now`, so it is checked again once
      // `staleAfterMs` has passed, not on every beat; a later end shows in the history and clears this.
      // (The cutoff itself, now - staleAfterMs, would make it a candidate again at once.) An owner
      // that dies just after this check is reaped at most one of its heartbeat intervals later.
      else this.aliveAt.set(trial.number, now);
    }
    if (failed.length > 0) await this.history.sync();
    return failed;
  }

  /** Marks the study's parent run RUNNING for an optimize call. */
  async openParentRun(): Promise<void> {
    await this.store.updateRun(this.parts.record.parentRunId, { status: 'RUNNING', endTime: null });
    this.parentRunOpen = true;
    this.updateExitHook();
  }

  async closeParentRun(status: Exclude<RunStatus, 'RUNNING' | 'SCHEDULED'>): Promise<void> {
    this.parentRunOpen = false;
    this.updateExitHook();
    await this.store.updateRun(this.parts.record.parentRunId, { status, endTime: Date.now() });
  }

  /** Stops the sessions of trials still running (their writes are dropped; the trials stay RUNNING). */
  async close(): Promise<void> {
    for (const session of this.sessions.values()) await session.close();
    this.sessions.clear();
    this.updateExitHook();
  }

  // --- internal ---

  private get objectives(): Objectives {
    return studyObjectives(this.parts.record);
  }

  /** The one place outside the stores where a trial ends. */
  private end(trialId: number, finish: TrialFinish): Promise<boolean> {
    return this.store.finishTrial(trialId, finish);
  }

  /** Claims the next trial: an enqueued one first, else a new number with sampled values. */
  private async claim(options: ClaimOptions): Promise<TrialSession> {
    const { store, record: study, sampler, workerId } = this.parts;
    // In the optimize loop the next claim follows a finish, which has just synced: one read per trial, not two.
    if (!this.freshHistory) await this.history.sync();
    this.freshHistory = false;
    const sealedFrom = options.sealedFrom;
    if (sealedFrom === undefined) this.asClaimed.clear();
    else for (const number of this.asClaimed.keys()) if (number < sealedFrom) this.asClaimed.delete(number);
    const seal = (own?: number): StudyView => (sealedFrom === undefined ? this.history.view : sealedView(this.history.view, sealedFrom, own, this.asClaimed));
    // Enqueued trials come first; the synced history says whether any wait (no write otherwise).
    const waiting = this.history.waiting > 0 ? await store.claimWaitingTrial(study.studyId, workerId) : undefined;
    if (waiting) {
      this.history.apply([waiting]);
      this.asClaimed.set(waiting.number, waiting);
      const session = this.open(waiting, seal(waiting.number));
      session.hold(waiting.params, waiting.distributions);
      this.unsampled.add(session);
      return session;
    }
    for (let attempt = 0; ; attempt++) {
      if (this.isExhausted()) throw new SweepAbortedError(`study "${study.name}": the sampler has no points left`);
      const view = seal();
      const claim = sampler.beforeTrial?.({ study: view, rng: createRng(view.seed, 'before', view.version, attempt) }) ?? {};
      // Sample for the number this process expects to get, so that the trial, its run and its params
      // are written in one transaction; if another process takes that number, sample again later, for
      // the number given: values sampled for the same number from the same history are the same in
      // every process (seeded per number), so keeping them would mostly rerun the winner's trial.
      const expected = this.history.trials.length;
      const held: Record<string, number> = {};
      const sampled = this.space && sampleParams(this.space, picker(sampler, view, provisionalTrial(expected, claim)), held);
      let record: TrialRecord;
      try {
        record = await store.createTrial(study.studyId, {
          workerId,
          expectedNumber: expected,
          ...(options.maxTrials !== undefined && { maxTrials: options.maxTrials }),
          ...(sampled && { params: sampled.inputs }),
          ...(claim.claimKey !== undefined && { claimKey: claim.claimKey }),
          ...(claim.systemAttrs !== undefined && { systemAttrs: claim.systemAttrs }),
        });
      } catch (error) {
        if (!(error instanceof DuplicateError) || claim.claimKey === undefined || attempt >= MAX_CLAIM_RETRIES) throw error;
        await this.history.sync();
        continue;
      }
      this.history.apply([record]);
      this.asClaimed.set(record.number, record);
      const session = this.open(record, seal(record.number));
      if (sampled && record.number === expected) session.adopt(sampled, held, true);
      else this.unsampled.add(session);
      return session;
    }
  }

  /** Samples what a claimed trial still lacks of the space and stores it. */
  private async prepare(session: TrialSession): Promise<void> {
    if (this.unsampled.delete(session) && this.space) session.sampleSpace(this.space);
    await session.flush();
    const fault = session.writeFault;
    if (fault !== undefined) throw fault;
  }

  private open(record: TrialRecord, view: StudyView): TrialSession {
    const { store, sampler, pruner } = this.parts;
    const session = new TrialSession(this.parts.record.name, record, store, artifactDir(store, this.parts.record, record), {
      pick: picker(sampler, view, record),
      prunes: pruner.neverPrunes !== true,
      shouldPrune: async (s) => {
        await this.history.sync();
        const current = this.history.trials[s.number];
        return current !== undefined && pruner.shouldPrune(view, current);
      },
    });
    this.sessions.set(record.number, session);
    this.updateExitHook();
    return session;
  }

  private taskOf(session: TrialSession, objective: ObjectiveSource): TrialTask {
    return {
      number: session.number,
      runId: session.runId,
      studyName: session.studyName,
      params: session.params,
      labels: session.labels(),
      artifactUri: session.artifactUri,
      prunes: session.prunes,
      objective,
    };
  }

  // A process that exits while trials run (process.exit in an inline objective, a fatal error) ends
  // them FAIL with the exit code on its way out. The write is synchronous for SQLite; other stores
  // leave the trial to the next run's stale check, which names the dead process.
  private readonly onExit = (code: number): void => {
    const why = `the process exited with code ${code} while the trial was running (process.exit or a fatal error in the objective?)`;
    for (const session of this.sessions.values()) {
      const finish = withBuffered(toFinish({ kind: 'failed', reason: 'crashed', error: { name: 'ProcessExited', message: why } }), session.closeNow());
      void this.end(session.trialId, finish).catch(() => undefined);
    }
    this.sessions.clear();
    if (this.parentRunOpen) {
      void this.store.updateRun(this.parts.record.parentRunId, { status: 'FAILED', endTime: Date.now() }).catch(() => undefined);
    }
  };
  private exitHooked = false;

  private updateExitHook(): void {
    const want = this.sessions.size > 0 || this.parentRunOpen;
    if (want === this.exitHooked) return;
    this.exitHooked = want;
    if (want) process.on('exit', this.onExit);
    else process.off('exit', this.onExit);
  }
}

function artifactDir(store: TrackingStore, study: StudyRecord, trial: TrialRecord): string {
  return `${store.artifactRoot}/${study.experimentId}/${trial.runId}/artifacts`;
}
