// Logging a model the way MLflow does: the files under `<artifacts>/<name>/` with an `MLmodel` file in
// MLflow's YAML format (artifact_path, flavors, metadata, model_uuid, run_id, utc_time_created), and
// the model dict that goes into the run's `mlflow.log-model.history` tag. Also dataset inputs built
// from a short description.
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { artifactSink, isProxyLocation, writeLocationOf } from '../artifact-sink.js';
import { basename, isAbsolute, join, posix } from 'node:path';
import { ConfigError } from '../../errors.js';
import { TAG_DATA_CONTEXT, type DatasetInput } from './entities.js';
import type { TrackingStore } from '../store.js';

export interface LogModelOptions {
  /** Artifact path of the model directory (default `model`). */
  readonly name?: string;
  /**
   * MLflow flavors: a flavor name (`sklearn`) or a map of flavor name to its configuration. Default:
   * a `sweep` flavor naming the logged files (MLflow tools list it; loading needs a real flavor).
   */
  readonly flavor?: string | Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Free-form metadata, written to MLmodel's `metadata`. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface LoggedModel {
  readonly runId: string;
  readonly artifactPath: string;
  /** `runs:/<run_id>/<artifact_path>`: what `sweep models register` and MLflow's register_model take. */
  readonly modelUri: string;
  readonly modelUuid: string;
  /** The dict recorded in `mlflow.log-model.history` (and runs/log-model's model_json). */
  readonly info: Readonly<Record<string, unknown>>;
}

/**
 * Copies `pathOrDir` (a file, or a directory's contents) to `<artifactDir>/<name>/` and writes its
 * MLmodel file. @throws ConfigError for a bad name or a path that cannot be copied
 */
export function writeModelFiles(artifactDir: string, runId: string, pathOrDir: string, options: LogModelOptions = {}, label = 'logModel'): LoggedModel {
  const artifactPath = checkModelName(options.name ?? 'model', label);
  if (!isAbsolute(artifactDir)) {
    throw new ConfigError(`${label}: the run's artifacts are at ${artifactDir}, not in a directory on this machine`, {
      hint: 'log models from trials whose store keeps artifacts locally (sqlite:, postgresql: or memory: storage)',
    });
  }
  const target = join(artifactDir, ...artifactPath.split('/'));
  let isDir: boolean;
  try {
    isDir = statSync(pathOrDir).isDirectory();
  } catch (error) {
    throw new ConfigError(`${label}: cannot read ${pathOrDir}: ${(error as Error).message}`, { cause: error });
  }
  try {
    mkdirSync(target, { recursive: true });
    cpSync(pathOrDir, isDir ? target : join(target, basename(pathOrDir)), { recursive: true });
  } catch (error) {
    throw new ConfigError(`${label}: cannot copy ${pathOrDir} into the run's artifacts: ${(error as Error).message}`, { cause: error });
  }
  const modelUuid = randomUUID().replace(/-/g, '');
  const flavors = flavorsOf(options.flavor, isDir ? '.' : basename(pathOrDir));
  const info: Record<string, unknown> = {
    artifact_path: artifactPath,
    flavors,
    model_uuid: modelUuid,
    run_id: runId,
    utc_time_created: utcTimeCreated(new Date()),
    ...(options.metadata !== undefined && { metadata: options.metadata }),
  };
  writeFileSync(join(target, 'MLmodel'), toYaml(info));
  return { runId, artifactPath, modelUri: `runs:/${runId}/${artifactPath}`, modelUuid, info };
}

/**
 * writeModelFiles to any artifact location: into a directory at once (`stored` undefined), or into a
 * scratch directory uploaded to a server's proxy by `stored` (the scratch is removed when it settles).
 * @throws ConfigError at once for a bad name or unreadable files
 */
