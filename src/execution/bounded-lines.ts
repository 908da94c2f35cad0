// Splitting a command's output into lines with bounded memory. A line longer than the limit keeps its
// first `maxLineBytes` bytes and is reported as cut, with its full length; the rest is counted, never
// stored, so a command printing a 600 MB line costs at most the limit plus one chunk.

export interface OutputLine {
  /** The line's bytes without its newline: all of them, or the first `maxLineBytes` when cut. */
  readonly bytes: Buffer;
  /** The line's full length in bytes. */
  readonly length: number;
  readonly cut: boolean;
}

export class BoundedLineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private length = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: OutputLine) => void,
  ) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
  }

  /** Feeds a chunk; calls onLine for each line it completes. */
  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      this.take(chunk.subarray(start, newline === -1 ? chunk.length : newline));
      if (newline === -1) return;
      this.emit();
      start = newline + 1;
    }
  }

  /** The output ended: a last line without a newline is still a line. */
  end(): void {
    if (this.length > 0) this.emit();
  }

  private take(piece: Buffer): void {
    this.length += piece.length;
    const room = this.maxLineBytes - this.kept;
    if (room <= 0 || piece.length === 0) return;
    // A copy: a kept slice must not pin the whole chunk it came from.
    const kept = Buffer.from(piece.subarray(0, room));
    this.parts.push(kept);
    this.kept += kept.length;
  }

  private emit(): void {
    const bytes = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.kept);
    const line: OutputLine = { bytes, length: this.length, cut: this.length > this.kept };
    this.parts = [];
    this.kept = 0;
    this.length = 0;
    this.onLine(line);
  }
}
