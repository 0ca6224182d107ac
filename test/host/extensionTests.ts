import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { artifactsRoot } from './paths';
import type { Provisioned } from './provision';
import { MARKER } from './reporter';
import { freshRunFolder, startServer, testSettings } from './server';
import { isOfflineNoise, launchBrowser, newPage, workbenchUrl } from './workbench';

export interface ExtensionTestRun {
  readonly exitCode: number;
  readonly passed: number;
  readonly failed: number;
  /** Lines the tests printed that carry a result marker (see test/integration/reporter.ts). */
  readonly markers: Record<string, unknown>[];
  /** The run's user-data folder (logs, global storage), kept for inspection. */
  readonly userDataDir: string;
}

export interface ExtensionTestOptions {
  readonly label: string;
  readonly extensionDevelopmentPaths: readonly string[];
  readonly extensionTestsPath: string;
  readonly settings?: Record<string, unknown>;
  readonly extensionsDir?: string;
  /** Files written into the workspace before it opens, by relative path. */
  readonly workspaceFiles?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly print?: (line: string) => void;
}



/**
 * Runs a compiled test entry inside the real extension host of the VS Code server, driving the workbench from
 * headless Chromium; everything the extension host logs is printed here.
 */
export async function runExtensionTests(host: Provisioned, options: ExtensionTestOptions): Promise<ExtensionTestRun> {
  const print = options.print ?? ((line: string) => {
    console.log(line);
  });
  const run = freshRunFolder(options.label);
  const folder = join(run, 'workspace');
  mkdirSync(folder, { recursive: true });
  for (const [path, content] of Object.entries(options.workspaceFiles ?? {})) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  const server = await startServer(host, {
    settings: { ...testSettings, ...options.settings },
    ...(options.env ? { env: options.env } : {}),
    userDataDir: join(run, 'user-data'),
    extensionsDir: options.extensionsDir ?? join(run, 'extensions'),
  });
  const browser = await launchBrowser();
  const markers: Record<string, unknown>[] = [];
  const workbenchLog: string[] = [];
  try {
    const page = await newPage(browser);
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => {
        resolve(code);
      });
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
      for (const line of formatLog(args).split('\n')) {
        if (line.startsWith(MARKER)) {
          markers.push(JSON.parse(line.slice(MARKER.length)) as Record<string, unknown>);
        } else if (isReporterLine(line)) {
          print(line);
        } else if (line.trim() && !isOfflineNoise(line)) {
          workbenchLog.push(line);
        }
      }
    });
    page.on('pageerror', (error) => {
      if (!isOfflineNoise(error.message)) workbenchLog.push(`[pageerror] ${error.message}`);
    });
    const timeoutMs = options.timeoutMs ?? 1_200_000; // a hang guard: the integration tier takes about 2 min idle
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        print(`[host] ${options.label}: no result after ${String(timeoutMs / 1000)} s; stopping the run as failed.`);
        resolve(124);
      }, timeoutMs);
    });
    await page.goto(
      workbenchUrl(server, {
        folder,
        extensionDevelopmentPaths: options.extensionDevelopmentPaths,
        extensionTestsPath: options.extensionTestsPath,
      }),
    );
    const exitCode = await Promise.race([exit, timedOut]);
    clearTimeout(timer);
    const summary = markers.find((m) => m.kind === 'summary') as { passed?: number; failed?: number } | undefined;
    const passed = summary?.passed ?? 0;
    // A crash or timeout with no summary still counts as a failure.
    const failed = summary?.failed ?? 0;
    if (exitCode !== 0) {
      const file = keepLog(options.label, [...workbenchLog, '', '--- server ---', ...server.output]);
      print(`  the workbench and server logs of this run are in ${file}`);
    }
    return { exitCode, passed, failed: exitCode !== 0 && failed === 0 ? failed + 1 : failed, markers, userDataDir: server.userDataDir };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** Lines our LineReporter prints: results and the stacks of failures. Everything else goes to the run's log. */
function isReporterLine(line: string): boolean {
  return /^ {2}[✔✖-] |^ {6}|^ {2}\S+: \d+ passed, \d+ failed$/.test(line);
}

function keepLog(label: string, lines: string[]): string {
  mkdirSync(artifactsRoot, { recursive: true });
  const file = join(artifactsRoot, `${label}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

function formatLog(args: unknown): string {
  if (Array.isArray(args)) return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return typeof args === 'string' ? args : JSON.stringify(args);
}
