// Arguments cac (through mri) takes silently: a switch given a value (`--reproducible=no` turns it ON,
// and `no` becomes a positional argument, so `sweep trials --json=no` looked for a study named "no"),
// and positional arguments beyond those a command takes (`sweep run study.ts --reproducible no` ran
// reproducibly and dropped the `no`). Both are refused, naming what is at fault.
import { ConfigError } from '../errors.js';
import { camelCase } from './typed-argv.js';

/** What the check needs of the matched cac command. */
export interface CommandShape {
  /** As the user types it after `sweep`: `run`, `trials`. */
  readonly name: string;
  /** cac's names (camelCase, without `no-`) of the command's and the global options that take no value. */
  readonly switches: ReadonlySet<string>;
  /** The positional arguments it takes at most; undefined when the last one is variadic. */
  readonly maxArgs: number | undefined;
}

/**
 * @throws ConfigError for a switch with a value other than `true` or `false` (which mri reads as
 * written), or a positional argument the command does not take.
 */
export function checkSwitchesAndArguments(argv: readonly string[], command: CommandShape, args: readonly unknown[]): void {
  const isSwitch = (arg: string): string | undefined => {
    const name = /^--([^=]+)/.exec(arg)?.[1];
    if (name === undefined) return undefined;
    const names = [camelCase(name), ...(name.startsWith('no-') ? [camelCase(name.slice(3))] : [])];
    return names.some((n) => command.switches.has(n)) ? name : undefined;
  };
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  for (const arg of options) {
    const name = isSwitch(arg);
    const eq = arg.indexOf('=');
    if (name === undefined || eq < 0) continue;
    const value = arg.slice(eq + 1);
    if (value === 'true' || value === 'false') continue;
    throw new ConfigError(`--${name} takes no value, got ${arg}`, { hint: `give --${name} alone, or leave it out` });
  }
  if (command.maxArgs === undefined || args.length <= command.maxArgs) return;
  const extra = String(args[command.maxArgs]);
  const after = options.findIndex((arg, i) => i > 0 && arg === extra && isSwitch(options[i - 1] as string) !== undefined && !(options[i - 1] as string).includes('='));
  const switchBefore = after < 0 ? undefined : isSwitch(options[after - 1] as string);
  throw new ConfigError(`sweep ${command.name}: unexpected argument "${extra}"`, {
    hint: switchBefore !== undefined ? `--${switchBefore} takes no value: give it alone, or leave it out` : `sweep ${command.name} --help shows what it takes`,
  });
}
