// The study engine: optimize, outcomes of objectives that fail, tracking of each trial, resume,
// define-by-run, ask/tell.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { TrialPruned } from '../../src/study/outcome.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';

const space = { x: hp.uniform(-5, 5), y: hp.uniform(-5, 5) };
const quadratic = (t: { params: { x: number; y: number } }): number => (t.params.x - 1) ** 2 + t.params.y ** 2;

describe('optimize', () => {
  it('runs the budget and finds the best trial', async () => {
    const study = await createStudy({ name: 'q', space, seed: 1, storage: 'memory:' });
    const result = await study.optimize(quadratic, { trials: 50 });
    expect(result).toMatchObject({ started: 50, completed: 50, failed: 0, stoppedBy: 'trials' });
    const best = study.bestTrial;
    const values = study.trials.map((t) => t.value as number);
    expect(best?.value).toBe(Math.min(...values));
    expect(best?.params).toEqual(study.trials[best?.number ?? -1]?.params);
  });

  it('maximizes when asked', async () => {
    const study = await createStudy({ name: 'q', direction: 'maximize', space, seed: 1, storage: 'memory:' });
    await study.optimize(quadratic, { trials: 20 });
    expect(study.bestTrial?.value).toBe(Math.max(...study.trials.map((t) => t.value as number)));
  });

  it.each([
    ['throws', () => { throw new Error('boom'); }, 'Error: boom'],
    ['returns NaN', () => Number.NaN, 'objective must return a finite number, got NaN'],
    ['returns Infinity', () => Number.POSITIVE_INFINITY, 'objective must return a finite number, got Infinity'],
    ['returns a string', () => '1' as unknown as number, 'objective must return a finite number, got a string'],
    ['returns nothing', () => undefined as unknown as number, 'objective must return a finite number, got undefined'],
    ['rejects', async () => Promise.reject(new TypeError('async boom')), 'TypeError: async boom'],
  ])('ends a trial whose objective %s as FAIL with the reason, and goes on', async (_name, objective, message) => {
    const store = new MemoryStore();
    const study = await createStudy({ name: 'f', space, seed: 1, storage: store });
    let calls = 0;
    const result = await study.optimize((t) => (calls++ === 1 ? objective() : quadratic(t)), { trials: 4 });
    expect(result).toMatchObject({ completed: 3, failed: 1 });
    const failed = study.trials[1];
    expect(failed?.state).toBe('FAIL');
    expect(failed?.error).toContain(message);
    const run = await store.getRun(failed?.runId ?? '');
    expect(run.info.status).toBe('FAILED');
    expect(run.data.tags['sweep.error']).toContain(message);
  });

  it('ends a trial as PRUNED on trial.pruned() or TrialPruned', async () => {
    const study = await createStudy({ name: 'p', space, seed: 1, storage: 'memory:' });
    let i = 0;
    await study.optimize(
      (t) => {
        t.report(5, 0);
        if (i++ === 0) return t.pruned();
        throw new TrialPruned();
      },
      { trials: 2 },
    );
    expect(study.trials.map((t) => t.state)).toEqual(['PRUNED', 'PRUNED']);
    expect(study.trials[0]?.intermediate).toEqual({ 0: 5 });
  });

  it('stops after maxFailures', async () => {
    const study = await createStudy({ name: 'm', space, seed: 1, storage: 'memory:' });
    const result = await study.optimize(() => { throw new Error('x'); }, { trials: 10, maxFailures: 3 });
    expect(result).toMatchObject({ failed: 3, stoppedBy: 'max-failures' });
  });

  it('stops starting trials on timeout', async () => {
    const study = await createStudy({ name: 't', space, seed: 1, storage: 'memory:' });
    const result = await study.optimize(async () => { await new Promise((r) => setTimeout(r, 20)); return 1; }, { timeoutMs: 60 });
    expect(result.stoppedBy).toBe('timeout');
    expect(result.completed).toBeGreaterThan(0);
    expect(result.completed).toBeLessThan(10);
  });

  it('ends the running trial as FAIL (interrupted) on abort and leaves no trial RUNNING', async () => {
    const study = await createStudy({ name: 'a', space, seed: 1, storage: 'memory:' });
    const controller = new AbortController();
    const result = await study.optimize(
      async (t) => {
        if (t.number === 2) {
          controller.abort();
          await new Promise(() => undefined);
        }
        return 1;
      },
      { trials: 10, signal: controller.signal },
    );
    expect(result).toMatchObject({ completed: 2, failed: 1, stoppedBy: 'signal' });
    expect(study.trials[2]?.error).toContain('interrupted');
    expect(study.trials.some((t) => t.state === 'RUNNING')).toBe(false);
  });

  it('validates its options', async () => {
    const study = await createStudy({ name: 'v', space, storage: 'memory:' });
    await expect(study.optimize(() => 1, { trials: -1 })).rejects.toThrow('optimize: trials must be an integer >= 0, got -1');
    await expect(study.optimize(() => 1, { timeoutMs: 0 })).rejects.toThrow('optimize: timeoutMs must be > 0');
  });
});

