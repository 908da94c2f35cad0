// Import rules from DESIGN.md §3: each third-party package has one owner, and arrows point into the core.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
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
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);

const OWNERS: Record<string, string> = {
  'better-sqlite3': 'src/tracking/sqlite/',
  seedrandom: 'src/rng.ts',
  cac: 'src/cli/',
  piscina: 'src/execution/',
  execa: 'src/execution/',
  tsx: 'src/app/ts-loader.ts',
  fastify: 'src/server/',
};

describe('architecture', () => {
  it.each(Object.entries(OWNERS))('only %s\'s owner (%s) imports it', (pkg, owner) => {
    const importers = files.filter((f) => importsOf(f).some((i) => i === pkg || i.startsWith(`${pkg}/`)));
    for (const f of importers) expect(f.startsWith(owner), `${f} imports ${pkg}`).toBe(true);
  });

  it('keeps the core (study, tracking, space) free of samplers, execution, cli and app', () => {
    for (const f of files.filter((f) => /^src\/(study|tracking|space)\//.test(f))) {
      for (const i of importsOf(f)) {
        expect(/\/(samplers|execution|cli|app|server)\//.test(i) || i.includes('samplers/'), `${f} imports ${i}`).toBe(false);
      }
    }
  });

  it('keeps tracking and space free of the study engine', () => {
    for (const f of files.filter((f) => /^src\/(tracking|space)\//.test(f))) {
      for (const i of importsOf(f)) expect(i.includes('/study/'), `${f} imports ${i}`).toBe(false);
    }
  });

  it('keeps every source file under 400 lines', () => {
    for (const f of files) {
      const lines = readFileSync(join(ROOT, f), 'utf8').split('\n').length;
      expect(lines, `${relative(ROOT, join(ROOT, f))} has ${lines} lines`).toBeLessThanOrEqual(400);
    }
  });
});
