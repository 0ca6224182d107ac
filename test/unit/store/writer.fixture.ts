// A child process that writes to a shared database file; spawned by the multi-process store tests.
import { openStore } from '../../../src/core/store/openStore';

interface Job {
  readonly mode: 'interleave' | 'until-killed';
  readonly file: string;
  readonly wasm: string;
  readonly name: string;
  readonly userId: string;
  readonly ownConfigurationId: string;
  readonly sharedConfigurationId: string;
  readonly count: number;
  /** The request rows' time: fixed, since each process under faketime has a clock of its own. */
  readonly rowTime: string;
  /** Runs this process on a wall clock this far from the machine's (a VM restored from a snapshot, an NTP step). */
  readonly clockSkewMs?: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  if (job.clockSkewMs) {
    const skew = job.clockSkewMs;
    const machine = Date.now.bind(Date);
    Date.now = () => machine() + skew;
  }
  const opened = await openStore({ filePath: job.file, wasmPath: job.wasm, flushIntervalMs: 20, now: () => new Date(Date.now()) });
  if (!opened.ok) throw new Error(opened.problem.message);
  const { store } = opened;
  process.stdout.write('ready\n');
  for (let i = 1; job.mode === 'until-killed' || i <= job.count; i++) {
    const seq = await store.write((r) => {
      const own = r.configurations.get(job.userId, job.ownConfigurationId);
      const next = Number(own?.config.seq ?? 0) + 1;
      r.configurations.update(job.userId, job.ownConfigurationId, { config: { seq: next }, name: `${job.name} #${String(next)}` });
      // Read-modify-write of a row both processes change: a stale copy would undo the other's update.
      const shared = r.configurations.get(job.userId, job.sharedConfigurationId);
      r.configurations.update(job.userId, job.sharedConfigurationId, { config: { ...shared?.config, [job.name]: next } });
      return next;
    });
    // Acknowledged only after write() returned, i.e. after the save was durable.
    process.stdout.write(`ack ${String(seq)}\n`);
    store.recordRequest({
      userId: job.userId, configurationId: job.ownConfigurationId, startedAt: job.rowTime, provider: 'openai', model: 'm',
      outcome: 'success', inputTokens: 1, reason: `${job.name}:${String(seq)}`,
    });
  }
  await store.close();
  process.stdout.write('done\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
