// In-memory TrackingStore: studies and trials on top of MemoryTracking's experiments and runs.
// The reference implementation of the contract, used by tests and benchmarks and by `memory:` URIs.
import { BudgetExhaustedError, DuplicateError, NotFoundError } from '../errors.js';
import { checkParams, lastTimestamp, logBatchToRow } from './memory-runs.js';
import { MemoryTracking } from './memory-tracking.js';
import type { Metric, StudyRecord, StudySummary, TrialParamInput, TrialRecord } from './entities.js';
import type { NewStudy, NewTrial, TrackingStore, TrialFinish, TrialProgress, TrialSync } from './store.js';
import {
  TAG_BEST_TRIAL, bestPoint, TAG_ROLE, TAG_STATE, TAG_STUDY, TAG_TRIAL, checkFinish, finalStep, isBetter, mayBeBest, objectiveMetricPoints, trialRunName,
} from './store-rules.js';
import { TRIAL_STATES, runStatusOf, type TrialState } from './trial-state.js';

interface StudyRow {
  record: StudyRecord;
  seq: number;
  trials: TrialRecord[];
  claims: Set<string>;
}

/** The in-memory TrackingStore: the reference implementation of the contract (tests, `memory:`). */
export class MemoryStore extends MemoryTracking implements TrackingStore {
  readonly uri = 'memory:';
  private readonly studies = new Map<number, StudyRow>();
  private readonly trials = new Map<number, { study: StudyRow; index: number }>();
  private nextStudyId = 1;
  private nextTrialId = 1;

  // --- studies and trials ---

  async createStudy(study: NewStudy): Promise<StudyRecord> {
    if (this.findStudy(study.name)) throw new DuplicateError(`study "${study.name}" already exists`);
    const experimentName = study.experimentName ?? study.name;
    const experiment = this.findExperiment(experimentName) ?? this.createExperimentSync(experimentName, {});
    const parent = this.createRunSync({
      experimentId: experiment.experimentId,
      runName: study.name,
      tags: { ...study.tags, [TAG_STUDY]: study.name, [TAG_ROLE]: 'study' },
    });
    const record: StudyRecord = Object.freeze({
      studyId: this.nextStudyId++,
      name: study.name,
      experimentId: experiment.experimentId,
      parentRunId: parent.info.runId,
      directions: [...study.directions],
      metric: study.metric,
      ...(study.metrics !== undefined && study.metrics.length > 1 && { metrics: Object.freeze([...study.metrics]) }),
      space: study.space,
      sampler: study.sampler,
      pruner: study.pruner ?? null,
      seed: study.seed,
      createdTime: Date.now(),
    });
    this.studies.set(record.studyId, { record, seq: 0, trials: [], claims: new Set() });
    return record;
  }

  async getStudy(name: string): Promise<StudyRecord | undefined> {
    return this.findStudy(name)?.record;
  }

  async listStudies(): Promise<StudySummary[]> {
    return [...this.studies.values()].map((row) => {
      const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
      let best: number | null = null;
      let last: number | null = null;
      const direction = row.record.directions[0] ?? 'minimize';
      for (const t of row.trials) {
        counts[t.state]++;
        // Several objectives have a front, not one best value.
        if (t.state === 'COMPLETE' && t.value !== null && row.record.directions.length === 1 && isBetter(t.value, best, direction)
          && mayBeBest({ state: 'COMPLETE', value: t.value, systemAttrs: t.systemAttrs })) best = t.value;
        last = Math.max(last ?? 0, t.endTime ?? t.startTime);
      }
      return { study: row.record, counts, bestValue: best, lastActivity: last };
    });
  }

