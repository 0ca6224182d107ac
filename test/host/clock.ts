/**
 * Where the extension's session clock starts in the integration and end-to-end tiers (MM_TEST_CLOCK_START): noon
 * UTC mid-month, hours from any day, month or year boundary, so no test there depends on today's date.
 */
export const TEST_CLOCK_START = '2026-06-15T12:00:00.000Z';
