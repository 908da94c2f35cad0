// Loading a search space for `sweep run --command ... --space FILE`: a JSON file of hp nodes
// ({"lr": {"$dist": "loguniform", "low": 1e-5, "high": 1}}), or a TS/JS module whose default export
// is a space object (or a defineStudy, whose space is taken).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importTypeScript, loadFailure } from './ts-loader.js';
import { ConfigError, isSweepError } from '../errors.js';
import type { SpaceDefinition } from '../space/nodes.js';
import { isDefinedStudy } from './define.js';

/** @throws ConfigError for a missing or unreadable file, or one without a space object. */
export async function loadSpaceFile(path: string): Promise<SpaceDefinition> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new ConfigError(`space file not found: ${path}`);
  let space: unknown;
  try {
    if (absolute.endsWith('.json')) space = JSON.parse(readFileSync(absolute, 'utf8'));
    else {
      const module = (await importTypeScript(absolute)) as { default?: unknown };
      space = module.default;
      if (isDefinedStudy(space)) space = space.space;
    }
  } catch (error) {
    if (isSweepError(error)) throw new ConfigError(`${path}: ${loadFailure(error)}`, { cause: error, ...(error.hint !== undefined && { hint: error.hint }) });
    throw new ConfigError(`cannot read space file ${path}: ${loadFailure(error)}`, { cause: error });
  }
  if (typeof space !== 'object' || space === null || Array.isArray(space)) {
    throw new ConfigError(`${path} must hold a space object (JSON, or a module's default export)`);
  }
  return space as SpaceDefinition;
}
