// runs/*: create (run name from run_name or the mlflow.runName tag), get, update, delete, restore and
// search (MLflow's filter grammar, order_by and page tokens, answered by the store's SQL search; plus
// sweep's `nested` and `parent_run_id` extensions).
import { TAG_PARENT, TAG_RUN_NAME, TAG_USER } from '../../tracking/store-rules.js';
import { ownValue, putEntry } from '../../tracking/own-entries.js';
import { activeExperiment, activeRun, runOr404, RUN_STATUSES, VIEW_TYPES, type ApiRoute, type ServerContext } from '../context.js';
import { invalidParameter } from '../errors.js';
import { runInfoJson, runJson } from '../serialize.js';
import { datasetInputJson } from '../../tracking/registry/mlflow-json.js';
import { validateTag } from '../validation.js';

export function runRoutes(ctx: ServerContext): ApiRoute[] {
  return [
    {
      method: 'POST',
      path: '/runs/create',
      handler: async (f) => {
        const experimentId = f.string('experiment_id') ?? '0';
        const tags: Record<string, string> = {};
        f.keyValues('tags').forEach((t, i) => {
          validateTag(t.key, t.value, `tags[${i}]`);
          putEntry(tags, t.key, t.value);
        });
        const runName = f.string('run_name');
        const tagName = ownValue(tags, TAG_RUN_NAME);
        if (runName !== undefined && tagName !== undefined && runName !== tagName) {
          throw invalidParameter(
            `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${runName}', mlflow.runName='${tagName}').`,
          );
        }
        await activeExperiment(ctx, experimentId);
        const startTime = f.int64('start_time');
        const parentRunId = tags[TAG_PARENT];
        const run = await ctx.store.createRun({
          experimentId,
          ...((runName ?? tagName) !== undefined && { runName: runName ?? tagName }),
          ...(startTime !== undefined && { startTime }),
          ...(parentRunId !== undefined && { parentRunId }),
          userId: f.string('user_id') ?? tags[TAG_USER] ?? '',
          tags,
        });
        return { run: runJson(run, ctx.present) };
      },
    },
    {
      method: 'GET',
      path: '/runs/get',
      handler: async (f) => {
        const run = await runOr404(ctx, f.runId());
        const inputs = await ctx.store.getRunInputs(run.info.runId);
        // Empty inputs stay `{}`, as MLflow's proto JSON omits an empty list.
        return { run: { ...runJson(run, ctx.present), inputs: inputs.length === 0 ? {} : { dataset_inputs: inputs.map(datasetInputJson) } } };
      },
    },
    {
      method: 'POST',
      path: '/runs/update',
      handler: async (f) => {
        const runId = f.runId();
        const status = f.enumValue('status', RUN_STATUSES);
        const endTime = f.int64('end_time');
        const runName = f.string('run_name');
        if (runName !== undefined) validateTag(TAG_RUN_NAME, runName, 'run_name');
        await activeRun(ctx, runId);
        const run = await ctx.store.updateRun(runId, {
          ...(status !== undefined && { status }),
          ...(endTime !== undefined && { endTime }),
          ...(runName !== undefined && { runName }),
        });
        return { run_info: runInfoJson(run.info, ctx.present) };
      },
    },
    {
      method: 'POST',
      path: '/runs/delete',
      handler: async (f) => {
        const runId = f.runId();
        await runOr404(ctx, runId);
        await ctx.store.setRunLifecycle(runId, 'deleted');
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/restore',
      handler: async (f) => {
        const runId = f.runId();
        await runOr404(ctx, runId);
        await ctx.store.setRunLifecycle(runId, 'active');
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/search',
      /**
       * MLflow's SearchRuns, plus two sweep extensions (fields MLflow does not have, ignored unless sent):
       * - `nested: true` pages through top-level runs with their children (SearchRunsQuery.nested): `runs`
       *   holds the top-level runs, and the response gains `children`, an object from parent run id to
       *   the list of its child runs (same JSON as `runs`, in the same order), for every level below.
       * - `parent_run_id`: only the direct children of that run (with `nested`, they are the top level).
       */
      handler: async (f) => {
        const maxResults = f.int64('max_results');
        const pageToken = f.string('page_token');
        const filter = f.string('filter');
        const runViewType = f.enumValue('run_view_type', VIEW_TYPES);
        const nested = f.boolean('nested');
        const parentRunId = f.string('parent_run_id');
        const page = await ctx.store.searchRuns({
          experimentIds: f.stringList('experiment_ids'),
          orderBy: f.stringList('order_by'),
          ...(filter !== undefined && { filter }),
          ...(maxResults !== undefined && { maxResults }),
          ...(pageToken !== undefined && { pageToken }),
          ...(runViewType !== undefined && { runViewType }),
          ...(nested === true && { nested }),
          ...(parentRunId !== undefined && { parentRunId }),
        });
        const children = page.children && Object.fromEntries(
          Object.entries(page.children).map(([id, runs]) => [id, runs.map((r) => runJson(r, ctx.present))]),
        );
        return {
          runs: page.items.map((r) => runJson(r, ctx.present)),
          ...(page.nextPageToken !== undefined && { next_page_token: page.nextPageToken }),
          ...(children !== undefined && { children }),
        };
      },
    },
  ];
}