describe('tracking of trials', () => {
  it('keeps a tag and a metric an objective names __proto__ or constructor', async () => {
    const store = new MemoryStore();
    const study = await createStudy({ name: 'proto', space, seed: 2, storage: store });
    await study.optimize((t) => {
      t.setTag('__proto__', 'p');
      t.setTag('constructor', 'c');
      t.log('__proto__', 3, 1);
      return 1;
    }, { trials: 1 });
    const { data } = await store.getRun(study.trials[0]?.runId ?? '');
    expect([Object.hasOwn(data.tags, '__proto__'), data.tags['__proto__'], data.tags['constructor']]).toEqual([true, 'p', 'c']);
    expect(Object.hasOwn(data.metrics, '__proto__')).toBe(true);
  });

  it('logs every trial as a child run with params, the objective, reports, metrics, tags and times', async () => {
    const store = new MemoryStore();
    const study = await createStudy({ name: 'track', metric: 'val_loss', space: { ...space, opt: hp.choice(['adam', 'sgd']) }, seed: 2, storage: store });
    await study.optimize(
      (t) => {
        for (let step = 0; step < 3; step++) t.report(10 - step, step);
        t.log('accuracy', 0.9, 2);
        t.setTag('note', 'hello');
        return 7;
      },
      { trials: 3 },
    );
    const children = (await store.searchRuns({ experimentIds: [study.record.experimentId], parentRunId: study.record.parentRunId })).items;
    expect(children).toHaveLength(3);
    const t0 = study.trials[0];
    const run = await store.getRun(t0?.runId ?? '');
    expect(run.info.status).toBe('FINISHED');
    expect(run.info.endTime).toBeGreaterThanOrEqual(run.info.startTime);
    expect(run.data.params).toEqual({ x: String(t0?.params['x']), y: String(t0?.params['y']), opt: String(t0?.params['opt']) });
    expect(run.data.metrics['val_loss']).toMatchObject({ value: 7, step: 2 });
    expect(run.data.metrics['accuracy']).toMatchObject({ value: 0.9, step: 2 });
    expect(run.data.tags).toMatchObject({ note: 'hello', 'sweep.state': 'COMPLETE', 'sweep.trial': '0', 'mlflow.parentRunId': study.record.parentRunId });
    expect((await store.getMetricHistory(run.info.runId, 'val_loss')).map((m) => [m.step, m.value])).toEqual([[0, 10], [1, 9], [2, 8], [2, 7]]);
    const parent = await store.getRun(study.record.parentRunId);
    expect(parent.info.status).toBe('FINISHED');
    expect(parent.data.metrics['val_loss']?.value).toBe(7);
  });

  it('copies artifacts under the run', async () => {
    const dir = tempDir();
    const storage = `sqlite:${join(dir, 'a.db')}`;
    const study = await createStudy({ name: 'art', space, seed: 1, storage });
    const source = join(dir, 'model.txt');
    writeFileSync(source, 'weights');
    await study.optimize(
      (t) => {
        t.logArtifact(source);
        t.logArtifact(source, 'nested/copy.txt');
        expect(() => t.logArtifact(source, '../escape.txt')).toThrow('artifactPath must be relative and stay inside the run');
        return 1;
      },
      { trials: 1 },
    );
    const runDir = join(study.store.artifactRoot, study.record.experimentId, study.trials[0]?.runId ?? '', 'artifacts');
    expect(readFileSync(join(runDir, 'model.txt'), 'utf8')).toBe('weights');
    expect(existsSync(join(runDir, 'nested', 'copy.txt'))).toBe(true);
    await study.close();
  });

  it('rejects a bad report with a clear message', async () => {
    const study = await createStudy({ name: 'bad', space, seed: 1, storage: 'memory:' });
    await study.optimize((t) => { t.report(1, 1.5); return 1; }, { trials: 1 });
    expect(study.trials[0]?.error).toContain('trial.report: step must be a non-negative integer, got 1.5');
  });
});

