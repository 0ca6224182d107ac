import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { startGeminiEmulator, startOllamaEmulator, type GeminiEmulator, type OllamaEmulator } from '../emulators';
import { expect } from './expect';
import { workbench } from './hooks';
import { input, noFieldErrors, pickModel, row, suiteWithEmulators, testAndSave } from './suite';

const GEMINI_KEY = 'AIzaSyE2eProvidersKey0123456789abcdefg';

async function remove(view: FrameLocator, name: string): Promise<void> {
  await view.getByRole('button', { name: `Delete "${name}"` }).click();
  await row(view, name).locator('.confirm vscode-button', { hasText: 'Delete' }).click();
  await expect(view.locator('.notice')).toContainText(`Deleted "${name}".`);
}

describe('the Model Manager panel: the welcome link, Gemini safety settings and pulling an Ollama model', () => {
  let gemini: GeminiEmulator;
  let ollama: OllamaEmulator;
  let view: FrameLocator;

  suiteWithEmulators({ gemini: () => startGeminiEmulator({ apiKey: GEMINI_KEY }), ollama: () => startOllamaEmulator() }, {
    setUp: (started) => {
      ({ gemini, ollama } = started);
      return Promise.resolve();
    },
    // The next file starts from a closed panel and an empty list.
    tearDown: () => workbench().runCommand('View: Close All Editors'),
  });

  it('opens the wizard’s first step in the editor from the welcome view’s "Add in the editor"', async () => {
    const wb = workbench();
    await wb.openView();
    const welcome = wb.page.locator('.welcome-view-content');
    await welcome.getByRole('button', { name: 'Add in the editor' }).click();
    view = wb.webview();
    await expect(view.locator('.provider-grid')).toContainText(/OpenAI[\s\S]*Gemini[\s\S]*Ollama/);
  });

  it('adds a Gemini configuration with a safety threshold, which the connection test sends to Gemini', async () => {
    const wb = workbench();
    await view.locator('button.provider-card[data-provider="gemini"][data-preset=""]').click();
    await input(view, 'name').fill('Gemini Safe');
    await input(view, 'apiKey').fill(GEMINI_KEY);
    await input(view, 'baseUrl').fill(`${gemini.url}/v1beta`);
    await pickModel(view, 'gemini-2.5-flash');
    await expect(view.locator('fieldset.safety-settings')).toContainText(/Harassment[\s\S]*Hate speech[\s\S]*Sexually explicit[\s\S]*Dangerous content[\s\S]*Civic integrity/);
    await view.locator('select#field-safety-HARM_CATEGORY_DANGEROUS_CONTENT').selectOption('BLOCK_ONLY_HIGH');
    await noFieldErrors(view);
    await wb.screenshot('webview-wizard-2-gemini-safety');
    const before = gemini.requests.length;
    await testAndSave(view, 'Gemini Safe');
    const chats = gemini.requests.slice(before).filter((r) => /:(stream)?[gG]enerateContent$/.test(r.path));
    assert.ok(chats.length > 0, 'The connection test sent no generateContent request.');
    for (const chat of chats) {
      assert.deepEqual((chat.body as Record<string, unknown>).safetySettings, [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_ONLY_HIGH' }]);
    }
  });

  it('shows the saved threshold on the edit screen and sends it when the saved configuration is tested', async () => {
    await view.getByRole('button', { name: 'Edit "Gemini Safe"' }).click();
    const select = view.locator('select#field-safety-HARM_CATEGORY_DANGEROUS_CONTENT');
    await expect(select).toBeVisible();
    assert.equal(await select.inputValue(), 'BLOCK_ONLY_HIGH');
    assert.equal(await view.locator('select#field-safety-HARM_CATEGORY_HARASSMENT').inputValue(), '');
    const before = gemini.requests.length;
    await view.locator('#edit-test').click();
    await expect(view.locator('.tester-summary')).toContainText(/The connection works/);
    const chat = gemini.requests.slice(before).find((r) => /:(stream)?[gG]enerateContent$/.test(r.path));
    assert.deepEqual((chat?.body as Record<string, unknown> | undefined)?.safetySettings, [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_ONLY_HIGH' }]);
    await view.locator('vscode-button', { hasText: 'Cancel' }).first().click();
    await remove(view, 'Gemini Safe');
  });

  it('pulls gemma3:1b into a saved Ollama configuration from its edit screen, showing each step and the result', async () => {
    const wb = workbench();
    await view.locator('vscode-button', { hasText: 'Add configuration' }).first().click();
    await view.locator('button.provider-card[data-provider="ollama"][data-preset=""]').click();
    // The wizard has nothing saved to pull into yet.
    await expect(input(view, 'name')).toBeVisible();
    if ((await view.locator('#field-pullModel').count()) !== 0) throw new Error('The wizard offered a pull before the configuration exists.');
    await input(view, 'name').fill('Pull Ollama');
    await input(view, 'baseUrl').fill(ollama.url);
    await pickModel(view, 'gemma3:1b');
    await testAndSave(view, 'Pull Ollama');
    await view.getByRole('button', { name: 'Edit "Pull Ollama"' }).click();
    await input(view, 'pullModel').fill('not a model!');
    await view.locator('#pull-model').click();
    await expect(view.locator('[data-field="field-pullModel"] .field-error')).toContainText(/llama3\.2 or qwen2\.5-coder:7b/);
    await input(view, 'pullModel').fill('gemma3:1b');
    const before = ollama.requests.length;
    await view.locator('#pull-model').click();
    await expect(view.locator('.pull-result')).toContainText('Pulled gemma3:1b: success.');
    await expect(view.locator('.pull-progress')).toContainText(/— \d+% \([\d.]+ MB of [\d.]+ MB\)/);
    const pull = ollama.requests.slice(before).find((r) => r.path === '/api/pull');
    assert.equal((pull?.body as Record<string, unknown> | undefined)?.model, 'gemma3:1b');
    // The model list is asked again once the pull is done.
    await expect(view.locator('select#field-model')).toBeVisible();
    assert.ok(ollama.requests.slice(before).some((r) => r.path === '/api/tags'), 'The model list was not refreshed after the pull.');
    await wb.screenshot('webview-edit-ollama-pull');
    await view.locator('vscode-button', { hasText: 'Cancel' }).first().click();
    await remove(view, 'Pull Ollama');
  });
});
