// `sweep trials --json` carries at least what the table shows: reports of pruned and running trials,
// every reported value, durations, and why a trial failed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';
import { sweep } from './helpers.js';

interface TrialJson {
  number: number;
  state: string;
  value: number | null;
  intermediate: { step: number; value: number }[];
  lastReport: { step: number; value: number } | null;
  durationMs: number | null;
  error: string | null;
  failReason: string | null;
}

async function seed(dir: string): Promise<void> {
  const store = new SqliteStore(join(dir, 'sweep.db'));
  const study = await store.createStudy({ name: 'mixed', directions: ['minimize'], metric: 'loss', space: null, sampler: { name: 'random' }, seed: 1 });
  const reports = (values: number[]) => values.map((value, step) => ({ step, value, timestamp: 1000 + step }));
  const complete = await store.createTrial(study.studyId, { startTime: 1000 });
  await store.finishTrial(complete.trialId, { state: 'COMPLETE', value: 0.25, endTime: 3500, intermediate: reports([0.9, 0.5, 0.3]) });
  const pruned = await store.createTrial(study.studyId, { startTime: 1000 });
  await store.finishTrial(pruned.trialId, { state: 'PRUNED', endTime: 2000, intermediate: reports([0.95, 0.93]) });
  const failed = await store.createTrial(study.studyId, { startTime: 1000 });
  await store.finishTrial(failed.trialId, {
    state: 'FAIL', endTime: 1200, systemAttrs: { error: { name: 'TrialTimeout', message: 'the command exceeded the trial timeout of 2 s' }, failReason: 'timeout' },
  });
  const running = await store.createTrial(study.studyId, { startTime: 1000 });
  await store.recordTrialProgress(running.trialId, { intermediate: reports([0.8, 0.7, 0.6, 0.55]) });
  await store.close();
}

describe('sweep trials --json', () => {
  it('holds every report, the last report, the duration and the failure reason', async () => {
    const dir = tempDir();
    await seed(dir);
    const result = await sweep(['trials', 'mixed', '--json'], dir);
    expect(result.code).toBe(0);
    const trials = JSON.parse(result.stdout) as TrialJson[];
    expect(trials.map((t) => [t.number, t.state])).toEqual([[0, 'COMPLETE'], [1, 'PRUNED'], [2, 'FAIL'], [3, 'RUNNING']]);
    expect(trials[0]).toMatchObject({
      value: 0.25, durationMs: 2500, error: null, failReason: null, lastReport: { step: 2, value: 0.3 },
      intermediate: [{ step: 0, value: 0.9 }, { step: 1, value: 0.5 }, { step: 2, value: 0.3 }],
    });
    expect(trials[1]).toMatchObject({ value: null, durationMs: 1000, lastReport: { step: 1, value: 0.93 }, intermediate: [{ step: 0, value: 0.95 }, { step: 1, value: 0.93 }] });
    expect(trials[2]).toMatchObject({
      value: null, durationMs: 200, lastReport: null, intermediate: [],
      error: 'TrialTimeout: the command exceeded the trial timeout of 2 s', failReason: 'timeout',
    });
    expect(trials[3]).toMatchObject({ value: null, durationMs: null, lastReport: { step: 3, value: 0.55 } });
    expect(trials[3]?.intermediate).toHaveLength(4);
  });

  it('shows in JSON every value the table shows', async () => {
    const dir = tempDir();
    await seed(dir);
    const trials = JSON.parse((await sweep(['trials', 'mixed', '--json'], dir)).stdout) as TrialJson[];
    const rows = (await sweep(['trials', 'mixed'], dir)).stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(trials.length);
    rows.forEach((row, i) => {
      const t = trials[i] as TrialJson;
      const cell = row.split(/\s{2,}/)[2];
      const fromJson = t.value !== null ? String(t.value) : t.lastReport === null ? '-' : `${t.lastReport.value} @${t.lastReport.step}`;
      expect(cell).toBe(fromJson);
      if (t.error !== null) expect(row).toContain(t.error);
    });
  });
});

describe('sweep trials on a long trial', () => {
  it('shows the last report of a pruned trial that reported 200,000 steps', async () => {
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'sweep.db'));
    const study = await store.createStudy({ name: 'long', directions: ['minimize'], metric: 'loss', space: null, sampler: { name: 'random' }, seed: 1 });
    const trial = await store.createTrial(study.studyId, { startTime: 1000 });
    const intermediate = Array.from({ length: 200_000 }, (_, step) => ({ step, value: 1 / (step + 1), timestamp: 1000 }));
    await store.finishTrial(trial.trialId, { state: 'PRUNED', endTime: 2000, intermediate });
    await store.close();
    const result = await sweep(['trials'], dir);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/\n0 +PRUNED +5.0000e-6 @199999 /);
  });
});

describe('sweep trials --csv', () => {
  it('exports parameters at full precision, as the JSON does', async () => {
    // Found as a new user: the CSV held lr=0.0793497 (the table's rounding) for 0.07934971230129845.
    const dir = tempDir();
    const study = await createStudy({ name: 'exact', space: { lr: hp.loguniform(1e-5, 1), opt: hp.choice(['adam', 'sgd']) }, storage: `sqlite:${join(dir, 'sweep.db')}` });
    await study.enqueue({ lr: 0.07934971230129845, opt: 'sgd' });
    await study.optimize(() => 0.123456789012, { trials: 1 });
    await study.close();
    const result = await sweep(['trials', 'exact', '--csv'], dir);
    expect(result.code, result.stderr).toBe(0);
    const [header, row] = result.stdout.trim().split('\n').map((line) => line.split(','));
    const cell = (name: string): string | undefined => row?.[header?.indexOf(name) ?? -1];
    expect([cell('lr'), cell('opt'), cell('objective')]).toEqual(['0.07934971230129845', 'sgd', '0.123456789012']);
  });
});
