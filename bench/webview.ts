import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot } from '../test/host/paths';
import { provision } from '../test/host/provision';
import { freshRunFolder, startServer } from '../test/host/server';
import { installVsix, packageVsix } from '../test/host/vsix';
import { launchBrowser, newPage, workbenchUrl } from '../test/host/workbench';
import { emit, median, note } from './result';

const RUNS = 7;

/** From pressing Enter on the palette command to the first contentful paint inside the panel's frame. */
async function openAndTime(page: Page, title: string, heading: RegExp): Promise<number> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
  const started = await page.evaluate(() => performance.timeOrigin + performance.now());
  await input.press('Enter');
  const frame = page.locator('iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame();
  await frame.getByRole('heading', { name: heading }).first().waitFor({ timeout: 30_000 });
  const painted = await frame.locator('body').evaluate(async () => {
    for (let i = 0; i < 200; i++) {
      const entry = performance.getEntriesByName('first-contentful-paint')[0];
      if (entry) return performance.timeOrigin + entry.startTime;
      await new Promise((r) => setTimeout(r, 10));
    }
    return Number.NaN;
  });
  if (!Number.isFinite(painted)) throw new Error(`no first-contentful-paint entry for ${title}`);
  await page.keyboard.press('Control+w').catch(() => undefined);
  await page.locator('iframe.webview.ready').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  return painted - started;
}

/** The panel's first paint in the real VS Code against an empty webview's, and the webview bundle's size. */
export async function run(): Promise<void> {
  const host = await provision(note);
  const vsix = await packageVsix({ outputToStderr: true });
  const run = freshRunFolder('bench-webview');
  const extensionsDir = join(run, 'extensions');
  await installVsix(host, vsix, extensionsDir, { outputToStderr: true });
  mkdirSync(join(run, 'workspace'), { recursive: true });
  const server = await startServer(host, {
    settings: { 'security.workspace.trust.enabled': false },
    userDataDir: join(run, 'user-data'),
    extensionsDir,
  });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    await page.goto(workbenchUrl(server, { folder: join(run, 'workspace'), extensionDevelopmentPaths: [join(projectRoot, 'test', 'host', 'webview-probe')] }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: /^Model Manager/ }).waitFor({ timeout: 60_000 });
    const ours: number[] = [];
    const empty: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await openAndTime(page, 'Model Manager: Open Model Manager', /Model Manager/));
      empty.push(await openAndTime(page, 'Probe: Open Empty Webview', /Empty/));
      note(`run ${String(i + 1)}: Model Manager ${ours.at(-1)?.toFixed(0) ?? ''} ms, empty webview ${empty.at(-1)?.toFixed(0) ?? ''} ms`);
    }
    const value = median(ours);
    emit({ bench: 'webview', metric: 'first_paint_ms', value, unit: 'ms', baseline: 'an empty webview opened by a command', ratio: value / median(empty), goal: '<=200' });
  } finally {
    await browser.close();
    await server.stop();
  }
  // Every chunk counts: the dashboard and its charts load on first use, but they are the webview's JavaScript too.
  const folder = join(projectRoot, 'dist', 'webview');
  const files = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.js'));
  const bytes = files.reduce((sum, d) => sum + statSync(join(d.parentPath, d.name)).size, 0);
  emit({ bench: 'webview', metric: 'bundle_kb', value: bytes / 1024, unit: 'KB', goal: '<=250' });
}
