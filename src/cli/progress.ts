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

function plainLines(stream: NodeJS.WriteStream): ProgressReporter {
  return {
    trialEnded(trial, _p, best, frontSize) {
      const several = trial.values !== null && trial.values.length > 1;
      const value = trial.state !== 'COMPLETE' ? '' : several ? ` values=${trial.values?.map((v) => formatValue(v)).join(',')}` : ` value=${formatValue(trial.value)}`;
      const error = trial.error ? ` error="${oneLine(trial.error)}"` : '';
      const bestText = frontSize !== undefined ? ` front=${frontSize}` : best ? ` best=${formatValue(best.value)} (#${best.number})` : '';
      stream.write(`trial ${trial.number} ${trial.state}${value}${error}${bestText}\n`);
    },
    finish() {},
  };
}
