// A child process that rotates one user's key over and over until it is killed; spawned by the rotation tests.
import { EncryptionService } from '../../../src/core/crypto/EncryptionService';
import { InMemoryKeySource } from '../../../src/core/crypto/KeySource';
import { openStore } from '../../../src/core/store/openStore';

interface Job {
  readonly file: string;
  readonly wasm: string;
  readonly masterHex: string;
  readonly userId: string;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  const opened = await openStore({ filePath: job.file, wasmPath: job.wasm });
  if (!opened.ok) throw new Error(opened.problem.message);
  const crypto = new EncryptionService(opened.store, new InMemoryKeySource(Buffer.from(job.masterHex, 'hex')));
  const state = await crypto.initialize();
  if (state.kind !== 'ready') throw new Error(state.message);
  for (;;) {
    await crypto.rotateUserKey(job.userId, {
      batchSize: 1,
      afterBatch: (n) => {
        process.stdout.write(`batch ${String(n)}\n`);
      },
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
