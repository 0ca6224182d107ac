import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecryptError } from '../../../src/core/crypto/errors';
import { capturingLogger, open } from '../store/helpers';
import { cryptoFixture } from './setup';

const CANARY = 'sk-canary-7f3a9c2e5b1d4086a9e3c7f1b2d5e8a0';

/** Every form in which the canary could leak: as text and in the encodings a careless log might use. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), Buffer.from(secret, 'utf16le').toString('latin1'), secret.slice(3, 25)];
}

function assertNoCanary(where: string, haystack: Buffer | string): void {
  const bytes = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
  for (const form of encodings(CANARY)) {
    assert.equal(bytes.includes(Buffer.from(form, 'latin1')), false, `${where} contains the key (as ${JSON.stringify(form.slice(0, 12))}…)`);
  }
}

describe('the canary key', function () {
  this.timeout(30_000);

  it('appears in no file, backup, quarantine, audit row, log line or error after every store and crypto path', async () => {
    const logger = capturingLogger();
    const f = await cryptoFixture(logger);
    const texts: string[] = [];
    try {
      // create (the fixture also writes an audit row that is handed the key on purpose)
      const configs = [];
      for (let i = 0; i < 5; i++) configs.push(await f.addConfiguration(`${CANARY}-${String(i)}`));
      const [first, second] = configs;
      assert.ok(first && second);
      // update with a new key
      await f.store.write((r) => {
        const sealed = f.crypto.encryptApiKey(CANARY, { userId: f.userId, configurationId: first.id }, r.keys);
        r.configurations.update(f.userId, first.id, { encryptedApiKey: sealed, name: 'renamed' });
        r.audit.record(f.userId, 'configuration.update', 'configuration', first.id, { apiKey: CANARY, nested: { secretKey: CANARY } });
      });
      // rotate (three times, one interrupted) and migrate to a new master
      for (let i = 0; i < 3; i++) await f.crypto.rotateUserKey(f.userId, { batchSize: 2 });
      await f.crypto.rotateUserKey(f.userId, { batchSize: 2, afterBatch: () => { throw new Error('interrupted'); } }).catch((e: unknown) => texts.push(String(e)));
      await f.crypto.finishPendingRotations();
      const oldMaster = await f.keySource.getMasterSecret();
      assert.ok(oldMaster);
      await f.crypto.migrateEncryption(oldMaster, randomBytes(32));
      // a decrypt failure (ciphertext moved to another row) and its message
      const moved = f.store.read((r) => r.configurations.get(f.userId, first.id))?.encryptedApiKey ?? '';
      try {
        f.crypto.decryptApiKey(moved, { userId: f.userId, configurationId: second.id });
      } catch (error) {
        assert.ok(error instanceof DecryptError);
        texts.push(error.message, error.stack ?? '');
      }
      // usage rows, flushed
      for (let i = 0; i < 20; i++) f.store.recordRequest({ userId: f.userId, configurationId: first.id, startedAt: new Date().toISOString(), provider: 'openai', model: 'gpt-4o', outcome: 'error', errorCode: '401' });
      await f.store.flush();
      // still readable after all of that
      const decrypted = f.store.read((r) => r.configurations.list(f.userId)).map((c) => f.crypto.decryptApiKey(c.encryptedApiKey ?? '', { userId: f.userId, configurationId: c.id }));
      assert.ok(decrypted.includes(CANARY));
      const audit = f.store.read((r) => r.audit.list(f.userId, 1000));
      assert.ok(audit.length >= 6);
      texts.push(JSON.stringify(audit));
      await f.store.close();
      // backup and quarantine: damage the file so the open path restores from the backup
      writeFileSync(f.file, randomBytes(4096));
      const reopened = await open(f.file, { logger });
      assert.equal(reopened.notices[0]?.kind, 'restored-from-backup');
      texts.push(JSON.stringify(reopened.notices));
      await reopened.store.close();

      const files = readdirSync(f.folder.path);
      assert.ok(files.some((n) => n.endsWith('.bak')) && files.some((n) => n.includes('.corrupt-')), files.join(', '));
      for (const name of files) assertNoCanary(name, readFileSync(join(f.folder.path, name)));
      assertNoCanary('the log', logger.lines.join('\n'));
      assert.ok(logger.lines.length > 5, 'the paths above logged something to scan');
      for (const text of texts) assertNoCanary('an error or audit row', text);
    } finally {
      await f.dispose().catch(() => undefined);
    }
  });

  it('is found by the scanner when it is present, so the check above can fail', () => {
    assert.throws(() => {
      assertNoCanary('a sample', `prefix ${Buffer.from(CANARY).toString('base64')} suffix`);
    });
    assert.throws(() => {
      assertNoCanary('a sample', Buffer.from(`xx${CANARY}xx`, 'utf16le'));
    });
  });
});
