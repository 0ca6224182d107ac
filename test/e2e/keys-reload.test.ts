import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { addThroughWizard, closeAllEditors, deleteThroughTree } from './chatSetup';
import { expect } from './expect';
import { workbench } from './hooks';

const OPENAI_KEY = 'sk-e2e-reload-4c7d29';
const NAME = 'Reload OpenAI';

describe('stored API keys across Developer: Reload Window', () => {
  let openai: OpenAIEmulator;

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: OPENAI_KEY });
    const wb = workbench();
    await addThroughWizard(wb, 'openai', NAME, `${openai.url}/v1`, 'gpt-4o-mini', OPENAI_KEY);
    await closeAllEditors(wb);
  });

  after(async () => {
    const wb = workbench();
    await closeAllEditors(wb);
    await deleteThroughTree(wb, [NAME]);
    await openai.close();
  });

  it('still open after a reload: no lock in the tree or the editor, no notice about unopenable keys, the test and a chat answer with the stored key', async function () {
    this.timeout(240_000);
    const wb = workbench();
    await wb.dismissNotifications();
    await wb.reload();
    await wb.openView();
    const row = wb.page.locator(`.monaco-list-row[role="treeitem"][aria-label^="${NAME},"]`).first();
    await expect(row).toBeVisible();
    const label = (await row.getAttribute('aria-label')) ?? '';
    if (label.includes('cannot be opened')) throw new Error(`the tree says the key cannot be opened: ${label}`);
    if ((await row.locator('.codicon-lock').count()) > 0) throw new Error('the tree shows a lock on the configuration');
    const sidebar = await wb.page.locator('.sidebar').innerText();
    if (/cannot be opened|locked by your master passphrase/.test(sidebar)) throw new Error(`the view says the keys cannot be opened: ${sidebar}`);

    // The connection test needs the key: the emulator refuses any other.
    const before = openai.requests.length;
    await row.hover();
    await row.locator('.action-label[aria-label="Test Connection"]').click();
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
    await model.selectOption({ label: `${NAME} (gpt-4o-mini · openai)` });
    const prompt = chat.locator('textarea');
    await prompt.fill('Invent a new holiday and describe its traditions.');
    await prompt.press('Enter');
    await expect(chat.locator('article.turn.assistant:not(.streaming)').first()).toContainText('Harmony Day');
    await wb.screenshot('keys-after-reload-chat');

    // No notice about keys that cannot be opened was raised by the reload.
    const notices = (await wb.page.locator('.notification-list-item-message').allInnerTexts()).join(' | ');
    if (/cannot open|cannot be opened|did not keep/.test(notices)) throw new Error(`a notice says the keys cannot be opened: ${notices}`);
  });
});
