import { startLiteLLMEmulator, type LiteLLMEmulator } from '../emulators';
import { deleteThroughTree } from './chatSetup';
import { expect } from './expect';
import { workbench } from './hooks';
import { pick, waitForPrompt } from './quickInput';
import { toggleTheme, type Workbench } from './workbench';

async function answer(wb: Workbench, value: string, message: RegExp): Promise<void> {
  await wb.page.locator('.quick-input-widget .quick-input-box input').fill(value);
  await expect(wb.page.locator('.quick-input-widget .quick-input-message')).toContainText(message);
}

/** An element's box on the page, as getBoundingClientRect gives it. */
interface Box {
  readonly top: number;
  readonly bottom: number;
}

describe('the usage dashboard\'s team gateway budget card for a LiteLLM configuration', function () {
  this.timeout(180_000);
  let proxy: LiteLLMEmulator;

  before(async () => {
    proxy = await startLiteLLMEmulator();
    const wb = workbench();
    await wb.runCommand('Model Manager: Add Configuration', { keepOpen: true });
    await pick(wb, 'LiteLLM Proxy');
    await waitForPrompt(wb, /A name you will recognise/);
    await answer(wb, 'Team LiteLLM', /^A name you will recognise/);
    await wb.page.keyboard.press('Enter');
    await waitForPrompt(wb, /The server address/);
    await answer(wb, `${proxy.url}/v1`, /^The server address/);
    await wb.page.keyboard.press('Enter');
    await waitForPrompt(wb, /The API key/);
    await answer(wb, proxy.virtualKey, /^The API key/);
    await wb.page.keyboard.press('Enter');
    await pick(wb, 'gpt-4o-mini');
    await wb.notification(/Added "Team LiteLLM"/);
    await wb.dismissNotifications();
  });

  after(async () => {
    const wb = workbench();
    await wb.runCommand('View: Close All Editors', { ifOffered: true });
    await deleteThroughTree(wb, ['Team LiteLLM']);
    await proxy.close();
  });

  it('says "not checked yet" when the dashboard opens before any health check, then reads the proxy itself', async () => {
    const wb = workbench();
    // A slow proxy: the card is up, "not checked yet", well before its answer.
    proxy.inject({ path: /^\/key\/info/, delayMs: 8_000 });
    await wb.runCommand('Model Manager: Open Usage Dashboard');
    const card = wb.webview().locator('.gateway-card[data-configuration="Team LiteLLM"]');
    await expect(card).toBeVisible(60_000);
    await expect(card).toContainText('Not checked yet');
    await expect(card).toContainText('$12.40 of $50.00 left');
    await wb.runCommand('View: Close All Editors', { ifOffered: true });
  });

  it('shows what is left of the key\'s budget beside the local figures, and follows the proxy after "Check now", in light and dark', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Check Health of All Configurations');
    await wb.notification(/All \d+ active configurations answered/);
    await wb.dismissNotifications();
    await wb.runCommand('Model Manager: Open Usage Dashboard');
    const view = wb.webview();
    const card = view.locator('.gateway-card[data-configuration="Team LiteLLM"]');
    await expect(card).toBeVisible(60_000);
    await expect(card).toContainText('$12.40 of $50.00 left');
    await expect(card).toContainText(/Spent on the gateway\s*\$37\.60/);
    await expect(card).toContainText(/Alert at\s*\$40\.00/);
    await expect(card).toContainText(/Key\s*platform-team-dev/);
    // The health check's one request (no tokens, at the catalog's price): one request, not "1 requests".
    await expect(card).toContainText(/From here in this period: \$0\.00 \(1 request\)/);
    await expect(card.locator('meter')).toBeVisible();
    await card.scrollIntoViewIfNeeded();
    await wb.screenshot('gateway-budget-card-light');
    await toggleTheme(wb);
    await wb.screenshot('gateway-budget-card-dark');
    await toggleTheme(wb);

    // The team spends elsewhere; the dashboard's own health check reads the proxy again and the card follows.
    proxy.setKeyInfo({ spend: 45 });
    await view.locator('#usage-health').locator('xpath=..').locator('vscode-button', { hasText: 'Check now' }).click();
    await expect(card).toContainText('$5.00 of $50.00 left');
    proxy.refuseKeyInfo(403);
    await view.locator('#usage-health').locator('xpath=..').locator('vscode-button', { hasText: 'Check now' }).click();
    await expect(card).toContainText('Not reported: this LiteLLM key may not read /key/info.');
    const text = await card.innerText();
    if (text.includes(proxy.virtualKey)) throw new Error('the card shows the key');
  });

  it('lays the dashboard out in a narrow (≈730 px) and a wide (≈1400 px) editor: the card keeps its width, the table fits, health icons sit beside their words', async () => {
    const wb = workbench();
    const view = wb.webview();
    const card = view.locator('.gateway-card[data-configuration="Team LiteLLM"]');
    await expect(card).toBeVisible();
    const editorWidth = (): Promise<number> => wb.page.locator('.editor-group-container').first().evaluate((e: { clientWidth: number }) => e.clientWidth);
    // The side bars take what they take: the window is sized so that the editor itself is about as wide as wanted.
    const around = await editorWidth();
    const measure = async (wanted: number) => {
      await wb.page.setViewportSize({ width: 1400 - around + wanted, height: 900 });
      await new Promise((r) => setTimeout(r, 800));
      const editor = await editorWidth();
      const cardWidth = await card.evaluate((e: { clientWidth: number }) => e.clientWidth);
      const [scrollWidth, clientWidth] = await view.locator('#usage-by-configuration').locator('xpath=..').locator('.table-scroll')
        .evaluate((e: { scrollWidth: number; clientWidth: number }) => [e.scrollWidth, e.clientWidth]);
      const [icon, state] = await view.locator('tr[data-configuration="Team LiteLLM"] .health-state').first()
        .evaluate((e: { children: ArrayLike<{ getBoundingClientRect(): Box }>; getBoundingClientRect(): Box }): (Box | undefined)[] => [e.children[0]?.getBoundingClientRect(), e.getBoundingClientRect()]);
      return { editor, cardWidth, scrollWidth, clientWidth, icon, state };
    };
    try {
      const wide = await measure(1400);
      await wb.screenshot('review-usage-dashboard-wide');
      const narrow = await measure(730);
      await wb.screenshot('review-usage-dashboard-narrow');
      const where = `editors of ${String(narrow.editor)} and ${String(wide.editor)} px`;
      if (wide.editor < 1300 || narrow.editor > 800) throw new Error(`the editor was not narrow and wide: ${where}`);
      if (Math.abs(wide.cardWidth - narrow.cardWidth) > 2) throw new Error(`the gateway card is ${String(narrow.cardWidth)} px wide in the narrow editor and ${String(wide.cardWidth)} px in the wide one (${where})`);
      if (wide.scrollWidth > wide.clientWidth + 1) throw new Error(`"By configuration" overflows its section in the wide editor: ${String(wide.scrollWidth)} px in ${String(wide.clientWidth)} px`);
      for (const { icon, state } of [wide, narrow]) {
        if (!icon || !state) throw new Error('no health icon');
        // One line: the icon is on the word's line, its middle at the line's middle.
        if (state.bottom - state.top > 24) throw new Error(`the health cell's icon and word take ${String(state.bottom - state.top)} px: the icon sits above the word`);
        if (Math.abs((icon.top + icon.bottom) / 2 - (state.top + state.bottom) / 2) > 3) throw new Error('the health icon is not centred on its word');
      }
    } finally {
      await wb.page.setViewportSize({ width: 1400, height: 900 });
    }
  });
});
