// LIKE patterns (`%` any run of characters, `_` exactly one; no escape character, as in MLflow),
// translated for SQLite's GLOB and matched in JavaScript without backtracking, so both backends match
// the same strings and a hostile pattern (`%a%a%a%a%b`) costs at most text length x pattern length.

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
 * A matcher for LIKE (case-sensitive) or ILIKE. ILIKE folds ASCII letters only, as SQLite's LIKE does;
 * every other character matches itself. `_` is one code point. Work is O(text x pattern): the pattern
 * is cut at each `%`, the first piece must start the text, the last end it, and each piece between is
 * placed at its leftmost fit (a leftmost fit never loses a match a later one would find).
 */
export function compileLike(pattern: string, isCaseInsensitive: boolean): (text: string) => boolean {
  const fold = (s: string): string[] => Array.from(isCaseInsensitive ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s);
  const pieces = pattern.split('%').map(fold);
  const head = pieces[0] ?? [];
  if (pieces.length === 1) return (text) => {
    const chars = fold(text);
    return chars.length === head.length && fitsAt(head, chars, 0);
  };
  const tail = pieces[pieces.length - 1] ?? [];
  const middle = pieces.slice(1, -1).filter((p) => p.length > 0);
  return (text) => {
    const chars = fold(text);
    const end = chars.length - tail.length;
    if (end < head.length || !fitsAt(head, chars, 0) || !fitsAt(tail, chars, end)) return false;
    let at = head.length;
    for (const piece of middle) {
      const found = leftmostFit(piece, chars, at, end);
      if (found < 0) return false;
      at = found + piece.length;
    }
    return true;
  };
}

// --- internal ---

function fitsAt(piece: readonly string[], chars: readonly string[], at: number): boolean {
  for (let k = 0; k < piece.length; k++) {
    const p = piece[k];
    if (p !== '_' && p !== chars[at + k]) return false;
  }
  return true;
}

/** The first index >= from where `piece` fits wholly before `end`, or -1. */
function leftmostFit(piece: readonly string[], chars: readonly string[], from: number, end: number): number {
  for (let i = from; i + piece.length <= end; i++) if (fitsAt(piece, chars, i)) return i;
  return -1;
}
