// The UI's extent(): min and max of more values than a call takes arguments (a study of 200,000 trials).
import { describe, expect, it } from 'vitest';
import { extent } from '../../ui/src/extent.js';

describe('extent', () => {
  it('takes 200,000 values, where Math.min(...values) overflows the stack', () => {
    const values = Float64Array.from({ length: 200_000 }, (_, i) => Math.sin(i) * i);
    expect(() => Math.min(...values)).toThrow(RangeError);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(extent(values)).toEqual([lo, hi]);
  });

  it('is undefined for no values', () => {
    expect(extent([])).toBeUndefined();
  });
});
