// `sweep experiments list|create|rename|delete|restore`: MLflow experiments in the store, named by
// name or id. Names are checked with the server's rules (src/server/validation.ts).
import { ConfigError, NotFoundError } from '../../errors.js';
import { validateExperimentName, validateExperimentTag } from '../../server/validation.js';
import type { Experiment } from '../../tracking/entities.js';
import type { TrackingStore } from '../../tracking/store.js';
import { table } from '../format.js';
import { stringFlag, withStore, type CliIO } from '../io.js';

export interface ExperimentFlags {
  readonly storage?: unknown;
  readonly json?: boolean;
  readonly view?: unknown;
  readonly tag?: unknown;
}

export async function experimentsCommand(action: string, args: readonly string[], flags: ExperimentFlags, io: CliIO): Promise<number> {
  switch (action) {
    case 'list': return withStore(flags.storage, io, (store) => list(store, flags, io));
    case 'create': return withStore(flags.storage, io, (store) => create(store, one(action, args, 'NAME'), flags, io), true);
    case 'rename': {
      const [target, name] = two(action, args, 'NAME_OR_ID', 'NEW_NAME');
      validateExperimentName(name);
      return withStore(flags.storage, io, async (store) => {
        const e = await resolveExperiment(store, target);
        if (e.lifecycleStage !== 'active') throw new ConfigError(`experiment "${e.name}" is deleted; restore it before renaming`, { hint: `sweep experiments restore ${e.experimentId}` });
        await store.renameExperiment(e.experimentId, name);
        io.stdout.write(`Renamed experiment ${e.experimentId} "${e.name}" to "${name}"\n`);
        return 0;
      });
    }
    case 'delete':
    case 'restore': {
      const target = one(action, args, 'NAME_OR_ID');
      const to = action === 'delete' ? 'deleted' : 'active';
      return withStore(flags.storage, io, async (store) => {
        const e = await resolveExperiment(store, target);
        if (e.lifecycleStage === to) throw new ConfigError(`experiment "${e.name}" is already ${to}`);
        await store.setExperimentLifecycle(e.experimentId, to);
        io.stdout.write(`${action === 'delete' ? 'Deleted' : 'Restored'} experiment ${e.experimentId} "${e.name}"\n`);
        return 0;
      });
    }
    default:
      throw new ConfigError(`unknown action "experiments ${action}"`, { hint: 'use list, create, rename, delete or restore' });
  }
}

/** An experiment by exact name, else by id. @throws NotFoundError listing some names */
export async function resolveExperiment(store: TrackingStore, nameOrId: string): Promise<Experiment> {
  const byName = await store.getExperimentByName(nameOrId);
  if (byName) return byName;
  if (/^\d+$/.test(nameOrId)) {
    try {
      return await store.getExperiment(nameOrId);
    } catch {
      // fall through to the message naming the experiments there are
    }
  }
  const names = (await store.listExperiments()).map((e) => e.name);
  throw new NotFoundError(`experiment "${nameOrId}" does not exist in ${store.uri}`, {
    hint: names.length > 0 ? `experiments there: ${names.slice(0, 10).join(', ')}` : 'the store holds no experiment yet',
  });
}

// --- internal ---

async function list(store: TrackingStore, flags: ExperimentFlags, io: CliIO): Promise<number> {
  const view = (stringFlag('view', flags.view) ?? 'active').toLowerCase();
  if (!['active', 'deleted', 'all'].includes(view)) throw new ConfigError(`--view must be active, deleted or all, got ${view}`);
  const shown = (await store.listExperiments()).filter((e) => view === 'all' || e.lifecycleStage === view);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  }
  const rows = shown.map((e) => [e.experimentId, e.name, e.lifecycleStage, new Date(e.creationTime).toISOString().replace('T', ' ').slice(0, 19), e.artifactLocation]);
  io.stdout.write(`${table(['id', 'name', 'stage', 'created', 'artifact location'], rows)}\n`);
  return 0;
}

async function create(store: TrackingStore, name: string, flags: ExperimentFlags, io: CliIO): Promise<number> {
  validateExperimentName(name);
  const tags: Record<string, string> = {};
  const given = flags.tag === undefined ? [] : Array.isArray(flags.tag) ? flags.tag : [flags.tag];
  for (const raw of given.map(String)) {
    const eq = raw.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--tag must be KEY=VALUE, got ${raw}`);
    const key = raw.slice(0, eq);
    validateExperimentTag(key, raw.slice(eq + 1));
    tags[key] = raw.slice(eq + 1);
  }
  const e = await store.createExperiment(name, tags);
  if (flags.json) io.stdout.write(`${JSON.stringify(e, null, 2)}\n`);
  else io.stdout.write(`Created experiment ${e.experimentId} "${e.name}"\n`);
  return 0;
}


function one(action: string, args: readonly string[], name: string): string {
  const [first, ...rest] = args;
  if (first === undefined || rest.length > 0) throw new ConfigError(`experiments ${action} takes one argument, ${name}; got ${args.length}`);
  return first;
}

function two(action: string, args: readonly string[], a: string, b: string): [string, string] {
  const [first, second, ...rest] = args;
  if (first === undefined || second === undefined || rest.length > 0) throw new ConfigError(`experiments ${action} takes two arguments, ${a} ${b}; got ${args.length}`);
  return [first, second];
}