describe('resume', () => {
  it('continues numbering and shows the sampler the earlier trials', async () => {
    const storage = `sqlite:${join(tempDir(), 'r.db')}`;
    const first = await createStudy({ name: 'r', space, seed: 5, storage });
    await first.optimize(quadratic, { trials: 5 });
    const firstParams = first.trials.map((t) => t.params);
    await first.close();
    const second = await createStudy({ name: 'r', space, storage });
    expect(second.seed).toBe(5);
    await second.optimize(quadratic, { trials: 5 });
    expect(second.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(second.trials.slice(0, 5).map((t) => t.params)).toEqual(firstParams);
    await second.close();
  });

  it('shows the earlier trials and the best one as soon as a study is resumed, before any ask', async () => {
    // Found opening a study a CLI run had filled: study.trials was [] and bestTrial undefined until sync().
    const storage = `sqlite:${join(tempDir(), 'opened.db')}`;
    const first = await createStudy({ name: 'o', space, seed: 3, storage });
    await first.optimize(quadratic, { trials: 4 });
    const best = first.bestTrial?.number;
    await first.close();
    const opened = await createStudy({ name: 'o', space, storage });
    expect(opened.trials.map((t) => t.number)).toEqual([0, 1, 2, 3]);
    expect(opened.bestTrial?.number).toBe(best);
    await opened.close();
  });

  it('lets two processes start the same new study at once: both join one study with one seed', async () => {
    const path = join(tempDir(), 'race.db');
    const a = new SqliteStore(path);
    const b = new SqliteStore(path);
    // b's lookup happens before a's insert, so b's insert hits the unique name and must join a's study
    const [first, second] = await Promise.all([createStudy({ name: 'race', space, storage: a }), createStudy({ name: 'race', space, storage: b })]);
    expect(second.record.studyId).toBe(first.record.studyId);
    expect(second.seed).toBe(first.seed);
    await a.close();
    await b.close();
  });

  it('refuses an unknown option, naming it, with the options createStudy takes in the hint', async () => {
    await expect(createStudy({ name: 'u', space, storage: 'memory:', loadIfExist: true } as never)).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: 'createStudy "u": unknown option "loadIfExist"',
      hint: expect.stringContaining('storage, loadIfExists, artifacts'),
    });
  });

  it('refuses a changed space with a clear error', async () => {
    const store = new MemoryStore();
    await createStudy({ name: 'r', space, storage: store });
    await expect(createStudy({ name: 'r', space: { x: hp.uniform(-5, 6), y: hp.uniform(-5, 5) }, storage: store })).rejects.toMatchObject({
      code: 'E_STUDY_MISMATCH',
      message: 'study "r" in memory: was created with a different declared space; its trials would not fit this one',
    });
    await expect(createStudy({ name: 'r', space, direction: 'maximize', storage: store })).rejects.toThrow('is a minimize study, not maximize');
    await expect(createStudy({ name: 'r2', space, storage: store })).resolves.toBeDefined();
  });
});

describe('pruners', () => {
  // a learning curve per trial: good x (near 0) ends low, bad x stays high
  const curve = async (t: { params: { x: number; y: number }; report(v: number, s: number): void; shouldPrune(): Promise<boolean>; pruned(): never | any }) => {
    let loss = 0;
    for (let step = 0; step < 20; step++) {
      loss = Math.abs(t.params.x) + 5 / (step + 1);
      t.report(loss, step);
      if (await t.shouldPrune()) return t.pruned();
    }
    return loss;
  };

  it('prunes with a median pruner given by name and options, and keeps it on resume', async () => {
    const path = join(tempDir(), 'p.db');
    const first = await createStudy({ name: 'p', space, seed: 3, sampler: 'random', storage: `sqlite:${path}`, pruner: { name: 'median', nStartupTrials: 5 } });
    expect(first.pruner.name).toBe('median');
    const result = await first.optimize(curve, { trials: 30 });
    expect(result.pruned).toBeGreaterThan(5);
    expect(result.completed + result.pruned).toBe(30);
    // the first five trials are the startup: never pruned
    expect(first.trials.slice(0, 5).every((t) => t.state === 'COMPLETE')).toBe(true);
    await first.close();
    const resumed = await createStudy({ name: 'p', space, storage: `sqlite:${path}` });
    expect(resumed.pruner.name).toBe('median');
    await resumed.close();
  });

  it('rejects a bad pruner spec before storing the study', async () => {
    const store = new MemoryStore();
    await expect(createStudy({ name: 'bad', space, storage: store, pruner: { name: 'median', nWarmupSteps: -1 } })).rejects.toThrow(
      'pruner "median": nWarmupSteps',
    );
    await expect(createStudy({ name: 'bad', space, storage: store, pruner: 'nope' })).rejects.toThrow('pruner "nope" does not exist');
    expect(await store.getStudy('bad')).toBeUndefined();
  });
});

