// Where a PostgreSQL store's artifacts go: a store shared by many hosts needs a location every host
// and the UI reach, checked when a run starts rather than after its first trial.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { ConfigError } from '../../errors.js';

/**
 * Whether this host can put artifacts where every host and the UI find them. An explicit local
 * directory (`?artifacts=DIR`, meant to be one every host mounts) must be writable here, or this
 * throws; an http(s) location is a sweep server's artifact proxy (checked by app/artifact-location.ts). Without one, artifacts stay in
 * ./sweep-artifacts of this host only: the returned note says so.
 * @throws ConfigError when the directory cannot be created or written
 */
export function checkSharedArtifactRoot(uri: string, artifactRoot: string, explicit: boolean): string | undefined {
  if (!explicit) {
    return `artifacts of this PostgreSQL store go to ${artifactRoot} on this host only; ` +
      'add ?artifacts=/shared/dir to the storage URI (a directory every host mounts), or --artifacts http://server:5000 ' +
      '(a sweep server that keeps them), so every host and the UI reach them';
  }
  if (/^[a-z]+:\/\//i.test(artifactRoot)) return undefined;
  try {
    mkdirSync(artifactRoot, { recursive: true });
    accessSync(artifactRoot, constants.W_OK);
  } catch (error) {
    throw new ConfigError(`storage ${uri}: artifacts directory ${artifactRoot} is not writable here: ${(error as Error).message}`, {
      hint: 'mount the shared artifacts directory on this host, or fix its permissions',
    });
  }
  return undefined;
}
