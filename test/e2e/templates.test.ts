import { expect } from './expect';
import { workbench } from './hooks';

describe('creating a configuration from a template in the palette', () => {
  it('lists templates grouped by provider, with prices, and creates one after asking for its name', async () => {
    const wb = workbench();
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    const message = wb.page.locator('.quick-input-widget .quick-input-message');
    await wb.runCommand('Model Manager: Create from Template', { keepOpen: true });
    const list = wb.page.locator('.quick-input-widget .quick-input-list');
    await expect(list).toContainText(/OpenAI/);
    await expect(list).toContainText(/per 1M tokens/);
    await wb.screenshot('review-templates-palette');
    await input.fill('Llama 3.2');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Llama 3.2 (Ollama)' }).first().waitFor();
    await input.press('Enter');
    await expect(message).toContainText(/A name for the configuration/);
    await input.fill('');
    await expect(message).toContainText(/Enter a name/);
    await input.fill('Llama from template');
    await expect(message).toContainText(/^A name for the configuration/);
    await input.press('Enter');
    // A local Ollama needs no key: an empty answer is accepted.
    await expect(message).toContainText(/API key/);
    await input.press('Enter');
    await wb.openView();
    const row = wb.page.locator('.monaco-list-row', { hasText: 'Llama from template' }).first();
    await expect(row).toContainText(/llama3\.2/);
    await wb.contextMenu(row, 'Delete Configuration');
    await wb.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Delete' }).click();
    await expect(wb.page.locator('.welcome-view-content')).toContainText(/Add a configuration/);
  });
});
