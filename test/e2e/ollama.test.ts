import { startOllamaEmulator } from '../emulators';
import { expect } from './expect';
import { workbench } from './hooks';
import { addThroughPalette, suiteWithEmulators } from './suite';

describe('a local Ollama through the palette and the tree', () => {
  const emulators = suiteWithEmulators({ ollama: () => startOllamaEmulator() });

  it('adds an Ollama server, lists its installed models in the tree, and pulls a model with progress after refusing a bad name', async () => {
    const wb = workbench();
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    const message = wb.page.locator('.quick-input-widget .quick-input-message');
    // A local Ollama needs no key: an empty answer is accepted.
    await addThroughPalette(wb, { provider: 'Ollama', name: 'Home Ollama', url: emulators.ollama.url, model: 'gemma3:1b' });

    await wb.openView();
    const row = wb.page.locator('.monaco-list-row', { hasText: 'Home Ollama' }).first();
    await expect(row).toBeVisible();
    await row.locator('.monaco-tl-twistie').click();
    await expect(wb.page.locator('.monaco-list-row', { hasText: 'gemma3:1b' })).toBeVisible();

    await wb.contextMenu(row, 'Pull Ollama Model');
    await expect(message).toContainText(/The model to download/);
    await input.fill('no spaces allowed');
    await expect(message).toContainText(/looks like llama3\.2/);
    await input.fill('gemma3:1b');
    await expect(message).toContainText(/^The model to download/);
    await input.press('Enter');
    await wb.notification(/Pulled gemma3:1b into "Home Ollama" \(success\)/);
    await wb.dismissNotifications();
    await wb.screenshot('review-ollama');

    await wb.contextMenu(row, 'Delete Configuration');
    await wb.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Delete' }).click();
    await expect(wb.page.locator('.welcome-view-content')).toContainText(/Add a configuration/);
  });
});
