// End to end: a study whose objective logs a model, then `sweep best --register`, `sweep models ...`
// (list, versions, download by alias, stages with --archive-existing, delete), as a user would.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';
import { ROOT, sweep } from './helpers.js';

const GBM = join(ROOT, 'test/fixtures/studies/gbm.ts');

/** The commit the fixture's work tree is at, or undefined outside a git work tree. */
function headCommit(): string | undefined {
  try {
    return execFileSync('git', ['-C', join(ROOT, 'test/fixtures/studies'), 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
const STEADY = join(ROOT, 'test/fixtures/studies/steady.ts');

describe('sweep models', () => {
  it('goes from sweep run to a registered, aliased, staged model and back to its files', async () => {
    const dir = tempDir();
    expect((await sweep(['run', GBM, '--trials', '6', '--seed', '1'], dir)).code).toBe(0);
    const best = JSON.parse((await sweep(['best', '--json'], dir)).stdout) as { number: number; runId: string };

    const registered = await sweep(['best', '--register', 'gbm', '--alias', 'champion'], dir);
    expect(registered.stderr).toBe('');
    expect(registered.stdout).toContain(`registered runs:/${best.runId}/model as model "gbm" version 1, alias "champion"`);

    const list = await sweep(['models', 'list', '--json'], dir);
    const [model] = JSON.parse(list.stdout) as { name: string; aliases: Record<string, number> }[];
    expect(model).toMatchObject({ name: 'gbm', aliases: { champion: 1 } });
    const text = await sweep(['models', 'list'], dir);
    expect(text.stdout).toMatch(/gbm\s+1 \(None\)\s+champion=1/);

    const out = join(dir, 'out');
    const download = await sweep(['models', 'download', 'models:/gbm@champion', '--dst', out], dir);
    expect(download.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'))).toMatchObject({ trial: best.number });
    expect(readFileSync(join(out, 'MLmodel'), 'utf8')).toContain('gbm_json:');

    // A second version from another trial, then stages: Production, and --archive-existing.
    const trials = JSON.parse((await sweep(['trials', 'gbm', '--json'], dir)).stdout) as { number: number; runId: string }[];
    const other = trials.find((t) => t.number !== best.number) as { runId: string };
    const v2 = await sweep(['models', 'register', 'gbm', '--run', other.runId, '--json'], dir);
    expect(JSON.parse(v2.stdout)).toMatchObject({ version: 2, source: `runs:/${other.runId}/model`, runId: other.runId });
    expect((await sweep(['models', 'stage', 'gbm', '1', 'Production'], dir)).stdout).toContain('version 1 is now Production');
    const archive = await sweep(['models', 'stage', 'gbm', '2', 'production', '--archive-existing'], dir);
    expect(archive.stdout).toContain('version 2 is now Production');
    expect(archive.stdout).toContain('Archived: version 1');
    const versions = JSON.parse((await sweep(['models', 'versions', 'gbm', '--json'], dir)).stdout) as { version: number; stage: string; aliases: string[]; tags: Record<string, string> }[];
    expect(versions.map((v) => [v.version, v.stage, v.aliases])).toEqual([[1, 'Archived', ['champion']], [2, 'Production', []]]);
    expect(versions[0]?.tags).toEqual({ 'sweep.study': 'gbm', 'sweep.trial': String(best.number) });
    const prod = join(dir, 'prod');
    expect((await sweep(['models', 'download', 'models:/gbm/Production', '--dst', prod], dir)).code).toBe(0);
    expect(existsSync(join(prod, 'model.json'))).toBe(true);

    expect((await sweep(['models', 'alias', 'gbm', 'champion', '2'], dir)).stdout).toContain('alias "champion" -> version 2');

    // A version MLflow's client registered through a server: its source is the artifact proxy's path.
    const store = new SqliteStore(join(dir, 'sweep.db'));
    const bestRun = await store.getRun(best.runId);
    await store.registry.createModelVersion({ name: 'gbm', source: `mlflow-artifacts:/${bestRun.info.experimentId}/${best.runId}/artifacts/model`, runId: best.runId });
    await store.close();
    const proxied = join(dir, 'proxied');
    expect((await sweep(['models', 'download', 'models:/gbm/3', '--dst', proxied], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(proxied, 'model.json'), 'utf8'))).toMatchObject({ trial: best.number });
    expect((await sweep(['models', 'delete', 'gbm', '1'], dir)).code).toBe(0);
    const runs = await sweep(['runs', 'search', '--experiment', 'gbm', '--filter', "datasets.context = 'training'", '--json'], dir);
    expect((JSON.parse(runs.stdout) as unknown[]).length).toBe(6);

    // Back from the model to the code that found it: the study run's source tags and its copy of the file.
    const [summary] = JSON.parse((await sweep(['studies', '--json'], dir)).stdout) as { parentRunId: string }[];
    const parent = JSON.parse((await sweep(['runs', 'get', summary?.parentRunId ?? '', '--json'], dir)).stdout) as { info: { artifactUri: string }; data: { tags: Record<string, string> } };
    expect(parent.data.tags).toMatchObject({ 'mlflow.source.name': GBM, 'mlflow.source.type': 'LOCAL' });
    expect(parent.data.tags['mlflow.source.git.commit']).toBe(headCommit());
    expect(readFileSync(join(parent.info.artifactUri, 'study', 'gbm.ts'), 'utf8')).toBe(readFileSync(GBM, 'utf8'));
  });

  it('says clearly when the best trial logged no model, and names bad arguments', async () => {
    const dir = tempDir();
    expect((await sweep(['run', STEADY, '--trials', '2'], dir)).code).toBe(0);
    const none = await sweep(['best', '--register', 'm'], dir);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/^sweep: the best trial #\d of study "steady" logged no model \(its mlflow.log-model.history tag is empty\)\n {2}hint: log one from the objective with trial.logModel/);
    const unknown = await sweep(['models', 'get', 'nope'], dir);
    expect([unknown.code !== 0, unknown.stderr.split('\n')[0]]).toEqual([true, 'sweep: Registered Model with name=nope not found']);
    const badUri = await sweep(['models', 'download', 'gbm@x', '--dst', 'o'], dir);
    expect(badUri.stderr).toMatch(/^sweep: Not a proper models:\/ URI: gbm@x/);
    const badStage = await sweep(['models', 'stage', 'm', '1', 'Shipped'], dir);
    expect(badStage.stderr).toMatch(/^sweep: Invalid Model Version stage: Shipped/);
    expect((await sweep(['run', join(ROOT, 'test/fixtures/studies/multi-threads.ts'), '--trials', '2', '--executor', 'inline'], dir)).code).toBe(0);
    const multi = await sweep(['best', '--study', 'multi-threads', '--register', 'm'], dir);
    expect(multi.stderr).toMatch(/^sweep: study "multi-threads" has 2 objectives: no single best trial to register\n {2}hint: pick a trial of the Pareto front/);
  });
});
