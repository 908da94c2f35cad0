// The home page: experiments with their studies (direction, metric, trial counts by state, best
// value, last activity). Route: GET /api/ui/studies.
import type { TrackingStore } from '../tracking/store.js';
import { finite, type JsonObject } from './json.js';
import { studyMetrics } from '../tracking/store-rules.js';

/**
 * Every active experiment (by id) with the studies it holds, from `store.listStudies()`.
 * Studies are newest first within an experiment. Route: `GET /api/ui/studies`.
 */
export async function studiesList(store: TrackingStore): Promise<JsonObject> {
  const [experiments, summaries] = await Promise.all([store.listExperiments(), store.listStudies()]);
  const byExperiment = new Map<string, JsonObject[]>();
  for (const s of summaries) {
    const { study } = s;
    const list = byExperiment.get(study.experimentId) ?? [];
    byExperiment.set(study.experimentId, list);
    const total = Object.values(s.counts).reduce((a, b) => a + b, 0);
    list.push({
      name: study.name,
      experimentId: study.experimentId,
      parentRunId: study.parentRunId,
      // Several objectives: every direction and metric, comma-separated.
      direction: study.directions.join(', ') || 'minimize',
      metric: studyMetrics(study).join(', '),
      sampler: study.sampler.name,
      counts: { ...s.counts },
      total,
      bestValue: finite(s.bestValue),
      lastActivity: s.lastActivity ?? study.createdTime,
      createdTime: study.createdTime,
    });
  }
  const out: JsonObject[] = [];
  for (const e of experiments) {
    if (e.lifecycleStage !== 'active') continue;
    const studies = (byExperiment.get(e.experimentId) ?? []).sort((a, b) => (b['createdTime'] as number) - (a['createdTime'] as number));
    const lastActivity = Math.max(e.lastUpdateTime, ...studies.map((s) => s['lastActivity'] as number));
    out.push({ experimentId: e.experimentId, name: e.name, creationTime: e.creationTime, lastActivity, studies });
  }
  return { experiments: out };
}