  async createTrial(studyId: number, trial: NewTrial): Promise<TrialRecord> {
    const study = this.studyRow(studyId);
    if (trial.claimKey !== undefined && study.claims.has(trial.claimKey)) {
      throw new DuplicateError(`study "${study.record.name}": claim ${trial.claimKey} is already held`);
    }
    const number = study.trials.length;
    if (trial.maxTrials !== undefined && number >= trial.maxTrials) {
      throw new BudgetExhaustedError(`study "${study.record.name}" already has ${number} trials (max ${trial.maxTrials})`);
    }
    const startTime = trial.startTime ?? Date.now();
    const state = trial.state ?? 'RUNNING';
    const run = this.createRunSync({
      experimentId: study.record.experimentId,
      runName: trialRunName(study.record.name, number),
      startTime,
      parentRunId: study.record.parentRunId,
      tags: { [TAG_STUDY]: study.record.name, [TAG_TRIAL]: String(number), [TAG_ROLE]: 'trial' },
    });
    if (state === 'WAITING') run.info = { ...run.info, status: 'SCHEDULED' };
    if (trial.claimKey !== undefined) study.claims.add(trial.claimKey);
    const record: TrialRecord = freezeTrial({
      trialId: this.nextTrialId++,
      studyId,
      number,
      runId: run.info.runId,
      state,
      value: null,
      params: {},
      distributions: {},
      intermediate: {},
      systemAttrs: { ...trial.systemAttrs, ...(trial.claimKey !== undefined && { claimKey: trial.claimKey }) },
      startTime,
      endTime: null,
      heartbeat: startTime,
      workerId: trial.workerId ?? null,
      seq: ++study.seq,
    });
    this.trials.set(record.trialId, { study, index: study.trials.length });
    study.trials.push(record);
    if (trial.params === undefined || trial.params.length === 0) return record;
    if (trial.expectedNumber !== undefined && trial.expectedNumber !== number) return record;
    return this.writeParams(study, record, trial.params);
  }

  async claimWaitingTrial(studyId: number, workerId: string): Promise<TrialRecord | undefined> {
    const study = this.studyRow(studyId);
    const waiting = study.trials.find((t) => t.state === 'WAITING');
    if (!waiting) return undefined;
    const now = Date.now();
    const run = this.runs.get(waiting.runId);
    if (run) run.info = { ...run.info, status: 'RUNNING', startTime: now };
    return this.replaceTrial(study, { ...waiting, state: 'RUNNING', workerId, startTime: now, heartbeat: now, seq: ++study.seq });
  }

  async setTrialParams(trialId: number, params: readonly TrialParamInput[]): Promise<void> {
    const { study, trial } = this.trialRow(trialId);
    this.writeParams(study, trial, params);
  }

  private writeParams(study: StudyRow, trial: TrialRecord, params: readonly TrialParamInput[]): TrialRecord {
    const run = this.runRow(trial.runId);
    const labels: Record<string, string> = {};
    for (const p of params) labels[p.name] = p.label;
    checkParams(run, labels);
    const next = { ...trial.params };
    const dists = { ...trial.distributions };
    for (const p of params) {
      next[p.name] = p.value;
      dists[p.name] = p.distribution;
    }
    logBatchToRow(run, { params: labels });
    return this.replaceTrial(study, { ...trial, params: next, distributions: dists, seq: ++study.seq });
  }

  async recordTrialProgress(trialId: number, progress: TrialProgress): Promise<void> {
    const { study, trial } = this.trialRow(trialId);
    this.writeProgress(study, trial, progress);
  }

  private writeProgress(study: StudyRow, trial: TrialRecord, progress: TrialProgress): TrialRecord {
    const run = this.runRow(trial.runId);
    const intermediate = { ...trial.intermediate };
    const metrics: Metric[] = [...(progress.metrics ?? [])];
    for (const point of progress.intermediate ?? []) {
      intermediate[point.step] = point.value;
      metrics.push({ key: study.record.metric, ...point });
    }
    logBatchToRow(run, { metrics, tags: progress.tags ?? {} });
    return this.replaceTrial(study, {
      ...trial,
      intermediate,
      heartbeat: progress.heartbeat ?? trial.heartbeat,
      seq: ++study.seq,
    });
  }

