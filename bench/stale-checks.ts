// Stale checks against a live trial on PostgreSQL: one worker runs a long trial that reports nothing
// (kept alive by plain heartbeats only) and 3 more workers beat beside it, each as the optimize loop
// does every --heartbeat-interval: heartbeat its own trials, then failStaleTrials(--stale-after).
// Counts the compare-and-set finishTrial calls the checkers issue (all refused), per minute, for each
// build given (A/B in one run, rounds interleaved); each worker has its own store (own connections).
// Run: npm run build && node --import tsx bench/stale-checks.ts [--seconds 15 --heartbeat-interval 0.1
//        --stale-after 1 --workers 3 --rounds 2] [--dist DIR ...] (default --dist dist)
// Needs PostgreSQL (SWEEP_BENCH_PG_URL, default postgresql://postgres@127.0.0.1:5432/test).
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { numberFlag } from './flags.js';
import type { TrackingStore } from '../src/tracking/store.js';

const url = process.env['SWEEP_BENCH_PG_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';
const seconds = numberFlag('seconds', 15);
const intervalMs = numberFlag('heartbeat-interval', 0.1) * 1000;
const staleAfterMs = numberFlag('stale-after', 1) * 1000;
const workers = numberFlag('workers', 3);
const rounds = numberFlag('rounds', 2);
const dists = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--dist' ? [a] : []));
if (dists.length === 0) dists.push('dist');

interface Study {
  ask(): Promise<unknown>;
  heartbeat(): Promise<void>;
  failStaleTrials(staleAfterMs: number): Promise<number[]>;
  close(): Promise<void>;
}
type CreateStudy = (o: Record<string, unknown>) => Promise<Study>;
type OpenStore = (uri: string) => TrackingStore;

async function load(dist: string): Promise<{ createStudy: CreateStudy; openStore: OpenStore }> {
  const at = (p: string): string => pathToFileURL(resolve(dist, p)).href;
  const { createStudy } = (await import(at('src/app/create-study.js'))) as { createStudy: CreateStudy };
  const { openStore } = (await import(at('src/tracking/open-store.js'))) as { openStore: OpenStore };
  return { createStudy, openStore };
}

/** A store counting finishTrial calls. */
function counting(inner: TrackingStore, count: { n: number }): TrackingStore {
  return new Proxy(inner, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (key === 'finishTrial') count.n++;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function round(dist: string): Promise<{ perMinute: number; reaped: number }> {
  const { createStudy, openStore } = await load(dist);
  const schema = `helper_hbeat_${randomBytes(5).toString('hex')}`;
  const uri = `${url}?schema=${schema}`;
  const count = { n: 0 };
  const stores = Array.from({ length: workers + 1 }, (_, i) => (i === 0 ? openStore(uri) : counting(openStore(uri), count)));
  const studies: Study[] = [];
  for (const storage of stores) studies.push(await createStudy({ name: 'long', seed: 1, storage, loadIfExists: true }));
  let reaped = 0;
  try {
    await studies[0]?.ask();
    const beats = studies.map((study) => {
      let busy = false;
      return setInterval(() => {
        if (busy) return;
        busy = true;
        void study.heartbeat()
          .then(() => study.failStaleTrials(staleAfterMs))
          .then((failed) => { reaped += failed.length; })
          .finally(() => { busy = false; });
      }, intervalMs);
    });
    await new Promise((r) => setTimeout(r, seconds * 1000));
    for (const b of beats) clearInterval(b);
    await new Promise((r) => setTimeout(r, 2 * intervalMs));
  } finally {
    for (const s of studies) await s.close();
    for (const s of stores) await s.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
  return { perMinute: (count.n / seconds) * 60, reaped };
}

console.log(`load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${workers} checkers + 1 owner, heartbeat ${intervalMs} ms, stale-after ${staleAfterMs} ms, ${seconds} s a round`);
for (let r = 0; r < rounds; r++) {
  for (const dist of dists) {
    const { perMinute, reaped } = await round(dist);
    console.log(`round ${r + 1} ${dist}: ${perMinute.toFixed(0)} finishTrial calls/min by the checkers, live trial reaped ${reaped} times`);
  }
}
console.log(`load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
