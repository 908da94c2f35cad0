// Numeric `--name value` flags of the benchmark scripts.

/** The number after `--name` on the command line, or `fallback`. */
export function numberFlag(name: string, fallback: number, argv: readonly string[] = process.argv.slice(2)): number {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number, got ${String(argv[i + 1])}`);
  return value;
}
