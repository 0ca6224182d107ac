import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../emulators';
import { addThroughWizard, closeAllEditors, deleteThroughTree } from './chatSetup';
import { expect } from './expect';
import { workbench } from './hooks';
import { pick, waitForPrompt } from './quickInput';
import type { Workbench } from './workbench';

const OPENAI_KEY = 'sk-e2e-reload-4c7d29';
const NAME = 'Reload OpenAI';
const SPARE = 'Spare OpenAI';
const KEYLESS = 'Keyless Ollama';
const PASSPHRASE = 'e2e passphrase typed once per window';

function treeRow(wb: Workbench, name: string) {
  return wb.page.locator(`.monaco-list-row[role="treeitem"][aria-label^="${name},"]`).first();
}

async function isLocked(wb: Workbench, name: string): Promise<boolean> {
  const row = treeRow(wb, name);
  await row.waitFor({ timeout: 15_000 });
  return ((await row.getAttribute('aria-label')) ?? '').includes('stored API key cannot be opened');
}

/** Answers the open input box: waits for its prompt, types (a password box too) and presses Enter. */
async function answer(wb: Workbench, prompt: RegExp, value: string): Promise<void> {
  await waitForPrompt(wb, prompt);
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(value);
  await input.press('Enter');
}

describe('stored API keys across Developer: Reload Window', () => {
  let openai: OpenAIEmulator;
  let ollama: OllamaEmulator | undefined;

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: OPENAI_KEY });
    const wb = workbench();
    await addThroughWizard(wb, 'openai', NAME, `${openai.url}/v1`, 'gpt-4o-mini', OPENAI_KEY);
    await closeAllEditors(wb);
  });

  after(async () => {
    const wb = workbench();
    await closeAllEditors(wb);
    await deleteThroughTree(wb, [NAME, SPARE, KEYLESS]);
    await openai.close();
    await ollama?.close();
  });

  it('still open after a reload: no lock in the tree or the editor, no notice about unopenable keys, the test and a chat answer with the stored key', async function () {
    this.timeout(240_000);
    const wb = workbench();
    await wb.dismissNotifications();
    await wb.reload();
    await wb.openView();
    await wb.extensionActive();
    const row = wb.page.locator(`.monaco-list-row[role="treeitem"][aria-label^="${NAME},"]`).first();
    // The first listing after a reload opens the store (its WebAssembly and the keychain): slow on a loaded machine.
    await row.waitFor({ timeout: 60_000 });
    const label = (await row.getAttribute('aria-label')) ?? '';
    if (label.includes('cannot be opened')) throw new Error(`the tree says the key cannot be opened: ${label}`);
    if ((await row.locator('.codicon-lock').count()) > 0) throw new Error('the tree shows a lock on the configuration');
    const sidebar = await wb.page.locator('.sidebar').innerText();
    if (/cannot be opened|locked by your master passphrase/.test(sidebar)) throw new Error(`the view says the keys cannot be opened: ${sidebar}`);

    // The connection test needs the key: the emulator refuses any other.
    const before = openai.requests.length;
    await wb.clickInlineAction(row, 'Test Connection');
    await wb.notification(new RegExp(`"${NAME}" works`));
    await wb.dismissNotifications();
    await expect(row.locator('.codicon-pass')).toBeVisible();
    if (openai.requests.length <= before) throw new Error('the connection test did not reach the emulator');

    // The editor's list tells the same: a passed test, no lock.
    await wb.runCommand('Model Manager: Open Model Manager');
    const listRow = wb.webview().locator('li.config-row', { hasText: NAME });
    await expect(listRow.locator('.status-icon.codicon-pass')).toBeVisible();
    if ((await listRow.locator('.codicon-lock').count()) > 0) throw new Error('the editor list shows a lock on the configuration');
    await closeAllEditors(wb);

    // A chat answers through the stored key.
    await wb.runCommand('Model Manager: Open Chat');
    const chat = wb.webview();
    const model = chat.locator('select').first();
    await model.locator('option', { hasText: NAME }).waitFor({ state: 'attached', timeout: 15_000 });
    await model.selectOption({ label: `${NAME} (gpt-4o-mini · OpenAI)` });
    const prompt = chat.locator('textarea');
    await prompt.fill('Invent a new holiday and describe its traditions.');
    await prompt.press('Enter');
    await expect(chat.locator('article.turn.assistant:not(.streaming)').first()).toContainText('Harmony Day');
    await wb.screenshot('keys-after-reload-chat');

    // No notice about keys that cannot be opened was raised by the reload.
    const notices = (await wb.currentNotifications()).join(' | ');
    if (/cannot open|cannot be opened|did not keep/.test(notices)) throw new Error(`a notice says the keys cannot be opened: ${notices}`);
  });

  it('when the browser lost the master key, the notice, the tree and Start Over count alike; a passphrase start-over keeps a re-entered key across the next reload', async function () {
    this.timeout(360_000);
    const wb = workbench();
    ollama = await startOllamaEmulator();
    // The reload of the test before restored every editor open then (Model Manager Chat among them): the wizard must
    // be the only webview, not one behind a restored chat panel.
    await closeAllEditors(wb);
    await addThroughWizard(wb, 'openai', SPARE, `${openai.url}/v1`, 'gpt-4o-mini', OPENAI_KEY);
    await addThroughWizard(wb, 'ollama', KEYLESS, ollama.url, 'gemma3:1b');
    await closeAllEditors(wb);
    await wb.dismissNotifications();

    // Cleared site data: the browser's secret storage, and the master key in it, are gone.
    await wb.page.evaluate('localStorage.removeItem("secrets.provider")');
    await wb.reload();
    await wb.openView();
    await wb.notification(/Model Manager has 2 stored API keys it cannot open/);
    await wb.dismissNotifications();
    await expect(wb.page.locator('.sidebar')).toContainText('2 stored API keys cannot be opened on this machine');
    if (!(await isLocked(wb, NAME)) || !(await isLocked(wb, SPARE))) throw new Error('both keyed configurations should show a lock');
    if (await isLocked(wb, KEYLESS)) throw new Error('a configuration without a key cannot have a locked key');
    await wb.screenshot('keys-lost-tree');

    const dialog = wb.page.locator('.monaco-dialog-box');
    await wb.runCommand('Model Manager: Start Over with a New Master Key', { keepOpen: true });
    await expect(dialog).toContainText('Your 3 configurations are kept, but the 2 API keys stored in them cannot be opened');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await wb.runCommand('Model Manager: Use a Master Passphrase Instead of the Keychain', { keepOpen: true });
    await expect(dialog).toContainText('Your 3 configurations are kept, but the 2 API keys');
    await dialog.getByRole('button', { name: 'Start Over with a Passphrase' }).click();
    await answer(wb, /Choose a master passphrase/, PASSPHRASE);
    await answer(wb, /Enter the same passphrase again/, PASSPHRASE);
    // scrypt at 128 MiB, then the store reopened: seconds on a loaded machine.
    await wb.notification(/now protected by your master passphrase/, 60_000);
    await wb.dismissNotifications();

    await wb.runCommand('Model Manager: Rotate API Key', { keepOpen: true });
    await pick(wb, NAME);
    await pick(wb, 'Enter a new key');
    await answer(wb, /The new API key/, OPENAI_KEY);
    await wb.notification(new RegExp(`Replaced the API key of "${NAME}"`));
    await wb.dismissNotifications();
    if (await isLocked(wb, NAME)) throw new Error('the re-entered key should open');
    if (!(await isLocked(wb, SPARE))) throw new Error('the key not re-entered still cannot be opened');

    // The next window asks for the passphrase once (a wrong one is asked again), then the re-entered key works.
    await wb.reload();
    await wb.openView();
    await answer(wb, /protected by your master passphrase/, 'not the passphrase at all');
    await answer(wb, /That is not the master passphrase/, PASSPHRASE);
    await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 60_000 });
    if (await isLocked(wb, NAME)) throw new Error('the passphrase should open the re-entered key after the reload');
    if (!(await isLocked(wb, SPARE))) throw new Error('the key not re-entered is still shown as one that cannot be opened');
    const row = treeRow(wb, NAME);
    await wb.clickInlineAction(row, 'Test Connection');
    await wb.notification(new RegExp(`"${NAME}" works`));
    await wb.dismissNotifications();
    await wb.screenshot('keys-passphrase-after-reload');
  });
});
