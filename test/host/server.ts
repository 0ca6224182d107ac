import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startKeyHalfFront } from './keyHalfFront';
import type { Provisioned } from './provision';
import { runsRoot } from './paths';

export interface ServerOptions {
  /** User settings written before start. */
  readonly settings?: Record<string, unknown>;
  /** A fixed port (npm start); a free one is picked otherwise. */
  readonly port?: number;
  /** Keep these folders across runs (npm start's profile); fresh ones otherwise. */
  readonly userDataDir?: string;
  readonly extensionsDir?: string;
  /** Leave an existing settings.json alone (a persistent profile the user may have changed). */
  readonly keepExistingSettings?: boolean;
  /** Extra environment for the server and its extension hosts. */
  readonly env?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  readonly port: number;
  readonly origin: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Everything the server printed, for diagnosing a failed run. */
  readonly output: string[];
  stop(): Promise<void>;
}

/**
 * Tests that want health checks start them themselves: periodic checks would add requests (and request_log rows)
 * that tests counting requests at an emulator did not make. npm start keeps the default.
 */
export const testSettings: Record<string, unknown> = { 'modelManager.healthCheckIntervalMinutes': 0 };

/** Settings that keep a test workbench quiet and offline. */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
};

/**
 * Removes run folders (fresh user data, extensions, workspaces) left by runs that ended over an hour ago, so the
 * cache does not grow with every `npm test`; recent ones stay for a look after a failure, or for a run in progress.
 */
export function pruneOldRuns(maxAgeMs = 3_600_000): void {
  if (!existsSync(runsRoot)) return;
  const cutoff = Date.now() - maxAgeMs;
  for (const name of readdirSync(runsRoot)) {
    const folder = join(runsRoot, name);
    try {
      if (statSync(folder).mtimeMs < cutoff) rmSync(folder, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by another run: nothing to do.
    }
  }
}

export function freshRunFolder(label: string): string {
  mkdirSync(runsRoot, { recursive: true });
  return mkdtempSync(join(runsRoot, `${label}-`));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => {
      resolve(false);
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => {
      resolve(true);
    }));
  });
}

/**
 * Starts the plain VS Code server (not the code-server wrapper) on loopback and waits until it answers, behind a
 * front on the public port that gives the browser's secret storage its server key half (see keyHalfFront.ts).
 */
export async function startServer(host: Provisioned, options: ServerOptions = {}): Promise<RunningServer> {
  const run = options.userDataDir && options.extensionsDir ? undefined : freshRunFolder('server');
  const userDataDir = options.userDataDir ?? join(run ?? '', 'user-data');
  const extensionsDir = options.extensionsDir ?? join(run ?? '', 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  if (!options.keepExistingSettings || !existsSync(settingsFile)) {
    writeFileSync(settingsFile, JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));
  }
  const port = options.port ?? (await freePort());
  const upstreamPort = await freePort();
  const args = [
    host.serverMain,
    '--host', '127.0.0.1',
    '--port', String(upstreamPort),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--disable-telemetry',
    '--user-data-dir', userDataDir,
    '--server-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  const output: string[] = [];
  const child = spawn(host.node, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...options.env } });
  const record = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) {
        output.push(line);
        options.log?.(`[server] ${line}`);
      }
    }
  };
  child.stdout.on('data', record);
  child.stderr.on('data', record);
  await waitUntilListening(child, `http://127.0.0.1:${String(upstreamPort)}`, output);
  const front = await startKeyHalfFront({ port, upstreamPort, keyFolder: userDataDir }).catch(async (error: unknown) => {
    await stopProcess(child);
    throw error;
  });
  const origin = `http://127.0.0.1:${String(port)}`;
  return {
    port,
    origin,
    userDataDir,
    extensionsDir,
    output,
    stop: async () => {
      await front.close();
      await stopProcess(child);
    },
  };
}

async function waitUntilListening(child: ChildProcess, origin: string, output: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new Error(`The VS Code server exited with ${String(exited)} before listening:\n${output.slice(-20).join('\n')}`);
    }
    try {
      const response = await fetch(`${origin}/version`, { signal: AbortSignal.timeout(1000) });
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await stopProcess(child);
  throw new Error(`The VS Code server did not answer on ${origin} within ${String(timeoutMs / 1000)} s:\n${output.slice(-20).join('\n')}`);
}

/** Stops the server and everything it spawned (extension hosts, watchers) by its process group. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    resolve();
  }));
  signalGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => {
    signalGroup(pid, 'SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
  // Extension hosts can outlive the server for a moment; make sure nothing of the run is left.
  signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
