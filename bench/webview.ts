import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { projectRoot } from '../test/host/paths';
import { provision } from '../test/host/provision';
import { freshRunFolder, startServer } from '../test/host/server';
import { installVsix, packageVsix } from '../test/host/vsix';
import { launchBrowser, newPage, workbenchUrl } from '../test/host/workbench';
import { emit, median, note } from './result';

// MM_BENCH_RUNS overrides the count for a quick look; the figures of record use the default.
const RUNS = Number(process.env.MM_BENCH_RUNS ?? 11);

interface WebviewPage {
  /** The palette command that opens it. */
  readonly command: string;
  /** An element only the page's script renders: its first screen is drawn once this exists. */
  readonly drawn?: string;
  /** The heading of a page without a script. */
  readonly heading?: RegExp;
}

const EDITOR: WebviewPage = { command: 'Model Manager: Open Model Manager', drawn: '#app vscode-button' };
const CHAT: WebviewPage = { command: 'Model Manager: Open Chat', drawn: '#app textarea' };
const EMPTY: WebviewPage = { command: 'Probe: Open Empty Webview', heading: /Empty/ };

interface Opened {
  /** From pressing Enter on the palette command to the first contentful paint inside the panel's frame. */
  readonly paintMs: number;
  /** The scripts the page had fetched when its first screen was drawn (addresses). */
  readonly scripts: readonly string[];
  /** Where the time went, in ms from pressing Enter: the webview host's own marks and each resource's end, by name. */
  readonly phases: Readonly<Record<string, number>>;
}

async function open(page: Page, which: WebviewPage): Promise<Opened> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(`>${which.command}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: which.command }).first().waitFor();
  const started = await page.evaluate(() => performance.timeOrigin + performance.now());
  await input.press('Enter');
  const frame: FrameLocator = page.locator('iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame();
  const ready = which.drawn ? frame.locator(which.drawn) : frame.getByRole('heading', { name: which.heading ?? /./ });
  await ready.first().waitFor({ state: 'attached', timeout: 30_000 });
  const measured = await frame.locator('body').evaluate(async (_body, drawn) => {
    // Poll every frame: the scripts fetched by the time the first screen exists are the ones its paint needed.
    for (let i = 0; drawn && i < 3000 && !document.querySelector(drawn); i++) await new Promise((r) => requestAnimationFrame(r));
    if (drawn && !document.querySelector(drawn)) return undefined;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const scripts = resources.map((e) => e.name).filter((name) => /\.js(\?|#|$)/.test(name));
    const ended: (readonly [string, number])[] = resources.map((e) => [e.name.replace(/^.*\//, '').replace(/[?#].*$/, ''), performance.timeOrigin + e.responseEnd] as const);
    // The largest paint so far: once the first screen is drawn, usually that screen (its list or form). Only on a page
    // with scripts: in the empty page's frame (no scripts allowed) no observer or timer callback ever runs.
    const largest = !drawn ? [] : await new Promise<PerformanceEntry[]>((resolve) => {
      new PerformanceObserver((list, observer) => {
        observer.disconnect();
        resolve(list.getEntries());
      }).observe({ type: 'largest-contentful-paint', buffered: true });
      setTimeout(() => { resolve([]); }, 500);
    });
    const lcp = largest.at(-1);
    if (lcp) ended.push(['largest-contentful-paint', performance.timeOrigin + lcp.startTime]);
    for (let i = 0; i < 200; i++) {
      const entry = performance.getEntriesByName('first-contentful-paint')[0];
      if (entry) return { painted: performance.timeOrigin + entry.startTime, scripts, ended };
      await new Promise((r) => setTimeout(r, 10));
    }
    return undefined;
  }, which.drawn ?? '');
  if (!measured) throw new Error(`${which.command}: no first-contentful-paint entry, or its first screen never appeared`);
  // The webview host (index.html) marks when it got the page and wrote it into the frame that is shown once loaded.
  const marks = await page.locator('iframe.webview.ready').last().contentFrame().locator('body').evaluate(() =>
    performance.getEntriesByType('mark').filter((m) => m.name.startsWith('webview/index.html/')).map((m) => [m.name.replace('webview/index.html/', ''), performance.timeOrigin + m.startTime] as const),
  );
  const phases: Record<string, number> = {};
  for (const [name, at] of [...marks, ...measured.ended]) phases[name] = Math.max(phases[name] ?? 0, at - started);
  await page.keyboard.press('Control+w').catch(() => undefined);
  await page.locator('iframe.webview.ready').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  return { paintMs: measured.painted - started, scripts: measured.scripts, phases };
}

/** The median time of each phase over the opens that had it, in the order they happen. */
function phaseMedians(opened: readonly Opened[]): string {
  const names = [...new Set(opened.flatMap((o) => Object.keys(o.phases)))];
  const rows = names.map((name) => [name, median(opened.flatMap((o) => (o.phases[name] === undefined ? [] : [o.phases[name]])))] as const);
  rows.push(['first-contentful-paint', median(opened.map((o) => o.paintMs))]);
  return rows.sort((a, b) => a[1] - b[1]).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ');
}

/** Kilobytes of the built files behind the script addresses a page fetched (the installed VSIX holds the same dist/). */
function scriptKb(scripts: readonly string[]): number {
  const files = new Set(scripts.map((address) => /\/dist\/webview\/(.+\.js)/.exec(decodeURIComponent(new URL(address).pathname))?.[1]));
  files.delete(undefined);
  if (files.size === 0) throw new Error(`no script of dist/webview among the page's resources: ${scripts.join(', ')}`);
  let bytes = 0;
  for (const file of files) if (file) bytes += statSync(join(projectRoot, 'dist', 'webview', file)).size;
  return bytes / 1024;
}

