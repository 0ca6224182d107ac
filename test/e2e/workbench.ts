import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { artifactsRoot, projectRoot } from '../host/paths';
import type { Provisioned } from '../host/provision';
import { TEST_CLOCK_START } from '../host/clock';
import { freshRunFolder, startServer, testSettings, type RunningServer } from '../host/server';
import { startSettings } from '../host/startSettings';
import { until } from '../helpers/until';
import { isOfflineNoise, launchBrowser, newPage, workbenchUrl } from '../host/workbench';

/** One answer to a command's question in the quick input: a row to pick, or a value to type. */
export type QuickInputAnswer = { readonly pick: string; readonly exact?: boolean } | { readonly type: string };

/** A real VS Code workbench in headless Chromium, with the extension loaded from the source tree. */
export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly browser: Browser,
    private readonly server: RunningServer,
    readonly errors: string[],
    /** The server's user data (global storage lives below it) and the opened workspace folder. */
    readonly userDataDir: string,
    readonly workspaceFolder: string,
    /** A window opened by openWindow: closing it closes its page only. */
    private readonly secondary = false,
  ) {}

  static async open(host: Provisioned): Promise<Workbench> {
    const run = freshRunFolder('e2e');
    const folder = join(run, 'workspace');
    mkdirSync(folder, { recursive: true });
    // Trusted as npm start opens it (the trust prompt would cover the workbench); Restricted Mode is covered by the integration tier.
    const server = await startServer(host, {
      settings: { ...testSettings, ...startSettings },
      userDataDir: join(run, 'user-data'),
      extensionsDir: join(run, 'extensions'),
      // The extension runs on a clock that starts mid-month at noon UTC: no test depends on today's date.
      env: { MM_TEST_CLOCK_START: TEST_CLOCK_START },
    });
    const browser = await launchBrowser();
    const page = await newPage(browser);
    await page.bringToFront();
    const errors: string[] = [];
    page.on('pageerror', (e) => {
      if (!isOfflineNoise(e.message)) errors.push(e.message);
    });
    await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPaths: [projectRoot] }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The activity bar is the last part to render; once our container is there the workbench is usable.
    await page.getByRole('tab', { name: /^Model Manager/ }).waitFor({ timeout: 60_000 });
    return new Workbench(page, browser, server, errors, join(run, 'user-data'), folder);
  }

  /**
   * Another window on the same server and profile, as File > New Window makes it: a second tab of the same browser
   * (the same user data and browser storage) with its own extension host, on a folder of its own. Its close() closes
   * only its page, as a user closes a window: its extension host then exits.
   */
  async openWindow(folderName: string): Promise<Workbench> {
    const folder = join(dirname(this.workspaceFolder), folderName);
    mkdirSync(folder, { recursive: true });
    const page = await this.page.context().newPage();
    // A background tab does not paint (animation frames are paused): the new window is the one in front.
    await page.bringToFront();
    const errors: string[] = [];
    page.on('pageerror', (e) => {
      if (!isOfflineNoise(e.message)) errors.push(e.message);
    });
    await page.goto(workbenchUrl(this.server, { folder, extensionDevelopmentPaths: [projectRoot] }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: /^Model Manager/ }).waitFor({ timeout: 60_000 });
    return new Workbench(page, this.browser, this.server, errors, this.userDataDir, folder, true);
  }

  /**
   * Waits for a notification with this text. Toasts may stay hidden in a headless window, so it also looks in
   * the notification center, as a user would by clicking the bell. A step that runs a memory-hard KDF on a loaded
   * machine waits longer (`timeoutMs`).
   */
  async notification(text: RegExp, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const messages = this.shownMessages();
    while (Date.now() < deadline) {
      const shown = (await messages.allInnerTexts()).join('\n');
      if (text.test(shown)) return;
      if (!(await this.page.locator('.notifications-center.visible').count())) await this.openNotificationCenter();
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`No notification matching ${String(text)}; shown: ${(await messages.allInnerTexts()).join(' | ')}`);
  }

  /** The notifications there are now: the center opened (it draws its list only while open) and read. */
  async currentNotifications(): Promise<string[]> {
    if (!(await this.page.locator('.notifications-center.visible').count())) await this.openNotificationCenter();
    return this.shownMessages().allInnerTexts();
  }

  /**
   * The messages of the toasts on screen and of the open center. Not those of the closed center: it keeps the last
   * list it drew (closed notifications included) until it is opened again.
   */
  private shownMessages(): Locator {
    return this.page.locator('.notifications-toasts .notification-list-item-message, .notifications-center.visible .notification-list-item-message');
  }

  private async openNotificationCenter(): Promise<void> {
    await this.page.locator('.statusbar-item[id="status.notifications"] .statusbar-item-label, .statusbar-item[id="status.notifications"] a').first().click().catch(() => undefined);
    await this.page.locator('.notifications-center.visible').waitFor({ timeout: 2_000 }).catch(() => undefined);
  }

  /**
   * Clears the notifications and closes the center, so they neither cover what the next step clicks nor pile up
   * (the center draws only the newest few: a new message could be missed under old ones).
   */
  async dismissNotifications(): Promise<void> {
    const center = this.page.locator('.notifications-center.visible');
    if (!(await center.count())) return;
    await center.locator('.codicon-notifications-clear-all').first().click({ timeout: 2_000 }).catch(() => undefined);
    if (await center.count()) await this.page.keyboard.press('Escape');
  }

  /**
   * Clicks an inline action of a tree row, as a user does: hover, then click. A click that lands while the tree
   * redraws the row (a refresh right after a reload, on a loaded machine) meets the row with its actions hidden and
   * runs nothing: when neither a notification nor a quick input follows within 5 s, the row is hovered and clicked
   * again, up to three times. For actions that answer in a notification or a question.
   */
  async clickInlineAction(row: Locator, label: string): Promise<void> {
    await this.dismissNotifications();
    const quickInput = this.page.locator('.quick-input-widget');
    const reacted = async (): Promise<'notification' | 'question' | false> =>
      (await quickInput.isVisible()) ? 'question' : (await this.currentNotifications()).length > 0 ? 'notification' : false;
    for (let attempt = 1; ; attempt++) {
      await row.hover();
      await row.locator(`.action-label[aria-label="${label}"]`).click();
      const outcome = await until(`a notification or question after ${label}`, reacted, { timeoutMs: 5_000, intervalMs: 250 }).catch(() => false as const);
      // A command that asks which configuration got no row: the click met the tree while VS Code was listing it again.
      const lostRow = outcome === 'question' && ((await quickInput.locator('.quick-input-box input').getAttribute('placeholder').catch(() => null)) ?? '').includes('Which configuration');
      if (outcome === 'notification' || (outcome === 'question' && !lostRow)) return;
      console.log(`      ${label} on attempt ${String(attempt)}: ${lostRow ? 'the command asked which configuration (it got no row)' : 'nothing followed the click'}`);
      if (lostRow) await this.page.keyboard.press('Escape');
      if (attempt === 3) throw new Error(`Clicking ${label} on ${(await row.getAttribute('aria-label')) ?? 'the row'} three times ran no command with its row`);
    }
  }

  /**
   * Right-clicks a row and chooses an entry of its context menu. A right-click that lands while a hover tooltip or
   * a list refresh is in the way opens nothing: then it is tried again (up to three times).
   */
  async contextMenu(row: Locator, label: string): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu').first();
    const item = this.page.locator('.context-view .action-menu-item', { hasText: label }).first();
    for (let attempt = 1; ; attempt++) {
      await row.click({ button: 'right' });
      try {
        await item.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        // A menu that comes up late must be gone before the next right-click, or two are open at once.
        await this.page.keyboard.press('Escape');
        await menu.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
      }
    }
    await item.hover();
    await item.press('Enter');
    // A menu left open keeps the rest of the workbench inert (the command's quick input would take no typing).
    if (!(await menu.waitFor({ state: 'hidden', timeout: 5_000 }).then(() => true, () => false))) await this.page.keyboard.press('Escape');
  }

  /**
   * Developer: Reload Window, as a user runs it: the page loads again and a new extension host starts; waits until
   * the Model Manager container is back.
   */
  async reload(): Promise<void> {
    const reloaded = this.page.waitForEvent('load', { timeout: 60_000 });
    await this.runCommand('Developer: Reload Window', { keepOpen: true });
    await reloaded;
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.activityTab().waitFor({ timeout: 60_000 });
  }

  /**
   * Model Manager's container in the activity bar. Only there: an open Model Manager editor is a tab named
   * "Model Manager" too, and a locator matching both breaks playwright's strict mode.
   */
  private activityTab(): Locator {
    return this.page.getByRole('tab', { name: /^Model Manager/ }).and(this.page.locator('.activitybar .action-item'));
  }

  /**
   * Waits until the extension is active in this window: the status bar item is created by activate(). After a reload
   * the activity bar shows our container from package.json long before the new extension host runs on a loaded machine.
   */
  async extensionActive(): Promise<void> {
    await this.page.locator('.statusbar-item[id$="modelManager.active"]').waitFor({ timeout: 90_000 });
  }

  /** Shows the Model Manager container in the side bar. */
  async openView(): Promise<void> {
    const tab = this.activityTab();
    if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
    // Selected is not shown: a suite may have closed the side bar with Model Manager still its view (a click opens
    // it). Given time first: right after a reload the side bar is still being restored, and a click would close it.
    const sidebar = this.page.locator('.part.sidebar');
    if (!(await sidebar.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false))) await tab.click();
  }

  /**
   * Runs a command from the palette (F1) by its title, as a user would; `keepOpen` when it asks more questions.
   * `ifOffered`: a layout command that exists only in some states (what is open decides); when the palette does not
   * list it, the palette is closed and nothing happens.
   */
  async runCommand(title: string, options: { keepOpen?: boolean; ifOffered?: boolean } = {}): Promise<void> {
    const input = await this.openPalette(`>${title}`);
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    if (options.ifOffered && !(await row.waitFor({ timeout: 4_000 }).then(() => true, () => false))) {
      await input.press('Escape');
      return;
    }
    await row.waitFor();
    await input.press('Enter');
    if (!options.keepOpen) await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /**
   * Runs a command that asks in the quick input, and answers each question: picks the row with that text (`exact`:
   * the row whose label is exactly it) or types a value, then Enter. The widget is reused from question to question
   * and ignores clicks and keys while inert (closing, or slow under load): a question that does not take input within
   * 10 s is cancelled with Escape and the command run again, up to three times, as the palette itself is retried.
   * Only for commands that change nothing before their last answer.
   */
  async runCommandAnswering(title: string, answers: readonly QuickInputAnswer[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.runCommand(title, { keepOpen: true });
      try {
        await this.answerQuickInput(answers);
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
      await this.page.keyboard.press('Escape');
      await this.page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()');
      await this.page.mouse.move(1, 1);
    }
  }

  private async answerQuickInput(answers: readonly QuickInputAnswer[]): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const rows = this.page.locator('.quick-input-widget .monaco-list-row');
    for (const answer of answers) {
      await until('the quick input to take input', () => this.quickInputTakesText(), { timeoutMs: 10_000, intervalMs: 50 });
      if ('type' in answer) {
        // An input box shows no list: typed before the pick's list goes, the text would filter the list instead.
        await until('the input box (no list)', async () => !(await rows.first().isVisible()), { timeoutMs: 10_000, intervalMs: 50 });
        await input.fill(answer.type, { timeout: 5_000 });
        await input.press('Enter', { timeout: 5_000 });
      } else {
        const row = answer.exact ? rows.filter({ has: this.page.getByText(answer.pick, { exact: true }) }).first() : rows.filter({ hasText: answer.pick }).first();
        await row.click({ timeout: 5_000 });
      }
    }
  }

  /** Whether the quick input's box is shown and takes text (not inert, not playing its close animation). */
  private quickInputTakesText(): Promise<boolean> {
    return this.page
      .locator('.quick-input-widget .quick-input-box input')
      .evaluate((el) => el.checkVisibility() && el.closest('[inert], .quick-input-widget-closing') === null, undefined, { timeout: 500 })
      .catch(() => false);
  }

  /**
   * Opens the command palette and types `text` into it. The palette takes text only once it is shown and not inert:
   * while the quick input plays its close animation (after Escape, or when a webview takes the focus) the reused
   * widget is inert, and F1 pressed while the focus sits in a discarded webview frame reaches nothing. Each of those
   * is waited out by asking again, up to three times.
   */
  private async openPalette(text: string): Promise<Locator> {
    // An open dropdown (the Chat view's model picker) keeps the keyboard: the palette opened over it loses its Enter.
    await closeActionWidgets(this);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const typeable = (): Promise<boolean> => this.quickInputTakesText();
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      // Generous: a window that has just started (or a machine under load) may take seconds to show the palette.
      const ready = await until('the command palette to take text', typeable, { timeoutMs: 10_000, intervalMs: 50 }).then(() => true, () => false);
      if (ready) {
        try {
          await input.fill(text, { timeout: 5_000 });
          return input;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      } else if (attempt === 3) {
        throw new Error(`The command palette did not open ready for text (to type "${text}").`);
      }
      await this.page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()');
      await this.page.mouse.move(1, 1);
    }
  }

  /** The content frame of the webview whose tab is active (each webview is an iframe inside an iframe). */
  webview(): FrameLocator {
    return this.page.locator('iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame();
  }

  /**
   * What a failed test's summary line cannot say, kept short for the end of a CI log: the notifications on screen or
   * in the center, what the window's title and active editor are, and the last lines of Model Manager's own log.
   */
  async diagnosis(): Promise<string[]> {
    const lines: string[] = [];
    const read = async (what: string, get: () => Promise<string>): Promise<void> => {
      try {
        lines.push(`${what}: ${(await get()).replace(/\s+/g, ' ').trim().slice(0, 300) || '(none)'}`);
      } catch (error) {
        lines.push(`${what}: could not be read (${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)})`);
      }
    };
    await read('notifications', async () => (await this.currentNotifications()).join(' | '));
    await read('active tab', async () => (await this.page.locator('.tab.active').allInnerTexts()).join(' | '));
    await read('quick input', async () => ((await this.page.locator('.quick-input-widget').isVisible()) ? await this.page.locator('.quick-input-widget').innerText({ timeout: 1_000 }) : 'closed'));
    const log = newestFile(join(this.userDataDir, 'logs'), 'Model Manager.log');
    if (log) lines.push(...readFileSync(log, 'utf8').trimEnd().split('\n').slice(-8).map((l) => `log: ${l.slice(0, 300)}`));
    else lines.push('log: no Model Manager.log under the user data folder');
    return lines;
  }

  async screenshot(name: string): Promise<string> {
    const folder = join(artifactsRoot, 'e2e');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${name.replace(/[^\w.-]+/g, '-').slice(0, 120)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    if (this.secondary) {
      // The page's unload handlers run, as when a user closes a window: the workbench tells its extension host to end.
      await this.page.close({ runBeforeUnload: true });
      return;
    }
    await this.browser.close();
    await this.server.stop();
  }
}

/** Closes open dropdowns and their submenus (VS Code's action widgets) with Escape, as a user would. */
export async function closeActionWidgets(wb: Pick<Workbench, 'page'>): Promise<void> {
  const open = wb.page.locator('.action-widget').filter({ visible: true });
  for (let attempt = 0; attempt < 5 && (await open.count()) > 0; attempt++) await wb.page.keyboard.press('Escape');
}

/** Switches between the light and dark theme from the palette, as a user would. */
export async function toggleTheme(wb: Workbench): Promise<void> {
  await wb.runCommand('Preferences: Toggle between Light/Dark Themes');
  // The webview receives the new --vscode-* variables a moment after the workbench repaints.
  await new Promise((r) => setTimeout(r, 600));
}

/** The most recently written file of this name below a folder (each window and reload logs into a folder of its own). */
function newestFile(folder: string, name: string): string | undefined {
  if (!existsSync(folder)) return undefined;
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === name)
    .map((entry) => join(entry.parentPath, entry.name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}
