// Stale checks of trials other processes run: a live trial whose heartbeats reach the store only by
// plain heartbeat writes (which other histories never see) is checked with a compare-and-set finish
// once per stale-after period, not on every beat; one whose heartbeat stopped is still reaped.
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { ScratchPgStore, pgAvailable } from '../helpers/pg.js';

const pg = await pgAvailable();
const stores: [string, () => TrackingStore][] = [
  ['MemoryStore', () => new MemoryStore()],
  ['SqliteStore', () => new SqliteStore(':memory:')],
  ...(pg ? [['PgStore', () => new ScratchPgStore()] as [string, () => TrackingStore]] : []),
];

/** A store whose clock the test sets, counting finishTrial calls. */
function controlled(inner: TrackingStore): { store: TrackingStore; clock: { now: number }; finishes: { count: number } } {
  const clock = { now: Date.now() };
  const finishes = { count: 0 };
  const store = new Proxy(inner, {
    get(target, key) {
      if (key === 'clock') return async () => clock.now;
      if (key === 'finishTrial') {
        return (...args: Parameters<TrackingStore['finishTrial']>) => {
          finishes.count++;
          return target.finishTrial(...args);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store, clock, finishes };
}

describe.each(stores)('stale checks of live trials (%s)', (_name, makeStore) => {
  it('retries a trial kept alive by plain heartbeats once per stale-after period, and reaps it once they stop', async () => {
    const staleAfter = 60_000;
    const beat = 5_000;
    const { store, clock, finishes } = controlled(makeStore());
    const owner = await createStudy({ name: 'live', space: { x: hp.uniform(0, 1) }, seed: 1, storage: store });
    const checker = await createStudy({ name: 'live', space: { x: hp.uniform(0, 1) }, seed: 1, storage: store, loadIfExists: true });
    try {
      await owner.ask();
      expect(await checker.failStaleTrials(staleAfter)).toEqual([]); // the checker's history has the trial
      expect(finishes.count).toBe(0);
      // Past stale-after since the trial started; its owner beats on, but only through store.heartbeat.
      clock.now += staleAfter + beat;
      await owner.heartbeat();
      expect(await checker.failStaleTrials(staleAfter)).toEqual([]);
      expect(finishes.count).toBe(1); // the first check: refused, the owner's heartbeat is fresh
      const firstCheck = clock.now;
      // Beats within stale-after of that check: no compare-and-set at all (one per beat without the fix).
      while (clock.now + beat - firstCheck <= staleAfter) {
        clock.now += beat;
        await owner.heartbeat();
        expect(await checker.failStaleTrials(staleAfter)).toEqual([]);
      }
      expect(finishes.count).toBe(1);
      // Stale-after past the first check: checked (and refused) again.
      clock.now += beat;
      await owner.heartbeat();
      expect(await checker.failStaleTrials(staleAfter)).toEqual([]);
      expect(finishes.count).toBe(2);
      // The owner stops beating: reaped once its last heartbeat is more than stale-after old.
      const lastBeat = clock.now;
      while (clock.now + beat - lastBeat <= staleAfter) {
        clock.now += beat;
        expect(await checker.failStaleTrials(staleAfter)).toEqual([]);
      }
      expect(finishes.count).toBe(2);
      clock.now += beat;
      expect(await checker.failStaleTrials(staleAfter)).toEqual([0]);
      expect(finishes.count).toBe(3);
      expect(checker.trials[0]?.state).toBe('FAIL');
      // Ended: nothing more to check.
      clock.now += 2 * staleAfter;
      expect(await checker.failStaleTrials(staleAfter)).toEqual([]);
      expect(finishes.count).toBe(3);
    } finally {
      await owner.close();
      await checker.close();
      await store.close();
    }
  });
});
