// One end-to-end run for `bench:overhead`: N trials of a trivial 5-parameter objective through createStudy
// with the SQLite store (every trial a tracked child run). Prints one JSON line with in-process timings.
//   node --import tsx bench/overhead-e2e.ts N SAMPLER_JSON DB_PATH
import { rmSync } from 'node:fs';
import { createStudy, hp } from '../src/index.js';

const trials = Number(process.argv[2] ?? 1000);
const sampler = JSON.parse(process.argv[3] ?? '{"name":"tpe"}') as { name: string };
const db = process.argv[4] ?? `/tmp/sweep-overhead-${process.pid}.db`;
const space = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`x${i}`, hp.uniform(-5, 5)]));

const t0 = performance.now();
const study = await createStudy({ name: 'overhead', direction: 'minimize', space, sampler: { ...sampler, seed: 1 }, storage: `sqlite:${db}` });
const t1 = performance.now();
await study.optimize((t) => Object.values(t.params as Record<string, number>).reduce((s, x) => s + x * x, 0), { trials });
const t2 = performance.now();
const stored = study.trials.length;
await study.close();
for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
process.stdout.write(`${JSON.stringify({ trials, stored, createMs: t1 - t0, optimizeMs: t2 - t1, best: study.bestTrial?.value ?? null })}\n`);
