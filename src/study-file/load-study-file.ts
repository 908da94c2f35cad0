// Loading a study file written in TypeScript (or JavaScript) without a build step.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { importTypeScript, loadFailure } from './ts-loader.js';
import { ObjectiveLoadError, isSweepError } from '../errors.js';
import { isDefinedStudy, type DefinedStudy } from './define.js';
import type { ModuleRecord } from './compiled-modules.js';

/**
 * `compiled`: the main thread's record of the modules tsx compiled, which a worker thread loads the
 * file from when it holds it (see compiled-modules.ts).
 * @throws ObjectiveLoadError for a missing file, a file that fails to load (whatever it throws, a
 * defineStudy check's SweepError as its cause), or one without a study; its message names the file.
 */
export async function loadStudyFile(path: string, compiled?: readonly ModuleRecord[]): Promise<DefinedStudy> {
  const absolute = resolve(path);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    const message = existsSync(absolute) ? `${path} is a directory, not a study file` : `study file not found: ${path}`;
    throw new ObjectiveLoadError(message, { hint: 'give the path of a .ts or .js file that default-exports defineStudy({...})' });
  }
  let module: { default?: unknown };
  try {
    module = (await importTypeScript(absolute, compiled)) as { default?: unknown };
  } catch (error) {
    // defineStudy's own checks (a bad space, a missing objective) say what is wrong: the file is named before it.
    if (isSweepError(error)) throw new ObjectiveLoadError(`${path}: ${loadFailure(error)}`, { cause: error, ...(error.hint !== undefined && { hint: error.hint }) });
    throw new ObjectiveLoadError(`cannot load study file ${path}: ${loadFailure(error)}`, { cause: error });
  }
  let study = module.default;
  // A CommonJS-style module may wrap the default export once more.
  if (!isDefinedStudy(study) && typeof study === 'object' && study !== null && 'default' in study) {
    study = (study as { default: unknown }).default;
  }
  if (!isDefinedStudy(study)) {
    throw new ObjectiveLoadError(`${path} does not default-export a study`, {
      hint: "end the file with: export default defineStudy({ name, direction, space, objective })",
    });
  }
  return study;
}
