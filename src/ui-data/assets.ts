// Where the built front end lives (dist/ui, made by `node ui/build.mjs`), whether the server runs
// from sources (tsx) or from dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory with index.html, app.js and app.css, or undefined when the UI was not built.
 * The server serves `GET /` as index.html and `GET /ui/<file>` from it (no other files).
 */
export function uiAssetsDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/ui-data -> <root>/dist/ui ; dist/src/ui-data -> dist/ui
  for (const candidate of [join(here, '..', '..', 'dist', 'ui'), join(here, '..', '..', 'ui')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}
