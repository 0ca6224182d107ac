import { startOllamaEmulator } from '../emulators';
import { expect } from './expect';
import { workbench } from './hooks';
import { addThroughPalette, suiteWithEmulators } from './suite';

describe('the local endpoint in the workbench', () => {
  const emulators = suiteWithEmulators({ ollama: () => startOllamaEmulator() });

  it('Start Local Endpoint from the palette shows the endpoint in the tree\'s Local Endpoint section and in the status bar; Stop hides it', async () => {
    const wb = workbench();
    // A configuration, so the tree has its sections (with none it shows its welcome instead).
    await addThroughPalette(wb, { provider: 'Ollama', name: 'Endpoint Ollama', url: emulators.ollama.url, model: 'gemma3:1b' });

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
