import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { artifactsRoot, projectRoot } from '../host/paths';
import type { Provisioned } from '../host/provision';
import { freshRunFolder, startServer, type RunningServer } from '../host/server';
import { isOfflineNoise, launchBrowser, newPage, workbenchUrl } from '../host/workbench';

/** A real VS Code workbench in headless Chromium, with the extension loaded from the source tree. */
export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly browser: Browser,
    private readonly server: RunningServer,
    readonly errors: string[],
  ) {}

  static async open(host: Provisioned): Promise<Workbench> {
    const run = freshRunFolder('e2e');
    const folder = join(run, 'workspace');
    mkdirSync(folder, { recursive: true });
    // The trust prompt is a modal that would cover the workbench; Restricted Mode is covered by the integration tier.
    const server = await startServer(host, {
      settings: { 'security.workspace.trust.enabled': false },
      userDataDir: join(run, 'user-data'),
      extensionsDir: join(run, 'extensions'),
    });
    const browser = await launchBrowser();
    const page = await newPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => {
      if (!isOfflineNoise(e.message)) errors.push(e.message);
    });
    await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPaths: [projectRoot] }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The activity bar is the last part to render; once our container is there the workbench is usable.
    await page.getByRole('tab', { name: /^Model Manager/ }).waitFor({ timeout: 60_000 });
    return new Workbench(page, browser, server, errors);
  }

  /** Runs a command from the palette (F1) by its title, as a user would. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The content frame of the webview whose tab is active (each webview is an iframe inside an iframe). */
  webview(): FrameLocator {
    return this.page.locator('iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame();
  }

  async screenshot(name: string): Promise<string> {
    const folder = join(artifactsRoot, 'e2e');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${name.replace(/[^\w.-]+/g, '-').slice(0, 120)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
  }
}
