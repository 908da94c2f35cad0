// Tokens of MLflow's search grammar, read lazily so the parser reports the first problem in reading
// order. Quoted text is kept verbatim between its outer quotes, as MLflow does (no unescaping).
import { ConfigError } from '../../errors.js';

export type Token =
  | { readonly type: 'word'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly type: 'string'; readonly quote: '\'' | '"' | '`'; readonly value: string; readonly text: string; readonly start: number; readonly end: number }
  | { readonly type: 'number'; readonly value: number; readonly text: string; readonly start: number; readonly end: number }
  | { readonly type: 'op'; readonly text: '=' | '!=' | '<' | '<=' | '>' | '>=' | '<>' | '=='; readonly start: number; readonly end: number }
  | { readonly type: 'punct'; readonly text: '(' | ')' | ',' | '.'; readonly start: number; readonly end: number }
  /** A character no rule accepts (';', '-' before a letter, '+', ...); the parser says what it expected. */
  | { readonly type: 'other'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly type: 'eof'; readonly text: ''; readonly start: number; readonly end: number };

/** Reads tokens on demand. `label` starts every message ('filter', 'order_by'). */
export class Lexer {
  private pos = 0;
  private lookahead: Token | undefined;

  constructor(readonly input: string, readonly label: string) {}

  /** The next token, not consumed. @throws ConfigError for an unterminated quote */
  peek(): Token {
    this.lookahead ??= this.read();
    return this.lookahead;
  }

  /** The next token, consumed. @throws ConfigError for an unterminated quote */
  next(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  /** Throws a ConfigError `<label>: <message> at column N` (1-based). */
  fail(message: string, at: number, hint?: string): never {
    throw syntaxError(this.label, message, at, this.input, hint);
  }

  // --- internal ---

  private read(): Token {
    const s = this.input;
    WHITESPACE.lastIndex = this.pos;
    if (WHITESPACE.test(s)) this.pos = WHITESPACE.lastIndex;
    const start = this.pos;
    if (start >= s.length) return { type: 'eof', text: '', start, end: start };
    const c = s[start] as string;
    const take = (re: RegExp): string | undefined => {
      re.lastIndex = start;
      const m = re.exec(s);
      if (!m) return undefined;
      this.pos = re.lastIndex;
      return m[0];
    };
    if (c === '\'' || c === '"' || c === '`') {
      const text = take(QUOTED[c]);
      if (text === undefined) this.fail(`unterminated ${c === '`' ? 'quoted key' : 'string'} starting`, start, `close it with ${c}`);
      return { type: 'string', quote: c, value: text.slice(1, -1), text, start, end: this.pos };
    }
    const number = take(NUMBER);
    if (number !== undefined) return { type: 'number', value: Number(number), text: number, start, end: this.pos };
    const word = take(WORD);
    if (word !== undefined) return { type: 'word', text: word, start, end: this.pos };
    const op = take(OPERATOR);
    if (op !== undefined) return { type: 'op', text: op as '=', start, end: this.pos };
    this.pos = start + 1;
    if (c === '(' || c === ')' || c === ',' || c === '.') return { type: 'punct', text: c, start, end: this.pos };
    const char = String.fromCodePoint(s.codePointAt(start) as number);
    this.pos = start + char.length;
    return { type: 'other', text: char, start, end: this.pos };
  }
}

/** @internal A ConfigError carrying the column (1-based) and the input in `details`. */
export function syntaxError(label: string, message: string, at: number, input: string, hint?: string): ConfigError {
  const column = at + 1;
  return new ConfigError(`${label}: ${message} at column ${column}`, {
    ...(hint !== undefined && { hint }),
    details: { column, input },
  });
}

/** How a token reads in a message: `'abc'` (as written), `0.5`, `AND`, `'-'`, or "the end of the input". */
export function describeToken(token: Token): string {
  if (token.type === 'eof') return 'the end of the input';
  return token.type === 'op' || token.type === 'punct' || token.type === 'other' ? `'${token.text}'` : token.text;
}

// --- internal ---

const WHITESPACE = /\s+/y;
// A quote ends the text unless doubled or preceded by a backslash (SQL's lexing, as MLflow's).
const QUOTED = {
  '\'': /'(?:''|\\'|[^'])*'/y,
  '"': /"(?:""|\\"|[^"])*"/y,
  '`': /`(?:``|[^`])*`/y,
} as const;
// No leading '+'; '1.' is not a number (MLflow's grammar). The exponent may carry a sign.
const NUMBER = /-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
// Dots need no quoting: `metrics.val.loss` and `tags.mlflow.runName` are one word.
const WORD = /[\p{L}_][\p{L}\p{N}_.]*/uy;
const OPERATOR = /!=|<=|<>|<|>=|>|==|=/y;
