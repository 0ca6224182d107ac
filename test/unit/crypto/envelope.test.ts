import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { deriveUserKey } from '../../../src/core/crypto/DerivedKeyCache';
import { open, parseEnvelope, seal } from '../../../src/core/crypto/envelope';
import { DecryptError } from '../../../src/core/crypto/errors';

const master = randomBytes(32);
const binding = { userId: 'user-a', configurationId: 'config-1', field: 'api_key' };
const plaintext = 'sk-test-0123456789abcdef';

function openString(stored: string, b = binding): string {
  const envelope = parseEnvelope(stored, b.configurationId);
  return open(envelope, deriveUserKey(master, b.userId, envelope.keyVersion), b);
}

function flipEveryBit(bytes: Buffer, rebuild: (changed: Buffer) => string): string[] {
  const variants: string[] = [];
  for (let i = 0; i < bytes.length * 8; i++) {
    const changed = Buffer.from(bytes);
    changed[i >> 3] = (changed[i >> 3] ?? 0) ^ (1 << (i & 7));
    variants.push(rebuild(changed));
  }
  return variants;
}

describe('the sealed-key envelope', () => {
  const stored = seal(plaintext, deriveUserKey(master, binding.userId, 1), 1, binding);
  const [format, version, iv, ciphertext, tag] = stored.split('.') as [string, string, string, string, string];

  it('opens what it sealed and names format and key version in the string', () => {
    assert.match(stored, /^mm1\.1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    assert.equal(openString(stored), plaintext);
  });

  it('uses a fresh IV each time, so sealing the same key twice gives different strings', () => {
    assert.notEqual(seal(plaintext, deriveUserKey(master, 'user-a', 1), 1, binding), stored);
  });

  it('rejects every single-bit flip of the IV, ciphertext, tag and version', () => {
    const b64 = (s: string): Buffer => Buffer.from(s, 'base64url');
    const variants = [
      ...flipEveryBit(b64(iv), (x) => [format, version, x.toString('base64url'), ciphertext, tag].join('.')),
      ...flipEveryBit(b64(ciphertext), (x) => [format, version, iv, x.toString('base64url'), tag].join('.')),
      ...flipEveryBit(b64(tag), (x) => [format, version, iv, ciphertext, x.toString('base64url')].join('.')),
      ...flipEveryBit(Buffer.from(version, 'latin1'), (x) => [format, x.toString('latin1'), iv, ciphertext, tag].join('.')),
      ...flipEveryBit(Buffer.from(format, 'latin1'), (x) => [x.toString('latin1'), version, iv, ciphertext, tag].join('.')),
    ];
    assert.equal(variants.length, (12 + b64(ciphertext).length + 16 + 1 + 3) * 8);
    for (const variant of variants) {
      assert.throws(() => openString(variant), DecryptError, variant);
    }
  });

  it('rejects non-canonical base64 that would decode to the same bytes', () => {
    // The tag's last character carries unused bits; a different character there must not be accepted.
    const last = tag.at(-1) ?? 'A';
    const sibling = String.fromCharCode(last.charCodeAt(0) ^ 1);
    assert.throws(() => openString([format, version, iv, ciphertext, tag.slice(0, -1) + sibling].join('.')), DecryptError);
    assert.throws(() => openString(`${stored}=`), DecryptError);
  });

  it('rejects the ciphertext under another configuration, user, field or key version', () => {
    assert.throws(() => openString(stored, { ...binding, configurationId: 'config-2' }), DecryptError);
    assert.throws(() => openString(stored, { ...binding, userId: 'user-b' }), DecryptError);
    assert.throws(() => openString(stored, { ...binding, field: 'base_url' }), DecryptError);
    const relabelled = [format, '2', iv, ciphertext, tag].join('.');
    assert.throws(() => openString(relabelled), DecryptError);
  });

  it('says what is wrong without echoing the stored value or the key', () => {
    for (const bad of ['', 'garbage', 'mm1.1.x.y.z', 'mm9.1.a.b.c', stored.replace(/\.[^.]+$/, '.AAAA')]) {
      try {
        openString(bad);
        assert.fail('expected a DecryptError');
      } catch (error) {
        assert.ok(error instanceof DecryptError);
        assert.match(error.message, /configuration config-1 could not be decrypted/);
        assert.match(error.message, /Enter the key again/);
        assert.ok(!bad || !error.message.includes(bad));
        assert.ok(!error.message.includes(plaintext));
      }
    }
  });
});
