// Node module hooks (run on Node's hooks thread, registered by compiled-modules.ts) that let worker
// threads load a TypeScript study file without tsx. On the main thread, `record` mode sits in front of
// tsx and sends every resolution and every compiled user module it sees to a port. In a worker,
// `replay` mode answers those same resolutions and loads from the record; what a user module asks
// beyond it (a TypeScript file first imported at trial time) goes to the fallback hooks (tsx's, named
// by ts-loader.ts and loaded on first need), the rest to Node's own loader. `replay-later` is replay
// registered before the record is at hand (so the hooks thread starts while the main thread compiles):
// user modules' requests wait until the record, or word to pass everything on, arrives on a port.
// No imports: this module is loaded on its own thread.
import type { MessagePort } from 'node:worker_threads';
import type { ModuleRecord } from './module-record.js';

export type { ModuleRecord };

export type HooksData =
  | { readonly mode: 'record'; readonly port: MessagePort }
  | { readonly mode: 'replay'; readonly records: readonly ModuleRecord[]; readonly fallback: string }
  /** Registered before the record is at hand: user modules wait for a ReplayMessage on `port`. */
  | { readonly mode: 'replay-later'; readonly port: MessagePort; readonly fallback: string };

/** The record, or `passThrough`: replay nothing, pass every request on (the study file loads otherwise). */
export type ReplayMessage = { readonly records: readonly ModuleRecord[] } | { readonly passThrough: true };

interface ResolveContext { readonly parentURL?: string | undefined; readonly conditions?: readonly string[] }
interface ResolveResult { readonly url: string; readonly format?: string | null | undefined; readonly shortCircuit?: boolean }
interface LoadResult { readonly format: string; readonly source?: string | ArrayBuffer | ArrayBufferView | null | undefined; readonly shortCircuit?: boolean }
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;
type NextLoad = (url: string, context?: object) => Promise<LoadResult>;
interface Hooks {
  initialize?(data: unknown): unknown;
  resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult>;
  load(url: string, context: object, next: NextLoad): Promise<LoadResult>;
}

let port: MessagePort | undefined;
/** Settles once the record is here (replay modes); user modules' requests wait for it. */
let replayReady: Promise<void> = Promise.resolve();
let passThrough = false;
let fallbackUrl: string | undefined;
let fallback: Promise<Hooks> | undefined;
const resolutions = new Map<string, { url: string; format: string | null | undefined }>();
const loads = new Map<string, { format: string; source: string | ArrayBuffer | ArrayBufferView }>();

export function initialize(data: HooksData): void {
  if (data.mode === 'record') {
    port = data.port;
    port.unref();
    return;
  }
  fallbackUrl = data.fallback;
  if (data.mode === 'replay') {
    keep(data.records);
    return;
  }
  const later = data.port;
  replayReady = new Promise((resolve) => {
    later.once('message', (message: ReplayMessage) => {
      if ('passThrough' in message) passThrough = true;
      else keep(message.records);
      later.close();
      resolve();
    });
  });
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
  const key = resolutionKey(specifier, context);
  if (port === undefined) {
    if (key === undefined) return next(specifier, context);
    await replayReady;
    if (passThrough) return next(specifier, context);
    const known = resolutions.get(key);
    if (known) return { url: known.url, format: known.format, shortCircuit: true };
    return (await fallbackHooks()).resolve(specifier, context, next);
  }
  const result = await next(specifier, context);
  if (key !== undefined) port.postMessage({ type: 'resolve', key, url: result.url, format: result.format } satisfies ModuleRecord);
  return result;
}

export async function load(url: string, context: object, next: NextLoad): Promise<LoadResult> {
  if (port === undefined) {
    if (!isUserModule(url)) return next(url, context);
    await replayReady;
    if (passThrough) return next(url, context);
    const known = loads.get(url);
    if (known) return { format: known.format, source: known.source, shortCircuit: true };
    return (await fallbackHooks()).load(url, context, next);
  }
  const result = await next(url, context);
  if (isUserModule(url)) {
    if ((result.format === 'module' || result.format === 'json') && result.source != null) {
      port.postMessage({ type: 'load', url, format: result.format, source: result.source } satisfies ModuleRecord);
    } else {
      port.postMessage({ type: 'unsupported', url, format: result.format } satisfies ModuleRecord);
    }
  }
  return result;
}

// --- internal ---

function keep(records: readonly ModuleRecord[]): void {
  for (const record of records) {
    if (record.type === 'resolve') resolutions.set(record.key, { url: record.url, format: record.format });
    else if (record.type === 'load') loads.set(record.url, { format: record.format, source: record.source });
  }
}

/** The fallback hooks, loaded and initialised (with no options) the first time the record falls short. */
function fallbackHooks(): Promise<Hooks> {
  fallback ??= import(fallbackUrl as string).then(async (hooks: Hooks) => {
    await hooks.initialize?.({});
    return hooks;
  });
  return fallback;
}

/** Resolutions asked by user modules (a file outside node_modules, or TypeScript anywhere). */
function resolutionKey(specifier: string, context: ResolveContext): string | undefined {
  const parent = context.parentURL;
  // (this module's own import of the fallback hooks passes through it too)
  if (parent === undefined || parent === import.meta.url || !isUserModule(parent)) return undefined;
  return `${specifier}\u0000${parent}\u0000${(context.conditions ?? []).join(',')}`;
}

function isUserModule(url: string): boolean {
  return url.startsWith('file:') && (!url.includes('/node_modules/') || /\.[cm]?tsx?$/.test(url));
}
