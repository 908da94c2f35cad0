// runs/log-inputs (dataset inputs with their input tags) and runs/log-model (the model dict appended to
// the run's `mlflow.log-model.history` tag), as MLflow's service.proto; both need an active run.
import { ConfigError } from '../../errors.js';
import type { DatasetInput } from '../../tracking/registry/entities.js';
import { checkDatasetInputs } from '../../tracking/registry/run-models.js';
import { activeRun, type ApiRoute, type ServerContext } from '../context.js';
import { invalidParameter } from '../errors.js';
import { checkJsonDepth, MAX_JSON_DEPTH, type Fields } from '../request.js';

const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;

export function runModelRoutes(ctx: ServerContext): ApiRoute[] {
  return [
    {
      method: 'POST',
      path: '/runs/log-inputs',
      handler: async (f) => {
        const runId = checkedRunId(f);
        const inputs = f.messages('datasets').map(readDatasetInput);
        checkDatasetInputs(inputs);
        await activeRun(ctx, runId);
        if (inputs.length > 0) await ctx.store.logInputs(runId, inputs);
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/log-model',
      handler: async (f) => {
        const runId = checkedRunId(f);
        const text = f.requiredString('model_json');
        let model: unknown;
        // Nested JSON inside the string: the same bound as a request body's, before anything walks it.
        checkJsonDepth(text, MAX_JSON_DEPTH, 'model_json');
        try {
          model = JSON.parse(text);
        } catch (error) {
          throw invalidParameter(`Malformed model info. \n {model_json} \n is not a valid JSON: ${(error as Error).message}`.replace('{model_json}', text.slice(0, 200)));
        }
        if (model === null || typeof model !== 'object' || Array.isArray(model)) throw invalidParameter('Malformed model info: model_json must be a JSON object');
        await activeRun(ctx, runId);
        await ctx.store.recordLoggedModel(runId, model as Record<string, unknown>);
        return {};
      },
    },
  ];
}

function checkedRunId(f: Fields): string {
  const runId = f.runId();
  if (!RUN_ID.test(runId)) throw new ConfigError(`Invalid value "${runId.slice(0, 80)}" for parameter 'run_id' supplied`);
  return runId;
}

function readDatasetInput(f: Fields): DatasetInput {
  const d = f.message('dataset');
  if (d === undefined) throw f.missing('dataset');
  const schema = d.text('schema');
  const profile = d.text('profile');
  return {
    dataset: {
      name: d.requiredString('name'), digest: d.requiredString('digest'),
      sourceType: d.requiredString('source_type'), source: d.requiredString('source'),
      ...(schema !== undefined && { schema }), ...(profile !== undefined && { profile }),
    },
    tags: Object.fromEntries(f.keyValues('tags').map((t) => [t.key, t.value])),
  };
}
