/** Set by `npm run test:clock` (test/host/runClock.ts) for each of its runs of the unit tier: the clock it runs on. */
export const SHIFTED_CLOCK_ENV = 'MM_SHIFTED_CLOCK';

/**
 * How many times a test repeats an action that catches a rare interleaving (a writer killed at a random moment, two
 * processes racing): `full` in `npm test`, `underShiftedClock` in the runs of `npm run test:clock`. Those runs ask
 * whether a test depends on the calendar, the time zone or a per-process clock, which a few repetitions show as well
 * as hundreds; how rare a failure may be is asked once, by `npm test`, at full count.
 */
export function repetitions(full: number, underShiftedClock: number): number {
  return process.env[SHIFTED_CLOCK_ENV] ? underShiftedClock : full;
}
