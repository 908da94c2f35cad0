// Importing user TypeScript (study files, space files) without a build step: the only importer of tsx.
// tsx is registered once, globally, rather than through its namespaced tsImport: a namespaced import
// gives every module it reaches a new URL, so a study's `import 'sweep'` would load a second copy of
// sweep's whole module graph through the loader thread (0.6 s of start-up) and split its singletons.
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

let registered = false;

/** Imports a .ts/.mts/.js/.mjs file by absolute path. */
export async function importTypeScript(absolutePath: string): Promise<Record<string, unknown>> {
  if (!registered) {
    // sweep's own modules first, natively: the file's `import 'sweep'` then finds them loaded.
    await import('../index.js');
    register();
    registered = true;
  }
  return (await import(pathToFileURL(absolutePath).href)) as Record<string, unknown>;
}
