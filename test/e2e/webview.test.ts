import type { FrameLocator } from 'playwright-core';
import { startGeminiEmulator, startOllamaEmulator, startOpenAIEmulator, type GeminiEmulator, type OllamaEmulator, type OpenAIEmulator } from '../emulators';
import { expect } from './expect';
import { workbench } from './hooks';
import { button, input, makeRoomForEditor, noFieldErrors, openPanel, pickModel, row, suiteWithEmulators, testAndSave } from './suite';
import { toggleTheme, type Workbench } from './workbench';

const OPENAI_KEY = 'sk-e2e-webview-4f1c8b27';
const GEMINI_KEY = 'AIzaSyE2eWebviewKey0123456789abcdefgh';
const XSS = '<img src=x onerror=alert(1)>';

/** A screenshot of the current screen in the current theme and in the opposite one, each named by its theme. */
async function shoot(wb: Workbench, name: string): Promise<void> {
  const theme = async (): Promise<string> => ((await wb.page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0 ? 'dark' : 'light');
  await wb.screenshot(`webview-${name}-${await theme()}`);
  await toggleTheme(wb);
  await wb.screenshot(`webview-${name}-${await theme()}`);
  await toggleTheme(wb);
}

async function startWizard(view: FrameLocator, provider: string, preset = ''): Promise<void> {
  await button(view, 'Add configuration').click();
  await view.locator(`button.provider-card[data-provider="${provider}"][data-preset="${preset}"]`).click();
  await expect(input(view, 'name')).toBeVisible();
}

describe('the Model Manager panel: list, wizard, edit, tester and usage in the real webview', () => {
  let openai: OpenAIEmulator;
  let gemini: GeminiEmulator;
  let ollama: OllamaEmulator;
  let view: FrameLocator;

  suiteWithEmulators({ openai: () => startOpenAIEmulator({ apiKey: OPENAI_KEY }), gemini: () => startGeminiEmulator({ apiKey: GEMINI_KEY }), ollama: () => startOllamaEmulator() }, {
    setUp: async (started) => {
      ({ openai, gemini, ollama } = started);
      const wb = workbench();
      await makeRoomForEditor(wb);
      view = await openPanel(wb);
    },
  });

  afterEach(async function () {
    // A failed step may leave a form open: start the next test from a fresh list.
    if (this.currentTest?.state !== 'failed') return;
    const wb = workbench();
    await wb.screenshot(`failed-before-reset-${this.currentTest.title}`);
    await wb.runCommand('View: Close All Editors');
    view = await openPanel(wb);
  });

  it('opens on the list, which says there is nothing yet and offers to add', async () => {
    const wb = workbench();
    await expect(view.getByText('No AI provider configurations yet.')).toBeVisible();
    await expect(button(view, 'From template')).toBeVisible();
    await shoot(wb, 'list-empty');
  });

  it('adds an OpenAI configuration through the wizard, showing the host’s field errors as the user types', async () => {
    const wb = workbench();
    await button(view, 'Add configuration').click();
    await expect(view.locator('.provider-grid')).toContainText(/OpenAI[\s\S]*Gemini[\s\S]*Ollama/);
    await shoot(wb, 'wizard-1-provider');
    await view.locator('button.provider-card[data-provider="openai"]').click();
    await input(view, 'name').fill('Work OpenAI');
    await input(view, 'baseUrl').fill('not a url');
    await expect(view.locator('[data-field="field-baseUrl"] .field-error')).toContainText(/http:\/\/ or https:\/\//);
    await input(view, 'baseUrl').fill(`${openai.url}/v1`);
    // Without a key the model list cannot be fetched: a free-text field says why.
    await expect(view.locator('.model-why')).toContainText(/Enter the API key/);
    await shoot(wb, 'wizard-2-model-fallback');
    await input(view, 'apiKey').fill(OPENAI_KEY);
    await pickModel(view, 'gpt-4o-mini');
    await input(view, 'temperature').fill('5');
    await expect(view.locator('[data-field="field-temperature"] .field-error')).toContainText(/at most 2/);
    await input(view, 'maxTokens').fill('many');
    await expect(view.locator('[data-field="field-maxTokens"] .field-error')).toContainText(/whole number/);
    await shoot(wb, 'wizard-2-settings-errors');
    // "Next" refuses while a field is wrong.
    await view.locator('#wizard-next').click();
    await expect(view.locator('.config-form')).toContainText(/Fix the fields marked in red/);
    await input(view, 'temperature').fill('0.7');
    await input(view, 'maxTokens').fill('');
    await noFieldErrors(view);
    await view.locator('#wizard-next').click();
    await expect(view.locator('.tester-summary')).toContainText(/The connection works/);
    await expect(view.locator('.tester-steps')).toContainText(/Server reachable[\s\S]*Key accepted[\s\S]*Model found[\s\S]*Streaming works[\s\S]*Latency \d+ ms/);
    await shoot(wb, 'wizard-3-tester-success');
    await view.locator('#wizard-save').click();
    await expect(view.locator('.notice')).toContainText('Added "Work OpenAI".');
    await expect(row(view, 'Work OpenAI')).toContainText(/OpenAI · gpt-4o-mini/);
  });

  it('tests with a wrong key and shows OpenAI’s own 401 invalid_api_key with the hint', async () => {
    const wb = workbench();
    await view.getByRole('button', { name: 'Edit "Work OpenAI"' }).click();
    await expect(view.locator('.key-state')).toContainText('set (…8b27)');
    await button(view, 'Replace').click();
    await input(view, 'apiKey').fill('sk-wrong-key-000000');
    await view.locator('#edit-test').click();
    await expect(view.locator('.tester-summary')).toContainText(/The connection test failed/);
    await expect(view.locator('.tester-failure')).toContainText(/401 invalid_api_key/);
    await expect(view.locator('.provider-message')).toContainText(/Incorrect API key/);
    await view.locator('.tester-hint').scrollIntoViewIfNeeded();
    await shoot(wb, 'edit-tester-failure');
    await button(view, 'Cancel').click();
    await expect(row(view, 'Work OpenAI')).toBeVisible();
  });

  it('edits the name and a setting, keeping the stored key', async () => {
    const wb = workbench();
    await view.getByRole('button', { name: 'Edit "Work OpenAI"' }).click();
    await expect(input(view, 'name')).toBeVisible();
    await shoot(wb, 'edit');
    await input(view, 'temperature').fill('3');
    await expect(view.locator('[data-field="field-temperature"] .field-error')).toContainText(/at most 2/);
    await input(view, 'temperature').fill('0.3');
    await input(view, 'name').fill('Team OpenAI');
    await noFieldErrors(view);
    await view.locator('#edit-save').click();
    await expect(view.locator('.notice')).toContainText('Saved "Team OpenAI".');
    await view.getByRole('button', { name: 'Edit "Team OpenAI"' }).click();
    await expect(view.locator('.key-state')).toContainText('set (…8b27)');
    await view.locator('#edit-test').click();
    await expect(view.locator('.tester-summary')).toContainText(/The connection works/);
    await button(view, 'Cancel').click();
  });

  it('adds a Gemini configuration with its model from the live list', async () => {
    await startWizard(view, 'gemini');
    await input(view, 'name').fill('Gemini Flash');
    await input(view, 'apiKey').fill(GEMINI_KEY);
    await input(view, 'baseUrl').fill(`${gemini.url}/v1beta`);
    await pickModel(view, 'gemini-2.5-flash');
    await input(view, 'topK').fill('0');
    await expect(view.locator('[data-field="field-topK"] .field-error')).toContainText(/at least 1/);
    await input(view, 'topK').fill('40');
    await testAndSave(view, 'Gemini Flash');
  });

  it('adds a local Ollama configuration without a key', async () => {
    await startWizard(view, 'ollama');
    await expect(view.locator('#field-apiKey')).toBeVisible();
    await input(view, 'name').fill('Home Ollama');
    await input(view, 'baseUrl').fill(ollama.url);
    await pickModel(view, 'gemma3:1b');
    await input(view, 'keepAlive').fill('forever');
    await expect(view.locator('[data-field="field-keepAlive"] .field-error')).toContainText(/duration/);
    await input(view, 'keepAlive').fill('5m');
    await testAndSave(view, 'Home Ollama');
  });

  it('adds a custom OpenAI-compatible server with an extra header', async () => {
    const wb = workbench();
    await startWizard(view, 'openai-compatible');
    await input(view, 'name').fill('Gateway');
    await input(view, 'baseUrl').fill(`${openai.url}/v1`);
    await input(view, 'apiKey').fill(OPENAI_KEY);
    await button(view, 'Add header').click();
    await view.locator('#header-name-0 input').fill('X Title');
    await expect(view.locator('fieldset', { hasText: 'Extra headers' }).locator('.field-error')).toContainText(/Header "X Title"/);
    await view.locator('#header-name-0 input').fill('X-Title');
    await view.locator('#header-value-0 input').fill('Model Manager e2e');
    await pickModel(view, 'gpt-4o-mini');
    await noFieldErrors(view);
    await shoot(wb, 'wizard-2-custom');
    await testAndSave(view, 'Gateway');
  });

  it('refuses a taken name in the message region and next to the field, then shows a name like HTML as text', async () => {
    await startWizard(view, 'ollama');
    await input(view, 'name').fill('home ollama');
    await input(view, 'baseUrl').fill(ollama.url);
    await pickModel(view, 'gemma3:1b');
    await view.locator('#wizard-next').click();
    await expect(view.locator('.tester-summary')).toContainText(/The connection works/);
    await view.locator('#wizard-save').click();
    await expect(view.locator('[role="alert"]')).toContainText(/A configuration named "home ollama" already exists/);
    await expect(view.locator('[data-field="field-name"] .field-error')).toContainText(/this name is taken/);
    await input(view, 'name').fill(XSS);
    await testAndSave(view, XSS);
    await expect(view.locator('.config-name', { hasText: XSS })).toBeVisible();
    if ((await view.locator('.config-list img').count()) !== 0) throw new Error('The name was rendered as HTML.');
  });

  it('filters, sorts, tests from a row and shows this month’s usage', async () => {
    const wb = workbench();
    await expect(view.locator('.config-row')).toContainText(/Gateway[\s\S]*Gemini Flash[\s\S]*Home Ollama[\s\S]*Team OpenAI/);
    await view.locator('#filter input').fill('gemini');
    await expect(view.locator('.config-list')).toContainText('Gemini Flash');
    if ((await view.locator('.config-row').count()) !== 1) throw new Error('The filter left other rows.');
    await view.locator('#filter input').fill('');
    await view.locator('select#sort').selectOption('provider');
    await expect(view.locator('.config-row').first()).toContainText('Gemini Flash');
    await view.getByRole('button', { name: 'Test "Home Ollama"' }).click();
    await expect(row(view, 'Home Ollama').locator('.tester-summary')).toContainText(/The connection works/);
    await expect(row(view, 'Home Ollama').locator('.status-icon.codicon-pass')).toBeVisible();
    await view.getByRole('button', { name: 'Usage "Team OpenAI"' }).click();
    await expect(row(view, 'Team OpenAI').locator('.usage')).toContainText(/Requests[\s\S]*Tokens in[\s\S]*Tokens out[\s\S]*Tokens cached[\s\S]*Cost[\s\S]*Errors[\s\S]*Average latency/);
    await shoot(wb, 'list-usage');
  });

  it('opens the template picker and starts the wizard from a template', async () => {
    const wb = workbench();
    await button(view, 'From template').click();
    await expect(view.locator('.template-row').first()).toBeVisible();
    await shoot(wb, 'templates');
    await view.locator('.template-row vscode-button').first().click();
    await expect(input(view, 'name')).toBeVisible();
    await button(view, 'Back').click();
    await expect(view.getByRole('heading', { name: 'Model Manager' })).toBeVisible();
  });

  it('is operable from the keyboard: Enter on the focused button opens the wizard, Tab reaches the provider cards', async () => {
    await button(view, 'Add configuration').focus();
    await view.locator('vscode-button:focus').press('Enter');
    await expect(view.locator('.provider-grid')).toBeVisible();
    await view.locator('button.provider-card').first().focus();
    await view.locator('button.provider-card:focus').press('Enter');
    await expect(input(view, 'name')).toBeVisible();
    await input(view, 'name').press('Tab');
    await expect(view.locator('#field-apiKey:focus-within')).toBeVisible();
    await button(view, 'Back').focus();
    await view.locator('vscode-button:focus').press('Enter');
    await button(view, 'Cancel').click();
    await expect(button(view, 'Add configuration')).toBeVisible();
  });

  it('stops a connection test that hangs, with the Stop button, and tests again', async () => {
    await startWizard(view, 'openai');
    await input(view, 'name').fill('Stoppable');
    await input(view, 'baseUrl').fill(`${openai.url}/v1`);
    await input(view, 'apiKey').fill(OPENAI_KEY);
    await pickModel(view, 'gpt-4o-mini');
    await noFieldErrors(view);
    // The streamed reply never starts: without Stop, the test would wait out the answer timeout.
    openai.inject({ path: /\/chat\/completions/, stall: 'headers' });
    await view.locator('#wizard-next').click();
    await view.locator('#test-stop').click({ timeout: 15_000 });
    await expect(view.locator('.tester-summary.failed')).toContainText('Stopped.');
    await view.locator('#test-stop').waitFor({ state: 'detached', timeout: 15_000 });
    await button(view, 'Test again').click();
    await expect(view.locator('.tester-summary')).toContainText(/The connection works/);
    await button(view, 'Back').click();
    await button(view, 'Back').click();
    await button(view, 'Cancel').click();
    await expect(button(view, 'Add configuration')).toBeVisible();
  });

  it('deletes every configuration after an inline confirmation', async () => {
    for (const name of ['Team OpenAI', 'Gemini Flash', 'Home Ollama', 'Gateway', XSS]) {
      await view.getByRole('button', { name: `Delete "${name}"` }).click();
      await row(view, name).locator('.confirm vscode-button', { hasText: 'Delete' }).click();
      await expect(view.locator('.notice')).toContainText(`Deleted "${name}".`);
    }
    await expect(view.getByText('No AI provider configurations yet.')).toBeVisible();
  });
});
