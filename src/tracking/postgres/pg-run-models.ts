// Dataset inputs and logged models of runs on PostgreSQL (runs/log-inputs, runs/log-model): each call
// one transaction, an unknown run a NotFoundError.
import { NotFoundError } from '../../errors.js';
import { TAG_LOG_MODEL_HISTORY, type DatasetInput } from '../registry/entities.js';
import { appendModelHistory, checkDatasetInputs, checkLoggedModel, contextOf, freezeInput, newInputs } from '../registry/run-models.js';
import type { PgConnection, Queryable } from './connection.js';
import { batchArgs } from './pg-args.js';


export async function logRunInputs(conn: PgConnection, runId: string, inputs: readonly DatasetInput[]): Promise<void> {
  checkDatasetInputs(inputs);
  const fresh = newInputs([], inputs);
  await conn.run(`log inputs to run ${runId}`, async (q) => {
    await readRunExists(q, runId);
    for (const input of fresh) {
      const d = input.dataset;
      await q.query(
        `INSERT INTO run_inputs (run_id, name, digest, source_type, source, schema, profile, context, tags)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (run_id, name, digest) DO NOTHING`,
        [runId, d.name, d.digest, d.sourceType, d.source, d.schema ?? null, d.profile ?? null, contextOf(input), JSON.stringify(input.tags)],
      );
    }
  }, true);
}

export async function readRunInputs(conn: PgConnection, runId: string): Promise<DatasetInput[]> {
  return conn.run('get run inputs', async (q) => {
    await readRunExists(q, runId);
    const { rows } = await q.query<{
      name: string; digest: string; source_type: string; source: string; schema: string | null; profile: string | null; tags: string;
    }>('SELECT * FROM run_inputs WHERE run_id = $1 ORDER BY input_id', [runId]);
    return rows.map((r) => freezeInput({
      dataset: {
        name: r.name, digest: r.digest, sourceType: r.source_type, source: r.source,
        ...(r.schema !== null && { schema: r.schema }), ...(r.profile !== null && { profile: r.profile }),
      },
      tags: JSON.parse(r.tags) as Record<string, string>,
    }));
  });
}

export async function recordRunModel(conn: PgConnection, runId: string, model: Readonly<Record<string, unknown>>): Promise<void> {
  checkLoggedModel(model);
  await conn.run(`log a model to run ${runId}`, async (q) => {
    // The run's row locked: two models logged at once to one run both land in the history.
    if ((await q.query('SELECT 1 FROM runs WHERE run_id = $1 FOR UPDATE', [runId])).rowCount === 0) {
      throw new NotFoundError(`run ${runId} does not exist`);
    }
    const current = (await q.query<{ value: string }>('SELECT value FROM tags WHERE run_id = $1 AND key = $2', [runId, TAG_LOG_MODEL_HISTORY])).rows[0]?.value;
    await q.query('SELECT sweep_write_batch($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      runId, ...batchArgs({ tags: { [TAG_LOG_MODEL_HISTORY]: appendModelHistory(current, model) } }),
    ]);
  }, true);
}

async function readRunExists(q: Queryable, runId: string): Promise<void> {
  if ((await q.query('SELECT 1 FROM runs WHERE run_id = $1', [runId])).rowCount === 0) throw new NotFoundError(`run ${runId} does not exist`);
}
