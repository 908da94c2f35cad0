// The PostgreSQL store's errors name the study and trial number users know, never the trials'
// database ids (which no command, page or API shows).
import { describe, expect, it } from 'vitest';
import type { NewStudy } from '../../src/tracking/store.js';
import { TrialLabels } from '../../src/tracking/postgres/trial-labels.js';
import { NotFoundError } from '../../src/errors.js';
import { ScratchPgStore, pgAvailable, queryStorage, pgUri } from '../helpers/pg.js';

const available = await pgAvailable();

const STUDY: NewStudy = {
  name: 'lab', directions: ['minimize'], metric: 'loss', space: '{}', sampler: { name: 'random' }, seed: 1,
};

describe.runIf(available)('PgStore errors about trials', () => {
  it('name the study and the trial number, not the database ids', async () => {
    const store = new ScratchPgStore();
    try {
      const study = await store.createStudy(STUDY);
      // Trials of other studies first, so that the database ids differ from the numbers.
      const other = await store.createStudy({ ...STUDY, name: 'other' });
      for (let i = 0; i < 3; i++) await store.createTrial(other.studyId, {});
      const trial = await store.createTrial(study.studyId, { params: [{ name: 'x', value: 1, label: '1', distribution: { kind: 'uniform', low: 0, high: 2 } }] });
      expect(trial.trialId).not.toBe(trial.number);
      const ids = new RegExp(`\\b(trial|study) (${trial.trialId}|${study.studyId})\\b`);

      // a param that cannot change
      const changed = await store.setTrialParams(trial.trialId, [{ name: 'x', value: 2, label: '2', distribution: { kind: 'uniform', low: 0, high: 2 } }]).catch((e: Error) => e);
      expect(changed).toMatchObject({ code: 'E_IMMUTABLE', message: expect.stringMatching(/^study "lab" trial #0: param "x"/) });
      // text PostgreSQL cannot hold, in a progress report
      const nul = await store.recordTrialProgress(trial.trialId, { tags: { note: 'a\u0000b' } }).catch((e: Error) => e);
      expect(nul).toMatchObject({ code: 'E_CONFIG', message: expect.stringMatching(/^record progress of study "lab" trial #0: PostgreSQL cannot store/) });
      expect((nul as Error).message).not.toMatch(ids);
      // a COMPLETE finish without a finite value
      const bad = await store.finishTrial(trial.trialId, { state: 'COMPLETE', value: Number.NaN }).catch((e: Error) => e);
      expect(bad).toMatchObject({ code: 'E_INVALID_TRANSITION', message: expect.stringMatching(/^study "lab": trial #0 cannot be COMPLETE/) });

      // the trial gone from the database (a crash rolled back its creation)
      await queryStorage(pgUri(store.schema), `DELETE FROM trials WHERE trial_id = ${trial.trialId}`);
      for (const call of [
        () => store.recordTrialProgress(trial.trialId, { intermediate: [{ step: 1, value: 1, timestamp: 1 }] }),
        () => store.setTrialParams(trial.trialId, []),
        () => store.finishTrial(trial.trialId, { state: 'FAIL' }),
        () => store.heartbeat([trial.trialId], 1),
      ]) {
        const gone = await call().catch((e: Error) => e);
        expect(gone).toMatchObject({ code: 'E_NOT_FOUND', message: 'study "lab" trial #0 does not exist' });
      }
    } finally {
      await store.close();
    }
  });

  it('name a study by its name when it is unknown to the database but known here, else say the id is a database id', async () => {
    const store = new ScratchPgStore();
    try {
      const study = await store.createStudy(STUDY);
      await queryStorage(pgUri(store.schema), `UPDATE studies SET study_id = study_id + 1000 WHERE study_id = ${study.studyId}`);
      await expect(store.createTrial(study.studyId, {})).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'study "lab" does not exist' });
      await expect(store.getTrials(study.studyId)).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'study "lab" does not exist' });
      await expect(store.claimWaitingTrial(study.studyId + 5000, 'w')).rejects.toMatchObject({
        message: `study with database id ${study.studyId + 5000} does not exist`,
      });
    } finally {
      await store.close();
    }
  });
});

describe('TrialLabels', () => {
  it('forgets the oldest trial past its bound, and leaves errors that are not about ids alone', () => {
    const labels = new TrialLabels(2);
    labels.rememberStudy({ studyId: 1, name: 's' });
    for (const trialId of [10, 11, 12]) labels.rememberTrial({ trialId, studyId: 1, number: trialId - 10 });
    expect([labels.trial(10), labels.trial(11), labels.trial(12)]).toEqual(['trial with database id 10', 'study "s" trial #1', 'study "s" trial #2']);
    const plain = new NotFoundError('run abc does not exist');
    expect(labels.relabel(plain, { trialId: 11 })).toBe(plain);
    expect(plain.message).toBe('run abc does not exist');
    const plainError = new Error('trial 11 does not exist');
    expect((labels.relabel(plainError, { trialId: 11 }) as Error).message).toBe('trial 11 does not exist');
  });
});
