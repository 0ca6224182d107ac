import { expect } from './expect';
import { workbench } from './hooks';

describe('Model Manager in the VS Code workbench', () => {
  it('opens its panel from the command palette and shows it under the strict CSP', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Open Model Manager');
    const tab = wb.page.getByRole('tab', { name: /^Model Manager/ }).and(wb.page.locator('.tabs-container .tab'));
    await expect(tab).toBeVisible();
    const view = wb.webview();
    await expect(view.getByRole('heading', { name: 'Model Manager' })).toBeVisible();
    await expect(view.getByText('No AI provider configurations yet.')).toBeVisible();
    await expect(view.getByRole('button', { name: 'Add configuration' })).toBeVisible();
  });

  it('shows the welcome view in its activity-bar container, whose button starts adding a configuration', async () => {
    const wb = workbench();
    await wb.openView();
    const welcome = wb.page.locator('.welcome-view-content');
    await expect(welcome.getByText(/Keep every AI provider configuration in one place/)).toBeVisible();
    await expect(welcome.getByRole('button', { name: 'Detect local Ollama' })).toBeVisible();
    await welcome.getByRole('button', { name: 'Add a configuration' }).click();
    await expect(wb.page.locator('.quick-input-widget .monaco-list-row')).toContainText(/Anthropic[\s\S]*LM Studio/);
    await wb.page.keyboard.press('Escape');
  });

  it('shows its log from the palette, with the activation line in it', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Show Logs');
    const output = wb.page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
    await expect(output).toBeVisible();
    // The output follows the end of the log; the activation line is its first line, however much came after it.
    await wb.page.locator('.part.panel .view-lines').first().click();
    await wb.page.keyboard.press('Control+Home');
    await expect(wb.page.locator('.part.panel .view-lines')).toContainText(/Model Manager \d+\.\d+\.\d+ activated in/);
  });
});
