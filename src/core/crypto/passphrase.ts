import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt work factors: 128 MiB of memory per guess (N·r·128 bytes), about half a second on a laptop core. */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const STRONG_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
export const MIN_PASSPHRASE_LENGTH = 10;

/**
 * What is stored about a master passphrase: the KDF, its parameters and salt, and a verifier (an HMAC under a half
 * of the derived bytes the sealing key never uses). Never the passphrase, never a key.
 */
export interface PassphraseRecord {
  readonly v: 1;
  readonly kdf: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
  readonly verifier: string;
}

/** The key derived from a passphrase that seals the master key; zero it when done. */
export interface PassphraseKey {
  readonly key: Buffer;
}

const DERIVED_BYTES = 64;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const VERIFIER_LABEL = 'model-manager master passphrase verifier';
// Bounds a stored record may name: a tampered record must neither weaken new keys below this nor exhaust memory.
const MIN_N = 2 ** 10;
const MAX_N = 2 ** 20;

/** A passphrase a user can act on: an empty or short one is refused with the reason. */
export function passphraseProblem(passphrase: string): string | undefined {
  if (passphrase.trim().length === 0) return 'Enter a passphrase.';
  if (Array.from(passphrase).length < MIN_PASSPHRASE_LENGTH) return `Use at least ${String(MIN_PASSPHRASE_LENGTH)} characters (a few unrelated words are easy to remember and hard to guess).`;
  return undefined;
}

/** A new record (fresh salt) for a passphrase, and the sealing key derived from it. */
export async function createPassphraseRecord(passphrase: string, params: ScryptParams = STRONG_SCRYPT): Promise<{ record: PassphraseRecord; key: PassphraseKey }> {
  const problem = passphraseProblem(passphrase);
  if (problem) throw new Error(problem);
  checkParams(params);
  const salt = randomBytes(SALT_BYTES);
  const derived = await derive(passphrase, salt, params);
  const record: PassphraseRecord = { v: 1, kdf: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('base64'), verifier: verifierOf(derived) };
  return { record, key: { key: keyOf(derived) } };
}

/** The sealing key if the passphrase is the one the record was made from, else undefined. */
export async function unlockWithPassphrase(passphrase: string, record: PassphraseRecord): Promise<PassphraseKey | undefined> {
  checkParams(record);
  const derived = await derive(passphrase, Buffer.from(record.salt, 'base64'), record);
  const expected = Buffer.from(record.verifier, 'base64');
  const actual = Buffer.from(verifierOf(derived), 'base64');
  const matches = expected.length === actual.length && timingSafeEqual(expected, actual);
  if (!matches) {
    derived.fill(0);
    return undefined;
  }
  return { key: keyOf(derived) };
}

/** Reads a stored record; undefined for anything that is not one (the caller then treats it as absent). */
export function parsePassphraseRecord(text: string | undefined): PassphraseRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<PassphraseRecord> | null;
    if (value?.v !== 1 || value.kdf !== 'scrypt') return undefined;
    const { N, r, p, salt, verifier } = value;
    if (typeof N !== 'number' || typeof r !== 'number' || typeof p !== 'number' || typeof salt !== 'string' || typeof verifier !== 'string') return undefined;
    return { v: 1, kdf: 'scrypt', N, r, p, salt, verifier };
  } catch {
    return undefined;
  }
}

function checkParams(params: ScryptParams): void {
  const { N, r, p } = params;
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N < MIN_N || N > MAX_N || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) {
    throw new Error('The stored master passphrase settings are not valid; the database may have been altered.');
  }
}

function derive(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const maxmem = 128 * params.N * params.r * params.p + 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, DERIVED_BYTES, { N: params.N, r: params.r, p: params.p, maxmem }, (error, derived) => {
      if (error) reject(error);
      else resolve(derived);
    });
  });
}

function keyOf(derived: Buffer): Buffer {
  const key = Buffer.from(derived.subarray(0, KEY_BYTES));
  derived.fill(0);
  return key;
}

function verifierOf(derived: Buffer): string {
  return createHmac('sha256', derived.subarray(KEY_BYTES)).update(VERIFIER_LABEL).digest('base64');
}
