// MLflow's key and value rules as tables: what passes, what fails and with which message.
import { describe, expect, it } from 'vitest';
import { validateBatch, validateExperimentName, validateKey, validateMetric, validateRunId } from '../../src/server/validation.js';

describe('validation', () => {
  it.each(['loss', 'val/loss', 'a.b-c d:e', 'Genauigkeit_ä', 'x'.repeat(250)])('accepts the key %j', (key) => {
    expect(() => validateKey('metric', key)).not.toThrow();
  });

  it.each([
    ['', /must not resolve to other names/],
    ['a//b', /must not resolve/],
    ['./a', /must not resolve/],
    ['a/', /must not resolve/],
    ['a/../b', /must not resolve/],
    ['/abs', /must not resolve/],
    ['..x', /must not resolve/],
    ['a*b', /Names may only contain/],
    ['a\\b', /Names may only contain/],
    ['x'.repeat(251), /maximum length of 250/],
  ])('refuses the key %j', (key, message) => {
    expect(() => validateKey('param', key)).toThrow(message);
  });

  it.each([
    [{ key: 'm', value: Number.NaN, timestamp: 0, step: 0 }, undefined],
    [{ key: 'm', value: Number.POSITIVE_INFINITY, timestamp: 0, step: -3 }, undefined],
    [{ key: 'm', value: 1, timestamp: -1, step: 0 }, /timestamp/],
    [{ key: 'm', value: 1, timestamp: 1.5, step: 0 }, /timestamp/],
    [{ key: 'm', value: 1, timestamp: 1, step: 0.5 }, /step/],
  ])('checks the metric %j', (metric, message) => {
    if (message === undefined) expect(() => validateMetric(metric)).not.toThrow();
    else expect(() => validateMetric(metric)).toThrow(message);
  });

  it('refuses empty and over-long experiment names and malformed run ids, as ConfigError', () => {
    expect(() => validateExperimentName(' ')).toThrow(expect.objectContaining({ code: 'E_CONFIG' }));
    expect(() => validateExperimentName('x'.repeat(501))).toThrow(/500/);
    expect(() => validateRunId('-abc')).toThrow(/run_id/);
    expect(() => validateRunId('0f1e2d')).not.toThrow();
  });

  it('allows a param key twice in a batch with the same value only', () => {
    const base = { metrics: [], tags: [] };
    expect(() => validateBatch({ ...base, params: [{ key: 'a', value: '1' }, { key: 'a', value: '1' }] })).not.toThrow();
    expect(() => validateBatch({ ...base, params: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] })).toThrow(/Duplicate parameter keys have been submitted: \["a"\]/);
  });
});
