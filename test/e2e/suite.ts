// What the e2e suites set up alike: their emulators, configurations added before their tests, the editor opened.
import type { FrameLocator } from 'playwright-core';
import type { Emulator } from '../emulators';
import { suiteWithEmulators, type RunningEmulators } from '../helpers/suiteWithEmulators';
import { addThroughWizard, closeAllEditors, deleteThroughTree } from './chatSetup';
import { expect } from './expect';
import { workbench } from './hooks';
import { pick, typeAndExpectMessage, waitForPrompt } from './quickInput';
import type { Workbench } from './workbench';

export { suiteWithEmulators };

/** A configuration the editor's wizard adds for a suite. */
export interface WizardConfiguration {
  readonly provider: 'openai' | 'openai-compatible' | 'ollama';
  readonly name: string;
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
}

/**
 * A suite with emulators whose configurations the editor's wizard adds before its tests (the editors closed after),
 * and whose configurations are deleted through the tree after them, so the next suite starts from an empty list.
 */
export function suiteWithConfigurations<S extends Record<string, () => Promise<Emulator>>>(start: S, configurations: (emulators: RunningEmulators<S>) => readonly WizardConfiguration[]): RunningEmulators<S> {
  let names: string[] = [];
  return suiteWithEmulators(start, {
    setUp: async (emulators) => {
      const wb = workbench();
      const added = configurations(emulators);
      names = added.map((c) => c.name);
      for (const c of added) await addThroughWizard(wb, c.provider, c.name, c.baseUrl, c.model, c.apiKey);
      await closeAllEditors(wb);
    },
    tearDown: async () => {
      const wb = workbench();
      await closeAllEditors(wb);
      await deleteThroughTree(wb, names);
    },
  });
}

/** A configuration added through the palette's Add Configuration: each question is checked as it comes. */
export async function addThroughPalette(wb: Workbench, c: { readonly provider: string; readonly name: string; readonly url: string; readonly apiKey?: string; readonly model: string }): Promise<void> {
  await wb.runCommand('Model Manager: Add Configuration', { keepOpen: true });
  await pick(wb, c.provider);
  for (const [question, value] of [[/A name you will recognise/, c.name], [/The server address/, c.url], [/The API key/, c.apiKey ?? '']] as const) {
    await waitForPrompt(wb, question);
    // The question again, with no inline error: the value is accepted.
    await typeAndExpectMessage(wb, value, new RegExp(`^${question.source}`));
    await wb.page.keyboard.press('Enter');
  }
  await pick(wb, c.model);
  await wb.notification(new RegExp(`Added "${c.name}"`));
  await wb.dismissNotifications();
}

/** Room for the editor: the side bars and the panel closed (the screenshots show the webview, not the side bars). */
export async function makeRoomForEditor(wb: Workbench): Promise<void> {
  for (const title of ['View: Close Primary Side Bar', 'View: Hide Secondary Side Bar', 'View: Hide Panel']) await wb.runCommand(title, { ifOffered: true });
}

/** Opens the Model Manager editor and waits for its page. */
export async function openPanel(wb: Workbench): Promise<FrameLocator> {
  await wb.runCommand('Model Manager: Open Model Manager');
  const view = wb.webview();
  await expect(view.getByRole('heading', { name: 'Model Manager' })).toBeVisible();
  return view;
}

export function button(view: FrameLocator, text: string | RegExp) {
  return view.locator('vscode-button', { hasText: text }).first();
}

export function input(view: FrameLocator, field: string) {
  return view.locator(`#field-${field} input`);
}

/** The list's row of a configuration (the first whose text has `name`). */
export function row(view: FrameLocator, name: string) {
  return view.locator('.config-row', { hasText: name }).first();
}

/** Chooses a model of the live list (selectOption waits for the list to arrive and to hold it), saying what it held if not. */
export async function pickModel(view: FrameLocator, model: string): Promise<void> {
  await view
    .locator('select#field-model')
    .selectOption(model, { timeout: 20_000 })
    .catch(async (error: unknown) => {
      throw new Error(`No model ${model} to choose (${String(error).slice(0, 200)}); the model field showed: ${(await view.locator('[data-field="field-model"], .model-picker').allInnerTexts()).join(' | ').slice(0, 500)}`);
    });
}

/** Waits until the host's validator has cleared every field error. */
export async function noFieldErrors(view: FrameLocator): Promise<void> {
  await view.locator('.field-error').first().waitFor({ state: 'detached', timeout: 15_000 });
}

/** The wizard's last steps: the connection test passes, the configuration is saved and listed. */
export async function testAndSave(view: FrameLocator, name: string): Promise<void> {
  await view.locator('#wizard-next').click();
  await expect(view.locator('.tester-summary')).toContainText(/The connection works \(\d+ ms\)/);
  await view.locator('#wizard-save').click();
  await expect(view.locator('.notice')).toContainText(`Added "${name}".`);
  await expect(row(view, name)).toBeVisible();
}
