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
    await expect(view.getByText(/^Version \d+\.\d+\.\d+$/)).toBeVisible();
  });

  it('shows the welcome view in its activity-bar container and opens the panel from it', async () => {
    const wb = workbench();
    await wb.page.getByRole('tab', { name: /^Model Manager/ }).and(wb.page.locator('.activitybar .action-item')).click();
    const welcome = wb.page.locator('.welcome-view-content');
    await expect(welcome.getByText('No AI provider configurations yet.')).toBeVisible();
    await welcome.getByRole('button', { name: 'Open Model Manager' }).click();
    await expect(wb.webview().getByRole('heading', { name: 'Model Manager' })).toBeVisible();
  });

  it('shows its log from the palette, with the activation line in it', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Show Logs');
    const output = wb.page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
    await expect(output).toBeVisible();
    await expect(wb.page.locator('.part.panel .view-lines')).toContainText(/Model Manager \d+\.\d+\.\d+ activated in/);
  });
});
