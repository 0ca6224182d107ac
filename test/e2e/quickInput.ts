import { expect } from './expect';
import type { Workbench } from './workbench';

/** Waits until the open input box is the one asking this (the widget is reused from step to step). */
export async function waitForPrompt(wb: Workbench, prompt: RegExp): Promise<void> {
  await expect(wb.page.locator('.quick-input-widget .quick-input-message')).toContainText(prompt);
}

/**
 * Types into the open input box and checks what its message line says: the inline error for a bad value, or the
 * prompt again (no error) for a good one.
 */
export async function typeAndExpectMessage(wb: Workbench, value: string, message: RegExp): Promise<void> {
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(value);
  await expect(wb.page.locator('.quick-input-widget .quick-input-message')).toContainText(message);
}

/** Picks the first item of the open quick pick whose text has `label`. */
export async function pick(wb: Workbench, label: string): Promise<void> {
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  // The list must be open first: text typed while the previous box closes (or the list loads) is reset when it opens.
  await wb.page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
  await input.fill(label);
  await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor();
  await input.press('Enter');
}
