// End to end with several objectives: `sweep run` on every executor, `sweep best` (the Pareto front,
// table and JSON, --top ignored with a note), `sweep trials` (a column per objective, feasibility,
// JSON, CSV) and an MLflow search filtering on two objectives' metrics.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { ROOT, sweep } from './helpers.js';

const EXAMPLE = join(ROOT, 'examples/multi-objective/study.ts');
const fixture = (name: string): string => join(ROOT, 'test/fixtures/studies', name);

describe('sweep with several objectives', () => {
  it('runs the example, prints the front, lists every value and finds trials by two metrics', async () => {
    const dir = tempDir();
    const run = await sweep(['run', EXAMPLE, '--trials', '30', '--seed', '2'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('minimize error, minimize latency_ms, tpe sampler');
    expect(run.stdout).toMatch(/Pareto front: \d+ trials? \(#/);

    const best = await sweep(['best', '--json'], dir);
    expect(best.code, best.stderr).toBe(0);
    const front = JSON.parse(best.stdout) as { metrics: string[]; paretoFront: { number: number; values: number[]; objectives: Record<string, number>; constraints: number[] }[] };
    expect(front.metrics).toEqual(['error', 'latency_ms']);
    expect(front.paretoFront.length).toBeGreaterThan(0);
    for (const t of front.paretoFront) {
      expect(t.objectives).toEqual({ error: t.values[0], latency_ms: t.values[1] });
      expect(t.constraints[0]).toBeLessThanOrEqual(0);
    }
    // No front member dominates another.
    for (const a of front.paretoFront) {
      for (const b of front.paretoFront) {
        const dominates = a.values.every((v, i) => v <= (b.values[i] as number)) && a.values.some((v, i) => v < (b.values[i] as number));
        expect(dominates).toBe(false);
      }
    }

    const table = await sweep(['best', '--top', '3'], dir);
    expect(table.code).toBe(0);
    expect(table.stderr).toContain('--top is ignored for a study with 2 objectives');
    expect(table.stdout).toContain(`Pareto front of ${front.paretoFront.length} trial`);
    expect(table.stdout.split('\n')[1]).toMatch(/trial\s+error\s+latency_ms\s+layers/);

    const csv = await sweep(['trials', 'multi-objective', '--csv'], dir);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    // The objective called `error` is not the FAIL error's column: a reader keyed by name gets both.
    expect(lines[0]).toBe('trial,state,metrics.error,latency_ms,feasible,layers,width,dropout,duration_ms,error');
    expect(lines).toHaveLength(31);
    const trials = JSON.parse((await sweep(['trials', 'multi-objective', '--json'], dir)).stdout) as { values: number[]; feasible: boolean }[];
    expect(trials).toHaveLength(30);
    expect(lines.slice(1).map((line) => Number(line.split(',')[2]))).toEqual(trials.map((t) => t.values[0]));
    expect((await sweep(['trials', 'multi-objective'], dir)).stdout.split('\n')[0]).toMatch(/^trial\s+state\s+metrics\.error\s+latency_ms\s.*\serror$/);
    expect(trials.some((t) => !t.feasible)).toBe(true);
    const plain = await sweep(['trials', 'multi-objective'], dir);
    expect(plain.stdout).toContain('NO (infeasible)');

    const limitError = Math.max(...trials.map((t) => t.values[0] as number)) + 1;
    const found = await sweep(['runs', 'search', '--filter', `metrics.error < ${limitError} and metrics.latency_ms < 20`, '--json'], dir);
    expect(found.code, found.stderr).toBe(0);
    const expected = trials.filter((t) => (t.values[1] as number) < 20).length;
    expect(expected).toBeGreaterThan(0);
    expect(JSON.parse(found.stdout) as unknown[]).toHaveLength(expected);
  });

  it('runs several objectives in worker threads and in a command (process executor)', async () => {
    const dir = tempDir();
    const threads = await sweep(['run', fixture('multi-threads.ts'), '--trials', '12', '--jobs', '2', '--executor', 'threads', '--seed', '1'], dir);
    expect(threads.code, threads.stderr).toBe(0);
    const command = await sweep(['run', fixture('multi-command.ts'), '--trials', '6', '--seed', '1'], dir);
    expect(command.code, command.stderr).toBe(0);
    for (const name of ['multi-threads', 'multi-command']) {
      const trials = JSON.parse((await sweep(['trials', name, '--json'], dir)).stdout) as { state: string; values: number[] }[];
      expect(trials.every((t) => t.state === 'COMPLETE' && t.values.length === 2)).toBe(true);
    }
    const cmd = JSON.parse((await sweep(['trials', 'multi-command', '--json'], dir)).stdout) as { flatParams: { x: number }; values: number[] }[];
    for (const t of cmd) expect(t.values[1]).toBeCloseTo(1 - t.flatParams.x ** 2, 6);
  });
});
