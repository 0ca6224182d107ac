import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { expect } from './expect';
import { workbench } from './hooks';

const KEY = 'sk-e2e-forms-5d2a9c41';
/** A steady typist: each key held and released at this pace, as a person types (the issue saw losses at 100 ms). */
const KEY_DELAY_MS = 120;

function input(view: FrameLocator, field: string): Locator {
  return view.locator(`#field-${field} input`);
}

function row(view: FrameLocator, name: string): Locator {
  return view.locator('.config-row', { hasText: name }).first();
}

/**
 * Selects what the field holds with Ctrl/Cmd+A and types `text` over it key by key, straight after, as a user does
 * (the keyboard itself, with none of the waits a locator makes between the two).
 */
async function typeOver(field: Locator, text: string): Promise<void> {
  await field.click();
  const keyboard = field.page().keyboard;
  await keyboard.press('ControlOrMeta+A');
  await keyboard.type(text, { delay: KEY_DELAY_MS });
}

async function typedValue(field: Locator, wanted: string, what: string): Promise<void> {
  // Long enough for the debounced checks and any late answer of the workbench to have landed.
  await new Promise((r) => setTimeout(r, 1_000));
  assert.equal(await field.inputValue(), wanted, `${what}: the field lost or changed what was typed`);
}

describe('the editor form keeps every character typed over a selected value', () => {
  let openai: OpenAIEmulator;
  let view: FrameLocator;

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: KEY });
    const wb = workbench();
    await wb.runCommand('Model Manager: Open Model Manager');
    view = wb.webview();
    await expect(view.getByRole('heading', { name: 'Model Manager' })).toBeVisible();
    await view.locator('vscode-button', { hasText: 'Add configuration' }).first().click();
    await view.locator('button.provider-card[data-provider="openai-compatible"][data-preset=""]').click();
    await input(view, 'name').fill('Typing Check');
    await input(view, 'baseUrl').fill(`${openai.url}/v1`);
    await input(view, 'apiKey').fill(KEY);
    await view.locator('select#field-model').selectOption('gpt-4o', { timeout: 20_000 });
    await input(view, 'temperature').fill('0.5');
    await view.locator('#wizard-next').click();
    await expect(view.locator('.tester-summary')).toContainText(/The connection works/);
    await view.locator('#wizard-save').click();
    await expect(row(view, 'Typing Check')).toBeVisible();
  });

  afterEach(async function () {
    // A failed step may leave a form open: the next test starts from a fresh list.
    if (this.currentTest?.state !== 'failed') return;
    const wb = workbench();
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Model Manager: Open Model Manager');
    view = wb.webview();
    await expect(view.getByRole('heading', { name: 'Model Manager' })).toBeVisible();
  });

  after(async () => {
    await workbench().runCommand('View: Close All Editors');
    await openai.close();
  });

  it('types over the name, server address, a number, the key and the model, and keeps them through Save and reopen', async () => {
    await view.getByRole('button', { name: 'Edit "Typing Check"' }).click();
    await expect(input(view, 'name')).toBeVisible();
    await typeOver(input(view, 'name'), 'Typed Over Name');
    await typedValue(input(view, 'name'), 'Typed Over Name', 'the name (text)');
    const address = `${openai.url}/v1`;
    await typeOver(input(view, 'baseUrl'), address);
    await typedValue(input(view, 'baseUrl'), address, 'the server address (URL)');
    await typeOver(input(view, 'temperature'), '0.75');
    await typedValue(input(view, 'temperature'), '0.75', 'the temperature (number)');
    await view.locator('vscode-button', { hasText: 'Replace' }).first().click();
    await input(view, 'apiKey').fill('a key typed by mistake');
    await typeOver(input(view, 'apiKey'), KEY);
    await typedValue(input(view, 'apiKey'), KEY, 'the API key (password)');
    const model = view.locator('select#field-model');
    await model.focus();
    await model.pressSequentially('gpt-4o-mini', { delay: KEY_DELAY_MS });
    await typedValue(model, 'gpt-4o-mini', 'the model (select)');
    await view.locator('#edit-save').click();
    await expect(view.locator('.notice')).toContainText('Saved "Typed Over Name".');

    await view.getByRole('button', { name: 'Edit "Typed Over Name"' }).click();
    await expect(input(view, 'name')).toBeVisible();
    assert.equal(await input(view, 'name').inputValue(), 'Typed Over Name');
    assert.equal(await input(view, 'baseUrl').inputValue(), address);
    assert.equal(await input(view, 'temperature').inputValue(), '0.75');
    assert.equal(await view.locator('select#field-model').inputValue(), 'gpt-4o-mini');
    await expect(view.locator('.key-state')).toContainText(`set (…${KEY.slice(-4)})`);
    // The emulator accepts only KEY: a key that lost a character would fail here.
    await view.locator('#edit-test').click();
    await expect(view.locator('.tester-summary')).toContainText(/The connection works/);
    await view.locator('vscode-button', { hasText: 'Cancel' }).first().click();
    await expect(row(view, 'Typed Over Name')).toBeVisible();
  });

  it('keeps spaces typed into the server address and says it is not an address, instead of removing them', async () => {
    await view.getByRole('button', { name: /^Edit "/ }).first().click();
    await expect(input(view, 'baseUrl')).toBeVisible();
    await typeOver(input(view, 'baseUrl'), 'not a url');
    await typedValue(input(view, 'baseUrl'), 'not a url', 'the server address with spaces');
    await expect(view.locator('[data-field="field-baseUrl"] .field-error')).toContainText(/http:\/\/ or https:\/\//);
    await view.locator('vscode-button', { hasText: 'Cancel' }).first().click();
    await expect(view.locator('.config-row').first()).toBeVisible();
  });

  it('keeps what is typed over a selected question in Model Manager Chat (a text area)', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Open Chat');
    const chat = wb.webview();
    const box = chat.locator('textarea').first();
    await box.waitFor({ timeout: 20_000 });
    await box.fill('a first draft of the question');
    await typeOver(box, 'What is a context window?');
    await typedValue(box, 'What is a context window?', 'the chat question (text area)');
  });
});
