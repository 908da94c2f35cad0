// LIKE patterns (`%` any run of characters, `_` exactly one; no escape character, as in MLflow),
// translated for SQLite's GLOB and for JavaScript, so both backends match the same strings.

/** A GLOB pattern matching what LIKE `pattern` matches, case-sensitively. */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '[') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

/**
 * A RegExp for LIKE (case-sensitive) or ILIKE. ILIKE folds ASCII letters only, as SQLite's LIKE
 * does; every other character, and every regex metacharacter, matches itself.
 */
export function likeToRegExp(pattern: string, isCaseInsensitive: boolean): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else if (isCaseInsensitive && /[A-Za-z]/.test(ch)) source += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    else source += ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}
