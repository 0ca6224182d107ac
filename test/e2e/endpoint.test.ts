import { startOllamaEmulator, type OllamaEmulator } from '../emulators';
import { expect } from './expect';
import { workbench } from './hooks';

describe('the local endpoint in the workbench', () => {
  let emulator: OllamaEmulator;

  before(async () => {
    emulator = await startOllamaEmulator();
  });

  after(async () => {
    await emulator.close();
  });

  it('Start Local Endpoint from the palette shows the endpoint in the tree\'s Local Endpoint section and in the status bar; Stop hides it', async () => {
    const wb = workbench();
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    const message = wb.page.locator('.quick-input-widget .quick-input-message');
    const rows = wb.page.locator('.quick-input-widget .monaco-list-row');
    // A configuration, so the tree has its sections (with none it shows its welcome instead).
    await wb.runCommand('Model Manager: Add Configuration', { keepOpen: true });
    await input.fill('Ollama');
    await rows.filter({ hasText: 'Ollama' }).first().waitFor();
    await input.press('Enter');
    await expect(message).toContainText(/A name you will recognise/);
    await input.fill('Endpoint Ollama');
    await input.press('Enter');
    await expect(message).toContainText(/The server address/);
    await input.fill(emulator.url);
    await input.press('Enter');
    await expect(message).toContainText(/The API key, if the server needs one/);
    await input.press('Enter');
    await rows.filter({ hasText: 'gemma3:1b' }).first().waitFor();
    await input.fill('gemma3:1b');
    await input.press('Enter');
    await wb.notification(/Added "Endpoint Ollama"/);
    await wb.dismissNotifications();

    await wb.runCommand('Model Manager: Start Local Endpoint');
    await wb.notification(/The local endpoint is serving at http:\/\/127\.0\.0\.1:28411 \(this window\)/);
    await wb.dismissNotifications();
    const status = wb.page.locator('.statusbar-item[id$="modelManager.endpoint"]');
    await expect(status).toContainText('127.0.0.1:28411');
    await wb.openView();
    const tree = wb.page.locator('.monaco-list-row');
    await expect(tree.filter({ hasText: 'Local Endpoint' }).first()).toContainText(/running/);
    await expect(tree.filter({ hasText: 'http://127.0.0.1:28411' }).first()).toContainText(/served by this window/);
    await wb.screenshot('review-endpoint-tree-status-bar');

    await wb.runCommand('Model Manager: Stop Local Endpoint');
    await wb.notification(/The local endpoint is stopped/);
    await wb.dismissNotifications();
    await status.waitFor({ state: 'hidden' });
    await expect(tree.filter({ hasText: 'Local Endpoint' }).first()).toContainText(/stopped/);

    const row = tree.filter({ hasText: 'Endpoint Ollama' }).first();
    await wb.contextMenu(row, 'Delete Configuration');
    await wb.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Delete' }).click();
    await expect(wb.page.locator('.welcome-view-content')).toContainText(/Add a configuration/);
  });
});
