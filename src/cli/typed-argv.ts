// Option values as the user typed them. cac (through mri) turns every value that looks like a number
// into one, so `--study 007` would name the study "7", `--study 1e3` "1000" and `--study ''` "0", and it
// reads `--jobs -1` as an unknown option `-1`. main.ts gives the commands the typed strings instead;
// each flag's own parser (flags.ts) then checks them and names the flag.

/** Whether the option typed as `--name` takes a value (`name` as typed, without the dashes). */
export type TakesValue = (name: string) => boolean;

/** `--name -1` as `--name=-1` when `--name` takes a value, so a negative number reaches the flag's check. */
export function joinNegativeValues(argv: readonly string[], takesValue: TakesValue): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    const name = optionName(arg);
    if (name !== undefined && !arg.includes('=') && takesValue(name) && next !== undefined && NEGATIVE.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/**
 * The typed values of the options that take one, keyed by cac's camelCase name, in order (several
 * when the option is repeated). The value is found where mri finds it: after `=`, else the next
 * argument unless that starts with `-`.
 */
export function typedValues(argv: readonly string[], takesValue: TakesValue): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    const name = optionName(arg);
    if (name === undefined || !takesValue(name)) continue;
    const eq = arg.indexOf('=');
    let value = eq < 0 ? '' : arg.slice(eq + 1);
    if (value === '') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) continue;
      value = next;
      i++;
    }
    const key = camelCase(name);
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  return values;
}

/** cac's name for an option typed `--max-trials`: `maxTrials`. */
export function camelCase(name: string): string {
  return name.replace(/([a-z])-([a-z])/g, (_, a: string, b: string) => a + b.toUpperCase());
}

// --- internal ---

const NEGATIVE = /^-(\d|\.\d)/;

/** `max-trials` for `--max-trials` or `--max-trials=5`; undefined for anything else. */
function optionName(arg: string): string | undefined {
  if (!arg.startsWith('--') || arg.length === 2) return undefined;
  const eq = arg.indexOf('=');
  return arg.slice(2, eq < 0 ? undefined : eq);
}
