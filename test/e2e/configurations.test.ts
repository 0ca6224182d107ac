import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { expect } from './expect';
import { workbench } from './hooks';
import { pick, typeAndExpectMessage, waitForPrompt } from './quickInput';

const KEY = 'sk-e2e-key-7c2d9a41';

describe('configurations through the tree, its context menu and the palette', () => {
  let emulator: OpenAIEmulator;

  before(async () => {
    emulator = await startOpenAIEmulator({ apiKey: KEY });
  });

  after(async () => {
    await emulator.close();
  });

  it('adds a configuration from the palette, with an inline message for every bad value', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Add Configuration', { keepOpen: true });
    await pick(wb, 'Other OpenAI-compatible server');
    await waitForPrompt(wb, /A name you will recognise/);
    await typeAndExpectMessage(wb, '   ', /Enter a name/);
    await typeAndExpectMessage(wb, 'x'.repeat(81), /too long/);
    await typeAndExpectMessage(wb, 'Local gateway', /^A name you will recognise/);
    await wb.page.keyboard.press('Enter');
    await waitForPrompt(wb, /The server address/);
    await typeAndExpectMessage(wb, 'not an address', /full address/);
    await typeAndExpectMessage(wb, 'ftp://example.com', /http:\/\/ or https:\/\//);
    await typeAndExpectMessage(wb, `${emulator.url}/v1`, /^The server address/);
    await wb.page.keyboard.press('Enter');
    await waitForPrompt(wb, /The API key/);
    await typeAndExpectMessage(wb, 'sk has spaces', /no spaces/);
    await typeAndExpectMessage(wb, KEY, /^The API key/);
    await wb.page.keyboard.press('Enter');
    await pick(wb, 'gpt-4o-mini');
    await wb.notification(/Added "Local gateway" \(gpt-4o-mini\)/);
    await wb.dismissNotifications();
  });

  it('shows the configuration in the tree and tests it from its inline action', async () => {
    const wb = workbench();
    await wb.openView();
    const row = wb.page.locator('.monaco-list-row', { hasText: 'Local gateway' }).first();
    await expect(row).toBeVisible();
    await wb.clickInlineAction(row, 'Test Connection');
    await wb.notification(/"Local gateway" works/);
    await wb.dismissNotifications();
    await expect(row.locator('.codicon-pass')).toBeVisible();
    await row.hover();
    await wb.screenshot('review-tree-after-test');
  });

  it('edits a setting from the context menu, refusing an out-of-range value inline', async () => {
    const wb = workbench();
    const row = wb.page.locator('.monaco-list-row', { hasText: 'Local gateway' }).first();
    await wb.contextMenu(row, 'Edit Configuration');
    await pick(wb, 'temperature');
    await waitForPrompt(wb, /temperature \(leave empty/);
    await typeAndExpectMessage(wb, 'warm', /Enter a number/);
    await typeAndExpectMessage(wb, '7', /temperature/);
    await typeAndExpectMessage(wb, '0.4', /^temperature \(leave empty/);
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    // Opening the editor again shows the saved value next to the field.
    await wb.contextMenu(row, 'Edit Configuration');
    await expect(wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'temperature' })).toContainText(/0\.4/);
    await wb.screenshot('review-edit-configuration');
    await wb.page.keyboard.press('Escape');
  });

  it('rotates its key from the context menu, refusing a key with spaces inline', async () => {
    const wb = workbench();
    const row = wb.page.locator('.monaco-list-row', { hasText: 'Local gateway' }).first();
    await wb.contextMenu(row, 'Rotate API Key');
    await pick(wb, 'Enter a new key');
    await waitForPrompt(wb, /The new API key/);
    await typeAndExpectMessage(wb, 'two words', /no spaces/);
    await typeAndExpectMessage(wb, '', /Enter the API key/);
    await typeAndExpectMessage(wb, KEY, /^The new API key/);
    await wb.page.keyboard.press('Enter');
    await wb.notification(/Replaced the API key of "Local gateway"/);
    await wb.dismissNotifications();
  });

  it('deletes it from the context menu after the confirmation dialog, leaving the welcome view', async () => {
    const wb = workbench();
    const row = wb.page.locator('.monaco-list-row', { hasText: 'Local gateway' }).first();
    await wb.contextMenu(row, 'Delete Configuration');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await expect(dialog).toContainText(/Delete "Local gateway"\?/);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(wb.page.locator('.welcome-view-content')).toContainText(/Add a configuration/);
  });
});
