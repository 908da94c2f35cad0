// The built CLI's query commands on a store seeded through the library: runs search/get/delete/restore,
// experiments list/create/rename/delete/restore, metrics history, and `sweep server`'s start-up errors.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { sweep } from '../cli/helpers.js';
import { tempDir } from '../helpers/tmp.js';

async function seeded(): Promise<{ dir: string; storage: string; runIds: string[] }> {
  const dir = tempDir('sweep-cli-');
  const path = join(dir, 'sweep.db');
  const store = new SqliteStore(path);
  const e = await store.createExperiment('exp');
  const runIds: string[] = [];
  for (const [i, opt] of ['adam', 'sgd', 'adam'].entries()) {
    const run = await store.createRun({ experimentId: e.experimentId, runName: `r${i}`, startTime: 1000 + i });
    await store.logBatch(run.info.runId, {
      params: { opt, note: i === 0 ? 'has, comma' : 'plain' },
      metrics: [0, 1, 2].map((step) => ({ key: 'loss', value: (i + 1) / (step + 1), step, timestamp: 10 + step })),
    });
    runIds.push(run.info.runId);
  }
  await store.close();
  return { dir, storage: `sqlite:${path}`, runIds };
}

describe('sweep runs', () => {
  it('searches with a filter and an order, as a table, JSON and CSV', async () => {
    const { dir, storage, runIds } = await seeded();
    const args = ['runs', 'search', '--experiment', 'exp', '--filter', "params.opt = 'adam'", '--order-by', 'metrics.loss DESC', '--storage', storage];
    const text = await sweep(args, dir);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^run_id\s+run_name\s+status\s+start_time\s+metrics\.loss\s+params\.note\s+params\.opt$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[1])).toEqual(['r2', 'r0']);
    const json = JSON.parse((await sweep([...args, '--json'], dir)).stdout) as { info: { runId: string } }[];
    expect(json.map((r) => r.info.runId)).toEqual([runIds[2], runIds[0]]);
    const csv = (await sweep([...args, '--csv'], dir)).stdout.trim().split('\n');
    expect(csv[0]).toBe('run_id,run_name,status,start_time,metrics.loss,params.note,params.opt');
    expect(csv[2]).toBe(`${runIds[0]},r0,RUNNING,1000,0.3333333333333333,"has, comma",adam`);
  });

  it('pages with --max-results and prints the next page token on stderr', async () => {
    const { dir, storage } = await seeded();
    const first = await sweep(['runs', 'search', '--max-results', '2', '--json', '--storage', storage], dir);
    expect((JSON.parse(first.stdout) as unknown[]).length).toBe(2);
    const token = /--page-token (\S+)/.exec(first.stderr)?.[1];
    expect(token).toBeDefined();
    const second = await sweep(['runs', 'search', '--max-results', '2', '--page-token', token as string, '--json', '--storage', storage], dir);
    expect((JSON.parse(second.stdout) as unknown[]).length).toBe(1);
    expect(second.stderr).toBe('');
  });

  it('reports a bad filter in one line naming the column, with exit code 2', async () => {
    const { dir, storage } = await seeded();
    const res = await sweep(['runs', 'search', '--filter', 'metrics.loss < 1 and params.opt', '--storage', storage], dir);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr.split('\n')[0]).toMatch(/^sweep: filter: expected a comparator .* at column 32$/);
  });

  it('names the experiments there are when --experiment is unknown', async () => {
    const { dir, storage } = await seeded();
    const res = await sweep(['runs', 'search', '--experiment', 'nope', '--storage', storage], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^sweep: experiment "nope" does not exist .*\n  hint: experiments there: exp\n$/);
  });

  it('gets a run as text and JSON, deletes and restores it', async () => {
    const { dir, storage, runIds } = await seeded();
    const id = runIds[1] as string;
    const text = await sweep(['runs', 'get', id, '--storage', storage], dir);
    expect(text.stdout).toMatch(new RegExp(`^run ${id} "r1"\\n`));
    expect(text.stdout).toMatch(/params:\n {2}note = plain\n {2}opt = sgd\n/);
    expect(text.stdout).toMatch(/metrics:\n {2}loss = 0\.666667 \(step 2\)\n/);
    const json = JSON.parse((await sweep(['runs', 'get', id, '--json', '--storage', storage], dir)).stdout) as { info: { lifecycleStage: string } };
    expect(json.info.lifecycleStage).toBe('active');
    expect((await sweep(['runs', 'delete', id, '--storage', storage], dir)).stdout).toBe(`Deleted run ${id} "r1"\n`);
    const active = JSON.parse((await sweep(['runs', 'search', '--json', '--storage', storage], dir)).stdout) as unknown[];
    expect(active).toHaveLength(2);
    const deleted = JSON.parse((await sweep(['runs', 'search', '--view', 'deleted', '--json', '--storage', storage], dir)).stdout) as unknown[];
    expect(deleted).toHaveLength(1);
    expect((await sweep(['runs', 'restore', id, '--storage', storage], dir)).code).toBe(0);
    const missing = await sweep(['runs', 'get', 'f'.repeat(32), '--storage', storage], dir);
    expect([missing.code, missing.stderr]).toEqual([1, `sweep: run ${'f'.repeat(32)} does not exist\n`]);
  });

  it('prints a metric\'s history', async () => {
    const { dir, storage, runIds } = await seeded();
    const text = await sweep(['metrics', 'history', runIds[0] as string, 'loss', '--storage', storage], dir);
    expect(text.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['step', '0', '1', '2']);
    const json = JSON.parse((await sweep(['metrics', 'history', runIds[0] as string, 'loss', '--json', '--storage', storage], dir)).stdout) as { step: number; value: number }[];
    expect(json.map((m) => m.value)).toEqual([1, 0.5, 1 / 3]);
  });
});

