import * as assert from 'node:assert/strict';
import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../emulators';
import { addThroughWizard, closeAllEditors, deleteThroughTree } from './chatSetup';
import { expect } from './expect';
import { workbench } from './hooks';
import type { Locator } from 'playwright-core';
import { sendToChat } from './chatInput';
import { until } from '../helpers/until';
import { closeActionWidgets, toggleTheme, type Workbench } from './workbench';

const OPENAI_KEY = 'sk-e2e-chat-view-5b20d1';

async function theme(wb: Workbench): Promise<string> {
  return (await wb.page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0 ? 'dark' : 'light';
}

describe('configured models in VS Code\'s own Chat view', () => {
  let openai: OpenAIEmulator;

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: OPENAI_KEY });
    const wb = workbench();
    await addThroughWizard(wb, 'openai', 'Native OpenAI', `${openai.url}/v1`, 'gpt-4o-mini', OPENAI_KEY);
    await addThroughWizard(wb, 'openai', 'Second OpenAI', `${openai.url}/v1`, 'gpt-4o-mini', OPENAI_KEY);
    await closeAllEditors(wb);
  });

  after(async () => {
    const wb = workbench();
    await closeAllEditors(wb);
    // Leave VS Code as the other suites expect it: no configurations, the Chat view's conversation cleared.
    await deleteThroughTree(wb, ['Native OpenAI', 'Second OpenAI']);
    await openai.close();
  });

  it('answers a prompt typed into the Chat view with our model chosen in its picker, streamed from the emulator', async () => {
    const wb = workbench();
    await wb.runCommand('Chat: Open Chat');
    const chatInput = wb.page.locator('.interactive-input-part .monaco-editor').first();
    await chatInput.waitFor({ timeout: 15_000 });
    // The picker shows the current and pinned models; the others are found through its search field. A model added a
    // moment ago reaches the picker once VS Code has asked the provider again, so look until it is there.
    const choices = wb.page.locator('.action-widget .action-list-item, .context-view .monaco-list-row');
    const deadline = performance.now() + 20_000;
    for (;;) {
      await wb.page.locator('.interactive-input-part a.model-picker-name').first().click();
      await wb.page.getByPlaceholder('Search models').fill('Second OpenAI');
      if (await choices.filter({ hasText: 'Second OpenAI' }).first().waitFor({ timeout: 2000 }).then(() => true, () => false)) break;
      if (performance.now() > deadline) throw new Error(`the picker did not list our model: ${(await choices.allInnerTexts()).join(' | ')}`);
      await wb.page.keyboard.press('Escape');
    }
    await wb.screenshot(`chat-view-picker-${await theme(wb)}`);
    await choices.filter({ hasText: 'Second OpenAI' }).first().click();
    await expect(wb.page.locator('.interactive-input-part')).toContainText('Second OpenAI');
    const before = openai.requests.length;
    // Without Copilot the Chat view has no default agent: our sticky @models participant answers with the picked model.
    const response = await sendToChat(wb, '@models Invent a new holiday and describe its traditions.');
    await expect(response).toContainText('Harmony Day');
    await expect(response).toContainText('Overall Spirit');
    // The picked model answered, not the active configuration (the first one added, Native OpenAI).
    await expect(response).toContainText(/Second OpenAI · gpt-4o-mini · 16 in \/ 300 out tokens/);
    if (openai.requests.length <= before) throw new Error('the emulator received no request');
    await wb.screenshot(`chat-view-answer-${await theme(wb)}`);
    await toggleTheme(wb);
    await wb.screenshot(`chat-view-answer-${await theme(wb)}`);
    await toggleTheme(wb);
  });

  it('@models switches with /use, adds up the conversation with /usage and compares configurations side by side with /compare', async () => {
    const wb = workbench();
    await expect(await sendToChat(wb, '@models /use Native OpenAI')).toContainText('This conversation now answers with Native OpenAI');
    await expect(await sendToChat(wb, '@models /usage')).toContainText('This conversation: 1 answer, 16 input and 300 output tokens, $0.00018.');
    const compared = await sendToChat(wb, '@models /compare Invent a new holiday and describe its traditions.');
    // Each configuration's section, with its own badge, then the table that sets them side by side.
    await expect(compared).toContainText(/Native OpenAI · gpt-4o-mini · 16 in \/ 300 out tokens/);
    await expect(compared).toContainText(/Second OpenAI · gpt-4o-mini · 16 in \/ 300 out tokens/);
    await expect(compared).toContainText('Side by side');
    // One section per configuration, in the line-up's order (the answer's own header is a heading too).
    const sections = await until('a section per configuration in the /compare answer', async () => {
      const named = (await compared.locator('h3').allInnerTexts()).filter((h) => h === 'Native OpenAI' || h === 'Second OpenAI');
      return named.length >= 2 ? named : undefined;
    }, 15_000);
    assert.deepEqual(sections, ['Native OpenAI', 'Second OpenAI']);
    await wb.screenshot(`chat-view-compare-${await theme(wb)}`);
  });
});

