// checkSwitchesAndArguments: what cac would take silently.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { checkSwitchesAndArguments, type CommandShape } from '../../src/cli/switches.js';

const run: CommandShape = { name: 'run', switches: new Set(['reproducible', 'help', 'accessLog']), maxArgs: 1 };
const check = (argv: string[], args: unknown[], command = run): (() => void) => () => checkSwitchesAndArguments(argv, command, args);

describe('checkSwitchesAndArguments', () => {
  it.each([
    [['run', 's.ts', '--reproducible=yes'], '--reproducible takes no value, got --reproducible=yes'],
    [['run', 's.ts', '--no-access-log=1'], '--no-access-log takes no value, got --no-access-log=1'],
    [['run', 's.ts', '--access-log=off'], '--access-log takes no value, got --access-log=off'],
  ])('refuses %j', (argv, message) => {
    expect(check(argv, ['s.ts'])).toThrow(ConfigError);
    expect(check(argv, ['s.ts'])).toThrow(message);
  });

  it('takes a switch alone, =true, =false, valued options and what follows --', () => {
    expect(check(['run', 's.ts', '--reproducible', '--reproducible=true', '--reproducible=false', '--study=x', '--', '--reproducible=yes'], ['s.ts'])).not.toThrow();
  });

  it('refuses an argument beyond those the command takes, naming the switch it follows', () => {
    expect(check(['run', 's.ts', '--reproducible', 'no'], ['s.ts', 'no'])).toThrow('sweep run: unexpected argument "no"');
    try {
      check(['run', 's.ts', '--reproducible', 'no'], ['s.ts', 'no'])();
    } catch (error) {
      expect((error as ConfigError).hint).toMatch(/^--reproducible takes no value/);
    }
    expect(check(['runs', 'get', 'a', 'b'], ['get', 'a', 'b'], { name: 'runs', switches: new Set(), maxArgs: undefined })).not.toThrow();
  });
});
