// Writes to a run (log-metric, log-parameter, log-batch, set-tag, delete-tag) and metrics/get-history.
// Every write is validated in full first (MLflow's limits), needs an active run, and keeps params immutable.
import type { Metric, Run } from '../../tracking/entities.js';
import { decodePageToken, encodePageToken } from '../../tracking/search/query.js';
import { TAG_RUN_NAME } from '../../tracking/store-rules.js';
import { ownValue } from '../../tracking/own-entries.js';
import { activeRun, translateNotFound, type ApiRoute, type ServerContext } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import type { Fields } from '../request.js';
import { metricJson } from '../serialize.js';
import { validateBatch, validateMetric, validateParam, validateTag } from '../validation.js';

export function loggingRoutes(ctx: ServerContext): ApiRoute[] {
  return [
    {
      method: 'POST',
      path: '/runs/log-metric',
      handler: async (f) => {
        const runId = f.runId();
        const metric = readMetric(f);
        validateMetric(metric, 'metric');
        await activeRun(ctx, runId);
        await ctx.store.logBatch(runId, { metrics: [metric] });
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/log-parameter',
      handler: async (f) => {
        const runId = f.runId();
        const key = f.requiredString('key');
        const value = f.text('value') ?? '';
        validateParam(key, value, 'param');
        const old = ownValue((await activeRun(ctx, runId)).data.params, key);
        if (old !== undefined && old !== value) {
          throw new ApiError(
            'INVALID_PARAMETER_VALUE',
            `Changing param values is not allowed. Param with key='${key}' was already logged with value='${old}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
            400,
            'E_IMMUTABLE',
          );
        }
        await ctx.store.logBatch(runId, { params: { [key]: value } });
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/log-batch',
      handler: async (f) => {
        const runId = f.runId();
        const metrics = f.messages('metrics').map(readMetric);
        const params = f.keyValues('params');
        const tags = f.keyValues('tags');
        validateBatch({ metrics, params, tags });
        const run = await activeRun(ctx, runId);
        const changed = params.filter((p) => ownValue(run.data.params, p.key) !== undefined && ownValue(run.data.params, p.key) !== p.value);
        if (changed.length > 0) {
          const logged = changed.map((p) => ({ key: p.key, old_value: ownValue(run.data.params, p.key), new_value: p.value }));
          throw new ApiError('INVALID_PARAMETER_VALUE', `Changing param values is not allowed. Params were already logged='${JSON.stringify(logged)}' for run ID='${runId}'.`, 400, 'E_IMMUTABLE');
        }
        const tagRecord = Object.fromEntries(tags.map((t) => [t.key, t.value]));
        await ctx.store.logBatch(runId, { metrics, params: Object.fromEntries(params.map((p) => [p.key, p.value])), tags: tagRecord });
        await renameIfTagged(ctx, run, tagRecord);
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/set-tag',
      handler: async (f) => {
        const runId = f.runId();
        const key = f.requiredString('key');
        const value = f.text('value') ?? '';
        validateTag(key, value, 'tag');
        const run = await activeRun(ctx, runId);
        await ctx.store.logBatch(runId, { tags: { [key]: value } });
        await renameIfTagged(ctx, run, { [key]: value });
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/delete-tag',
      handler: async (f) => {
        const runId = f.runId();
        const key = f.requiredString('key');
        const run = await activeRun(ctx, runId);
        if (ownValue(run.data.tags, key) === undefined) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
        await translateNotFound(() => ctx.store.deleteTag(runId, key), `No tag with name: ${key} in run with id ${runId}`);
        return {};
      },
    },
    {
      method: 'GET',
      path: '/metrics/get-history',
      handler: async (f) => {
        const runId = f.runId();
        const key = f.requiredString('metric_key');
        const maxResults = f.int64('max_results');
        const pageToken = f.string('page_token');
        if (maxResults !== undefined && maxResults < 1) throw f.invalid('max_results', maxResults, 'expected a positive integer');
        const history = await translateNotFound(() => ctx.store.getMetricHistory(runId, key), `Run with id=${runId} not found`);
        const offset = pageToken === undefined ? 0 : decodePageToken(pageToken);
        const end = maxResults === undefined ? history.length : offset + maxResults;
        return {
          metrics: history.slice(offset, end).map(metricJson),
          ...(end < history.length && { next_page_token: encodePageToken(end) }),
        };
      },
    },
  ];
}

// --- internal ---

function readMetric(f: Fields): Metric {
  const value = f.double('value');
  const timestamp = f.int64('timestamp');
  if (f.string('key') === undefined) throw f.missing('key');
  if (value === undefined) throw f.missing('value');
  if (timestamp === undefined) throw f.missing('timestamp');
  return { key: f.requiredString('key'), value, timestamp, step: f.int64('step') ?? 0 };
}

/** The mlflow.runName tag is the run's name: keep RunInfo.run_name the same. */
async function renameIfTagged(ctx: ServerContext, run: Run, tags: Readonly<Record<string, string>>): Promise<void> {
  const name = tags[TAG_RUN_NAME];
  if (name !== undefined && name !== run.info.runName) await ctx.store.updateRun(run.info.runId, { runName: name });
}