export function putModelFiles(location: string, runId: string, pathOrDir: string, options: LogModelOptions = {}, label = 'logModel'): {
  model: LoggedModel; stored: Promise<void> | undefined;
} {
  if (!isProxyLocation(location)) return { model: writeModelFiles(location, runId, pathOrDir, options, label), stored: undefined };
  const scratch = mkdtempSync(join(tmpdir(), 'sweep-model-'));
  try {
    const model = writeModelFiles(scratch, runId, pathOrDir, options, label);
    const upload = artifactSink(location).put(join(scratch, ...model.artifactPath.split('/')), model.artifactPath, label) ?? Promise.resolve();
    const stored = upload.finally(() => rmSync(scratch, { recursive: true, force: true }));
    stored.catch(() => undefined); // the caller's to handle; never an unhandled rejection
    return { model, stored };
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

/** What `trial.logInput` accepts: a dataset described briefly; digest and source type are filled in. */
export interface DatasetSpec {
  readonly name: string;
  /** Where the data is: a path or URI (stored as MLflow's JSON source, `{"uri": ...}`). */
  readonly source: string;
  /** Default: 8 hex digits of a SHA-256 of the name, source, schema and profile. */
  readonly digest?: string;
  /** Default `local` for paths, else the URI scheme. */
  readonly sourceType?: string;
  /** JSON text or a value to serialize. */
  readonly schema?: unknown;
  readonly profile?: unknown;
  /** The `mlflow.data.context` input tag: `training`, `eval` ... */
  readonly context?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export function datasetInput(spec: DatasetSpec): DatasetInput {
  if (spec === null || typeof spec !== 'object') throw new ConfigError('logInput: expected a dataset { name, source, ... }');
  if (typeof spec.name !== 'string' || spec.name === '') throw new ConfigError('logInput: the dataset needs a name');
  if (typeof spec.source !== 'string' || spec.source === '') throw new ConfigError(`logInput: dataset "${spec.name}" needs a source (a path or URI)`);
  const text = (v: unknown): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v));
  const schema = text(spec.schema);
  const profile = text(spec.profile);
  const scheme = /^([a-zA-Z][\w+.-]+):/.exec(spec.source)?.[1];
  const digest = spec.digest ?? createHash('sha256').update(JSON.stringify([spec.name, spec.source, schema, profile])).digest('hex').slice(0, 8);
  return {
    dataset: {
      name: spec.name, digest, sourceType: spec.sourceType ?? (scheme === undefined || scheme === 'file' ? 'local' : scheme),
      source: JSON.stringify({ uri: spec.source }),
      ...(schema !== undefined && { schema }), ...(profile !== undefined && { profile }),
    },
    tags: { ...spec.tags, ...(spec.context !== undefined && { [TAG_DATA_CONTEXT]: spec.context }) },
  };
}

/** The JSON list of the history tag after `models` were logged (the run's own list). */
export function modelHistoryJson(models: readonly Readonly<Record<string, unknown>>[]): string {
  return JSON.stringify(models);
}

// --- internal ---

function checkModelName(name: string, label: string): string {
  const clean = typeof name === 'string' ? posix.normalize(name.replace(/\/+$/, '')) : '';
  if (clean === '' || clean === '.' || isAbsolute(clean) || clean.startsWith('..') || name.includes('\\') || clean === 'MLmodel') {
    throw new ConfigError(`${label}: name must be a relative artifact path inside the run, got ${JSON.stringify(name)}`);
  }
  return clean;
}

function flavorsOf(flavor: LogModelOptions['flavor'], data: string): Record<string, unknown> {
  if (flavor === undefined) return { sweep: { data } };
  if (typeof flavor === 'string') {
    if (!/^[\w.-]+$/.test(flavor)) throw new ConfigError(`logModel: flavor must be a name like sklearn, got ${JSON.stringify(flavor)}`);
    return { [flavor]: { data } };
  }
  return { ...flavor };
}

/** Python's `str(datetime.utcnow())`, as MLflow writes it. */
function utcTimeCreated(d: Date): string {
  const iso = d.toISOString(); // 2026-12-07T11:00:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/** YAML in the style of PyYAML's safe_dump(default_flow_style=False): block style, keys sorted. */
export function toYaml(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return '{}\n';
    return keys.map((k) => {
      const v = value[k];
      if ((isRecord(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0)) return `${pad}${scalar(k)}:\n${toYaml(v, indent + (Array.isArray(v) ? 0 : 2))}`;
      return `${pad}${scalar(k)}: ${isRecord(v) ? '{}' : Array.isArray(v) ? '[]' : scalar(v)}\n`;
    }).join('');
  }
  if (Array.isArray(value)) {
    return value.map((item) => {
      if (isRecord(item) && Object.keys(item).length > 0) {
        const inner = toYaml(item, indent + 2);
        return `${pad}- ${inner.slice(indent + 2)}`;
      }
      return `${pad}- ${scalar(item)}\n`;
    }).join('');
  }
  return `${pad}${scalar(value)}\n`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PLAIN = /^[\w/][\w./-]*$/;
/** Plain text YAML 1.1 would read as something else: booleans, null, numbers, dates. */
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~|[-+]?[\d._]+(e[-+]?\d+)?|0x[\da-f_]+|0b[01_]+|0o?[0-7_]+|\d{4}-\d\d?-\d\d?.*|\.(inf|nan))$/i;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
  const s = String(v);
  if (PLAIN.test(s) && !RESERVED.test(s)) return s;
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * Logs a model to any run whose artifacts are on this machine or on the store's server (a plain run,
 * or a trial's run after the fact): the files and MLmodel as writeModelFiles, the history tag through the store.
 * @throws ConfigError when the run's artifacts are not a local directory; NotFoundError
 */
export async function logRunModel(store: TrackingStore, runId: string, pathOrDir: string, options: LogModelOptions = {}): Promise<LoggedModel> {
  const run = await store.getRun(runId);
  const location = writeLocationOf(run.info.artifactUri, store.artifactRoot);
  if (!isAbsolute(location) && !isProxyLocation(location)) {
    throw new ConfigError(`logModel: the artifacts of run ${runId} are at ${run.info.artifactUri}, neither a directory here nor on this store's server`, {
      hint: 'log models where the run\'s artifacts are a local directory or a server\'s artifact proxy (--artifacts http://host:5000)',
    });
  }
  const { model, stored } = putModelFiles(location, runId, pathOrDir, options);
  await stored;
  await store.recordLoggedModel(runId, model.info);
  return model;
}

/** Records a dataset input on any run. @throws ConfigError, NotFoundError */
export async function logRunInput(store: TrackingStore, runId: string, dataset: DatasetSpec): Promise<void> {
  await store.logInputs(runId, [datasetInput(dataset)]);
}
