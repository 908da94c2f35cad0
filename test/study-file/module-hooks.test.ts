// The module hooks that let worker threads load a TypeScript study file without tsx: on the main
// thread they record what the loader behind them resolves and compiles for user modules; in a worker
// they serve exactly that, and pass everything else on.
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModuleRecord } from '../../src/study-file/module-hooks.js';

type Hooks = typeof import('../../src/study-file/module-hooks.js');
const fresh = async (): Promise<Hooks> => {
  vi.resetModules();
  return import('../../src/study-file/module-hooks.js');
};
const drain = (port: MessagePort): ModuleRecord[] => {
  const out: ModuleRecord[] = [];
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) out.push(m.message as ModuleRecord);
  return out;
};

const STUDY = 'file:///project/study.ts';
const HELPER = 'file:///project/helper.ts';
const LIB = 'file:///project/node_modules/lib/index.js';
const context = { conditions: ['node', 'import'] };

describe('module hooks', () => {
  const ports: MessagePort[] = [];
  afterEach(() => {
    for (const p of ports.splice(0)) p.close();
  });

  it('records the resolutions and compiled sources of user modules, not those of packages', async () => {
    const hooks = await fresh();
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    hooks.initialize({ mode: 'record', port: port2 });
    const resolved: Record<string, string> = { './helper.js': HELPER, lib: LIB, './util.js': 'file:///project/node_modules/lib/util.js' };
    const nextResolve = async (specifier: string) => ({ url: resolved[specifier] ?? specifier, format: 'module' });
    const nextLoad = async (url: string) => ({ format: 'module', source: `compiled ${url}` });

    expect(await hooks.resolve('./helper.js', { ...context, parentURL: STUDY }, nextResolve)).toEqual({ url: HELPER, format: 'module' });
    await hooks.resolve('lib', { ...context, parentURL: STUDY }, nextResolve);
    await hooks.resolve('./util.js', { ...context, parentURL: LIB }, nextResolve); // a package's own import
    expect(await hooks.load(HELPER, {}, nextLoad)).toEqual({ format: 'module', source: `compiled ${HELPER}` });
    await hooks.load(LIB, {}, nextLoad);

    const records = drain(port1);
    expect(records.filter((r) => r.type === 'resolve').map((r) => r.type === 'resolve' && r.url)).toEqual([HELPER, LIB]);
    expect(records.filter((r) => r.type === 'load')).toEqual([{ type: 'load', url: HELPER, format: 'module', source: `compiled ${HELPER}` }]);
  });

  it('marks a user module it could not replay (CommonJS) as unsupported', async () => {
    const hooks = await fresh();
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    hooks.initialize({ mode: 'record', port: port2 });
    await hooks.load('file:///project/legacy.cts', {}, async () => ({ format: 'commonjs', source: null }));
    expect(drain(port1)).toEqual([{ type: 'unsupported', url: 'file:///project/legacy.cts', format: 'commonjs' }]);
  });

  it('replays recorded resolutions and sources without asking the loader behind it', async () => {
    const recorder = await fresh();
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    recorder.initialize({ mode: 'record', port: port2 });
    await recorder.resolve('./helper.js', { ...context, parentURL: STUDY }, async () => ({ url: HELPER, format: 'module' }));
    await recorder.load(HELPER, {}, async () => ({ format: 'module', source: 'export const a = 1;' }));

    const replay = await fresh();
    replay.initialize({ mode: 'replay', records: drain(port1), fallback: 'file:///nowhere/hooks.js' });
    const never = vi.fn(async () => {
      throw new Error('the record should have answered');
    });
    expect(await replay.resolve('./helper.js', { ...context, parentURL: STUDY }, never)).toMatchObject({ url: HELPER, shortCircuit: true });
    expect(await replay.load(HELPER, {}, never)).toEqual({ format: 'module', source: 'export const a = 1;', shortCircuit: true });
    expect(never).not.toHaveBeenCalled();
  });

  it('passes what packages resolve and load straight to the loader behind it when replaying', async () => {
    const replay = await fresh();
    replay.initialize({ mode: 'replay', records: [], fallback: 'file:///nowhere/hooks.js' });
    const nextResolve = vi.fn(async () => ({ url: 'file:///project/node_modules/lib/util.js', format: 'module' }));
    const nextLoad = vi.fn(async () => ({ format: 'module', source: 'export {};' }));
    await replay.resolve('./util.js', { ...context, parentURL: LIB }, nextResolve);
    await replay.load(LIB, {}, nextLoad);
    expect(nextResolve).toHaveBeenCalledTimes(1);
    expect(nextLoad).toHaveBeenCalledTimes(1);
  });

  it('registered before the record, holds user modules until it arrives and serves them from it', async () => {
    const replay = await fresh();
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    replay.initialize({ mode: 'replay-later', port: port2, fallback: 'file:///nowhere/hooks.js' });
    const never = vi.fn(async () => {
      throw new Error('the record should have answered');
    });
    // A package's module does not wait for the record.
    const nextResolve = vi.fn(async () => ({ url: 'file:///project/node_modules/lib/util.js', format: 'module' }));
    await replay.resolve('./util.js', { ...context, parentURL: LIB }, nextResolve);
    expect(nextResolve).toHaveBeenCalledTimes(1);
    let settled = false;
    const resolving = replay.resolve('./helper.js', { ...context, parentURL: STUDY }, never).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    port1.postMessage({
      records: [
        { type: 'resolve', key: `./helper.js\u0000${STUDY}\u0000node,import`, url: HELPER, format: 'module' },
        { type: 'load', url: HELPER, format: 'module', source: 'export const a = 1;' },
      ],
    });
    expect(await resolving).toMatchObject({ url: HELPER, shortCircuit: true });
    expect(await replay.load(HELPER, {}, never)).toEqual({ format: 'module', source: 'export const a = 1;', shortCircuit: true });
    expect(never).not.toHaveBeenCalled();
  });

  it('registered before the record, passes every request on when told the file loads otherwise', async () => {
    const replay = await fresh();
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    replay.initialize({ mode: 'replay-later', port: port2, fallback: 'file:///nowhere/hooks.js' });
    port1.postMessage({ passThrough: true });
    const nextResolve = vi.fn(async () => ({ url: HELPER, format: 'module' }));
    const nextLoad = vi.fn(async () => ({ format: 'module', source: 'export {};' }));
    expect(await replay.resolve('./helper.js', { ...context, parentURL: STUDY }, nextResolve)).toEqual({ url: HELPER, format: 'module' });
    expect(await replay.load(HELPER, {}, nextLoad)).toEqual({ format: 'module', source: 'export {};' });
  });
});