describe("the Chat view's model picker: true context windows, models without tools, Manage Models", () => {
  let router: OpenAIEmulator;
  let ollama: OllamaEmulator;
  const ROUTER_KEY = 'sk-or-e2e-picker-7c41';

  before(async () => {
    // An OpenRouter-like server: its model list states each model's context_length.
    router = await startOpenAIEmulator({ apiKey: ROUTER_KEY, models: 'openrouter' });
    ollama = await startOllamaEmulator();
    const wb = workbench();
    await addThroughWizard(wb, 'openai-compatible', 'Router Mini', `${router.url}/v1`, 'openai/gpt-4o-mini', ROUTER_KEY);
    await addThroughWizard(wb, 'ollama', 'Local Gemma', ollama.url, 'gemma3:1b');
    await closeAllEditors(wb);
  });

  after(async () => {
    const wb = workbench();
    await closeAllEditors(wb);
    await deleteThroughTree(wb, ['Router Mini', 'Local Gemma']);
    await router.close();
    await ollama.close();
  });

  const choices = (wb: Workbench) => wb.page.locator('.action-widget .action-list-item, .context-view .monaco-list-row');

  /** Opens the picker and searches for a model until VS Code has asked the provider again; false when it never shows. */
  async function findInPicker(wb: Workbench, name: string, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      await wb.page.locator('.interactive-input-part a.model-picker-name').first().click();
      await wb.page.getByPlaceholder('Search models').fill(name);
      if (await choices(wb).filter({ hasText: name }).first().waitFor({ timeout: 2000 }).then(() => true, () => false)) return true;
      if (performance.now() > deadline) return false;
      await wb.page.keyboard.press('Escape');
    }
  }

  /** Hovers a model in the open picker until VS Code shows its hover (a hover can be lost to a list refresh). */
  async function hoverModel(wb: Workbench, name: string): Promise<Locator> {
    const hover = wb.page.locator('.chat-model-hover').filter({ hasText: name }).last();
    for (let attempt = 0; attempt < 5; attempt++) {
      await wb.page.mouse.move(1, 1);
      await choices(wb).filter({ hasText: name }).first().hover();
      if (await hover.waitFor({ timeout: 3000 }).then(() => true, () => false)) return hover;
    }
    throw new Error(`no hover for ${name}`);
  }

  it("lists an OpenAI-compatible configuration with the server's context window, shown in its hover with where it came from", async () => {
    const wb = workbench();
    await wb.runCommand('Chat: Open Chat');
    await wb.page.locator('.interactive-input-part .monaco-editor').first().waitFor({ timeout: 15_000 });
    if (!(await findInPicker(wb, 'Router Mini', 20_000))) throw new Error(`the picker did not list Router Mini: ${(await choices(wb).allInnerTexts()).join(' | ')}`);
    // VS Code's own hover: our tooltip, then the context size it adds up from the model's input and output limits.
    const hover = await hoverModel(wb, 'Router Mini');
    await expect(hover.locator('.chat-model-hover-description')).toContainText('context 128K from the server');
    await expect(hover.locator('.chat-model-hover-context-value')).toContainText('128K');
    await wb.screenshot(`chat-view-picker-context-${await theme(wb)}`);
    await closeActionWidgets(wb); // a palette opened over the picker can lose its Enter to it
    await toggleTheme(wb);
    if (!(await findInPicker(wb, 'Router Mini', 20_000))) throw new Error('the picker did not list Router Mini again');
    await expect((await hoverModel(wb, 'Router Mini')).locator('.chat-model-hover-context-value')).toContainText('128K');
    await wb.screenshot(`chat-view-picker-context-${await theme(wb)}`);
    await closeActionWidgets(wb);
    await toggleTheme(wb);
    await wb.page.keyboard.press('Escape');
  });

  it('lists a configuration without tool calling in Ask mode (VS Code lists only tool-calling models in Agent mode), and it answers there', async () => {
    const wb = workbench();
    await wb.runCommand('Chat: Open Chat (Agent)');
    // Agent mode, the only one VS Code's mode picker offers without Copilot, lists tool-calling models only.
    if (await findInPicker(wb, 'Local Gemma', 5_000)) throw new Error('Agent mode listed a model without tool calling');
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('Chat: Open Chat (Ask)');
    if (!(await findInPicker(wb, 'Local Gemma', 20_000))) throw new Error(`Ask mode did not list Local Gemma: ${(await choices(wb).allInnerTexts()).join(' | ')}`);
    await expect(await hoverModel(wb, 'Local Gemma')).toContainText('no tool calling (Ask mode only)');
    await wb.screenshot(`chat-view-ask-mode-picker-${await theme(wb)}`);
    await choices(wb).filter({ hasText: 'Local Gemma' }).first().click();
    await expect(wb.page.locator('.interactive-input-part')).toContainText('Local Gemma');
    const response = await sendToChat(wb, '@models Say hello');
    await expect(response).toContainText(/Local Gemma · gemma3:1b/);
    await wb.screenshot(`chat-view-ask-mode-answer-${await theme(wb)}`);
    await toggleTheme(wb);
    await wb.screenshot(`chat-view-ask-mode-answer-${await theme(wb)}`);
    await toggleTheme(wb);
    // Back to Agent mode, as the other suites expect the Chat view.
    await wb.runCommand('Chat: Open Chat (Agent)');
  });

  it("Manage Models… opens VS Code's Language Models editor, which lists our models with their true context sizes", async () => {
    const wb = workbench();
    await wb.runCommand('Chat: Open Chat');
    // A new conversation: its picker offers Manage Models… under the models found.
    await wb.runCommand('Chat: New Chat');
    if (!(await findInPicker(wb, 'Router Mini', 20_000))) throw new Error('the picker did not list Router Mini');
    // The search narrows the list to the models it matches; cleared, the list ends with Manage Models… again.
    await wb.page.getByPlaceholder('Search models').fill('');
    const manage = choices(wb).filter({ hasText: /Manage Models/ }).first();
    // A new chat whose remembered model is gone (an earlier suite deleted its configuration) lists the models under a
    // collapsed "Other Models" group: its Manage Models… is the gear on the group's row.
    const group = choices(wb).filter({ hasText: /^\s*Other Models\s*$/ }).first();
    const gear = group.locator('[aria-label*="Manage"], [title*="Manage"], .codicon-gear, .codicon-settings-gear').first();
    if (await manage.waitFor({ timeout: 15_000 }).then(() => true, () => false)) {
      await manage.click();
    } else {
      if (await group.isVisible()) await group.hover();
      if (!(await gear.isVisible())) throw new Error(`the picker offered no Manage Models…: ${(await choices(wb).allInnerTexts()).join(' | ')}`);
      await gear.click();
    }
    const row = (name: string) => wb.page.locator('.monaco-list-row', { hasText: name }).filter({ hasText: /\d+K/ }).first();
    await expect(row('Router Mini')).toContainText('128K');
    await expect(row('Local Gemma')).toContainText('33K');
    await wb.screenshot(`chat-view-language-models-${await theme(wb)}`);
    await toggleTheme(wb);
    // The palette closed the list; it opens the same way from there.
    await wb.runCommand('Chat: Manage Language Models');
    await expect(row('Router Mini')).toContainText('128K');
    await wb.screenshot(`chat-view-language-models-${await theme(wb)}`);
    await toggleTheme(wb);
    await wb.page.keyboard.press('Escape');
    await closeAllEditors(wb);
  });
});
