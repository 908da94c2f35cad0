// Builds the web UI into dist/ui: the app bundle (app.js, with uPlot), its stylesheet (app.css), the
// parallel coordinates' drawing worker (pc-worker.js) and
// index.html. No CDN, no runtime fetches but /api/ui/*. Usage: node ui/build.mjs [--watch]
// (SWEEP_UI_NOMINIFY=1 keeps the bundle readable, for profiling the page).
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'ui');
await mkdir(out, { recursive: true });
const options = {
  // The parallel coordinates' drawing worker is its own bundle, loaded by the app from /ui/pc-worker.js.
  entryPoints: { app: join(here, 'src', 'main.ts'), 'pc-worker': join(here, 'src', 'pc-worker.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: !process.env.SWEEP_UI_NOMINIFY,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
};
await copyFile(join(here, 'index.html'), join(out, 'index.html'));
if (process.argv.includes('--watch')) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log(`watching ui/ -> ${out}`);
} else {
  await esbuild.build(options);
}
