// Importing user TypeScript (study files, space files) without a build step: the only importer of tsx.
// tsx is registered once, globally, rather than through its namespaced tsImport: a namespaced import
// gives every module it reaches a new URL, so a study's `import 'sweep'` would load a second copy of
// sweep's whole module graph through the loader thread (0.6 s of start-up) and split its singletons.
//
// A `.ts` file outside a `"type": "module"` package (a project without a package.json, or a CommonJS
// one: most users' projects) is a CommonJS module to Node, so its `import`/`export` syntax must be
// compiled to `require`/`exports` by tsx's CommonJS hook; with the ESM hook alone Node refuses it
// (ERR_REQUIRE_CYCLE_MODULE). That hook costs about 70 ms of start-up, so it is registered only for
// such files, which are then loaded with require().
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { canReplay, prepareReplay, replayModules, replayPending, skipReplay, startRecording, type ModuleRecord } from './compiled-modules.js';
import { LIGHT_API, lightenSweep, looksLight } from './light-sweep.js';

let esmRegistered: Promise<void> | undefined;
let cjsRegistered: Promise<void> | undefined;
let selfImported: Promise<object | undefined> | undefined;
let lightImported: Promise<ReadonlySet<string>> | undefined;
let urls: { readonly entry: string; readonly tsxHooks: string } | undefined;

/**
 * Imports a .ts/.mts/.cts/.js/.mjs/.cjs file by absolute path. A CommonJS-compiled file's namespace is
 * unwrapped, so `default` is its `export default` whatever the module system it was run as. Given the
 * main thread's record of the modules tsx compiled (a worker thread's case), an ES module file in it
 * is loaded from the record, without tsx.
 */
export async function importTypeScript(absolutePath: string, compiled?: readonly ModuleRecord[]): Promise<Record<string, unknown>> {
  if (compiled !== undefined && !isCommonJs(absolutePath) && canReplay(compiled, absolutePath)) {
    // Modules that import only the light API's names from sweep get it instead of sweep's entry.
    const { records, needsEntry } = lightenSweep(compiled, resolved().entry, LIGHT_API, await importLightApi());
    // sweep's entry natively, before the hooks, unless they started early (startWorkerLoad); if it
    // started loading early, it finishes before them too
    if ((needsEntry || selfImported !== undefined) && !replayPending()) await importSelf();
    // What the record lacks (a TypeScript file first imported at trial time) goes to tsx's hooks.
    replayModules(records, resolved().tsxHooks);
    if (needsEntry) await importSelf();
    return unwrapCommonJs((await import(pathToFileURL(absolutePath).href)) as Record<string, unknown>);
  }
  skipReplay();
  // sweep's entry first, natively: an ES module study imports it, a CommonJS one requires it (requireSelfWhenMissing).
  esmRegistered ??= registerEsm();
  await esmRegistered;
  if (isCommonJs(absolutePath)) {
    cjsRegistered ??= Promise.all([import('tsx/cjs/api'), importSelfNamespace()]).then(([cjs, namespace]) => {
      cjs.register();
      requireSelfWhenMissing(namespace);
    });
    await cjsRegistered;
    // Through the CommonJS loader itself: imported, a .cts file would run in the ESM loader's CommonJS
    // shim, whose require() cannot load sweep (an ES module).
    return unwrapCommonJs({ default: createRequire(import.meta.url)(absolutePath) as unknown });
  }
  const namespace = (await import(pathToFileURL(absolutePath).href)) as Record<string, unknown>;
  return unwrapCommonJs(namespace);
}

/**
 * Imports sweep's own modules, natively and once, before any loader hook: a study file's
 * `import 'sweep'` then finds them loaded instead of sending each through the hooks thread. Through
 * the package's own name (a self-reference), so it is the very module a study file gets. A worker
 * replaying the record calls it only when a module needs more than the light API (importLightApi).
 */
export function importSelf(): Promise<void> {
  // (A variable, so that building does not need the package's own built types.)
  const self = 'sweep';
  selfImported ??= import(self).then((namespace: object) => namespace, () => undefined);
  return selfImported.then(() => undefined);
}

/**
 * In a worker thread about to be handed the main thread's record for `file`, what can start before it
 * arrives. For an ES module file whose source looks like it takes the light API (`lightNames`), the
 * replay hooks, so that their thread starts while the main thread compiles the file (prepareReplay;
 * importTypeScript then sends them the record, or lets everything pass); for any other ES module
 * file, sweep's entry, natively (through the hooks it would load slower). Nothing for a CommonJS file.
 */
export function startWorkerLoad(file: string, lightNames: ReadonlySet<string>): void {
  if (isCommonJs(file)) return;
  let source = '';
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    // (the load reports it)
  }
  // (resolved first: import.meta.resolve asks the hooks synchronously, and they hold a request from
  // this thread's own modules until the record arrives, so it would wait for itself)
  if (looksLight(source, lightNames)) prepareReplay(resolved().tsxHooks);
  else void importSelf();
}

