import { hkdfSync } from 'node:crypto';

const SALT_PREFIX = 'model-manager/user-key/';

/** HKDF-SHA256(master, salt = user id, info = key version): one AES-256 key per user and version. */
export function deriveUserKey(master: Uint8Array, userId: string, keyVersion: number): Buffer {
  return Buffer.from(hkdfSync('sha256', master, `${SALT_PREFIX}${userId}`, `mm1 api-key v${String(keyVersion)}`, 32));
}

/** A small LRU of derived keys; evicted and cleared keys are zeroed so they do not linger in the heap. */
export class DerivedKeyCache {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly capacity = 128) {}

  get(master: Uint8Array, userId: string, keyVersion: number): Buffer {
    const id = `${userId}\u0000${String(keyVersion)}`;
    const cached = this.keys.get(id);
    if (cached) {
      this.keys.delete(id);
      this.keys.set(id, cached);
      return cached;
    }
    const key = deriveUserKey(master, userId, keyVersion);
    this.keys.set(id, key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.keys().next().value;
      if (oldest !== undefined) {
        this.keys.get(oldest)?.fill(0);
        this.keys.delete(oldest);
      }
    }
    return key;
  }

  get size(): number {
    return this.keys.size;
  }

  clear(): void {
    for (const key of this.keys.values()) key.fill(0);
    this.keys.clear();
  }
}
