// End to end: the built `sweep server` on a free loopback port, driven by the npm `mlflow` package (a
// client we did not write), then the same data read back with `sweep runs search` from the SQLite file.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import mlflowModule from 'mlflow';
import { RunStatus, ViewType } from 'mlflow/enum.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnSweep, sweep } from '../cli/helpers.js';
import { serverUrl } from '../helpers/server-url.js';
import { tempDir } from '../helpers/tmp.js';

// The package's index.js exports the class itself; its typings describe an ES default export.
const MLflow = ((mlflowModule as unknown as { default?: unknown }).default ?? mlflowModule) as typeof mlflowModule.default;

const servers: ChildProcess[] = [];

afterEach(() => {
  for (const child of servers.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `sweep server --port 0` and resolves its URL from its first line (10 s at most). */
function startSweepServer(dir: string, storage: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnSweep(['server', '--port', '0', '--storage', storage], dir);
  servers.push(child);
  return serverUrl(child, 30_000).then((url) => ({ child, url }));
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

describe('sweep server with the npm mlflow client', () => {
  it('logs an experiment\'s runs through the server and reads them back with sweep runs search', { timeout: 60_000 }, async () => {
    const dir = tempDir('sweep-e2e-');
    const storage = `sqlite:${join(dir, 'tracking.db')}`;
    const { child, url } = await startSweepServer(dir, storage);
    vi.spyOn(console, 'log').mockImplementation(() => undefined); // the package logs every POST body
    const client = new MLflow({ endpoint: url });

    const { experiment_id: experimentId } = await client.Experiments.create({ name: 'e2e' } as never);
    expect(experimentId).toMatch(/^\d+$/);
    await client.Experiments.setExperimentTag({ experiment_id: experimentId, key: 'team', value: 'ml' });
    expect((await client.Experiments.get({ experiment_id: experimentId })).experiment).toMatchObject({ name: 'e2e', tags: [{ key: 'team', value: 'ml' }] });

    const start = Date.now();
    const runIds: string[] = [];
    for (const [name, lr, losses] of [['trial-good', '0.01', [0.9, 0.5, 0.2]], ['trial-bad', '0.1', [2, 1.5, 1.2]], ['trial-mid', '0.01', [1, 0.8, 0.6]]] as const) {
      const { run } = await client.Runs.create({ experiment_id: experimentId, user_id: 'tester', start_time: start + runIds.length, tags: [{ key: 'mlflow.runName', value: name }] });
      expect((run.info as { run_name?: string }).run_name).toBe(name); // its typings predate run_name
      const runId = run.info.run_id;
      runIds.push(runId);
      await client.Runs.logParameter({ run_id: runId, key: 'lr', value: lr });
      for (const [step, loss] of losses.entries()) await client.Runs.logMetric({ run_id: runId, key: 'loss', value: loss, timestamp: start + step, step });
      await client.Runs.logBatch({
        run_id: runId,
        metrics: [{ key: 'acc', value: 1 - losses[2], timestamp: start + 10, step: 2 }],
        params: [{ key: 'opt', value: 'adam' }, { key: 'epochs', value: '3' }],
        tags: [{ key: 'stage', value: 'tuning' }, { key: 'scratch', value: 'x' }],
      });
      await client.Runs.setTag({ run_id: runId, key: 'note', value: `run ${name}` });
      await client.Runs.deleteTag({ run_id: runId, key: 'scratch' });
    }
    const [goodId, , midId] = runIds as [string, string, string];

    const found = await client.Runs.search({ experiment_ids: [experimentId], filter: "metrics.loss < 1 and params.lr = '0.01'", order_by: ['metrics.loss ASC'], run_view_type: ViewType.ACTIVE_ONLY });
    expect(found.runs.map((r) => (r.info as { run_name?: string }).run_name)).toEqual(['trial-good', 'trial-mid']);
    const good = found.runs[0]!;
    expect(good.data.params).toEqual(expect.arrayContaining([{ key: 'lr', value: '0.01' }, { key: 'opt', value: 'adam' }, { key: 'epochs', value: '3' }]));
    expect(good.data.metrics).toEqual(expect.arrayContaining([{ key: 'loss', value: 0.2, timestamp: start + 2, step: 2 }]));
    const tags = good.data.tags as { key: string; value: string }[];
    expect(tags).toEqual(expect.arrayContaining([{ key: 'mlflow.runName', value: 'trial-good' }, { key: 'note', value: 'run trial-good' }, { key: 'stage', value: 'tuning' }]));
    expect(tags.map((t) => t.key)).not.toContain('scratch');

    const history = await client.Metrics.getHistory({ run_id: goodId, metric_key: 'loss' });
    expect(history.metrics.map((m) => [m.step, m.value])).toEqual([[0, 0.9], [1, 0.5], [2, 0.2]]);

    const end = Date.now();
    const updated = await client.Runs.update({ run_id: goodId, status: RunStatus.FINISHED, end_time: end });
    expect(updated.run_info).toMatchObject({ status: 'FINISHED', end_time: end });
    await client.Runs.delete({ run_id: midId });
    await client.Runs.restore({ run_id: midId });

    // an artifact the way the Python client uploads it, listed by the npm client
    const put = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${goodId}/artifacts/model.txt`, { method: 'PUT', body: 'weights' });
    expect(put.status).toBe(200);
    const listed = await client.Artifacts.list({ run_id: goodId, path: '' });
    expect(listed).toEqual({ root_uri: `mlflow-artifacts:/${experimentId}/${goodId}/artifacts`, files: [{ path: 'model.txt', is_dir: false, file_size: 7 }] });

    // errors reach the client as MLflow's JSON, with a 4xx status
    await expect(client.Runs.get({ run_id: 'f'.repeat(32) })).rejects.toThrow(/"status":404.*RESOURCE_DOES_NOT_EXIST/);
    await expect(client.Runs.logParameter({ run_id: goodId, key: 'lr', value: '0.5' })).rejects.toThrow(/"status":400.*INVALID_PARAMETER_VALUE.*Changing param values is not allowed/);
    await expect(client.Runs.search({ experiment_ids: [experimentId], filter: 'metrics.loss <' })).rejects.toThrow(/"status":400.*column 15/);

    // the same data, read from the SQLite file by the CLI while the server still runs
    const cli = await sweep(['runs', 'search', '--experiment', 'e2e', '--filter', "metrics.loss < 1 and params.lr = '0.01'", '--order-by', 'metrics.loss ASC', '--json', '--storage', storage], dir);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const runs = JSON.parse(cli.stdout) as { info: { runId: string; runName: string; status: string; endTime: number | null }; data: { params: Record<string, string>; metrics: Record<string, { value: number }>; tags: Record<string, string> } }[];
    expect(runs.map((r) => r.info.runName)).toEqual(['trial-good', 'trial-mid']);
    expect(runs[0]?.info).toMatchObject({ runId: goodId, status: 'FINISHED', endTime: end });
    expect(runs[0]?.data.params).toEqual({ lr: '0.01', opt: 'adam', epochs: '3' });
    expect(runs[0]?.data.metrics['loss']?.value).toBe(0.2);
    expect(runs[0]?.data.tags).toMatchObject({ 'mlflow.runName': 'trial-good', note: 'run trial-good', stage: 'tuning' });
    const csv = await sweep(['runs', 'search', '--experiment', 'e2e', '--order-by', 'metrics.loss DESC', '--csv', '--storage', storage], dir);
    expect(csv.stdout.split('\n')[0]).toBe('run_id,run_name,status,start_time,metrics.acc,metrics.loss,params.epochs,params.lr,params.opt');
    expect(csv.stdout.split('\n').slice(1, 4).map((line) => line.split(',')[1])).toEqual(['trial-bad', 'trial-mid', 'trial-good']);

    // graceful shutdown on SIGTERM
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });
});
