// Choosing and building the executor of a run: inline, threads (Piscina) or process (child_process).
import { ConfigError } from '../errors.js';
import { checkTemplate } from '../execution/command-template.js';
import type { CompiledSpace } from '../space/compile.js';
import type { Executor } from '../study/executor.js';

export type ExecutorName = 'inline' | 'threads' | 'process';

export interface ExecutorChoice {
  readonly executor?: ExecutorName;
  readonly jobs?: number;
  /** A command template: implies the process executor. */
  readonly command?: readonly string[];
  readonly trialTimeoutMs?: number;
  readonly maxOldSpaceMb?: number;
  readonly space?: CompiledSpace;
  readonly metric: string;
  readonly trackingUri: string;
  readonly cwd?: string;
  /** Threads: the study file each worker loads as it starts (see ThreadsOptions.preload). */
  readonly preload?: string;
  /** Threads: optimize may run a whole loop on each worker (see ThreadsOptions.loopEntry). */
  readonly loops?: boolean;
}

/** The executor name in force: explicit, else process for a command, threads for jobs > 1, else inline. */
export function resolveExecutorName(choice: Pick<ExecutorChoice, 'executor' | 'jobs' | 'command'>): ExecutorName {
  if (choice.executor !== undefined) {
    if (!['inline', 'threads', 'process'].includes(choice.executor)) {
      throw new ConfigError(`--executor must be inline, threads or process, got ${String(choice.executor)}`);
    }
    if (choice.executor === 'process' && choice.command === undefined) {
      throw new ConfigError('the process executor needs a command', { hint: 'give --command "python train.py --lr {lr}" or command: [...] in the study file' });
    }
    if (choice.executor !== 'process' && choice.command !== undefined) {
      throw new ConfigError(`a command study runs on the process executor, not ${choice.executor}`);
    }
    return choice.executor;
  }
  if (choice.command !== undefined) return 'process';
  return (choice.jobs ?? 1) > 1 ? 'threads' : 'inline';
}

/**
 * The worker side of a loop (thread-loop.ts), always the compiled file: workers load no TypeScript
 * of sweep's own, so when this module runs from src/ (tests) it is the one in dist/ (built by `npm test`).
 */
const LOOP_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/src/app/thread-loop.js', import.meta.url).href
  : new URL('./thread-loop.js', import.meta.url).href;

/**
 * Builds the executor, or undefined for inline (the study calls the objective itself). Executors are
 * imported on demand: Piscina and the process machinery cost start-up time that inline runs never need.
 */
export async function createExecutor(choice: ExecutorChoice): Promise<Executor | undefined> {
  const name = resolveExecutorName(choice);
  const jobs = choice.jobs ?? 1;
  if (choice.maxOldSpaceMb !== undefined && name !== 'threads') {
    throw new ConfigError('--max-old-space applies to the threads executor only');
  }
  switch (name) {
    case 'inline':
      if (choice.trialTimeoutMs !== undefined) {
        throw new ConfigError('--trial-timeout needs an isolated executor: use --executor threads or process');
      }
      return undefined;
    case 'threads': {
      const { ThreadsExecutor } = await import('../execution/threads.js');
      return new ThreadsExecutor({
        threads: jobs,
        ...(choice.trialTimeoutMs !== undefined && { trialTimeoutMs: choice.trialTimeoutMs }),
        ...(choice.maxOldSpaceMb !== undefined && { maxOldSpaceMb: choice.maxOldSpaceMb }),
        ...(choice.preload !== undefined && { preload: choice.preload }),
        ...(choice.loops === true && { loopEntry: LOOP_ENTRY }),
      });
    }
    case 'process': {
      const { ProcessExecutor } = await import('../execution/process.js');
      const command = choice.command ?? [];
      checkTemplate(command, choice.space ? new Set(choice.space.params.keys()) : undefined);
      return new ProcessExecutor({
        command,
        concurrency: jobs,
        metric: choice.metric,
        trackingUri: choice.trackingUri,
        ...(choice.cwd !== undefined && { cwd: choice.cwd }),
        ...(choice.trialTimeoutMs !== undefined && { trialTimeoutMs: choice.trialTimeoutMs }),
      });
    }
  }
}
