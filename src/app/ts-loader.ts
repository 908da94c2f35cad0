// Importing user TypeScript (study files, space files) without a build step: the only importer of tsx.
// tsx is registered once, globally, rather than through its namespaced tsImport: a namespaced import
// gives every module it reaches a new URL, so a study's `import 'sweep'` would load a second copy of
// sweep's whole module graph through the loader thread (0.6 s of start-up) and split its singletons.
//
// Both of tsx's hooks are registered. A `.ts` file outside a `"type": "module"` package (a project
// without a package.json, or a CommonJS one: most users' projects) is a CommonJS module to Node, so
// its `import`/`export` syntax must be compiled to `require`/`exports` by the CommonJS hook; with the
// ESM hook alone Node refuses it (ERR_REQUIRE_CYCLE_MODULE).
import { pathToFileURL } from 'node:url';

let registered: Promise<void> | undefined;

/**
 * Imports a .ts/.mts/.cts/.js/.mjs file by absolute path. A CommonJS-compiled file's namespace is
 * unwrapped, so `default` is its `export default` whatever the module system it was run as.
 */
export async function importTypeScript(absolutePath: string): Promise<Record<string, unknown>> {
  registered ??= register();
  await registered;
  const namespace = (await import(pathToFileURL(absolutePath).href)) as Record<string, unknown>;
  return unwrapCommonJs(namespace);
}

// --- internal ---

async function register(): Promise<void> {
  // sweep's own modules first, natively: the file's `import 'sweep'` then finds them loaded.
  await import('../index.js');
  const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  esm.register();
  cjs.register();
}

/** `export default x` compiled to CommonJS arrives as `{ default: { __esModule: true, default: x } }`. */
function unwrapCommonJs(namespace: Record<string, unknown>): Record<string, unknown> {
  const inner = namespace['default'];
  if (typeof inner === 'object' && inner !== null && (inner as { __esModule?: unknown }).__esModule === true) {
    return inner as Record<string, unknown>;
  }
  return namespace;
}
