// Scratch memory for one sampling call: zeroed typed-array views carved out of buffers that are reused
// from call to call, so fitting estimators over thousands of trials allocates (almost) nothing.

export class Arena {
  private f64 = new Float64Array(1 << 15);
  private i32 = new Int32Array(1 << 14);
  private u8 = new Uint8Array(1 << 14);
  private usedF64 = 0;
  private usedI32 = 0;
  private usedU8 = 0;

  /** Forgets every view handed out; call only when none is in use any more. */
  reset(): void {
    this.usedF64 = 0;
    this.usedI32 = 0;
    this.usedU8 = 0;
  }

  /** n doubles, zeroed unless `dirty` (for arrays the caller overwrites in full). */
  float(n: number, dirty = false): Float64Array {
    if (this.usedF64 + n > this.f64.length) {
      this.f64 = new Float64Array(Math.max(n, this.f64.length * 2));
      this.usedF64 = 0;
    }
    const view = this.f64.subarray(this.usedF64, this.usedF64 + n);
    this.usedF64 += n;
    return dirty ? view : view.fill(0);
  }

  int(n: number, dirty = false): Int32Array {
    if (this.usedI32 + n > this.i32.length) {
      this.i32 = new Int32Array(Math.max(n, this.i32.length * 2));
      this.usedI32 = 0;
    }
    const view = this.i32.subarray(this.usedI32, this.usedI32 + n);
    this.usedI32 += n;
    return dirty ? view : view.fill(0);
  }

  byte(n: number): Uint8Array {
    if (this.usedU8 + n > this.u8.length) {
      this.u8 = new Uint8Array(Math.max(n, this.u8.length * 2));
      this.usedU8 = 0;
    }
    const view = this.u8.subarray(this.usedU8, this.usedU8 + n);
    this.usedU8 += n;
    return view.fill(0);
  }
}

/** The arena shared by sampling calls (they are synchronous, so never overlap). */
export const arena = new Arena();
