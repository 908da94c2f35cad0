// Command templates of the process executor: `python train.py --lr {lr} --depth {depth}`. A placeholder
// is `{name}` where name looks like a parameter (`{booster.1.drop}`) or is `{trial}`, `{run_id}`,
// `{study}`; any other brace (inline code, JSON) is left as it is.
import { ConfigError } from '../errors.js';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_.\-/]*)\}/g;
const BUILTINS = new Set(['trial', 'run_id', 'study']);

/** Splits a command line on white space, keeping quoted parts together (no shell is involved). */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: '"' | "'" | null = null;
  let has = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || current) out.push(current);
      current = '';
      has = false;
    } else {
      current += ch;
      has = true;
    }
  }
  if (quote) throw new ConfigError(`--command: unclosed ${quote} quote in ${JSON.stringify(line)}`);
  if (has || current) out.push(current);
  if (out.length === 0) throw new ConfigError('--command is empty');
  return out;
}

/** @throws ConfigError naming a placeholder that is neither a parameter of the space nor a builtin. */
export function checkTemplate(argv: readonly string[], paramNames: ReadonlySet<string> | undefined): void {
  for (const arg of argv) {
    for (const match of arg.matchAll(PLACEHOLDER)) {
      const name = match[1];
      if (name === undefined || BUILTINS.has(name)) continue;
      if (paramNames !== undefined && !paramNames.has(name)) {
        throw new ConfigError(`command placeholder {${name}} is not a parameter of the space`, {
          hint: `parameters: ${[...paramNames].join(', ') || '(none)'}; builtins: {trial}, {run_id}, {study}`,
        });
      }
    }
  }
}

/** Fills the placeholders; a parameter inactive in this trial (another branch) becomes ''. */
export function fillTemplate(argv: readonly string[], values: Readonly<Record<string, string>>): string[] {
  return argv.map((arg) =>
    arg.replace(PLACEHOLDER, (_whole, name: string) => values[name] ?? ''),
  );
}
