// A private PostgreSQL cluster for tests that stop and start the server: initdb into a temporary
// directory, pg_ctl on a free port. Uses Debian's server binaries (beside the machine's cluster); as
// root, they run as the postgres user (initdb refuses root).
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const BIN_DIR = process.env['SWEEP_TEST_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

/** Whether the server binaries are installed; in CI their absence is an error, not a skip. */
export function privateClusterAvailable(): boolean {
  const present = existsSync(join(BIN_DIR, 'initdb')) && existsSync(join(BIN_DIR, 'pg_ctl'));
  if (!present && process.env['CI']) throw new Error(`PostgreSQL server binaries missing in ${BIN_DIR} (set SWEEP_TEST_PG_BIN)`);
  return present;
}

export class PrivateCluster {
  private constructor(readonly dir: string, readonly port: number, private readonly settings: readonly string[]) {}

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** `settings`: server settings (`name=value`) added to every start. */
  static async create(settings: readonly string[] = []): Promise<PrivateCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-pg-'));
    const isRoot = process.getuid?.() === 0;
    if (isRoot) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(dir, Number(stdout), Number(gid));
      chmodSync(dir, 0o700);
    }
    const cluster = new PrivateCluster(dir, await freePort(), settings);
    await cluster.exec('initdb', ['-D', cluster.data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await cluster.start();
    return cluster;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  async start(): Promise<void> {
    const options = [`-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, ...this.settings.map((s) => `-c ${s}`)].join(' ');
    await this.exec('pg_ctl', ['-D', this.data, '-o', options, '-l', join(this.dir, 'log'), '-w', 'start']);
  }

  /** Fast shutdown: every session is cut, as in a crash of the connections or a restart by an operator. */
  async stop(): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  /** Immediate shutdown: as a crash of the server, it loses what was committed but not yet flushed. */
  async crash(): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async exec(tool: string, args: string[]): Promise<void> {
    const path = join(BIN_DIR, tool);
    if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', path, ...args], { cwd: this.dir });
    else await run(path, args, { cwd: this.dir });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
