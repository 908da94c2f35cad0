// Home: experiments and their studies (direction, metric, trial counts by state, best, activity).
import { getJson } from '../api.js';
import { fmtNumber, fmtTime, h, section } from '../dom.js';
import { dataTable } from '../table.js';

interface StudyRow {
  name: string; experimentId: string; direction: string; metric: string; sampler: string;
  counts: Record<string, number>; total: number; bestValue: number | null; lastActivity: number;
}
interface ExperimentRow { experimentId: string; name: string; lastActivity: number; studies: StudyRow[] }

export async function homePage(root: HTMLElement): Promise<void> {
  const { experiments } = await getJson<{ experiments: ExperimentRow[] }>('studies');
  document.title = 'sweep: experiments';
  root.replaceChildren(h('h1', {}, 'Experiments and studies'));
  if (experiments.length === 0) root.append(h('p', {}, 'No experiments yet. Run a study with ', h('code', {}, 'sweep run study.ts'), '.'));
  for (const e of experiments) {
    const count = (s: StudyRow, k: string): string => String(s.counts[k] ?? 0);
    root.append(section(`Experiment ${e.name}`,
      h('p', {}, h('a', { href: `#/experiment/${encodeURIComponent(e.experimentId)}` }, 'Runs table'), ' · id ', e.experimentId, ' · last activity ', fmtTime(e.lastActivity)),
      e.studies.length === 0 ? h('p', { class: 'muted' }, 'No studies in this experiment.') : dataTable({
        caption: `Studies of ${e.name}`,
        rows: e.studies,
        onActivate: (s) => { location.hash = `#/study/${encodeURIComponent(s.name)}`; },
        columns: [
          { key: 'name', label: 'Study', cell: (s) => h('a', { href: `#/study/${encodeURIComponent(s.name)}` }, s.name) },
          { key: 'direction', label: 'Direction', cell: (s) => s.direction },
          { key: 'metric', label: 'Metric', cell: (s) => s.metric },
          { key: 'complete', label: 'Complete', numeric: true, cell: (s) => count(s, 'COMPLETE') },
          { key: 'running', label: 'Running', numeric: true, cell: (s) => count(s, 'RUNNING') },
          { key: 'pruned', label: 'Pruned', numeric: true, cell: (s) => count(s, 'PRUNED') },
          { key: 'fail', label: 'Failed', numeric: true, cell: (s) => count(s, 'FAIL') },
          { key: 'best', label: 'Best', numeric: true, cell: (s) => fmtNumber(s.bestValue) },
          { key: 'activity', label: 'Last activity', cell: (s) => fmtTime(s.lastActivity) },
        ],
      })));
  }
}
