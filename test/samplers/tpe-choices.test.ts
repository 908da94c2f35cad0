// TPE picks the same points as when tpe-choices.json was recorded (before the sampler's speed work of
// issues 14 and 15): same seeds, identical suggestions, for one and several objectives, every profile.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHOICE_CASES, recordCase, type ChoiceRecord } from './fixtures/tpe-choice-cases.js';

const recorded = JSON.parse(readFileSync(new URL('./fixtures/tpe-choices.json', import.meta.url), 'utf8')) as ChoiceRecord[];

describe('TPE suggestions against recorded runs', () => {
  it('has a record for every case', () => {
    expect(recorded.map((r) => r.name)).toEqual(CHOICE_CASES.map((c) => c.name));
  });

  it.each(CHOICE_CASES.map((c) => [c.name, c] as const))('suggests exactly the recorded points (%s)', async (name, c) => {
    const want = recorded.find((r) => r.name === name) as ChoiceRecord;
    const got = await recordCase(c);
    // The sampled trials first, so a difference shows where it starts; then the hash of every trial.
    expect(got.samples).toEqual(want.samples);
    expect(got.sha256).toBe(want.sha256);
  }, 60_000);
});
