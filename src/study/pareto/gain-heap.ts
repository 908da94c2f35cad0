// A binary heap of candidate indices for the lazy greedy hypervolume selection, ordered by the gain bound
// (descending), then index (ascending): the strict total order the selection's candidate list is kept in.

export class GainHeap {
  private readonly items: Int32Array;
  private count = 0;

  /** Every index 0..bound.length-1, ordered by `bound` (read live: change an entry only while it is out). */
  constructor(private readonly bound: Float64Array) {
    const n = bound.length;
    this.items = new Int32Array(n);
    for (let i = 0; i < n; i++) this.items[i] = i;
    this.count = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.count;
  }

  /** The first index in order (the heap must not be empty). */
  peek(): number {
    return this.items[0] as number;
  }

  pop(): number {
    const top = this.items[0] as number;
    this.count--;
    if (this.count > 0) {
      this.items[0] = this.items[this.count] as number;
      this.down(0);
    }
    return top;
  }

  push(i: number): void {
    let at = this.count++;
    this.items[at] = i;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const p = this.items[parent] as number;
      if (!this.before(i, p)) break;
      this.items[at] = p;
      at = parent;
    }
    this.items[at] = i;
  }

  // --- internal ---

  private before(i: number, j: number): boolean {
    const bi = this.bound[i] as number;
    const bj = this.bound[j] as number;
    return bi > bj || (bi === bj && i < j);
  }

  private down(at: number): void {
    const { items, count } = this;
    const i = items[at] as number;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= count) break;
      if (child + 1 < count && this.before(items[child + 1] as number, items[child] as number)) child++;
      const c = items[child] as number;
      if (!this.before(c, i)) break;
      items[at] = c;
      at = child;
    }
    items[at] = i;
  }
}