/**
 * Imports sweep's light API (light-api.ts) natively and once, as importSelf does sweep's entry, and
 * resolves with the names it exports. A worker calls it early, while the main thread compiles the study.
 */
export function importLightApi(): Promise<ReadonlySet<string>> {
  lightImported ??= import(LIGHT_API).then((api: object) => new Set(Object.keys(api)));
  return lightImported;
}

/**
 * One line saying why a file failed to load: the error's first line, or for a compile error (esbuild's
 * "Transform failed with N errors:" and then one line per error) the first error, with its file:line:col.
 */
export function loadFailure(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n');
  const first = lines[0] ?? '';
  if (/^Transform failed with \d+ errors?:$/.test(first) && lines[1]) return lines[1].replace(/: ERROR: /, ': ');
  if (first.trim() === '') return error instanceof Error ? `${error.name} (with no message)` : `${typeof error} ${JSON.stringify(error)} thrown`;
  return first;
}

// --- internal ---

async function registerEsm(): Promise<void> {
  // tsx's API loads natively too, with sweep's entry: once a hook is registered, every module this
  // thread imports is resolved and loaded through the hooks thread, a round trip each.
  const [tsx] = await Promise.all([import('tsx/esm/api'), importSelf()]);
  // Before tsx, so that it is asked last, only for what Node itself resolves (see self-hooks.ts).
  register(SELF_HOOKS, { parentURL: import.meta.url, data: { selfParent: import.meta.url } });
  tsx.register();
  startRecording(); // after tsx, so it sees what tsx resolves and compiles
}

/** The resolve hook of self-hooks.ts, always the compiled file (Node's hooks thread has no TypeScript loader). */
const SELF_HOOKS = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/src/study-file/self-hooks.js', import.meta.url).href
  : new URL('./self-hooks.js', import.meta.url).href;

/**
 * self-hooks.ts for `require()`: a CommonJS study file's `require('sweep')` that fails from the file
 * is resolved from inside this package. Node 20 has no CommonJS resolve hook; tsx wraps the same
 * function. And a `require('sweep')` that resolves to this very package's entry gets `namespace`, the
 * ES module sweep already loaded, instead of tsx compiling the whole of sweep again to CommonJS (about
 * 0.5 s of start-up, in every worker thread too): one sweep, one of each class. A project's own,
 * different copy of sweep is required as before.
 */
function requireSelfWhenMissing(namespace: object | undefined): void {
  const self = createRequire(import.meta.url);
  const Module = self('node:module') as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _load: (request: string, ...rest: unknown[]) => unknown;
  };
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    try {
      return resolveFilename.call(this, request, ...rest);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND' || !(request === 'sweep' || request.startsWith('sweep/'))) throw error;
      return self.resolve(request);
    }
  };
  if (namespace === undefined) return;
  const entry = self.resolve('sweep');
  const load = Module._load;
  Module._load = function (this: unknown, request: string, ...rest: unknown[]): unknown {
    if (request === 'sweep') {
      let file: string | undefined;
      try {
        file = Module._resolveFilename(request, ...rest);
      } catch {
        file = undefined; // (the load below reports it)
      }
      if (file === entry) return namespace;
    }
    return load.call(this, request, ...rest);
  };
}

/** sweep's entry as an ES module namespace, loaded natively (importSelf), or undefined if it cannot load. */
async function importSelfNamespace(): Promise<object | undefined> {
  await importSelf();
  return selfImported;
}

/** sweep's own entry (a self-reference: the module a study's `import 'sweep'` gets) and tsx's ESM hooks. */
function resolved(): { readonly entry: string; readonly tsxHooks: string } {
  urls ??= { entry: import.meta.resolve('sweep'), tsxHooks: import.meta.resolve('tsx/esm') };
  return urls;
}

/** Node's rule: .cts/.cjs are CommonJS, .mts/.mjs ESM, others follow the nearest package.json's "type". */
function isCommonJs(file: string): boolean {
  const ext = extname(file);
  if (ext === '.cts' || ext === '.cjs') return true;
  if (ext === '.mts' || ext === '.mjs') return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, 'package.json'), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        return (JSON.parse(text) as { type?: unknown }).type !== 'module';
      } catch {
        return true; // Node refuses a broken package.json; tsx's CommonJS hook is the safer guess
      }
    }
    if (dirname(dir) === dir) return true;
  }
}

/** `export default x` compiled to CommonJS arrives as `{ default: { __esModule: true, default: x } }`. */
function unwrapCommonJs(namespace: Record<string, unknown>): Record<string, unknown> {
  const inner = namespace['default'];
  if (typeof inner === 'object' && inner !== null && (inner as { __esModule?: unknown }).__esModule === true) {
    return inner as Record<string, unknown>;
  }
  return namespace;
}
