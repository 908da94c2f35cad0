// The artifact sink: paths confined to the run, a directory sink copying at once, and the proxy sink
// PUTting files (directories recursively) to a real sweep server's mlflow-artifacts proxy, retrying a
// busy server, giving up with one clear error on a refusal or a server that is gone; the start check.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer as createNetServer } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start.js';
import {
  artifactSink, checkArtifactPath, checkArtifactProxy, experimentArtifactLocation, proxyArtifactRoot, writeLocationOf,
} from '../../src/tracking/artifact-sink.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import { closeServer } from '../helpers/close-server.js';
import { tempDir } from '../helpers/tmp.js';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function sweepServer(token?: string): Promise<{ server: RunningServer; destination: string }> {
  const destination = tempDir('sweep-dest-');
  const server = await startServer({ store: new MemoryStore({ artifactRoot: tempDir() }), port: 0, artifactsDestination: destination, ...(token !== undefined && { token }) });
  closers.push(() => closeServer(server));
  return { server, destination };
}

/** A loopback server answering each request with `answer` (the body is read first); records what it got. */
async function fakeServer(answer: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void): Promise<{ url: string; seen: { method: string; url: string; body: string }[]; server: Server }> {
  const seen: { method: string; url: string; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', body: body.toString() });
      answer(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen, server };
}

function sourceTree(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.txt'), 'A');
  mkdirSync(join(dir, 'sub dir', 'deep'), { recursive: true });
  writeFileSync(join(dir, 'sub dir', 'deep', 'b #1.bin'), Buffer.from([0, 1, 2, 255]));
  mkdirSync(join(dir, 'empty'));
  return dir;
}

describe('artifact paths and locations', () => {
  it.each([
    ['../x', 'contains ".."'], ['a/../../x', 'contains ".."'], ['/etc/passwd', 'is absolute'], ['C:/x', 'is absolute'],
    ['a\\b', 'contains a backslash'], ['', 'is empty'], ['.', 'is empty'], ['a\0b', 'contains a NUL byte'],
  ])('refuses %j: %s', (path, why) => {
    expect(() => checkArtifactPath(path, 'trial.logArtifact')).toThrow(
      `trial.logArtifact: artifactPath must be relative and stay inside the run's artifacts, got ${JSON.stringify(path)} (it ${why})`,
    );
  });

  it('normalizes a relative path', () => {
    expect(checkArtifactPath('a/./b//c/', 'x')).toBe('a/b/c');
  });

  it('maps a server to its proxy root, experiments to mlflow-artifacts:/ and back to the proxy', () => {
    expect(proxyArtifactRoot('http://h:5000/')).toBe(`http://h:5000${PROXY}`);
    expect(proxyArtifactRoot(`https://h/prefix${PROXY}`)).toBe(`https://h/prefix${PROXY}`);
    expect(() => proxyArtifactRoot('http://h:5000/?x=1')).toThrow('takes no query');
    expect(experimentArtifactLocation(`http://h:5000${PROXY}`, '3')).toBe('mlflow-artifacts:/3');
    expect(experimentArtifactLocation('/data/art', '3')).toBe('/data/art/3');
    expect(writeLocationOf('mlflow-artifacts:/3/r/artifacts', `http://h:5000${PROXY}`)).toBe(`http://h:5000${PROXY}/3/r/artifacts`);
    expect(writeLocationOf('/data/art/3/r/artifacts', `http://h:5000${PROXY}`)).toBe('/data/art/3/r/artifacts');
  });
});

describe('directory sink', () => {
  it('copies a file and a directory at once, and refuses a missing source with one line', () => {
    const root = tempDir();
    const sink = artifactSink(root);
    const source = sourceTree();
    expect(sink.put(join(source, 'a.txt'), 'x/a.txt', 'l')).toBeUndefined();
    expect(sink.put(source, 'tree', 'l')).toBeUndefined();
    expect(readFileSync(join(root, 'x', 'a.txt'), 'utf8')).toBe('A');
    expect(readFileSync(join(root, 'tree', 'sub dir', 'deep', 'b #1.bin'))).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(() => sink.put(join(source, 'nope'), 'n', 'trial.logArtifact')).toThrow(/^trial\.logArtifact: cannot copy .*nope into the run's artifacts/);
  });

  it('leaves nothing behind of a copy that failed halfway (no truncated artifact), and keeps what was there', async () => {
    const root = tempDir();
    const sink = artifactSink(root);
    const source = sourceTree();
    // A socket cannot be copied: cpSync fails after it has made the destination.
    const socket = createNetServer().listen(join(source, 'z.sock'));
    await once(socket, 'listening');
    closers.push(() => new Promise((done) => socket.close(done)));
    expect(() => sink.put(source, 'tree', 'trial.logArtifact')).toThrow(/^trial\.logArtifact: cannot copy .* into the run's artifacts: .*socket/);
    expect(existsSync(join(root, 'tree'))).toBe(false);
    sink.put(join(source, 'a.txt'), 'kept/a.txt', 'l');
    expect(() => sink.put(source, 'kept', 'l')).toThrow(/socket/);
    expect(readFileSync(join(root, 'kept', 'a.txt'), 'utf8')).toBe('A');
  });
});

describe('proxy sink', () => {
  it('uploads a file and a directory (recursively, names encoded) to a sweep server, where the proxy lists and serves them', async () => {
    const { server, destination } = await sweepServer();
    const sink = artifactSink(`${proxyArtifactRoot(server.url)}/1/run1/artifacts`);
    const source = sourceTree();
    await sink.put(join(source, 'a.txt'), 'one/a.txt', 'l');
    await sink.put(source, 'tree', 'l');
    const runDir = join(destination, '1', 'run1', 'artifacts');
    expect(readFileSync(join(runDir, 'one', 'a.txt'), 'utf8')).toBe('A');
    expect(readFileSync(join(runDir, 'tree', 'a.txt'), 'utf8')).toBe('A');
    expect(readFileSync(join(runDir, 'tree', 'sub dir', 'deep', 'b #1.bin'))).toEqual(Buffer.from([0, 1, 2, 255]));
    const listed = await (await fetch(`${server.url}${PROXY}?path=1/run1/artifacts/tree`)).json();
    expect(listed).toEqual({ files: [{ path: 'a.txt', is_dir: false, file_size: 1 }, { path: 'sub dir', is_dir: true }] });
    const download = await fetch(`${server.url}${PROXY}/1/run1/artifacts/tree/sub%20dir/deep/b%20%231.bin`);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('follows links inside a directory to files only: a link to a directory (here a loop) or a dangling one is left out', async () => {
    const { server, destination } = await sweepServer();
    const source = sourceTree();
    symlinkSync('.', join(source, 'loop'));
    symlinkSync(join(source, 'a.txt'), join(source, 'a-link.txt'));
    symlinkSync(join(source, 'gone'), join(source, 'dangling'));
    await artifactSink(`${proxyArtifactRoot(server.url)}/1/r/artifacts`).put(source, 'tree', 'l');
    const runDir = join(destination, '1', 'r', 'artifacts', 'tree');
    expect(readdirSync(runDir).sort()).toEqual(['a-link.txt', 'a.txt', 'sub dir']);
    expect(readFileSync(join(runDir, 'a-link.txt'), 'utf8')).toBe('A');
  });

  it('sends the token a server asks for', async () => {
    const { server, destination } = await sweepServer('s3cret');
    await expect(checkArtifactProxy(proxyArtifactRoot(server.url), { token: 'wrong' })).rejects.toThrow(/refused the request \(HTTP 401\)/);
    await checkArtifactProxy(proxyArtifactRoot(server.url), { token: 's3cret' });
    const source = sourceTree();
    await artifactSink(`${proxyArtifactRoot(server.url)}/0/r/artifacts`, { token: 's3cret' }).put(join(source, 'a.txt'), 'a.txt', 'l');
    expect(readFileSync(join(destination, '0', 'r', 'artifacts', 'a.txt'), 'utf8')).toBe('A');
  });

  it('retries a busy server (503) and stores the file once it answers', async () => {
    let answered = 0;
    const fake = await fakeServer((_req, _body, res) => {
      answered++;
      res.writeHead(answered < 3 ? 503 : 200, { 'content-type': 'application/json' }).end('{}');
    });
    const source = sourceTree();
    await artifactSink(`${fake.url}${PROXY}/1/r/artifacts`, { backoffMs: 1 }).put(join(source, 'sub dir'), 'd', 'l');
    expect(fake.seen.map((s) => [s.method, s.url, s.body])).toEqual([1, 2, 3].map(() => ['PUT', `${PROXY}/1/r/artifacts/d/deep/b%20%231.bin`, '\u0000\u0001\u0002\ufffd']));
  });

  it('gives up at once on a refusal, naming the path, the status and the server\'s message', async () => {
    const fake = await fakeServer((_req, _body, res) => {
      res.writeHead(413, { 'content-type': 'application/json' }).end('{"error_code":"INVALID_PARAMETER_VALUE","message":"artifact is larger than the limit of 10 bytes"}');
    });
    const source = sourceTree();
    await expect(artifactSink(`${fake.url}${PROXY}/1/r/artifacts`, { backoffMs: 1 }).put(join(source, 'a.txt'), 'a.txt', 'trial.logArtifact'))
      .rejects.toThrow('trial.logArtifact: the artifact server refused a.txt (HTTP 413): artifact is larger than the limit of 10 bytes');
    expect(fake.seen).toHaveLength(1);
  });

  it('gives up after its retries when the server is gone, with one clear error', async () => {
    const fake = await fakeServer((_req, _body, res) => res.end('{}'));
    await new Promise((resolve) => fake.server.close(resolve));
    const source = sourceTree();
    const location = `${fake.url}${PROXY}/1/r/artifacts`;
    await expect(artifactSink(location, { backoffMs: 1, retries: 2 }).put(join(source, 'a.txt'), 'a.txt', 'trial.logArtifact'))
      .rejects.toThrow(`trial.logArtifact: cannot upload a.txt to ${location}: ECONNREFUSED (3 attempts)`);
  });

  it('refuses a bad path or a missing file before any request', async () => {
    const sink = artifactSink(`http://127.0.0.1:9${PROXY}/1/r/artifacts`);
    expect(() => sink.put('/no/such/file', 'x', 'trial.logArtifact')).toThrow(/^trial\.logArtifact: cannot read \/no\/such\/file/);
    expect(() => sink.put('/etc/hostname', '../x', 'trial.logArtifact')).toThrow('contains ".."');
  });
});

describe('the start check', () => {
  it('passes for a sweep server, and names the URL of one that is unreachable or serves no artifacts', async () => {
    const { server } = await sweepServer();
    await checkArtifactProxy(proxyArtifactRoot(server.url));
    const notProxy = await fakeServer((_req, _body, res) => res.writeHead(404).end());
    await expect(checkArtifactProxy(proxyArtifactRoot(notProxy.url))).rejects.toThrow(`the server at ${notProxy.url}${PROXY} does not serve artifacts (HTTP 404)`);
    const gone = await fakeServer((_req, _body, res) => res.end());
    await new Promise((resolve) => gone.server.close(resolve));
    await expect(checkArtifactProxy(proxyArtifactRoot(gone.url))).rejects.toThrow(`cannot reach the artifact server at ${gone.url}${PROXY}: ECONNREFUSED`);
  });
});
