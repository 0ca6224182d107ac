import { startOllamaEmulator } from '../emulators';
import { expect } from './expect';
import { workbench } from './hooks';
import { addThroughPalette, suiteWithEmulators } from './suite';
import { toggleTheme, type Workbench } from './workbench';

function quickInput(wb: Workbench) {
  return {
    input: wb.page.locator('.quick-input-widget .quick-input-box input'),
    message: wb.page.locator('.quick-input-widget .quick-input-message'),
    rows: wb.page.locator('.quick-input-widget .monaco-list-row'),
  };
}

describe('route groups through the palette, the tree and the Model Manager editor', () => {
  // Local Ollama configurations through the palette: the shortest way to have members for a group.
  suiteWithEmulators({ ollama: () => startOllamaEmulator() }, {
    setUp: async ({ ollama }) => {
      for (const name of ['Ollama North', 'Ollama South']) await addThroughPalette(workbench(), { provider: 'Ollama', name, url: ollama.url, model: 'gemma3:1b' });
    },
  });

  it('creates a fallback group through the palette quick picks, with an inline check on the name, and shows it in the tree', async () => {
    const wb = workbench();
    const { input, message, rows } = quickInput(wb);
    await wb.runCommand('Model Manager: Create Route Group', { keepOpen: true });
    await expect(message).toContainText(/A name for the group/);
    await input.fill('   ');
    await expect(message).toContainText(/Enter a name for the route group/);
    await input.fill('x'.repeat(81));
    await expect(message).toContainText(/too long/);
    await input.fill('Local pair');
    await expect(message).toContainText(/^A name for the group/);
    await input.press('Enter');
    await rows.filter({ hasText: 'Weighted round-robin' }).first().waitFor();
    await expect(rows.filter({ hasText: 'Fallback' }).first()).toContainText(/next one only when it fails/);
    await input.fill('Fallback');
    await input.press('Enter');
    // Members: a multi-select; both configurations ticked.
    await rows.filter({ hasText: 'Ollama North' }).first().waitFor();
    for (const name of ['Ollama North', 'Ollama South']) await rows.filter({ hasText: name }).first().click();
    await expect(wb.page.locator('.quick-input-widget .quick-input-count')).toContainText('2 Selected');
    await input.press('Enter');
    await wb.page.locator('.quick-input-widget .quick-input-box input[placeholder*="tried first"]').waitFor();
    await input.fill('Ollama South');
    await rows.filter({ hasText: 'Ollama South' }).first().waitFor();
    await input.press('Enter');
    // Settings: nothing ticked keeps the defaults.
    await rows.filter({ hasText: 'Fall back on key errors' }).first().waitFor();
    await input.press('Enter');
    await wb.notification(/Created the route group "Local pair"/);
    await wb.dismissNotifications();

    await wb.openView();
    const tree = wb.page.locator('.monaco-list-row');
    await expect(tree.filter({ hasText: 'Route Groups' }).first()).toBeVisible();
    await expect(tree.filter({ hasText: 'Local pair' }).first()).toContainText(/fallback · 2 members/);
    await expect(tree.filter({ hasText: '1. Ollama South' }).first()).toContainText(/gemma3:1b · healthy/);
    await expect(tree.filter({ hasText: '2. Ollama North' }).first()).toBeVisible();
    await wb.screenshot('review-route-groups-tree');
  });

  it('tests the group from its inline action: the first member answers, and says why', async () => {
    const wb = workbench();
    const row = wb.page.locator('.monaco-list-row', { hasText: 'Local pair' }).first();
    await wb.clickInlineAction(row, 'Test Route Group');
    await wb.notification(/"Local pair": Ollama South \(gemma3:1b\) answered\. Why: fallback: the first member that is up/);
    await wb.dismissNotifications();
  });

  it('creates a weighted group through the webview form (refused empty), tests and reorders a group there, in the light and the dark theme', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Open Model Manager');
    const view = wb.webview();
    await view.getByRole('button', { name: 'Route groups' }).click();
    await expect(view.getByRole('heading', { name: 'Route groups' })).toBeVisible();
    await expect(view.locator('.route-group-row', { hasText: 'Local pair' })).toContainText(/Ollama South[\s\S]*healthy/);
    await view.getByRole('button', { name: 'New route group' }).click();
    await view.getByRole('button', { name: 'Save' }).click();
    await expect(view.locator('[data-field="name"] .field-error')).toContainText('enter a name');
    await expect(view.locator('#members-error')).toContainText('tick at least one configuration');
    await view.locator('vscode-textfield#name').locator('input').fill('Balanced');
    await view.locator('select#strategy').selectOption('weighted-round-robin');
    await expect(view.locator('[data-field="strategy"] .help')).toContainText(/in proportion to their weights/);
    await view.getByRole('checkbox', { name: /Ollama North/ }).check();
    await view.getByRole('checkbox', { name: /Ollama South/ }).check();
    await view.locator('vscode-textfield[aria-label="Weight of Ollama North"]').locator('input').fill('3');
    await wb.screenshot('review-route-group-form-light');
    await view.getByRole('button', { name: 'Save' }).click();
    await expect(view.locator('.notice')).toContainText('Saved the route group "Balanced".');
    const balanced = view.locator('.route-group-row', { hasText: 'Balanced' });
    await expect(balanced).toContainText(/Weighted round-robin/);
    await expect(balanced).toContainText(/Ollama North · gemma3:1b · weight 3 · healthy/);
    const pair = view.locator('.route-group-row', { hasText: 'Local pair' });
    await pair.getByRole('button', { name: 'Test "Local pair"' }).click();
    await expect(pair.locator('.route-test')).toContainText(/Ollama South \(gemma3:1b\) answered\. Why: fallback: the first member that is up\./);
    await wb.screenshot('review-route-groups-light');
    await toggleTheme(wb);
    await expect(view.getByRole('heading', { name: 'Route groups' })).toBeVisible();
    await wb.screenshot('review-route-groups-dark');
    await toggleTheme(wb);

    // Edit: the fallback order changes with the arrows, and the list follows.
    await pair.getByRole('button', { name: 'Edit "Local pair"' }).click();
    await expect(view.getByRole('heading', { name: 'Edit route group "Local pair"' })).toBeVisible();
    await view.getByRole('button', { name: 'Move Ollama North up' }).click();
    await expect(view.locator('.member-row.chosen').first()).toContainText(/1\.\s*Ollama North/);
    await view.getByRole('button', { name: 'Save' }).click();
    await expect(view.locator('.notice')).toContainText('Saved the route group "Local pair".');
    await expect(view.locator('.route-group-row', { hasText: 'Local pair' }).locator('.member-summary li').first()).toContainText('Ollama North');

    await wb.openView();
    await expect(wb.page.locator('.monaco-list-row', { hasText: 'Balanced' }).first()).toContainText(/weighted round-robin · 2 members/);
  });

  it('deletes a group from the tree after the confirmation dialog, then cleans up', async () => {
    const wb = workbench();
    await wb.openView();
    const row = wb.page.locator('.monaco-list-row', { hasText: 'Balanced' }).first();
    await wb.contextMenu(row, 'Delete Route Group');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await expect(dialog).toContainText(/Delete the route group "Balanced"\?/);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await wb.page.locator('.monaco-list-row', { hasText: 'Balanced' }).first().waitFor({ state: 'detached' });
    // The open editor hears of it too: the group leaves its list without a reload.
    await wb.webview().locator('.route-group-row', { hasText: 'Balanced' }).waitFor({ state: 'detached' });
    await expect(wb.webview().locator('.route-group-row', { hasText: 'Local pair' })).toBeVisible();

    // Leave the workbench as the other suites expect it: no groups, no configurations.
    const pair = wb.page.locator('.monaco-list-row', { hasText: 'Local pair' }).first();
    await wb.contextMenu(pair, 'Delete Route Group');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    for (const name of ['Ollama North', 'Ollama South']) {
      await wb.contextMenu(wb.page.locator('.monaco-list-row', { hasText: name }).first(), 'Delete Configuration');
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await wb.page.locator('.monaco-list-row', { hasText: name }).first().waitFor({ state: 'detached' });
    }
    await expect(wb.page.locator('.welcome-view-content')).toContainText(/Add a configuration/);
    // The editor would otherwise stay on its Route Groups screen for the suites after this one.
    await wb.runCommand('View: Close All Editors');
  });
});
