// Import rules from DESIGN.md §3, checked on every source file's real imports (static, re-exports,
// `import type` and dynamic `import()`, parsed by TypeScript): each third-party package has one owner,
// and every folder imports only folders below it, so no two folders can import each other.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli/helpers.js';

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = [...sources('src'), ...sources('samplers')];
const importsOf = (file: string): string[] =>
  ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true).importedFiles.map((f) => f.fileName);

/**
 * The layers, top to bottom: a folder may import its own files and folders of a lower rank only.
 * DESIGN.md: cli, server -> execution, samplers -> study -> tracking, space -> errors, rng; with app
 * (the composition root: createStudy, executor choice) above execution, and study-file (defineStudy
 * and the study-file loader, used by app and by the thread worker) just below it.
 */
const RANK: Record<string, number> = {
  'src/index.ts': 10,
  'src/cli': 9,
  'src/server': 8,
  'src/app': 7,
  'src/execution': 6,
  'src/study-file': 5,
  samplers: 4,
  'src/pruners': 4,
  'src/ui-data': 4,
  'src/study': 3,
  'src/tracking': 2,
  'src/space': 1,
  'src/rng.ts': 0,
  'src/errors.ts': -1,
};

/** The layer a repository path belongs to: src/<folder>, a top-level src file, or samplers. */
function layerOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'samplers') return 'samplers';
  if (parts[0] === 'src') return parts.length === 2 ? path : `src/${parts[1]}`;
  return path;
}

/** The repository path an import names, or undefined for a package. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(ROOT, join(ROOT, dirname(from), specifier)).replace(/\.js$/, '.ts');
}

const OWNERS: Record<string, string> = {
  'better-sqlite3': 'src/tracking/sqlite/',
  pg: 'src/tracking/postgres/',
  seedrandom: 'src/rng.ts',
  cac: 'src/cli/',
  piscina: 'src/execution/',
  tsx: 'src/study-file/ts-loader.ts',
  fastify: 'src/server/',
};

describe('architecture', () => {
  it('reads dynamic imports, type imports and re-exports', () => {
    const found = ts
      .preProcessFile("import type { A } from './a.js';\nexport * from './b.js';\nconst c = await import('./c.js');\n// import d from './d.js'\n", true, true)
      .importedFiles.map((f) => f.fileName);
    expect(found).toEqual(['./a.js', './b.js', './c.js']);
  });

  it.each(Object.entries(OWNERS))('only %s\'s owner (%s) imports it', (pkg, owner) => {
    const importers = files.filter((f) => importsOf(f).some((i) => i === pkg || i.startsWith(`${pkg}/`)));
    for (const f of importers) expect(f.startsWith(owner), `${f} imports ${pkg}`).toBe(true);
  });

  it('imports every runtime dependency package.json lists (none left unused)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const uiFiles = sources('ui/src').concat('ui/build.mjs');
    const imported = new Set([...files, ...uiFiles].flatMap((f) => importsOf(f)).map((i) => i.split('/')[0]));
    const unused = Object.keys(pkg.dependencies).filter((name) => !imported.has(name));
    expect(unused).toEqual([]);
  });

  it('places every source folder in a layer', () => {
    for (const f of files) expect(RANK[layerOf(f)], `${layerOf(f)} has no place in the layers`).toBeDefined();
  });

  it('has every folder import only the layers below it (no folder-level cycles)', () => {
    const wrong: string[] = [];
    for (const f of files) {
      const from = layerOf(f);
      for (const specifier of importsOf(f)) {
        const target = resolveImport(f, specifier);
        if (target === undefined) continue;
        const to = layerOf(target);
        if (to === from) continue;
        const [a, b] = [RANK[from], RANK[to]];
        if (a === undefined || b === undefined || b >= a) wrong.push(`${f} imports ${specifier} (${from} -> ${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps every source file under 400 lines', () => {
    for (const f of files) {
      const lines = readFileSync(join(ROOT, f), 'utf8').split('\n').length;
      expect(lines, `${relative(ROOT, join(ROOT, f))} has ${lines} lines`).toBeLessThanOrEqual(400);
    }
  });
});
