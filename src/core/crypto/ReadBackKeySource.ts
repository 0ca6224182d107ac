import type { KeySource } from './KeySource';

/**
 * A keychain key source that reads the master secret back after writing it. Where the keychain does not give it
 * back (no keyring, a store that failed), the secret is held in memory for this window only and `kept` says so,
 * so the host can tell the user at once instead of at the next start, when the keys could no longer be opened.
 */
export class ReadBackKeySource implements KeySource {
  private unkept: Uint8Array | undefined;
  private keptLast = true;
  private failure: string | undefined;

  constructor(private readonly keychain: KeySource) {}

  /** False when the last master secret written did not come back from the keychain. */
  get kept(): boolean {
    return this.keptLast;
  }

  /** Why the keychain did not keep it, in the keychain's words (never carries the secret). */
  get problem(): string | undefined {
    return this.failure;
  }

  async getMasterSecret(): Promise<Uint8Array | undefined> {
    try {
      return (await this.keychain.getMasterSecret()) ?? this.copyOfUnkept();
    } catch {
      return this.copyOfUnkept();
    }
  }

  async storeMasterSecret(secret: Uint8Array): Promise<void> {
    this.failure = undefined;
    try {
      await this.keychain.storeMasterSecret(secret);
      const back = await this.keychain.getMasterSecret();
      this.keptLast = back !== undefined && Buffer.from(back).equals(Buffer.from(secret));
      if (!this.keptLast) this.failure = 'the keychain did not return the key just written';
    } catch (error) {
      this.keptLast = false;
      this.failure = error instanceof Error ? error.message : String(error);
    }
    this.unkept = this.keptLast ? undefined : Uint8Array.from(secret);
  }

  getPreviousMasterSecret(): Promise<Uint8Array | undefined> {
    return this.keychain.getPreviousMasterSecret();
  }

  forgetPreviousMasterSecret(): Promise<void> {
    return this.keychain.forgetPreviousMasterSecret();
  }

  private copyOfUnkept(): Uint8Array | undefined {
    return this.unkept ? Uint8Array.from(this.unkept) : undefined;
  }
}
