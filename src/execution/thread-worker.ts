// Piscina worker entry: loads the study file once per worker (TypeScript through tsx, as the CLI
// does), runs the objective with a WorkerTrial and resolves with the outcome.
import { loadStudyFile } from '../study-file/load-study-file.js';
import type { DefinedStudy } from '../study-file/define.js';
import { ConfigError } from '../errors.js';
import { outcomeOfReturn, outcomeOfThrow, type TrialOutcome } from '../study/outcome.js';
import type { ThreadTask } from './protocol.js';
import { WorkerTrial } from './worker-trial.js';

const studies = new Map<string, Promise<DefinedStudy>>();

export default async function runTrial(task: ThreadTask): Promise<TrialOutcome> {
  let loading = studies.get(task.studyPath);
  if (!loading) {
    loading = loadStudyFile(task.studyPath);
    studies.set(task.studyPath, loading);
  }
  const study = await loading;
  const trial = new WorkerTrial(task);
  let outcome: TrialOutcome;
  trial.started();
  try {
    if (!study.objective) {
      throw new ConfigError(`${task.studyPath} defines a command, not an objective: use the process executor`, { hint: 'run it with --executor process' });
    }
    outcome = outcomeOfReturn(await study.objective(trial));
  } catch (error) {
    outcome = outcomeOfThrow(error);
  }
  await trial.finish();
  return outcome;
}
