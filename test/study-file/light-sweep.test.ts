// Which modules a worker thread may give sweep's light API: only those whose every mention of sweep is
// a named import of light names; the light API's bindings are the entry's own and it loads none of the
// main thread's heavy packages.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as entry from '../../src/index.js';
import * as light from '../../src/study-file/light-api.js';
import { importsOnly, lightenSweep, looksLight } from '../../src/study-file/light-sweep.js';
import type { ModuleRecord } from '../../src/study-file/module-hooks.js';
import { ROOT } from '../cli/helpers.js';

const LIGHT = new Set(Object.keys(light));

describe('importsOnly', () => {
  it.each([
    ['import { defineStudy, hp } from "sweep";', true],
    ["import {\n  defineStudy,\n  hp as h,\n} from 'sweep';\nimport { x } from './other.js';", true],
    ['import { defineStudy } from "sweep";\nimport { TrialPruned, isSweepError } from "sweep";', true],
    ['import { defineStudy, SqliteStore } from "sweep";', false],
    ['import { defineStudy, default as s } from "sweep";', false],
    ['import * as sweep from "sweep";', false],
    ['import sweep, { hp } from "sweep";', false],
    ['export { hp } from "sweep";', false],
    ['import { hp } from "sweep";\nconst more = await import("sweep");', false],
    ['import { hp } from "sweep";\nconst name = "swe" + "ep"; await import(name);', false],
    ['import { hp } from "sweep";\nconst store = "sweep";', false],
    ['import { hp } from "sweep";\n// see import { SqliteStore } from "sweep"', false],
    ['import { hp } from "sweep-extra";', false],
    ['const x = 1;', false],
  ])('%j: %s', (source, expected) => {
    expect(importsOnly(source, 'sweep', LIGHT)).toBe(expected);
  });
});

describe('looksLight', () => {
  it.each([
    ["import { defineStudy, hp, type Trial } from 'sweep';\nimport type { StudyView } from 'sweep';", true],
    ["import { defineStudy, type Trial } from 'sweep';\nimport { MemoryStore } from 'sweep';", false],
    ["import type { Trial } from 'sweep';\nexport default 1;", false],
    ["import { defineStudy } from 'sweep';\nconst m = await import('./late.js');", false],
  ])('%j: %s', (source, expected) => {
    expect(looksLight(source, LIGHT)).toBe(expected);
  });
});

describe('lightenSweep', () => {
  const ENTRY = 'file:///pkg/dist/src/index.js';
  const LIGHT_URL = 'file:///pkg/dist/src/study-file/light-api.js';
  const key = (specifier: string, parent: string): string => `${specifier}\u0000${parent}\u0000node,import`;
  const records = (helper: string): ModuleRecord[] => [
    { type: 'resolve', key: key('sweep', 'file:///p/study.ts'), url: ENTRY, format: 'module' },
    { type: 'resolve', key: key('./helper.js', 'file:///p/study.ts'), url: 'file:///p/helper.ts', format: 'module' },
    { type: 'resolve', key: key('sweep', 'file:///p/helper.ts'), url: ENTRY, format: 'module' },
    { type: 'resolve', key: key('zod', 'file:///p/helper.ts'), url: 'file:///p/node_modules/zod/index.js', format: 'module' },
    { type: 'load', url: 'file:///p/study.ts', format: 'module', source: 'import { defineStudy, hp } from "sweep";\nimport "./helper.js";' },
    { type: 'load', url: 'file:///p/helper.ts', format: 'module', source: new TextEncoder().encode(helper) },
  ];

  it('turns each qualifying module\'s resolution of the entry to the light API, and no other', () => {
    const { records: out, needsEntry } = lightenSweep(records('import { SqliteStore } from "sweep";'), ENTRY, LIGHT_URL, LIGHT);
    expect(out.filter((r) => r.type === 'resolve').map((r) => r.type === 'resolve' && r.url)).toEqual([LIGHT_URL, 'file:///p/helper.ts', ENTRY, 'file:///p/node_modules/zod/index.js']);
    expect(needsEntry).toBe(true);
  });

  it('needs no entry when every module qualifies', () => {
    const { records: out, needsEntry } = lightenSweep(records('import { TrialPruned } from "sweep";'), ENTRY, LIGHT_URL, LIGHT);
    expect(out.filter((r) => r.type === 'resolve' && r.url === ENTRY)).toEqual([]);
    expect(needsEntry).toBe(false);
  });
});

describe('the light API', () => {
  it('exports the entry\'s own bindings', () => {
    for (const [name, value] of Object.entries(light)) expect((entry as Record<string, unknown>)[name], name).toBe(value);
    expect(LIGHT).toContain('defineStudy');
    expect(LIGHT).toContain('hp');
  });

  it('loads none of the packages only the main thread needs', () => {
    // Its static imports, followed through sweep's own files (type-only imports are erased).
    const packages = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
      for (const statement of source.statements) {
        if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) continue;
        if (ts.isImportDeclaration(statement) ? statement.importClause?.isTypeOnly : statement.isTypeOnly) continue;
        const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
        if (specifier.startsWith('.')) visit(join(dirname(file), specifier).replace(/\.js$/, '.ts'));
        else packages.add(specifier);
      }
    };
    visit(join(ROOT, 'src/study-file/light-api.ts'));
    visit(join(ROOT, 'src/execution/thread-worker.ts'));
    expect([...packages].filter((p) => !p.startsWith('node:')).sort()).toEqual([]);
  });
});
