// ProcessExecutor: runs each trial as a command of any language (the only importer of execa). Params
// go in as arguments ({name} placeholders) and as environment variables; the command reports through
// the line protocol on stdout; its output is kept as artifacts stdout.log / stderr.log. A timeout, a
// hard stop or a prune decision stops the whole process group (SIGTERM, then SIGKILL after a grace
// period). When a pruner is set, each report is answered on the command's stdin with
// {"sweep": "decision", "step": s, "prune": false|true}; reading it is optional.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { ConfigError, ExecutorError } from '../errors.js';
import type { Executor, TrialIO, TrialTask } from '../study/executor.js';
import type { TrialOutcome } from '../study/outcome.js';
import { fillTemplate } from './command-template.js';
import { parseLine } from './line-protocol.js';

export interface ProcessOptions {
  /** The command and its arguments, with {param} placeholders. */
  readonly command: readonly string[];
  readonly concurrency: number;
  /** The study's metric: lines logging it count as reports. */
  readonly metric: string;
  readonly trackingUri: string;
  readonly cwd?: string;
  readonly trialTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL. */
  readonly killGraceMs?: number;
  /** Extra environment for every trial. */
  readonly env?: Readonly<Record<string, string>>;
}

const STDERR_TAIL_BYTES = 2000;
const live = new Set<number>();
let exitHookInstalled = false;

export class ProcessExecutor implements Executor {
  readonly name = 'process';
  readonly concurrency: number;

  constructor(private readonly options: ProcessOptions) {
    if (options.command.length === 0 || !options.command[0]) throw new ConfigError('process executor: the command is empty');
    this.concurrency = options.concurrency;
    installExitHook();
  }

  async run(task: TrialTask, io: TrialIO, signal: AbortSignal): Promise<TrialOutcome> {
    const labels = labelsOf(task);
    const [file, ...args] = fillTemplate(this.options.command, labels);
    mkdirSync(task.artifactUri, { recursive: true });
    const stdoutLog = createWriteStream(join(task.artifactUri, 'stdout.log'));
    const stderrLog = createWriteStream(join(task.artifactUri, 'stderr.log'));
    const child = execa(file as string, args, {
      reject: false,
      detached: true,
      buffer: false,
      stdin: task.prunes ? 'pipe' : 'ignore',
      ...(this.options.cwd !== undefined && { cwd: this.options.cwd }),
      env: {
        ...this.options.env,
        SWEEP_PARAMS: JSON.stringify(task.params),
        SWEEP_FLAT_PARAMS: JSON.stringify(labels),
        SWEEP_TRIAL_NUMBER: String(task.number),
        SWEEP_RUN_ID: task.runId,
        SWEEP_STUDY: task.studyName,
        SWEEP_TRACKING_URI: this.options.trackingUri,
        SWEEP_ARTIFACT_DIR: task.artifactUri,
      },
    });
    if (child.pid !== undefined) live.add(child.pid);

    let result: number | undefined;
    let lastReport: number | undefined;
    const problems: string[] = [];
    let stderrTail = '';
    child.stdin?.on('error', () => undefined); // a command that exits without reading stdin
    let pruned = false;
    const onReport = (step: number): void => {
      if (!task.prunes || pruned) return;
      void io.shouldPrune().then((prune) => {
        if (stoppedBy !== undefined || pruned) return;
        if (child.stdin?.writable) child.stdin.write(`${JSON.stringify({ sweep: 'decision', step, prune })}\n`);
        if (prune) {
          pruned = true;
          stop('pruned');
        }
      }, () => undefined);
    };
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const linesDone = new Promise<void>((resolve) => lines.once('close', resolve));
    lines.on('line', (line) => {
      const message = parseLine(line);
      if (message === undefined) return void stdoutLog.write(`${line}\n`);
      try {
        switch (message.kind) {
          case 'report':
            io.report(message.value, message.step);
            lastReport = message.value;
            onReport(message.step);
            break;
          case 'log':
            if (message.key === this.options.metric) {
              io.report(message.value, message.step);
              lastReport = message.value;
              onReport(message.step);
            } else io.log(message.key, message.value, message.step);
            break;
          case 'tag':
            io.setTag(message.key, message.value);
            break;
          case 'result':
            result = message.value;
            break;
          case 'invalid':
            problems.push(message.reason);
            stdoutLog.write(`${line}\n`);
        }
      } catch (error) {
        problems.push((error as Error).message);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrLog.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-STDERR_TAIL_BYTES);
    });

    let stoppedBy: 'timeout' | 'interrupted' | 'pruned' | undefined;
    const stop = (why: 'timeout' | 'interrupted' | 'pruned'): void => {
      stoppedBy ??= why;
      killGroup(child.pid, this.options.killGraceMs ?? 5000);
    };
    const onAbort = (): void => stop('interrupted');
    signal.addEventListener('abort', onAbort, { once: true });
    const timer = this.options.trialTimeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), this.options.trialTimeoutMs);
    const finished = await child;
    await linesDone;
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    if (child.pid !== undefined) live.delete(child.pid);
    await Promise.all([closeStream(stdoutLog), closeStream(stderrLog)]);

    if ((finished as { code?: string }).code === 'ENOENT') {
      throw new ExecutorError(`command not found: ${String(file)}`, { hint: 'check the command and the PATH' });
    }
    const tail = stderrTail.trim() === '' ? '' : `; stderr ends with: ${stderrTail.trim().split('\n').slice(-5).join(' | ')}`;
    if (stoppedBy === 'timeout') {
      return failed('timeout', 'TrialTimeout', `the command exceeded the trial timeout of ${(this.options.trialTimeoutMs ?? 0) / 1000} s and was killed${tail}`);
    }
    if (stoppedBy === 'interrupted') return failed('interrupted', 'Interrupted', 'interrupted: the command was killed');
    if (stoppedBy === 'pruned') return { kind: 'pruned' };
    if (finished.signal) return failed('crashed', 'KilledBySignal', `the command was killed by ${finished.signal}${tail}`);
    if (finished.exitCode !== 0) return failed('error', 'CommandFailed', `the command exited with code ${String(finished.exitCode)}${tail}`);
    const value = result ?? lastReport;
    if (value === undefined) {
      const why = problems.length > 0 ? ` (${problems.length} malformed sweep line${problems.length > 1 ? 's' : ''}, first: ${problems[0]})` : '';
      return failed('error', 'NoObjective', `the command exited 0 but reported no objective${why}; print {"sweep": "result", "value": <number>}`);
    }
    if (!Number.isFinite(value)) return failed('invalid-value', 'InvalidObjectiveValue', `the command reported ${value}`);
    return { kind: 'complete', values: [value] };
  }

  async close(): Promise<void> {}
}

// --- internal ---

function labelsOf(task: TrialTask): Record<string, string> {
  const out: Record<string, string> = { trial: String(task.number), run_id: task.runId, study: task.studyName };
  for (const [name, label] of Object.entries(task.labels)) out[name] = label;
  return out;
}

function failed(reason: 'timeout' | 'interrupted' | 'crashed' | 'error' | 'invalid-value', name: string, message: string): TrialOutcome {
  return { kind: 'failed', reason, error: { name, message } };
}

function killGroup(pid: number | undefined, graceMs: number): void {
  if (pid === undefined) return;
  const send = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  send('SIGTERM');
  setTimeout(() => send('SIGKILL'), graceMs).unref();
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => stream.end(resolve));
}

/** Detached children survive their parent: kill the groups still running when sweep exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of live) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
}
