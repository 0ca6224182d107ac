export const DAY_MS = 86_400_000;
/** The last instant whose ISO text has a four-digit year. */
const LAST_ISO_TIME = new Date('9999-12-31T23:59:59.999Z');

/** The seed's periods: today, the last 7 days (today included), this month, or any range. All in UTC. */
export type UsagePeriod = 'day' | 'week' | 'month' | { readonly from: Date | string; readonly to: Date | string };

export interface ResolvedPeriod {
  readonly from: Date;
  readonly to: Date;
}

export function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

export function startOfUtcMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function nextUtcMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}

/**
 * The window a period stands for at `now`; a custom range must be valid and forward. Named periods run to the end of
 * the current day or month, so the request just made is inside them and whole days come from the rollups.
 */
export function resolvePeriod(period: UsagePeriod, now: Date): ResolvedPeriod {
  const tomorrow = new Date(startOfUtcDay(now).getTime() + DAY_MS);
  if (period === 'day') return { from: startOfUtcDay(now), to: tomorrow };
  if (period === 'week') return { from: new Date(startOfUtcDay(now).getTime() - 6 * DAY_MS), to: tomorrow };
  if (period === 'month') return { from: startOfUtcMonth(now), to: nextUtcMonth(now) };
  const from = new Date(period.from);
  const to = new Date(period.to);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new RangeError('The usage period needs a valid start and end date.');
  if (to <= from) throw new RangeError('The usage period ends before it starts. Choose an end after the start.');
  // Records are found by comparing ISO text, and a year past 9999 is written "+010000-…", which sorts before "2026-…".
  const last = (at: Date): Date => (at > LAST_ISO_TIME ? LAST_ISO_TIME : at);
  return { from: last(from), to: last(to) };
}

/**
 * Raw rows older than the retention horizon are gone, so a range edge inside a pruned day is widened to that whole
 * day (served by the rollups). Returns the range used and whether it had to change.
 */
export function clampToRetention(range: ResolvedPeriod, horizon: Date): ResolvedPeriod & { readonly widened: boolean } {
  let { from, to } = range;
  let widened = false;
  if (from < horizon && from.getTime() % DAY_MS !== 0) {
    from = startOfUtcDay(from);
    widened = true;
  }
  if (to < horizon && to.getTime() % DAY_MS !== 0) {
    to = new Date(startOfUtcDay(to).getTime() + DAY_MS);
    widened = true;
  }
  return { from, to, widened };
}
