// The Executor contract, run against every executor (inline, threads, process) on the test fixtures:
// every trial ends with exactly one finish (COMPLETE, FAIL with the reason, or PRUNED) whatever the
// objective does; reports, metrics, tags and artifacts reach the trial's run; the pruner is asked
// through TrialIO; an abort of the stop signal ends a running trial as FAIL (interrupted).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import type { Executor, ObjectiveSource, TrialIO, TrialTask } from '../../src/study/executor.js';
import type { TrialOutcome } from '../../src/study/outcome.js';
import type { Pruner } from '../../src/study/pruner.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import type { TrialFinish } from '../../src/tracking/store.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * What a trial of the contract does:
 * - io: reports x+3, x+2, x+1 at steps 0..2, logs acc = 0.5 at step 2, tags lang = node, leaves
 *   note.txt among its artifacts, and returns x;
 * - throws: fails (an exception, or a non-zero exit for a command);
 * - prunable: reports 100, 99, ... until the pruner stops it;
 * - report-hang: reports once, then never ends by itself.
 */
export type ContractMode = 'io' | 'throws' | 'prunable' | 'report-hang';

export interface ExecutorHarness {
  readonly name: string;
  /** An executor and the objective whose trial number n behaves as modes[n]. Closed by the contract. */
  make(modes: readonly ContractMode[]): Promise<{ executor: Executor; objective: ObjectiveSource }>;
}

/** Stops a trial once it reported a value above 50 (only `prunable` and `report-hang` do). */
const highValuePruner: Pruner = {
  name: 'high-values',
  shouldPrune: (_study, trial) => Object.values(trial.intermediate).some((v) => v > 50),
};

/** A memory store that counts the finishes of each trial. */
class CountingStore extends MemoryStore {
  readonly finishes = new Map<number, number>();
  override async finishTrial(trialId: number, finish: TrialFinish): Promise<boolean> {
    this.finishes.set(trialId, (this.finishes.get(trialId) ?? 0) + 1);
    return super.finishTrial(trialId, finish);
  }
}

/** A TrialIO that records what comes through it. */
function recordingIO(): TrialIO & { reports: [number, number][]; firstReport: Promise<void> } {
  let reported!: () => void;
  const firstReport = new Promise<void>((resolve) => { reported = resolve; });
  const reports: [number, number][] = [];
  return {
    reports,
    firstReport,
    report: (value, step) => { reports.push([value, step]); reported(); },
    log: () => undefined,
    setTag: () => undefined,
    suggest: () => { throw new Error('no define-by-run in this contract'); },
    shouldPrune: async () => false,
    logArtifact: async () => undefined,
    logModel: () => { throw new Error('no models in this contract'); },
    logInput: () => undefined,
  };
}

export function executorContract(harness: ExecutorHarness): void {
  describe(`Executor contract: ${harness.name}`, () => {
    const open: Executor[] = [];
    afterEach(async () => {
      for (const e of open.splice(0)) await e.close();
    });
    const make = async (modes: readonly ContractMode[]) => {
      const made = await harness.make(modes);
      open.push(made.executor);
      return made;
    };

    it('ends every trial with exactly one finish, whatever the objective does', async () => {
      const store = new CountingStore({ artifactRoot: tempDir() });
      const study = await createStudy({ name: 'contract', space: { x: hp.quniform(1, 9, 1) }, seed: 3, storage: store, pruner: highValuePruner });
      const { executor, objective } = await make(['io', 'throws', 'prunable', 'io']);
      const result = await study.optimize(objective, { trials: 4, executor });
      expect(result).toMatchObject({ completed: 2, failed: 1, pruned: 1 });
      expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'PRUNED', 'COMPLETE']);
      expect([...store.finishes.values()]).toEqual([1, 1, 1, 1]);
      const failed = study.trials[1];
      expect(failed?.error).toBeTruthy();
      expect((await store.getRun(failed?.runId ?? '')).data.tags['sweep.fail_reason']).toMatch(/^(error|crashed)$/);
      expect((await store.getRun(study.record.parentRunId)).info.status).toBe('FINISHED');
    });

    it('carries reports, metrics, tags and artifacts of a trial to its run', async () => {
      const store = new MemoryStore({ artifactRoot: tempDir() });
      const study = await createStudy({ name: 'contract-io', space: { x: hp.quniform(1, 9, 1) }, seed: 5, storage: store });
      const { executor, objective } = await make(['io']);
      await study.optimize(objective, { trials: 1, executor });
      const trial = study.trials[0];
      const x = Number(trial?.params['x']);
      expect(trial).toMatchObject({ state: 'COMPLETE', value: x, intermediate: { 0: x + 3, 1: x + 2, 2: x + 1 } });
      const run = await store.getRun(trial?.runId ?? '');
      expect(run.data.metrics['acc']).toMatchObject({ value: 0.5, step: 2 });
      expect(run.data.tags['lang']).toBe('node');
      const note = join(run.info.artifactUri, 'note.txt');
      expect(existsSync(note)).toBe(true);
      expect(readFileSync(note, 'utf8')).toBe('trial 0');
    });

    it('ends a running trial as FAIL (interrupted) when the stop signal is aborted', async () => {
      const { executor, objective } = await make(['report-hang']);
      const task: TrialTask = {
        number: 0, runId: 'contract-run', studyName: 'contract-stop', params: { x: 4 }, labels: { x: '4' },
        artifactUri: tempDir(), prunes: false, objective,
      };
      const io = recordingIO();
      const stop = new AbortController();
      const running = executor.run(task, io, stop.signal);
      await io.firstReport;
      stop.abort();
      const outcome: TrialOutcome = await running;
      expect(outcome).toMatchObject({ kind: 'failed', reason: 'interrupted' });
      expect(io.reports[0]?.[1]).toBe(0);
    });

    it('does not start a trial whose stop signal is already aborted', async () => {
      const { executor, objective } = await make(['io']);
      const io = recordingIO();
      const stop = new AbortController();
      stop.abort();
      const task: TrialTask = {
        number: 0, runId: 'contract-run', studyName: 'contract-stop', params: { x: 4 }, labels: { x: '4' },
        artifactUri: tempDir(), prunes: false, objective,
      };
      expect(await executor.run(task, io, stop.signal)).toMatchObject({ kind: 'failed', reason: 'interrupted' });
      expect(io.reports).toEqual([]);
    });
  });
}
