// ProcessExecutor: runs each trial as a command of any language. Params go in as arguments ({name}
// placeholders) and as environment variables; the command reports through the line protocol on
// stdout; its output is kept as artifacts stdout.log / stderr.log. A timeout, a hard stop or a prune
// decision stops the command's whole tree (process-tree.ts: SIGTERM, then SIGKILL after a grace
// period); the trial ends at that SIGKILL at the latest, whatever still holds its pipes. The command's
// own exit ends the trial: what it printed until then is read, leftovers are stopped the same way.
// Lines longer than maxLineBytes are cut in the log and never parsed (memory stays bounded), and a log
// that cannot be written (a full disk) stops the command and fails the trial with the reason.
// When a pruner is set, each report is answered on the command's stdin with
// {"sweep": "decision", "step": s, "prune": false|true}; reading it is optional.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { resolve as resolvePath } from 'node:path';
import { ConfigError, ExecutorError } from '../errors.js';
import type { Executor, TrialIO, TrialTask } from '../study/executor.js';
import type { TrialOutcome } from '../study/outcome.js';
import { fillTemplate } from './command-template.js';
import { BoundedLineSplitter, type OutputLine } from './bounded-lines.js';
import { parseLine } from './line-protocol.js';
import { groupAlive, killTree, signalTree, type TreeTarget } from './process-tree.js';
import { openTrialLogs, type TrialLog } from './trial-log.js';
import { stageArtifacts } from './staged-artifacts.js';

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
  /** Longer stdout lines are cut in the log and ignored as protocol (default 1 MiB). */
  readonly maxLineBytes?: number;
}

const STDERR_TAIL_BYTES = 2000;
const MAX_LINE_BYTES = 1024 * 1024;
/** After the command's exit, how long output still held open by a leftover process is read. */
const DRAIN_AFTER_EXIT_MS = 100;
const live = new Map<number, TreeTarget>();
let exitHookInstalled = false;

type StopReason = 'timeout' | 'interrupted' | 'pruned' | 'write-error';
interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: NodeJS.ErrnoException;
}

export class ProcessExecutor implements Executor {
  readonly name = 'process';
  readonly concurrency: number;

  constructor(private readonly options: ProcessOptions) {
    if (options.command.length === 0 || !options.command[0]) throw new ConfigError('process executor: the command is empty');
    this.concurrency = options.concurrency;
    installExitHook();
  }

