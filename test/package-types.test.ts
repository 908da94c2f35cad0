// The published package as a TypeScript user's project sees it: `import 'sweep'` (and its subpaths)
// type-checks from a CommonJS and from an ESM package under `module: node16` and `nodenext`, without
// @types/node, with sweep's own declarations checked (skipLibCheck off). Found as a new user:
// node16 refused the import from a CommonJS package (TS1479), and the declarations needed Node's types.
// Reads the built dist/ (npm run build first), as an installed package would.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli/helpers.js';
import { tempDir } from './helpers/tmp.js';

const MAIN = `import { createStudy, defineStudy, hp } from 'sweep';
import { SAMPLERS } from 'sweep/samplers';
import type { StartOptions } from 'sweep/server';

export const definition = defineStudy({ name: 'q', space: { x: hp.uniform(0, 1) }, objective: (t) => t.params.x });
export const options: Partial<StartOptions> = {};
async function main(): Promise<void> {
  const study = await createStudy({ name: 'q', space: { x: hp.uniform(-10, 10) }, storage: 'memory:', sampler: 'random', seed: 1 });
  await study.optimize((t) => (t.params.x - 2) ** 2, { trials: 5 });
  console.log(JSON.stringify({ trials: study.trials.length, samplers: Object.keys(SAMPLERS).includes('tpe') }));
  await study.close();
}
void main();
`;

/** A project of the given package type with sweep installed (linked) and main.ts importing it. */
function project(type: 'commonjs' | 'module'): string {
  const dir = tempDir('sweep-types-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `user-${type}`, version: '1.0.0', type }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'sweep'), 'dir');
  writeFileSync(join(dir, 'main.ts'), MAIN);
  return dir;
}

/**
 * The errors of main.ts and of sweep's own declarations (not those of its dependencies, which are
 * large and not sweep's to fix), as a user with skipLibCheck off would see them.
 */
function diagnostics(dir: string, module: 'node16' | 'nodenext'): string[] {
  const kind = module === 'node16' ? ts.ModuleKind.Node16 : ts.ModuleKind.NodeNext;
  const resolution = module === 'node16' ? ts.ModuleResolutionKind.Node16 : ts.ModuleResolutionKind.NodeNext;
  const options: ts.CompilerOptions = {
    module: kind,
    moduleResolution: resolution,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: false,
    types: [],
    noEmit: true,
  };
  // A user's project without @types/node: hide the copy sweep's own development install holds.
  const host = ts.createCompilerHost(options);
  const hidden = (path: string): boolean => path.includes('/node_modules/@types/node/');
  const { fileExists, directoryExists } = host;
  host.fileExists = (path) => !hidden(path) && fileExists.call(host, path);
  host.directoryExists = (path) => !hidden(`${path}/`) && (directoryExists?.call(host, path) ?? true);
  const program = ts.createProgram([join(dir, 'main.ts')], options, host);
  const sweepDist = realpathSync(join(ROOT, 'dist'));
  const ours = program.getSourceFiles().filter((f) => f.fileName === join(dir, 'main.ts') || realpathSync(f.fileName).startsWith(sweepDist));
  expect(ours.length).toBeGreaterThan(20);
  const found = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ];
  return found.map((d) => `${d.file ? `${d.file.fileName}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, ' ').slice(0, 200)}`);
}

describe.runIf(existsSync(join(ROOT, 'dist/src/index.d.ts')))("a user's project importing sweep", () => {
  it.each([
    ['module', 'node16'],
    ['module', 'nodenext'],
    ['commonjs', 'nodenext'],
  ] as const)('type-checks from a %s package under module %s', (type, module) => {
    expect(diagnostics(project(type), module)).toEqual([]);
  }, 60_000);

  it('type-checks from a CommonJS package under module node16, and what tsc emits runs', () => {
    const dir = project('commonjs');
    expect(diagnostics(dir, 'node16')).toEqual([]);
    const emitted = ts.transpileModule(readFileSync(join(dir, 'main.ts'), 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    expect(emitted.outputText).toContain('require("sweep")');
    writeFileSync(join(dir, 'main.js'), emitted.outputText);
    const output = execFileSync(process.execPath, [join(dir, 'main.js')], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ trials: 5, samplers: true });
  }, 60_000);
});
