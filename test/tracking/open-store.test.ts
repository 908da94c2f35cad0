// Storage URIs: sweep's `sqlite:<path>` and MLflow's `sqlite:///relative` / `sqlite:////absolute`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, sqlitePathOf } from '../../src/tracking/open-store.js';
import { tempDir } from '../helpers/tmp.js';

describe('sqlite URIs', () => {
  it('reads MLflow\'s form with MLflow\'s meaning and keeps sweep\'s own', () => {
    expect(sqlitePathOf('sqlite:///mlflow.db')).toBe('mlflow.db');
    expect(sqlitePathOf('sqlite:///data/mlflow.db')).toBe('data/mlflow.db');
    expect(sqlitePathOf('sqlite:////srv/mlflow.db')).toBe('/srv/mlflow.db');
    expect(sqlitePathOf('sqlite:./x.db')).toBe('./x.db');
    expect(sqlitePathOf('sqlite:x.db')).toBe('x.db');
    expect(sqlitePathOf('sqlite:/abs/x.db')).toBe('/abs/x.db');
    expect(sqlitePathOf('sqlite://x.db')).toBe('x.db');
    expect(sqlitePathOf('sqlite:///:memory:')).toBe(':memory:');
    expect(sqlitePathOf('memory:')).toBeUndefined();
    expect(sqlitePathOf('http://127.0.0.1:5000')).toBeUndefined();
  });

  it('opens sqlite:///relative beside the working directory and sqlite:////absolute at the root', async () => {
    // A folder under the working directory, so the relative path has no `..` (which would also land
    // there from the file system root).
    const local = mkdtempSync(join(process.cwd(), '.tmp-uri-'));
    try {
      const rel = relative(process.cwd(), join(local, 'three.db'));
      const three = openStore(`sqlite:///${rel}`);
      expect(three.uri).toBe(`sqlite:${join(local, 'three.db')}`);
      await three.close();
      expect(existsSync(join(local, 'three.db'))).toBe(true);
    } finally {
      rmSync(local, { recursive: true, force: true });
    }

    const dir = tempDir();
    const four = openStore(`sqlite:///${join(dir, 'four.db')}`);
    expect(four.uri).toBe(`sqlite:${join(dir, 'four.db')}`);
    await four.close();
    expect(existsSync(join(dir, 'four.db'))).toBe(true);
  });
});
