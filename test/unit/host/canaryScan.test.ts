import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { canaryForms, CANARY_PREFIX } from '../../host/canaryScan';

describe('the canary scan after a test run', () => {
  const key = `${CANARY_PREFIX}0123456789abcdef`;
  const found = (bytes: Buffer): string[] => canaryForms().filter((f) => bytes.includes(f.needle)).map((f) => f.name);

  it('finds a canary key as is, in hex, in UTF-16 and in base64 or base64url at any position', () => {
    for (let before = 0; before < 6; before++) {
      const text = Buffer.concat([randomBytes(before), Buffer.from(key), randomBytes(3)]);
      assert.ok(found(text).includes('plain text'));
      assert.ok(found(Buffer.from(text.toString('hex'))).some((n) => n.startsWith('hex')));
      assert.ok(found(Buffer.from(text.toString('hex').toUpperCase())).some((n) => n.startsWith('hex')));
      assert.ok(found(Buffer.from(key, 'utf16le')).includes('UTF-16'));
      assert.ok(found(Buffer.from(text.toString('base64'))).some((n) => n.startsWith('base64')), `base64 after ${String(before)} bytes`);
      assert.ok(found(Buffer.from(text.toString('base64url'))).some((n) => n.startsWith('base64')), `base64url after ${String(before)} bytes`);
    }
  });

  it('finds nothing in text without a key', () => {
    assert.deepEqual(found(Buffer.from('sk-proj-abc and sk-canar y- and a base64 of something else: c2stcHJvai0=')), []);
  });
});