  async finishTrial(trialId: number, finish: TrialFinish): Promise<boolean> {
    const found = this.trialRow(trialId);
    const study = found.study;
    let trial = found.trial;
    checkFinish(finish, trial.number, study.record);
    if (trial.state !== 'RUNNING' && trial.state !== 'WAITING') return false;
    if (finish.onlyIfHeartbeatBefore !== undefined && (trial.heartbeat ?? 0) >= finish.onlyIfHeartbeatBefore) return false;
    if (finish.params !== undefined && finish.params.length > 0) trial = this.writeParams(study, trial, finish.params);
    if (finish.intermediate !== undefined && finish.intermediate.length > 0) trial = this.writeProgress(study, trial, { intermediate: finish.intermediate });
    const endTime = Math.max(finish.endTime ?? Date.now(), trial.startTime);
    const run = this.runRow(trial.runId);
    const metrics: Metric[] = [
      ...(finish.metrics ?? []),
      ...objectiveMetricPoints(study.record, finish, finalStep(trial.intermediate), endTime, (key) => lastTimestamp(run, key)),
    ];
    logBatchToRow(run, { metrics, tags: { ...finish.tags, [TAG_STATE]: finish.state } });
    run.info = { ...run.info, status: runStatusOf(finish.state), endTime };
    // The parent run tracks the best value of a single objective; with several, the trial runner logs the front.
    if (mayBeBest(finish) && study.record.directions.length === 1) {
      this.updateBest(study, trial.number, finish.value, endTime);
    }
    this.replaceTrial(study, {
      ...trial,
      state: finish.state,
      value: finish.value ?? null,
      ...(finish.values !== undefined && { values: Object.freeze([...finish.values]) }),
      endTime,
      systemAttrs: { ...trial.systemAttrs, ...finish.systemAttrs },
      seq: ++study.seq,
    });
    return true;
  }

  async heartbeat(trialIds: readonly number[], at: number): Promise<void> {
    for (const id of trialIds) {
      const { study, trial } = this.trialRow(id);
      if (trial.state === 'RUNNING' || trial.state === 'WAITING') {
        study.trials[trial.number] = Object.freeze({ ...trial, heartbeat: Math.max(trial.heartbeat ?? 0, at) });
      }
    }
  }

  async getTrials(studyId: number): Promise<TrialRecord[]> {
    return [...this.studyRow(studyId).trials];
  }

  async syncTrials(studyId: number, cursor = 0): Promise<TrialSync> {
    const study = this.studyRow(studyId);
    return { trials: study.trials.filter((t) => t.seq > cursor), cursor: Math.max(cursor, study.seq) };
  }

  async close(): Promise<void> {}

  // --- internal ---

  private updateBest(study: StudyRow, trialNumber: number, value: number, timestamp: number): void {
    const parent = this.runRow(study.record.parentRunId);
    const current = parent.latest.get(study.record.metric);
    if (!isBetter(value, current?.value, study.record.directions[0] ?? 'minimize')) return;
    logBatchToRow(parent, {
      metrics: [{ key: study.record.metric, value, ...bestPoint(trialNumber, timestamp, current) }],
      tags: { [TAG_BEST_TRIAL]: String(trialNumber) },
    });
  }

  private studyRow(studyId: number): StudyRow {
    const row = this.studies.get(studyId);
    if (!row) throw new NotFoundError(`study ${studyId} does not exist`);
    return row;
  }

  private trialRow(trialId: number): { study: StudyRow; trial: TrialRecord } {
    const ref = this.trials.get(trialId);
    const trial = ref?.study.trials[ref.index];
    if (!ref || !trial) throw new NotFoundError(`trial ${trialId} does not exist`);
    return { study: ref.study, trial };
  }

  private replaceTrial(study: StudyRow, trial: TrialRecord): TrialRecord {
    const frozen = freezeTrial(trial);
    study.trials[trial.number] = frozen;
    return frozen;
  }

  private findStudy(name: string): StudyRow | undefined {
    for (const s of this.studies.values()) if (s.record.name === name) return s;
    return undefined;
  }
}

function freezeTrial(trial: TrialRecord): TrialRecord {
  return Object.freeze({
    ...trial,
    params: Object.freeze({ ...trial.params }),
    distributions: Object.freeze({ ...trial.distributions }),
    intermediate: Object.freeze({ ...trial.intermediate }),
    systemAttrs: Object.freeze({ ...trial.systemAttrs }),
  });
}
