// experiments/*: create, get, get-by-name, search (and the removed `list`, which the npm client still
// calls), update (rename), delete, restore, set-experiment-tag (and the npm client's misspelt path).
import { activeExperiment, experimentOr404, VIEW_TYPES, type ApiRoute, type ServerContext } from '../context.js';
import { invalidParameter, notFound } from '../errors.js';
import { putEntry } from '../../tracking/own-entries.js';
import { searchExperiments } from '../experiment-search.js';
import type { Fields } from '../request.js';
import { experimentJson } from '../serialize.js';
import { validateExperimentName, validateExperimentTag } from '../validation.js';

export function experimentRoutes(ctx: ServerContext): ApiRoute[] {
  const search = async (f: Fields): Promise<Record<string, unknown>> => {
    const page = searchExperiments(await ctx.store.listExperiments(), {
      filter: f.string('filter'),
      orderBy: f.stringList('order_by'),
      maxResults: f.int64('max_results'),
      pageToken: f.string('page_token'),
      viewType: f.enumValue('view_type', VIEW_TYPES),
    });
    return {
      experiments: page.items.map((e) => experimentJson(e, ctx.present)),
      ...(page.nextPageToken !== undefined && { next_page_token: page.nextPageToken }),
    };
  };
  const setTag = async (f: Fields): Promise<Record<string, unknown>> => {
    const id = f.requiredString('experiment_id');
    const key = f.requiredString('key');
    const value = f.text('value') ?? '';
    validateExperimentTag(key, value);
    await activeExperiment(ctx, id);
    await ctx.store.setExperimentTag(id, key, value);
    return {};
  };

  return [
    {
      method: 'POST',
      path: '/experiments/create',
      handler: async (f) => {
        const name = f.requiredString('name');
        validateExperimentName(name);
        const location = f.string('artifact_location');
        if (location !== undefined && /[?#]/.test(location)) {
          throw invalidParameter(`artifact_location cannot contain a URL fragment or query parameters, got ${JSON.stringify(location)}`);
        }
        const tags: Record<string, string> = {};
        for (const t of f.keyValues('tags')) {
          validateExperimentTag(t.key, t.value);
          putEntry(tags, t.key, t.value);
        }
        const experiment = await ctx.store.createExperiment(name, tags);
        return { experiment_id: experiment.experimentId };
      },
    },
    {
      method: 'GET',
      path: '/experiments/get',
      handler: async (f) => ({ experiment: experimentJson(await experimentOr404(ctx, f.requiredString('experiment_id')), ctx.present) }),
    },
    {
      method: 'GET',
      path: '/experiments/get-by-name',
      handler: async (f) => {
        const name = f.requiredString('experiment_name');
        const experiment = await ctx.store.getExperimentByName(name);
        if (!experiment) throw notFound(`Could not find experiment with name '${name}'`);
        return { experiment: experimentJson(experiment, ctx.present) };
      },
    },
    { method: 'POST', path: '/experiments/search', handler: search },
    { method: 'GET', path: '/experiments/search', handler: search },
    { method: 'GET', path: '/experiments/list', handler: search },
    {
      method: 'POST',
      path: '/experiments/update',
      handler: async (f) => {
        const id = f.requiredString('experiment_id');
        const name = f.requiredString('new_name');
        validateExperimentName(name);
        const experiment = await experimentOr404(ctx, id);
        if (experiment.lifecycleStage !== 'active') throw invalidParameter(`Cannot rename a non-active experiment (experiment ${id} is ${experiment.lifecycleStage}).`);
        await ctx.store.renameExperiment(id, name);
        return {};
      },
    },
    {
      method: 'POST',
      path: '/experiments/delete',
      handler: async (f) => {
        const id = f.requiredString('experiment_id');
        await setLifecycle(ctx, id, 'active', 'deleted');
        return {};
      },
    },
    {
      method: 'POST',
      path: '/experiments/restore',
      handler: async (f) => {
        const id = f.requiredString('experiment_id');
        await setLifecycle(ctx, id, 'deleted', 'active');
        return {};
      },
    },
    { method: 'POST', path: '/experiments/set-experiment-tag', handler: setTag },
    // mlflow@2.0.7 (npm) posts to this path: its URL join lacks a slash.
    { method: 'POST', path: '/experimentsset-experiment-tag', handler: setTag },
  ];
}

// --- internal ---

/** Delete looks among active experiments and restore among deleted ones: anything else is a 404. */
async function setLifecycle(ctx: ServerContext, id: string, from: 'active' | 'deleted', to: 'active' | 'deleted'): Promise<void> {
  const experiment = await experimentOr404(ctx, id);
  if (experiment.lifecycleStage !== from) throw notFound(`No ${from === 'active' ? 'active' : 'deleted'} Experiment with id=${id} exists`);
  await ctx.store.setExperimentLifecycle(id, to);
}
