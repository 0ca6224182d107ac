import type { Locator } from 'playwright-core';
import { until } from '../helpers/until';

const TIMEOUT_MS = 15_000;

/**
 * The few retrying assertions the e2e tests need (playwright-core has no `expect`; @playwright/test would bring
 * its own runner and browser downloads).
 */
export function expect(locator: Locator) {
  return {
    /** `timeoutMs` longer than the usual 15 s only for what a fresh window does first (activation, a first webview). */
    async toBeVisible(timeoutMs = TIMEOUT_MS): Promise<void> {
      await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
    },
    async toContainText(expected: RegExp | string): Promise<void> {
      let last = '';
      const contains = async (): Promise<boolean> => {
        last = (await locator.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
        return typeof expected === 'string' ? last.includes(expected) : expected.test(last);
      };
      await until(String(expected), contains, { timeoutMs: TIMEOUT_MS, intervalMs: 200 }).catch(() => {
        throw new Error(`Expected ${locator.toString()} to contain ${String(expected)}; it showed:\n${last.slice(0, 2000)}`);
      });
    },
  };
}

/** Retries a read until it returns the wanted value (for what has no text: styles, attributes). */
export async function eventuallyEquals<T>(read: () => Promise<T>, wanted: T, what: string): Promise<void> {
  let last: T | undefined;
  await until(what, async () => (last = await read()) === wanted, { timeoutMs: TIMEOUT_MS, intervalMs: 200 }).catch(() => {
    throw new Error(`Expected ${what} to be ${String(wanted)}; it was ${String(last)}`);
  });
}
