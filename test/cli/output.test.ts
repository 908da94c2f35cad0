// Output through pipes: a command's whole --json output reaches a reader on the other end of a pipe,
// however large, on stdout and on stderr (an exit before the pipe drained used to cut it at 64 KiB).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { BIN } from './helpers.js';

const TRIALS = 600;
const LONG = 'x'.repeat(4000);

/** Runs the CLI with stdout and stderr as pipes read by this process, as `sweep ... | jq` would. */
function piped(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, SWEEP_TRACKING_URI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

/** A store whose listings run to megabytes: a long param, a long error text and a long tag on every trial. */
async function seed(dir: string): Promise<void> {
  const store = new SqliteStore(join(dir, 'sweep.db'));
  const study = await store.createStudy({ name: 'big', directions: ['minimize'], metric: 'loss', space: null, sampler: { name: 'random' }, seed: 1 });
  for (let i = 0; i < TRIALS; i++) {
    const trial = await store.createTrial(study.studyId, {});
    await store.setTrialParams(trial.trialId, [{ name: 'text', value: i, label: `${i}:${LONG}`, distribution: { kind: 'randint', low: 0, high: TRIALS } }]);
    await store.finishTrial(trial.trialId, {
      state: 'FAIL',
      tags: { note: `${i}:${LONG}` },
      systemAttrs: { error: { name: 'Error', message: `trial ${i} ${LONG}` }, failReason: 'error' },
    });
  }
  await store.close();
}

describe('output through a pipe', () => {
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sweep-output-'));
    await seed(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers all of `sweep trials --json`, megabytes of it', async () => {
    const result = await piped(['trials', 'big', '--json'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(2_000_000);
    const trials = JSON.parse(result.stdout) as { number: number; error: string }[];
    expect(trials).toHaveLength(TRIALS);
    expect(trials[TRIALS - 1]?.error).toBe(`Error: trial ${TRIALS - 1} ${LONG}`);
  });

  it('delivers all of `sweep runs search --json` and `--csv`', async () => {
    const json = await piped(['runs', 'search', '--json'], dir);
    expect(json.code).toBe(0);
    expect(json.stdout.length).toBeGreaterThan(2_000_000);
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(TRIALS + 1); // the trials and the study's parent run
    const csv = await piped(['runs', 'search', '--csv'], dir);
    expect(csv.code).toBe(0);
    expect(csv.stdout.length).toBeGreaterThan(2_000_000);
    expect(csv.stdout.trimEnd().split('\n')).toHaveLength(TRIALS + 2); // a header, then one line per run
  });

  it('delivers a long message on stderr', async () => {
    const name = 'n'.repeat(100_000);
    const result = await piped([name], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`sweep: unknown command "${name}"\n  hint: sweep --help lists the commands\n`);
  });
});
