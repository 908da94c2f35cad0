// Plain-text output helpers of the CLI.
import { describe, expect, it } from 'vitest';
import { oneLine, table } from '../../src/cli/format.js';

describe('table', () => {
  it('aligns columns to the widest cell', () => {
    expect(table(['a', 'bb'], [['xxx', 'y'], ['z', '']])).toBe('a    bb\nxxx  y\nz');
  });

  it('lays out more rows than a function call takes arguments (a study of 200,000 trials)', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [String(i), 'COMPLETE']);
    expect(table(['trial', 'state'], rows).split('\n')).toHaveLength(200_001);
  });
});

describe('oneLine', () => {
  it('joins lines and cuts long text', () => {
    expect(oneLine('first\n  second\r\n\nthird')).toBe('first | second | third');
    expect(oneLine('x'.repeat(500), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
