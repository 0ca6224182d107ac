/** The last few latencies of each member, for the lowest-latency strategy; p50 of what is there. */
export class LatencyWindow {
  private readonly samples = new Map<string, number[]>();

  constructor(private readonly size = 32) {}

  add(key: string, ms: number): void {
    let list = this.samples.get(key);
    if (!list) {
      list = [];
      this.samples.set(key, list);
    }
    list.push(ms);
    if (list.length > this.size) list.shift();
  }

  /** Undefined for a member never measured: the strategy tries those first. */
  p50(key: string): number | undefined {
    const list = this.samples.get(key);
    if (!list || list.length === 0) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  }
}