describe('enqueue and retries', () => {
  it('runs enqueued params first, sampling the parameters not given', async () => {
    const study = await createStudy({ name: 'enq', space: { ...space, opt: hp.choice(['adam', 'sgd']) }, seed: 1, storage: 'memory:' });
    await study.enqueue({ x: 1.5, opt: 'sgd' });
    await expect(study.enqueue({ x: 99 })).rejects.toThrow('enqueue: param "x": 99 is not a value of uniform(-5, 5)');
    await expect(study.enqueue({ nope: 1 })).rejects.toThrow('enqueue: "nope" is not a parameter of the declared space');
    await study.optimize((t) => t.params.x, { trials: 2 });
    expect(study.trials[0]).toMatchObject({ state: 'COMPLETE', params: { x: 1.5, opt: 'sgd' } });
    expect(typeof study.trials[0]?.params['y']).toBe('number');
  });

  it('retries a failed trial with the same params, up to the limit', async () => {
    const study = await createStudy({ name: 'retry', space, seed: 1, storage: 'memory:' });
    const attempts = new Map<number, number>();
    const result = await study.optimize(
      (t) => {
        const n = (attempts.get(t.params.x) ?? 0) + 1;
        attempts.set(t.params.x, n);
        // the first configuration fails twice, then succeeds; the others never fail
        if (t.number === 0 || (t.params.x === study.trials[0]?.params['x'] && n < 3)) throw new Error(`attempt ${n}`);
        return t.params.x;
      },
      { trials: 4, retryFailed: 2 },
    );
    expect(result).toMatchObject({ started: 4, completed: 2, failed: 2 });
    const [first, retry1, retry2] = study.trials;
    expect(retry1?.params).toEqual(first?.params);
    expect(retry2?.params).toEqual(first?.params);
    expect(retry2?.state).toBe('COMPLETE');
  });

  it('gives up after the retries are used', async () => {
    const study = await createStudy({ name: 'retry2', space, seed: 1, storage: 'memory:' });
    await study.optimize(() => { throw new Error('always'); }, { trials: 6, retryFailed: 1 });
    // each configuration runs twice: 0 and its retry 1, 2 and 3, 4 and 5
    const xs = study.trials.map((t) => t.params['x']);
    expect(xs[1]).toBe(xs[0]);
    expect(xs[3]).toBe(xs[2]);
    expect(xs[2]).not.toBe(xs[0]);
  });
});

describe('define-by-run and ask/tell', () => {
  it('samples with trial.suggest and tracks the suggested params', async () => {
    const store = new MemoryStore();
    const study = await createStudy({ name: 'dbr', seed: 3, storage: store });
    await study.optimize(
      (t) => {
        const x = t.suggest('x', hp.uniform(-5, 5));
        const kind = t.suggest('kind', hp.choice(['a', 'b']));
        expect(t.suggest('x', hp.uniform(-5, 5))).toBe(x);
        expect(() => t.suggest('x', hp.uniform(0, 1))).toThrow('already suggested in this trial with another distribution');
        return kind === 'a' ? x * x : x * x + 1;
      },
      { trials: 5 },
    );
    for (const t of study.trials) {
      expect(t.state).toBe('COMPLETE');
      expect(Object.keys(t.params).sort()).toEqual(['kind', 'x']);
      expect(['a', 'b']).toContain(t.params['kind']);
      const run = await store.getRun(t.runId);
      expect(run.data.params['kind']).toBe(t.params['kind']);
    }
  });

  it('supports ask and tell without optimize', async () => {
    const study = await createStudy({ name: 'at', space, seed: 1, storage: 'memory:' });
    const trial = await study.ask();
    trial.report(3, 0);
    const view = await study.tell(trial, 2.5);
    expect(view).toMatchObject({ number: 0, state: 'COMPLETE', value: 2.5, intermediate: { 0: 3 } });
    await expect(study.tell(trial, 1)).rejects.toThrow('trial #0 is not running in this process');
    const failing = await study.ask();
    expect((await study.tell(failing, Number.NaN)).state).toBe('FAIL');
  });
});
