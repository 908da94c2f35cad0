// Declarations for CommonJS importers: a copy of dist's .d.ts files under dist/cjs, marked
// {"type": "commonjs"}. TypeScript reads a declaration's module format from its package.json, and
// under `module: node16` it refuses a CommonJS file's `import 'sweep'` when the declarations say ESM
// (TS1479), although Node (20.19 and newer) runs that require of sweep's ES modules. The JavaScript
// stays one ESM build; only the types are told apart. Usage: node scripts/cjs-types.mjs (after tsc).
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const out = join(dist, 'cjs');

async function declarations(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? declarations(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [])),
  );
  return nested.flat();
}

await rm(out, { recursive: true, force: true });
const files = (await Promise.all(['src', 'samplers'].map((d) => declarations(join(dist, d))))).flat();
for (const file of files) {
  const target = join(out, relative(dist, file));
  await mkdir(dirname(target), { recursive: true });
  await copyFile(file, target);
}
await writeFile(join(out, 'package.json'), '{ "type": "commonjs" }\n');
