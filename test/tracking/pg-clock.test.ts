// A host whose own clock is off: the heartbeat its progress reports carry (stamped with Date.now()) is
// kept on the database's clock, as its plain heartbeats are, so its trials are judged alive or stale by
// one clock on every host.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScratchPgStore, pgAvailable } from '../helpers/pg.js';

const available = await pgAvailable();
const HOUR = 3_600_000;

describe.runIf(available)('PostgreSQL heartbeats from progress reports', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('are kept on the database clock when this host runs an hour ahead', async () => {
    const store = new ScratchPgStore();
    try {
      const study = await store.createStudy({ name: 'clock', directions: ['minimize'], metric: 'loss', space: null, sampler: { name: 'random' }, seed: 1 });
      const trial = await store.createTrial(study.studyId, { workerId: 'ahead:1' });
      const realNow = Date.now.bind(Date);
      vi.spyOn(Date, 'now').mockImplementation(() => realNow() + HOUR);
      const before = await store.clock();
      await store.recordTrialProgress(trial.trialId, { tags: { phase: 'warm-up' }, heartbeat: Date.now() });
      const after = await store.clock();
      const { trials } = await store.syncTrials(study.studyId, undefined);
      const heartbeat = trials.find((t) => t.trialId === trial.trialId)?.heartbeat ?? 0;
      // The report's stamp, an hour ahead, is put on the database's clock (give or take the round trips).
      expect(heartbeat).toBeGreaterThanOrEqual(before - 1000);
      expect(heartbeat).toBeLessThanOrEqual(after + 1000);
    } finally {
      vi.restoreAllMocks();
      await store.close();
    }
  });
});