/** The editor's and the chat page's first paint in the real VS Code against an empty webview's, and the JavaScript each loads for it. */
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
    const editor: Opened[] = [];
    const chat: Opened[] = [];
    const empty: number[] = [];
    const emptyForChat: number[] = [];
    const emptyOpened: Opened[] = [];
    const openEmpty = async (): Promise<number> => {
      const opened = await open(page, EMPTY);
      emptyOpened.push(opened);
      return opened.paintMs;
    };
    // Warm-up: the first open activates the extension (measured by the activation bench) and fills VS Code's caches.
    for (const which of [EMPTY, EDITOR, CHAT]) await open(page, which);
    for (let i = 0; i < RUNS; i++) {
      // Each page is paired with an empty webview opened just before or after it, the order alternating.
      const order = i % 2 === 0;
      if (order) empty.push(await openEmpty());
      editor.push(await open(page, EDITOR));
      if (!order) empty.push(await openEmpty());
      if (!order) emptyForChat.push(await openEmpty());
      chat.push(await open(page, CHAT));
      if (order) emptyForChat.push(await openEmpty());
      note(`run ${String(i + 1)}: Model Manager ${editor.at(-1)?.paintMs.toFixed(0) ?? ''} ms, chat ${chat.at(-1)?.paintMs.toFixed(0) ?? ''} ms, empty webview ${empty.at(-1)?.toFixed(0) ?? ''} / ${emptyForChat.at(-1)?.toFixed(0) ?? ''} ms`);
    }
    for (const [label, opened] of [['editor', editor], ['chat', chat], ['empty webview', emptyOpened]] as const) {
      note(`${label} (median ms from Enter): ${phaseMedians(opened)}`);
      // VS Code's part (creating the webview, up to writing the page into its frame) apart from the page's own.
      const written = opened.map((o) => o.phases['content/wroteInnerContent'] ?? Number.NaN);
      note(`${label}: Enter to page written ${median(written).toFixed(0)} ms, page written to first paint ${median(opened.map((o, i) => o.paintMs - (written[i] ?? Number.NaN))).toFixed(0)} ms (medians)`);
    }
    const baseline = 'an empty webview opened by a command, same run, paired';
    const editorRatios = editor.map((o, i) => o.paintMs / (empty[i] ?? Number.NaN));
    const chatRatios = chat.map((o, i) => o.paintMs / (emptyForChat[i] ?? Number.NaN));
    const editorMs = editor.map((o) => o.paintMs);
    const chatMs = chat.map((o) => o.paintMs);
    note(`empty webview: median ${median(empty).toFixed(0)} ms (paired with the editor), ${median(emptyForChat).toFixed(0)} ms (paired with the chat)`);
    emit({ bench: 'webview', metric: 'first_paint_ms', value: median(editorMs), unit: 'ms', baseline, ratio: median(editorRatios), goal: 'ratio<=1.15', samples: editorMs });
    const editorScripts = [...new Set(editor.flatMap((o) => o.scripts))];
    note(`editor scripts before its first screen: ${editorScripts.map((s) => s.replace(/.*\/dist\/webview\//, '')).join(', ')}`);
    emit({ bench: 'webview', metric: 'bundle_kb', value: scriptKb(editor[0]?.scripts ?? []), unit: 'KB', baseline: 'scripts fetched when its first screen is drawn', goal: '<=150' });
    emit({ bench: 'webview', metric: 'chat_first_paint_ms', value: median(chatMs), unit: 'ms', baseline, ratio: median(chatRatios), goal: 'ratio<=1.15', samples: chatMs });
    emit({ bench: 'webview', metric: 'chat_bundle_kb', value: scriptKb(chat[0]?.scripts ?? []), unit: 'KB', baseline: 'scripts fetched when its first screen is drawn', goal: '<=100' });
  } finally {
    await browser.close();
    await server.stop();
  }
}
