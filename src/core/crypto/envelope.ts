import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptError } from './errors';

export const FORMAT = 'mm1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const VERSION = /^[1-9][0-9]{0,8}$/;

/** What a sealed value is bound to; a ciphertext moved to any other binding fails to open. */
export interface SealBinding {
  readonly userId: string;
  readonly configurationId: string;
  /** The column or field the secret belongs to, e.g. "api_key". */
  readonly field: string;
}

export interface ParsedEnvelope {
  readonly keyVersion: number;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** `mm1.<keyVersion>.<iv>.<ciphertext>.<tag>`, base64url, AES-256-GCM. */
export function seal(plaintext: string, key: Uint8Array, keyVersion: number, binding: SealBinding): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(binding, keyVersion));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [FORMAT, String(keyVersion), iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

export function open(envelope: ParsedEnvelope, key: Uint8Array, binding: SealBinding): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, envelope.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(binding, envelope.keyVersion));
    decipher.setAuthTag(envelope.tag);
    return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptError('authentication-failed', binding.configurationId);
  }
}

/** Strict parse: any non-canonical encoding is malformed, so no two strings open to the same value. */
export function parseEnvelope(stored: string, configurationId: string): ParsedEnvelope {
  const parts = stored.split('.');
  if (parts[0] !== FORMAT) throw new DecryptError(parts.length === 5 && /^mm\d+$/.test(parts[0] ?? '') ? 'unsupported-format' : 'malformed', configurationId);
  const [, version, iv, ciphertext, tag] = parts;
  if (parts.length !== 5 || version === undefined || iv === undefined || ciphertext === undefined || tag === undefined || !VERSION.test(version)) {
    throw new DecryptError('malformed', configurationId);
  }
  const decoded = [iv, ciphertext, tag].map((part) => decode(part, configurationId));
  const [ivBytes, ciphertextBytes, tagBytes] = decoded;
  if (!ivBytes || !ciphertextBytes || !tagBytes || ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new DecryptError('malformed', configurationId);
  }
  return { keyVersion: Number(version), iv: ivBytes, ciphertext: ciphertextBytes, tag: tagBytes };
}

/** The key version a stored value names, or undefined if it is not a well-formed envelope. */
export function keyVersionOf(stored: string): number | undefined {
  try {
    return parseEnvelope(stored, '').keyVersion;
  } catch {
    return undefined;
  }
}

function decode(part: string, configurationId: string): Buffer {
  if (!BASE64URL.test(part)) throw new DecryptError('malformed', configurationId);
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) throw new DecryptError('malformed', configurationId);
  return bytes;
}

function associatedData(binding: SealBinding, keyVersion: number): Buffer {
  // Length-prefixed so that no two bindings serialise to the same bytes.
  const fields = [FORMAT, binding.userId, binding.configurationId, binding.field, String(keyVersion)];
  return Buffer.concat(fields.flatMap((f) => {
    const bytes = Buffer.from(f, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return [length, bytes];
  }));
}
