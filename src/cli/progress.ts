// Progress output of `sweep run`: a live line on a terminal, a plain line per trial otherwise.
import type { OptimizeProgress } from '../study/optimize.js';
import type { TrialView } from '../study/trial.js';
import { formatClock, formatValue, oneLine } from './format.js';

export interface ProgressReporter {
  /** `frontSize`: with several objectives, the Pareto front's size (shown instead of the best value). */
  trialEnded(trial: TrialView, progress: OptimizeProgress, best: TrialView | undefined, frontSize?: number): void;
  finish(): void;
}

export function createProgress(stream: NodeJS.WriteStream, total: number | undefined): ProgressReporter {
  return stream.isTTY ? liveLine(stream, total) : plainLines(stream);
}

function liveLine(stream: NodeJS.WriteStream, total: number | undefined): ProgressReporter {
  let lastDraw = 0;
  let pending = '';
  const draw = (text: string): void => {
    stream.write(`\r\x1b[2K${text.slice(0, (stream.columns || 120) - 1)}`);
  };
  return {
    trialEnded(_trial, p, best, frontSize) {
      const done = p.completed + p.pruned + p.failed;
      const eta = total !== undefined && done > 0 ? formatClock((p.elapsedMs / done) * (total - done)) : '--:--';
      const parts = [
        total !== undefined ? `${done}/${total} trials` : `${done} trials`,
        `${p.failed} failed`,
        ...(p.pruned > 0 ? [`${p.pruned} pruned`] : []),
        frontSize !== undefined ? `Pareto front ${frontSize}` : `best ${best ? `${formatValue(best.value)} (#${best.number})` : '-'}`,
        `${formatClock(p.elapsedMs)} elapsed`,
        ...(total !== undefined ? [`ETA ${eta}`] : []),
      ];
      pending = parts.join(' · ');
      const now = Date.now();
      if (now - lastDraw >= 80 || (total !== undefined && done >= total)) {
        draw(pending);
        lastDraw = now;
      }
    },
    finish() {
      if (pending !== '') draw(pending);
      stream.write('\n');
    },
  };
}

/**
 * Progress text held in memory for a reader that fell behind (`sweep run 2>&1 | less`, a paused pipe),
 * at most; past it, lines are left out and counted, and the count is said once the reader catches up
 * (every trial is in the store anyway: `sweep trials`). Without a bound a stalled reader would either
 * stop the whole run (trials, heartbeats, Ctrl-C) on a blocking pipe, or grow memory without end.
 */
export const MAX_QUEUED_PROGRESS_BYTES = 256 * 1024;

/**
 * Writes lines while the reader keeps up. A pipe's writes must not block: esbuild's service process
 * (tsx compiling the study file) shares our stderr and turns it blocking, after which one write to a
 * full pipe stops this thread in the kernel; each write puts back Node's own non-blocking mode.
 */
function boundedLines(stream: NodeJS.WriteStream): { write(line: string): void; finish(): void } {
  let dropped = 0;
  const note = (): string => `sweep: ${dropped} progress line${dropped === 1 ? '' : 's'} left out: the reader of this output fell ${MAX_QUEUED_PROGRESS_BYTES / 1024} KiB behind (every trial is in the store: sweep trials)\n`;
  return {
    write(line) {
      const handle = (stream as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
      if (stream.isTTY !== true) handle?.setBlocking?.(false);
      if (stream.writableLength > MAX_QUEUED_PROGRESS_BYTES) {
        dropped++;
        return;
      }
      if (dropped > 0) stream.write(note());
      dropped = 0;
      stream.write(line);
    },
    finish() {
      if (dropped > 0) stream.write(note());
      dropped = 0;
    },
  };
}

function plainLines(stream: NodeJS.WriteStream): ProgressReporter {
  const lines = boundedLines(stream);
  return {
    trialEnded(trial, _p, best, frontSize) {
      const several = trial.values !== null && trial.values.length > 1;
      const value = trial.state !== 'COMPLETE' ? '' : several ? ` values=${trial.values?.map((v) => formatValue(v)).join(',')}` : ` value=${formatValue(trial.value)}`;
      const error = trial.error ? ` error="${oneLine(trial.error)}"` : '';
      const bestText = frontSize !== undefined ? ` front=${frontSize}` : best ? ` best=${formatValue(best.value)} (#${best.number})` : '';
      lines.write(`trial ${trial.number} ${trial.state}${value}${error}${bestText}\n`);
    },
    finish() {
      lines.finish();
    },
  };
}
