import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { keyVersionOf } from '../../../src/core/crypto/envelope';
import { EncryptionService } from '../../../src/core/crypto/EncryptionService';
import { InMemoryKeySource } from '../../../src/core/crypto/KeySource';
import { open, tempFolder, wasmPath } from '../store/helpers';

/** Runs the rotator until it has saved `batches` batches, then SIGKILLs it. */
async function rotateAndKill(job: object, batches: number): Promise<void> {
  const child = spawn(process.execPath, [join(__dirname, 'rotator.fixture.js'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = 0;
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    seen += chunk.split('\n').filter((line) => line.startsWith('batch')).length;
    if (seen >= batches) child.kill('SIGKILL');
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, s) => {
    resolve(s);
  }));
  assert.equal(signal, 'SIGKILL', `the rotator ended on its own: ${stderr}`);
}

describe('a key rotation killed with SIGKILL', function () {
  this.timeout(60_000);

  it('resumes on the next start and ends with every row decryptable and none on a retired version', async () => {
    const folder = tempFolder();
    const file = join(folder.path, 'mm.db');
    const master = randomBytes(32);
    try {
      const { store } = await open(file);
      const crypto = new EncryptionService(store, new InMemoryKeySource(master));
      await crypto.initialize();
      const userId = await store.write((r) => r.users.ensureLocalUser().id);
      const keys = new Map<string, string>();
      for (let i = 0; i < 12; i++) {
        const id = await store.write((r) => {
          const c = r.configurations.create(userId, { name: `c${String(i)}`, provider: 'openai', model: 'm' });
          r.configurations.update(userId, c.id, { encryptedApiKey: crypto.encryptApiKey(`sk-kill-${String(i)}`, { userId, configurationId: c.id }, r.keys) });
          return c.id;
        });
        keys.set(id, `sk-kill-${String(i)}`);
      }
      await store.close();

      let sawHalfway = 0;
      for (let round = 0; round < 8; round++) {
        await rotateAndKill({ file, wasm: wasmPath, masterHex: master.toString('hex'), userId }, 1 + Math.floor(Math.random() * 20));
        const next = (await open(file)).store;
        const service = new EncryptionService(next, new InMemoryKeySource(master));
        assert.equal((await service.initialize()).kind, 'ready');
        const versions = new Set(next.read((r) => r.configurations.sealedKeys(userId)).map((row) => keyVersionOf(row.encryptedApiKey)));
        if (versions.size > 1) sawHalfway++;
        await service.finishPendingRotations();
        const rows = next.read((r) => r.configurations.sealedKeys(userId));
        for (const row of rows) assert.equal(service.decryptApiKey(row.encryptedApiKey, { userId, configurationId: row.id }), keys.get(row.id));
        const retired = new Set(next.read((r) => r.keys.list(userId)).filter((k) => k.retiredAt !== null).map((k) => k.version));
        const current = next.read((r) => r.keys.currentVersion(userId));
        for (const row of rows) {
          assert.equal(keyVersionOf(row.encryptedApiKey), current);
          assert.ok(!retired.has(keyVersionOf(row.encryptedApiKey) ?? -1));
        }
        await next.close();
      }
      assert.ok(sawHalfway >= 3, `only ${String(sawHalfway)} of 8 kills landed mid-rotation`);
    } finally {
      folder.remove();
    }
  });
});