describe('sweep experiments', () => {
  it('creates, lists, renames, deletes and restores experiments by name or id', async () => {
    const { dir, storage } = await seeded();
    expect((await sweep(['experiments', 'create', 'new', '--tag', 'team=ml', '--storage', storage], dir)).stdout).toBe('Created experiment 2 "new"\n');
    const list = (await sweep(['experiments', 'list', '--storage', storage], dir)).stdout;
    expect(list.trim().split('\n').map((l) => l.split(/\s+/)[1])).toEqual(['name', 'exp', 'new']);
    expect((await sweep(['experiments', 'rename', 'new', 'newer', '--storage', storage], dir)).stdout).toBe('Renamed experiment 2 "new" to "newer"\n');
    expect((await sweep(['experiments', 'delete', '2', '--storage', storage], dir)).stdout).toBe('Deleted experiment 2 "newer"\n');
    const deleted = JSON.parse((await sweep(['experiments', 'list', '--view', 'deleted', '--json', '--storage', storage], dir)).stdout) as { name: string; tags: Record<string, string> }[];
    expect(deleted).toEqual([expect.objectContaining({ name: 'newer', tags: { team: 'ml' } })]);
    const again = await sweep(['experiments', 'delete', 'newer', '--storage', storage], dir);
    expect([again.code, again.stderr]).toEqual([2, 'sweep: experiment "newer" is already deleted\n']);
    expect((await sweep(['experiments', 'restore', 'newer', '--storage', storage], dir)).code).toBe(0);
  });

  it.each([
    [['experiments', 'create', 'exp'], 1, /^sweep: experiment "exp" already exists/],
    [['experiments', 'create', ''], 2, /^sweep: Invalid experiment name: ""/],
    [['experiments', 'create', 'x', '--tag', 'bad//key=1'], 2, /Invalid value "bad\/\/key"/],
    [['experiments', 'rename', 'exp'], 2, /takes two arguments/],
    [['experiments', 'frob'], 2, /unknown action "experiments frob"/],
    [['metrics', 'history', 'abc'], 2, /takes two arguments, RUN_ID KEY/],
  ])('refuses %j in one line', async (args, code, message) => {
    const { dir, storage } = await seeded();
    const res = await sweep([...args, '--storage', storage], dir);
    expect(res.code).toBe(code);
    expect(res.stderr).toMatch(message);
  });
});

describe('sweep server', () => {
  it('reports a port in use in one line', async () => {
    const dir = tempDir('sweep-cli-');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const res = await sweep(['server', '--port', String(port), '--storage', `sqlite:${join(dir, 'x.db')}`], dir);
      expect(res.code).toBe(2);
      expect(res.stderr).toBe(`sweep: cannot listen on 127.0.0.1:${port}: the port is in use\n  hint: pick another with --port (0 picks a free one)\n`);
    } finally {
      blocker.close();
    }
  });
});
