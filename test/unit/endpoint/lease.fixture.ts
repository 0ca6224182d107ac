// A child process that serves the local endpoint under the shared lease, as a second VS Code window would; spawned by the takeover tests.
import { EndpointLease } from '../../../src/core/endpoint/EndpointLease';
import { startEndpoint } from '../../../src/core/endpoint/EndpointServer';
import { EndpointSupervisor } from '../../../src/core/endpoint/EndpointSupervisor';

async function main(): Promise<void> {
  const { databasePath, port, staleMs, hang } = JSON.parse(process.argv[2] ?? '{}') as {
    databasePath: string;
    port: number;
    staleMs?: number;
    /** After serving, block the event loop (a hung extension host): still holding the port, or after closing it. */
    hang?: 'holding-port' | 'port-closed';
  };
  const supervisor = new EndpointSupervisor({
    lease: new EndpointLease(databasePath, staleMs === undefined ? {} : { staleMs }),
    window: 'child window',
    pid: process.pid,
    now: () => new Date('2026-06-15T12:00:00Z'), // only stamps 'since' in the holder file
    start: () =>
      startEndpoint(
        {
          models: () => [{ id: 'served-by-child', groupId: 'configuration:child', created: 0 }],
          authenticate: (token) => Promise.resolve(token === 'child-token' ? { id: 'c', name: 'child', scope: 'chat' as const } : undefined),
          chat: () => {
            throw new Error('not used');
          },
          countTokens: () => Promise.resolve(0),
        },
        { port },
      ),
  });
  supervisor.lease.setWanted(true);
  for (;;) {
    const status = await supervisor.tick();
    process.stdout.write(`${status.servingHere ? 'serving' : 'waiting'}\n`);
    if (status.servingHere && hang !== undefined) {
      if (hang === 'port-closed') await supervisor.endpoint?.close();
      process.stdout.write('hung\n');
      // Blocks the event loop without spinning: the lease stops being refreshed while the process lives on.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