  async run(task: TrialTask, io: TrialIO, signal: AbortSignal): Promise<TrialOutcome> {
    // Stopped before it started: the command never runs (it would only be killed on its first line).
    if (signal.aborted) return failed('interrupted', 'Interrupted', 'interrupted before the command started');
    const labels = labelsOf(task);
    const [file, ...args] = fillTemplate(this.options.command, labels);
    const graceMs = this.options.killGraceMs ?? 5000;
    const staged = stageArtifacts(task.artifactUri);
    const logs = openTrialLogs(staged.dir);
    if (logs instanceof Error) return failed('error', 'ArtifactWriteError', `cannot create the trial's log files: ${logs.message}`);
    const { stdoutLog, stderrLog } = logs;
    const child = spawn(file as string, args, {
      detached: true,
      stdio: [task.prunes ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      ...(this.options.cwd !== undefined && { cwd: this.options.cwd }),
      env: {
        ...process.env,
        ...this.options.env,
        SWEEP_PARAMS: JSON.stringify(task.params),
        SWEEP_FLAT_PARAMS: JSON.stringify(labels),
        SWEEP_TRIAL_NUMBER: String(task.number),
        SWEEP_RUN_ID: task.runId,
        SWEEP_STUDY: task.studyName,
        SWEEP_TRACKING_URI: this.options.trackingUri,
        SWEEP_ARTIFACT_DIR: staged.dir,
      },
    });
    let hasExited = false;
    const exited = new Promise<ChildExit>((resolve) => {
      child.once('exit', (code, sig) => {
        hasExited = true;
        resolve({ code, signal: sig });
      });
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, signal: null, error }));
    });
    const tree = child.pid === undefined ? undefined : { pid: child.pid, marker: `SWEEP_RUN_ID=${task.runId}` };
    // Kept until the trial is over and no kill of its tree is pending: the exit hook stops those.
    if (tree) live.set(tree.pid, tree);
    let pendingKills = 0;
    let over = false;
    const forget = (): void => {
      if (tree && over && pendingKills === 0) live.delete(tree.pid);
    };
    const kill = (): Promise<void> => {
      if (!tree) return Promise.resolve();
      pendingKills++;
      return killTree(tree, graceMs).then(() => {
        pendingKills--;
        forget();
      });
    };

    let result: number | readonly number[] | Readonly<Record<string, number>> | undefined;
    let lastReport: number | undefined;
    const problems: string[] = [];
    let cutLines = 0;
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
    const onLine = (line: OutputLine): void => {
      if (line.cut) {
        // Too long to be a protocol message: kept in the log as far as the limit, never parsed.
        cutLines++;
        stdoutLog.write(line.bytes);
        stdoutLog.write(`\n[sweep: line cut at ${line.bytes.length} of ${line.length} bytes]\n`);
        return;
      }
      const text = line.bytes.toString('utf8');
      const message = parseLine(text);
      if (message === undefined) {
        stdoutLog.write(line.bytes);
        stdoutLog.write('\n');
        return;
      }
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
          case 'artifact':
            void io.logArtifact(resolvePath(this.options.cwd ?? process.cwd(), message.path), message.artifactPath).catch(() => undefined);
            break;
          case 'model':
            io.logModel(resolvePath(this.options.cwd ?? process.cwd(), message.path), {
              ...(message.name !== undefined && { name: message.name }),
              ...(message.flavor !== undefined && { flavor: message.flavor }),
              ...(message.metadata !== undefined && { metadata: message.metadata }),
            });
            break;
          case 'input': {
            const { kind: _kind, ...spec } = message;
            io.logInput(spec);
            break;
          }
          case 'invalid':
            problems.push(message.reason);
            stdoutLog.write(`${text}\n`);
        }
      } catch (error) {
        problems.push((error as Error).message);
      }
    };
    const splitter = new BoundedLineSplitter(this.options.maxLineBytes ?? MAX_LINE_BYTES, onLine);
    const stdoutDone = pump(child.stdout, stdoutLog, (chunk) => splitter.push(chunk)).then(() => splitter.end());
    const stderrDone = pump(child.stderr, stderrLog, (chunk) => {
      stderrLog.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-STDERR_TAIL_BYTES);
    });

    let stoppedBy: StopReason | undefined;
    let killed: () => void = () => undefined;
    const hardStopped = new Promise<undefined>((resolve) => (killed = () => resolve(undefined)));
    const stop = (why: StopReason): void => {
      // Once the command has exited, its outcome stands (a log that fails still fails the trial).
      if (stoppedBy !== undefined || (hasExited && why !== 'write-error')) return;
      stoppedBy = why;
      void kill().then(killed);
    };
    stdoutLog.onError = stderrLog.onError = () => stop('write-error');
    const onAbort = (): void => stop('interrupted');
    signal.addEventListener('abort', onAbort, { once: true });
    const timer = this.options.trialTimeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), this.options.trialTimeoutMs);
    let outputEnded = false;
    const outputDone = Promise.all([stdoutDone, stderrDone]).then(() => void (outputEnded = true));
    // The trial ends when the command exits (its output read up to then), or, once it is being
    // stopped, at the SIGKILL after the grace period, whatever still runs or holds its pipes.
    const ended = await Promise.race([
      exited.then(async (exit) => {
        // Leftovers of a command that exited by itself: its group, or whatever holds its pipes.
        const leftovers = exit.error === undefined && stoppedBy === undefined && tree !== undefined;
        if (leftovers && groupAlive(tree.pid)) void kill();
        await Promise.race([outputDone, afterExit(DRAIN_AFTER_EXIT_MS)]);
        if (leftovers && pendingKills === 0 && !outputEnded) void kill();
        return exit;
      }),
      hardStopped,
    ]);
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    over = true;
    forget();
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.stdin?.destroy();
    await Promise.all([stdoutLog.close(), stderrLog.close()]);
    await staged.upload(io);

    if (ended?.error !== undefined) {
      if (ended.error.code === 'ENOENT') throw new ExecutorError(`command not found: ${String(file)}`, { hint: 'check the command and the PATH' });
      throw new ExecutorError(`cannot start ${String(file)}: ${ended.error.message}`);
    }
    const tail = stderrTail.trim() === '' ? '' : `; stderr ends with: ${stderrTail.trim().split('\n').slice(-5).join(' | ')}`;
    const writeError = stdoutLog.error ?? stderrLog.error;
    if (writeError) return failed('error', 'ArtifactWriteError', `cannot write the trial's output to its artifacts (${writeError.message}); the command was stopped`);
    if (stoppedBy === 'timeout') {
      return failed('timeout', 'TrialTimeout', `the command exceeded the trial timeout of ${(this.options.trialTimeoutMs ?? 0) / 1000} s and was killed${tail}`);
    }
    if (stoppedBy === 'interrupted') return failed('interrupted', 'Interrupted', 'interrupted: the command was killed');
    if (stoppedBy === 'pruned') return { kind: 'pruned' };
    if (ended === undefined) return failed('crashed', 'KilledBySignal', 'the command did not exit after SIGKILL');
    if (ended.signal) return failed('crashed', 'KilledBySignal', `the command was killed by ${ended.signal}${tail}`);
    if (ended.code !== 0) return failed('error', 'CommandFailed', `the command exited with code ${String(ended.code)}${tail}`);
    const value = result ?? lastReport;
    if (value === undefined) {
      const notes = [
        ...(problems.length > 0 ? [`${problems.length} malformed sweep line${problems.length > 1 ? 's' : ''}, first: ${problems[0]}`] : []),
        ...(cutLines > 0 ? [`${cutLines} line${cutLines > 1 ? 's' : ''} longer than ${this.options.maxLineBytes ?? MAX_LINE_BYTES} bytes ignored`] : []),
      ];
      const why = notes.length > 0 ? ` (${notes.join('; ')})` : '';
      return failed('error', 'NoObjective', `the command exited 0 but reported no objective${why}; print {"sweep": "result", "value": <number>}`);
    }
    // Several objectives come as an array or an object; the trial runner checks them against the study.
    if (typeof value !== 'number') return { kind: 'complete', values: value };
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

/**
 * Reads `input` into `onChunk`, pausing while `log` is full so a command printing faster than the disk
 * writes waits instead of filling memory. Resolves when the output ends or its pipe is closed.
 */
function pump(input: Readable | null, log: TrialLog, onChunk: (chunk: Buffer) => void): Promise<void> {
  if (input === null) return Promise.resolve();
  return new Promise((resolve) => {
    input.on('data', (chunk: Buffer) => {
      onChunk(chunk);
      if (log.full) {
        input.pause();
        log.whenWritable(() => input.resume());
      }
    });
    input.once('end', resolve);
    input.once('close', resolve);
    input.on('error', () => resolve());
  });
}

/**
 * Resolves after the output the command wrote before it exited has been read: that output is in the
 * pipe before the exit is known, so the event loop's next poll phase reads it (two immediates make sure
 * one ran), and a short window more covers a large pipe buffer.
 */
function afterExit(windowMs: number): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(() => setTimeout(resolve, windowMs))));
}

/** Detached children survive their parent: kill the trees still running when sweep exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const tree of live.values()) signalTree(tree, 'SIGKILL', []);
  });
}
