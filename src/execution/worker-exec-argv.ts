// The Node flags a worker thread starts with: the parent's (process.execArgv), less tsx's loader and
// less the flags worker threads refuse.
import { ConfigError } from '../errors.js';

/**
 * Calls `start` with the parent's flags, less any a worker thread refuses. Workers refuse V8 flags
 * (`--trace-opt`, `--expose-gc`, `--max-old-space-size=N`, `--stack-size=N`) and per-process Node
 * flags (`--title`, `--icu-data-dir`): Node's Worker constructor throws ERR_WORKER_INVALID_EXEC_ARGV,
 * synchronously and before any thread starts, listing them. Dropping them loses nothing: they hold for
 * the whole process, its worker threads included (a worker of `node --expose-gc` has `gc()`, and one
 * of `node --max-old-space-size=N` the same heap limit). The first call gets every flag, so a parent
 * without refused flags (the common case) costs nothing: no probe, no extra worker. `start` must
 * create its first Worker synchronously (Piscina's constructor starts its minimum threads).
 */
export function withWorkerExecArgv<T>(parentExecArgv: readonly string[], start: (execArgv: string[]) => T): T {
  let groups = flagGroups(withoutTsxLoader(parentExecArgv));
  for (;;) {
    try {
      return start(groups.flat());
    } catch (error) {
      const refused = refusedFlags(error);
      if (refused === undefined) throw error;
      const kept = groups.filter((group) => !refused.has(group[0] as string));
      if (kept.length === groups.length) {
        // Node refused something it did not name as a flag of ours (a message of another form).
        throw new ConfigError(`threads executor: worker threads refuse this process's Node flags (${(error as Error).message}); start node without them or use --executor process`);
      }
      groups = kept;
    }
  }
}

/** The flags Node's ERR_WORKER_INVALID_EXEC_ARGV names ("...flags: --expose-gc, --title"); undefined for any other error. */
function refusedFlags(error: unknown): Set<string> | undefined {
  if ((error as { code?: unknown } | null)?.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') return undefined;
  const message = String((error as Error).message);
  const colon = message.indexOf(': ');
  return new Set(colon < 0 ? [] : message.slice(colon + 2).split(', '));
}

/**
 * The flags, each with its separate value (`--conditions dev`, `--title name`): process.execArgv holds
 * only Node's options and their values (never the script), so an argument not starting with `-` is
 * the value of the flag before it. Dropping a refused flag drops its value too.
 */
function flagGroups(execArgv: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (const arg of execArgv) {
    const last = groups[groups.length - 1];
    if (!arg.startsWith('-') && last !== undefined) last.push(arg);
    else groups.push([arg]);
  }
  return groups;
}

/**
 * The parent's Node flags less a tsx loader (`--import tsx`): workers load TypeScript study files
 * themselves, and tsx registered twice in a worker fails to resolve its own API.
 */
function withoutTsxLoader(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    const [flag, inline] = arg.split('=', 2);
    if (flag === '--import' || flag === '--loader' || flag === '--experimental-loader' || flag === '--require' || flag === '-r') {
      const value = inline ?? execArgv[i + 1] ?? '';
      if (/(^|[/\\])tsx([/\\]|$)/.test(value) || value === 'tsx') {
        if (inline === undefined) i++;
        continue;
      }
    }
    out.push(arg);
  }
  return out;
}
