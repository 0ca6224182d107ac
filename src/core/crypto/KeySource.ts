/**
 * Where the master secret lives: VS Code SecretStorage in the extension, memory in tests. It never
 * enters the database. While a master-secret change is in progress the old one is kept as "previous"
 * so that an interrupted migration can be finished on the next start.
 */
export interface KeySource {
  getMasterSecret(): Promise<Uint8Array | undefined>;
  /** Stores a new master secret and keeps the one it replaces as the previous secret. */
  storeMasterSecret(secret: Uint8Array): Promise<void>;
  getPreviousMasterSecret(): Promise<Uint8Array | undefined>;
  forgetPreviousMasterSecret(): Promise<void>;
}

export class InMemoryKeySource implements KeySource {
  private current: Uint8Array | undefined;
  private previous: Uint8Array | undefined;

  constructor(initial?: Uint8Array) {
    this.current = initial ? Uint8Array.from(initial) : undefined;
  }

  getMasterSecret(): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.current ? Uint8Array.from(this.current) : undefined);
  }

  storeMasterSecret(secret: Uint8Array): Promise<void> {
    this.previous = this.current;
    this.current = Uint8Array.from(secret);
    return Promise.resolve();
  }

  getPreviousMasterSecret(): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.previous ? Uint8Array.from(this.previous) : undefined);
  }

  forgetPreviousMasterSecret(): Promise<void> {
    this.previous?.fill(0);
    this.previous = undefined;
    return Promise.resolve();
  }

  /** Test helper: the keyring lost its entry (new machine, wiped profile). */
  lose(): void {
    this.current = undefined;
    this.previous = undefined;
  }
}
