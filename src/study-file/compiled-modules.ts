// The modules tsx compiles on the main thread, recorded there and replayed in worker threads, so that
// a worker loads a TypeScript study file without registering tsx itself: tsx costs each worker about
// 175 ms of CPU as it starts (its API and esbuild's JavaScript side, its hooks on a thread of their
// own), the replay about 50, and a run's workers all start at once on the cores that start the run.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, isMainThread, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { HooksData, ReplayMessage } from './module-hooks.js';
import type { ModuleRecord } from './module-record.js';

export type { ModuleRecord } from './module-record.js';

/** The hooks module, always the compiled file: Node's hooks thread loads it without a TypeScript loader. */
const HOOKS = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/src/study-file/module-hooks.js', import.meta.url).href
  : new URL('./module-hooks.js', import.meta.url).href;

let recording: MessagePort | undefined;
/** Whether a threads executor wants the record (requestRecording), and whether tsx is registered (startRecording). */
let recordingWanted = false;
let tsxRegistered = false;
const records: ModuleRecord[] = [];
let replaying = false;
/** The port to the replay hooks registered ahead of their record (prepareReplay), until it is sent. */
let pending: MessagePort | undefined;

/**
 * Called once tsx is registered: starts recording what the hooks registered before it (tsx) resolve
 * and compile from now on, if a threads executor asked for the record (requestRecording). Without
 * one (an inline or process run) nobody reads the record, and the hooks cost a round trip to the
 * hooks thread and a message per module. On the main thread only (workers replay, they do not record).
 */
export function startRecording(): void {
  tsxRegistered = true;
  if (recordingWanted) registerRecorder();
}

/**
 * Asks for the record, for workers about to load a study file (a threads executor's preload): recording
 * starts now if tsx is registered, else when it is. Ask before the study file loads: a module compiled
 * before recording started is not in the record, and a worker loads such a file through tsx instead.
 */
export function requestRecording(): void {
  recordingWanted = true;
  if (tsxRegistered) registerRecorder();
}

/**
 * Everything recorded so far. A module's records are sent before its import settles, so once the
 * import of a file has settled, its records are all here.
 */
export function recordedModules(): ModuleRecord[] {
  for (let next = recording && receiveMessageOnPort(recording); next !== undefined; next = receiveMessageOnPort(recording as MessagePort)) {
    records.push(next.message as ModuleRecord);
  }
  return [...records];
}

/** Whether `records` hold `file` compiled, and nothing (a CommonJS module) a replay could not serve. */
export function canReplay(modules: readonly ModuleRecord[], file: string): boolean {
  const url = pathToFileURL(file).href;
  return modules.some((r) => r.type === 'load' && r.url === url) && !modules.some((r) => r.type === 'unsupported');
}

/**
 * Serves `records` to this thread's imports from now on (once per thread). What user modules ask
 * beyond them goes to the hooks module at `fallback` (a TypeScript loader's), loaded on first need.
 */
export function replayModules(modules: readonly ModuleRecord[], fallback: string): void {
  if (pending !== undefined) {
    send({ records: modules });
  } else {
    if (replaying) return;
    replaying = true;
    register(HOOKS, { parentURL: import.meta.url, data: { mode: 'replay', records: modules, fallback } satisfies HooksData });
  }
  // As tsx does: errors thrown by the compiled code point into the TypeScript source (its inline map).
  process.setSourceMapsEnabled(true);
}

/**
 * Registers the replay hooks now, in a worker thread, before the record is at hand: their thread then
 * starts while the main thread compiles the study, not after. User modules this thread imports wait
 * until replayModules sends the record or skipReplay lets everything pass; one of them must follow.
 */
export function prepareReplay(fallback: string): void {
  if (replaying || isMainThread) return;
  replaying = true;
  const { port1, port2 } = new MessageChannel();
  register(HOOKS, { parentURL: import.meta.url, data: { mode: 'replay-later', port: port2, fallback } satisfies HooksData, transferList: [port2] });
  pending = port1;
}

/** Whether hooks registered by prepareReplay still wait for their record. */
export function replayPending(): boolean {
  return pending !== undefined;
}

/** Hooks registered by prepareReplay replay nothing and pass every request on (no-op otherwise). */
export function skipReplay(): void {
  if (pending !== undefined) send({ passThrough: true });
}

// --- internal ---

/** Registers the recording hooks (once, on the main thread: workers replay, they do not record). */
function registerRecorder(): void {
  if (recording !== undefined || !isMainThread) return;
  const { port1, port2 } = new MessageChannel();
  register(HOOKS, { parentURL: import.meta.url, data: { mode: 'record', port: port2 } satisfies HooksData, transferList: [port2] });
  port1.unref();
  recording = port1;
}

function send(message: ReplayMessage): void {
  (pending as MessagePort).postMessage(message);
  (pending as MessagePort).close();
  pending = undefined;
}
