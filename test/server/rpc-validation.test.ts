// The sweep store RPC (/api/2.0/sweep/store/*) checks every argument before the store sees it: a bad
// call is a 400 naming the argument, and nothing of it is stored.
import { describe, expect, it } from 'vitest';
import { makeServer, type TestServer } from './helpers.js';

const RPC = '/api/2.0/sweep/store';
const STUDY = { name: 's', directions: ['minimize'], metric: 'loss', space: null, sampler: { name: 'random' }, seed: 1 };

async function withTrial(): Promise<{ s: TestServer; studyId: number; trialId: number; runId: string }> {
  const s = await makeServer({ onInternalError: (e) => { throw e; } });
  const study = await s.call('POST', `${RPC}/createStudy`, { args: [STUDY] });
  expect(study.status).toBe(200);
  const studyId = study.body.result.studyId as number;
  const trial = await s.call('POST', `${RPC}/createTrial`, { args: [studyId, {}] });
  expect(trial.status).toBe(200);
  return { s, studyId, trialId: trial.body.result.trialId as number, runId: trial.body.result.runId as string };
}

describe('store RPC validation', () => {
  it.each([
    ['createStudy', [{ name: 'a' }], /args\[0\]\.directions/],
    ['createStudy', [{ ...STUDY, name: 'x', directions: ['sideways'] }], /args\[0\]\.directions\[0\]/],
    ['createStudy', [{ ...STUDY, name: 'x', seed: 'one' }], /args\[0\]\.seed/],
    ['createStudy', [{ ...STUDY, name: 'x', sampler: 'tpe' }], /args\[0\]\.sampler/],
    ['createStudy', [{ ...STUDY, name: 'x', surprise: 1 }], /args\[0\]/],
    ['createStudy', [], /args Too small/],
    ['getTrials', [{}], /args\[0\]/],
    ['getTrials', [1, 2, 3], /args/],
    ['getTrials', ['1'], /args\[0\]/],
    ['getStudy', [{ name: 's' }], /args\[0\]/],
    ['heartbeat', [[1, 'two'], 5], /args\[0\]\[1\]/],
    ['heartbeat', [Array.from({ length: 20_000 }, (_, i) => i), 5], /args\[0\]/],
    ['claimWaitingTrial', [1], /args Too small/],
  ])('%s %j: 400 INVALID_PARAMETER_VALUE', async (method, args, message) => {
    const { s } = await withTrial();
    const res = await s.call('POST', `${RPC}/${method}`, { args });
    expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(res.body.message).toMatch(new RegExp(`^Invalid argument to ${method}: `));
    expect(res.body.message).toMatch(message);
  });

  it('refuses a metric whose value is "str" or step "a", and stores none of the call', async () => {
    const { s, trialId, runId } = await withTrial();
    for (const metrics of [[{ key: 'm', value: 'str', timestamp: 1, step: 0 }], [{ key: 'm', value: 1, timestamp: 1, step: 'a' }]]) {
      const res = await s.call('POST', `${RPC}/recordTrialProgress`, { args: [trialId, { metrics, tags: { t: 'x' } }] });
      expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    }
    const run = await s.store.getRun(runId);
    expect(run.data.metrics).toEqual({});
    expect(run.data.tags['t']).toBeUndefined();
  });

  it('checks trial params with the search space\'s own rules', async () => {
    const { s, trialId } = await withTrial();
    const param = (distribution: unknown, value: unknown = 0.5) => ({ name: 'x', value, label: '0.5', distribution });
    for (const bad of [
      param({ kind: 'uniform', low: 1, high: 0 }),
      param({ kind: 'loguniform', low: 0, high: 1 }),
      param({ kind: 'wobbly', low: 0, high: 1 }),
      param({ kind: 'choice', n: 2, labels: ['a'] }),
      param({ kind: 'choice', n: 2, labels: ['a', 'b'], probs: [0.9, 0.9] }),
      param({ kind: 'uniform', low: 0, high: 1 }, 'half'),
    ]) {
      const res = await s.call('POST', `${RPC}/setTrialParams`, { args: [trialId, [bad]] });
      expect([JSON.stringify(bad), res.status]).toEqual([JSON.stringify(bad), 400]);
    }
    const ok = await s.call('POST', `${RPC}/setTrialParams`, { args: [trialId, [param({ kind: 'uniform', low: 0, high: 1 }), { ...param({ kind: 'choice', n: 2, labels: ['a', 'b'], probs: [0.3, 0.7] }, 1), name: 'k', label: 'b' }]] });
    expect(ok.status).toBe(200);
  });

  it('refuses a finish with an unknown state and keeps the trial running', async () => {
    const { s, studyId, trialId } = await withTrial();
    const res = await s.call('POST', `${RPC}/finishTrial`, { args: [trialId, { state: 'DONE', value: 1 }] });
    expect([res.status, res.body.message]).toEqual([400, expect.stringMatching(/args\[1\]\.state/)]);
    const trials = await s.call('POST', `${RPC}/getTrials`, { args: [studyId] });
    expect(trials.body.result[0].state).toBe('RUNNING');
  });
});
