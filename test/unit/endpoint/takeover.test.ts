import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { EndpointLease } from '../../../src/core/endpoint/EndpointLease';
import { startEndpoint } from '../../../src/core/endpoint/EndpointServer';
import { EndpointSupervisor } from '../../../src/core/endpoint/EndpointSupervisor';
import { until } from '../../helpers/until';
import { useTempFolder } from '../helpers/tempStore';

const TOKEN = 'window-token';

/** A window's part, in this process: it serves one model named after the window. */
function windowSupervisor(databasePath: string, window: string, port: number, staleMs?: number): EndpointSupervisor {
  return new EndpointSupervisor({
    lease: new EndpointLease(databasePath, staleMs === undefined ? {} : { staleMs }),
    window,
    pid: process.pid,
    now: () => new Date('2026-06-15T12:00:00Z'), // only stamps 'since' in the holder file
    start: () =>
      startEndpoint(
        {
          models: () => [{ id: `served-by-${window}`, groupId: 'configuration:x', created: 0 }],
          authenticate: (token) => Promise.resolve(token === TOKEN || token === 'child-token' ? { id: 'c', name: 'tests', scope: 'chat' as const } : undefined),
          chat: () => {
            throw new Error('not used');
          },
          countTokens: () => Promise.resolve(0),
        },
        { port },
      ),
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The ids GET /v1/models lists on the port, or the error code when nothing answers. */
async function modelsOn(port: number, token = TOKEN): Promise<string[] | string> {
  try {
    const response = await fetch(`http://127.0.0.1:${String(port)}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { data: { id: string }[] };
    return body.data.map((m) => m.id);
  } catch (error) {
    return String((error as { cause?: { code?: string } }).cause?.code ?? error);
  }
}

describe('the local endpoint across windows: one serves, another takes over', function () {
  this.timeout(30_000);
  const folder = useTempFolder();
  const running: EndpointSupervisor[] = [];
  let child: ChildProcess | undefined;

  afterEach(async () => {
    child?.kill('SIGKILL');
    child = undefined;
    for (const supervisor of running.splice(0)) await supervisor.close();
  });

  it('serves from one window only; when it closes, the other serves the same port at its next look', async () => {
    const databasePath = join(folder.path, 'mm.db');
    const port = await freePort();
    const a = windowSupervisor(databasePath, 'A', port);
    const b = windowSupervisor(databasePath, 'B', port);
    running.push(a, b);
    a.lease.setWanted(true);
    assert.equal((await a.tick()).servingHere, true);
    const seenByB = await b.tick();
    assert.equal(seenByB.servingHere, false);
    assert.deepEqual({ window: seenByB.holder?.window, url: seenByB.holder?.url }, { window: 'A', url: `http://127.0.0.1:${String(port)}` });
    assert.deepEqual(await modelsOn(port), ['served-by-A']);

    await a.close();
    assert.equal(a.status().wanted, true, 'a window that closes hands the endpoint on, it does not turn it off');
    const after = await b.tick();
    assert.equal(after.servingHere, true);
    assert.equal(after.holder?.window, 'B');
    assert.deepEqual(await modelsOn(port), ['served-by-B']);
  });

  it('Stop in a window that does not serve turns the endpoint off: the serving window lets the port go at its next look', async () => {
    const databasePath = join(folder.path, 'mm.db');
    const port = await freePort();
    const a = windowSupervisor(databasePath, 'A', port);
    const b = windowSupervisor(databasePath, 'B', port);
    running.push(a, b);
    a.lease.setWanted(true);
    await a.tick();
    b.lease.setWanted(false);
    assert.equal((await b.tick()).servingHere, false);
    const stopped = await a.tick();
    assert.deepEqual({ wanted: stopped.wanted, servingHere: stopped.servingHere, holder: stopped.holder }, { wanted: false, servingHere: false, holder: undefined });
    assert.equal(await modelsOn(port), 'ECONNREFUSED');
    assert.equal((await b.tick()).servingHere, false, 'nobody takes over an endpoint that was stopped');
  });

  it('a serving window whose process is killed (no deactivate) is replaced by another window within a few looks', async () => {
    const databasePath = join(folder.path, 'mm.db');
    const port = await freePort();
    const lines: string[] = [];
    const spawned = spawn(process.execPath, [join(__dirname, 'lease.fixture.js'), JSON.stringify({ databasePath, port })], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawned;
    spawned.stdout.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n')));
    await until('the child window to serve', () => lines.includes('serving'), 15_000);
    assert.deepEqual(await modelsOn(port, 'child-token'), ['served-by-child']);

    const b = windowSupervisor(databasePath, 'B', port);
    running.push(b);
    const before = await b.tick();
    assert.equal(before.servingHere, false);
    assert.equal(before.holder?.pid, spawned.pid);

    spawned.kill('SIGKILL');
    const started = performance.now();
    // Each look is what the extension does every 2 s; here every 100 ms, so the count of looks is what is measured.
    let looks = 0;
    await until('window B to take over', async () => {
      looks++;
      return (await b.tick()).servingHere;
    }, { timeoutMs: 10_000, intervalMs: 100 });
    assert.ok(looks <= 10, `took ${String(looks)} looks (${String(Math.round(performance.now() - started))} ms) after the kill`);
    assert.deepEqual(await modelsOn(port), ['served-by-B']);
  });

  it('a port another program holds: the start fails with EADDRINUSE and the endpoint turns off instead of retrying for ever', async () => {
    const databasePath = join(folder.path, 'mm.db');
    const port = await freePort();
    const other: Server = createServer();
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    try {
      const a = windowSupervisor(databasePath, 'A', port);
      running.push(a);
      a.lease.setWanted(true);
      await assert.rejects(a.tick(), (error: NodeJS.ErrnoException) => error.code === 'EADDRINUSE');
      assert.deepEqual(a.status(), { wanted: false, holder: undefined, servingHere: false });
      assert.equal(a.lease.held, false);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  /** A child window that serves, then hangs (its pid alive, its lease no longer refreshed), as `hang` says. */
  async function hungChild(databasePath: string, port: number, hang: 'holding-port' | 'port-closed'): Promise<ChildProcess> {
    const lines: string[] = [];
    const spawned = spawn(process.execPath, [join(__dirname, 'lease.fixture.js'), JSON.stringify({ databasePath, port, staleMs: STALE_MS, hang })], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawned;
    spawned.stdout.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n')));
    await until('the child window to serve and hang', () => lines.includes('hung'), 15_000);
    return spawned;
  }

  function staleWindow(databasePath: string, port: number): EndpointSupervisor {
    const b = windowSupervisor(databasePath, 'B', port, STALE_MS);
    running.push(b);
    return b;
  }

  it('a serving window that hangs (pid alive, port held, lease stale) is not replaced and the endpoint stays on; once its process is gone, another serves', async () => {
    const databasePath = join(folder.path, 'mm.db');
    const port = await freePort();
    const hung = await hungChild(databasePath, port, 'holding-port');
    const b = staleWindow(databasePath, port);
    assert.equal(b.lease.publishedPid(), hung.pid);
    // Looks for at least three times the stale time (the pauses alone add up to it, however slow each look):
    // each must leave the endpoint wanted and not fail.
    for (let look = 0; look < (STALE_MS * 3) / 100; look++) {
      const status = await b.tick();
      assert.deepEqual({ wanted: status.wanted, servingHere: status.servingHere, holder: status.holder?.pid }, { wanted: true, servingHere: false, holder: hung.pid }, 'still shown as served by the hung window');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    hung.kill('SIGKILL');
    await until('window B to take over once the hung window is gone', async () => (await b.tick()).servingHere, { timeoutMs: 10_000, intervalMs: 100 });
    assert.deepEqual(await modelsOn(port), ['served-by-B']);
    assert.equal(b.lease.publishedPid(), process.pid);
  });

  it('a hung window that no longer holds the port (pid alive, lease stale) is replaced once its lease is stale', async () => {
    const databasePath = join(folder.path, 'mm.db');
    const port = await freePort();
    await hungChild(databasePath, port, 'port-closed');
    const b = staleWindow(databasePath, port);
    await until('window B to take over the free port', async () => (await b.tick()).servingHere, { timeoutMs: 10_000, intervalMs: 100 });
    assert.equal(b.status().wanted, true);
    assert.deepEqual(await modelsOn(port), ['served-by-B']);
  });
});

/** The stale time of the hang tests' leases: short, so a test watches several of them. */
const STALE_MS = 800;
