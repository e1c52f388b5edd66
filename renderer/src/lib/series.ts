/**
 * Growable typed-array series of (x, y) points, kept outside Svelte's reactivity: charts read them when
 * they redraw, and a change costs one listener call, not a deep proxy update.
 */
export class Series {
  private xs = new Float64Array(1024);
  private ys = new Float64Array(1024);
  length = 0;

  push(x: number, y: number): void {
    if (this.length === this.xs.length) {
      const xs = new Float64Array(this.xs.length * 2);
      const ys = new Float64Array(this.ys.length * 2);
      xs.set(this.xs);
      ys.set(this.ys);
      this.xs = xs;
      this.ys = ys;
    }
    this.xs[this.length] = x;
    this.ys[this.length] = y;
    this.length++;
  }

  /** Drops points at or after x (a resumed run replays the steps after its checkpoint). */
  truncateFrom(x: number): void {
    while (this.length > 0 && this.xs[this.length - 1]! >= x) this.length--;
  }

  clear(): void {
    this.length = 0;
  }

  x(i: number): number {
    return this.xs[i]!;
  }

  y(i: number): number {
    return this.ys[i]!;
  }

  get lastX(): number {
    return this.length > 0 ? this.xs[this.length - 1]! : Number.NaN;
  }

  /**
   * At most about 2 × buckets points that keep the shape: the first and last point, and each bucket's
   * minimum and maximum in x order. Points with a y that is not finite (or not positive, for a log axis) are left out.
   */
  decimate(buckets: number, positiveOnly = false, out: { x: number; y: number }[] = []): { x: number; y: number }[] {
    out.length = 0;
    const n = this.length;
    if (n === 0) return out;
    const keep = (y: number) => Number.isFinite(y) && (!positiveOnly || y > 0);
    if (n <= buckets * 2) {
      for (let i = 0; i < n; i++) if (keep(this.ys[i]!)) out.push({ x: this.xs[i]!, y: this.ys[i]! });
      return out;
    }
    const x0 = this.xs[0]!;
    const span = this.xs[n - 1]! - x0 || 1;
    let i = 0;
    for (let b = 0; b < buckets && i < n; b++) {
      const end = x0 + (span * (b + 1)) / buckets;
      let min = -1;
      let max = -1;
      for (; i < n && (this.xs[i]! <= end || b === buckets - 1); i++) {
        const y = this.ys[i]!;
        if (!keep(y)) continue;
        if (min < 0 || y < this.ys[min]!) min = i;
        if (max < 0 || y > this.ys[max]!) max = i;
      }
      if (min < 0) continue;
      const [first, second] = min <= max ? [min, max] : [max, min];
      out.push({ x: this.xs[first]!, y: this.ys[first]! });
      if (second !== first) out.push({ x: this.xs[second]!, y: this.ys[second]! });
    }
    return out;
  }
}

/** A group of series that tells its watchers when any of them changed. */
export class SeriesSet<K extends string> {
  readonly series: Record<K, Series>;
  private readonly listeners = new Set<() => void>();
  /** Bumped on every change, so a chart can tell whether it is up to date. */
  version = 0;

  constructor(keys: readonly K[]) {
    this.series = Object.fromEntries(keys.map((k) => [k, new Series()])) as Record<K, Series>;
  }

  get(key: K): Series {
    return this.series[key];
  }

  changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  clear(): void {
    for (const s of Object.values<Series>(this.series)) s.clear();
    this.changed();
  }

  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
