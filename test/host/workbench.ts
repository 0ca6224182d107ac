import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from './paths';
import type { RunningServer } from './server';

/** The flags that keep Debian's Chromium headless, sandbox-free (root) and off the network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

export interface WorkbenchUrlOptions {
  readonly folder: string;
  readonly extensionDevelopmentPaths?: readonly string[];
  readonly extensionTestsPath?: string;
}

/** The workbench URL with the development payload the smoke-test driver honours (see VSCODE-HOST.md). */
export function workbenchUrl(server: RunningServer, options: WorkbenchUrlOptions): string {
  const remote = (path: string): string => `vscode-remote://127.0.0.1:${String(server.port)}${path}`;
  const payload: [string, string][] = [];
  for (const path of options.extensionDevelopmentPaths ?? []) payload.push(['extensionDevelopmentPath', remote(path)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  return `${server.origin}/?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Browser noise that says nothing about our extension: the offline marketplace and GitHub, service workers, vsda. */
export function isOfflineNoise(text: string): boolean {
  return /open-vsx\.org|api\.github\.com|marketplace|service-?worker|vsda|Failed to load resource|net::ERR_/i.test(text);
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  return context.newPage();
}
