import type { Locator } from 'playwright-core';

const TIMEOUT_MS = 15_000;

/**
 * The few retrying assertions the e2e tests need (playwright-core has no `expect`; @playwright/test would bring
 * its own runner and browser downloads).
 */
export function expect(locator: Locator) {
  return {
    async toBeVisible(): Promise<void> {
      await locator.first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    },
    async toContainText(expected: RegExp | string): Promise<void> {
      const deadline = Date.now() + TIMEOUT_MS;
      let last = '';
      while (Date.now() < deadline) {
        last = (await locator.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
        if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`Expected ${locator.toString()} to contain ${String(expected)}; it showed:\n${last.slice(0, 2000)}`);
    },
  };
}

/** Retries a read until it returns the wanted value (for what has no text: styles, attributes). */
export async function eventuallyEquals<T>(read: () => Promise<T>, wanted: T, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (last === wanted) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Expected ${what} to be ${String(wanted)}; it was ${String(last)}`);
}
