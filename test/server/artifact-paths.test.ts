// How the server presents a stored artifact location to clients: under the store's artifact root or
// under its --artifacts-destination (hosts writing into a shared directory the server was given), as
// the proxy's mlflow-artifacts:/ URI, so clients without that directory reach the files through it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtifactRepo } from '../../src/server/artifact-paths.js';
import { tempDir } from '../helpers/tmp.js';

describe('ArtifactRepo.present', () => {
  it('presents a run written into the destination by another host as the proxy URI that serves it', () => {
    const dir = tempDir();
    const repo = new ArtifactRepo(join(dir, 'store-root'), join(dir, 'shared'));
    const stored = join(dir, 'shared', '1', 'abc', 'artifacts');
    mkdirSync(join(stored, 'model'), { recursive: true });
    writeFileSync(join(stored, 'model', 'MLmodel'), 'flavors: {}\n');
    const uri = repo.present(stored);
    expect(uri).toBe('mlflow-artifacts:/1/abc/artifacts');
    // The proxy serves that URI from the very directory the host wrote.
    expect(repo.runDirectory(uri)).toBe(stored);
    // Elsewhere on the server's disk: the path as stored.
    expect(repo.present(join(dir, 'elsewhere', 'x'))).toBe(join(dir, 'elsewhere', 'x'));
  });
});
