// Running the built CLI as a child process, as a user would.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = `${ROOT}dist/src/cli/bin.js`;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI in `cwd`; `user` runs it as another user (root only). */
export function sweep(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, user: { uid?: number; gid?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, SWEEP_TRACKING_URI: '', ...env }, ...user }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export function spawnSweep(args: readonly string[], cwd: string): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, SWEEP_TRACKING_URI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The rows of `sql` in the SQLite file `db`, read the way a user's tool would (read-only, its own connection). */
export function queryDb<T>(db: string, sql: string, ...args: unknown[]): T[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(sql).all(...args) as T[];
  } finally {
    conn.close();
  }
}
