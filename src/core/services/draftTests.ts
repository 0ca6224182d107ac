import { createHash, randomUUID } from 'node:crypto';
import type { ParsedConfig } from '../providers';
import type { AIConfiguration, Store } from '../store';
import { settingsOf } from './rows';

/** How long a test of unsaved settings stays the test status of the configuration they are saved as. */
const DRAFT_TEST_TTL_MS = 5 * 60_000;

/** A recent test of unsaved settings: its outcome, the id it was recorded under, and whether it edited a saved one. */
export interface DraftTest {
  readonly at: Date;
  readonly ok: boolean;
  readonly id: string;
  readonly editing: boolean;
}

export interface DraftTestsDeps {
  readonly store: Store;
  readonly userId: string;
  readonly parseConfig: (provider: string, settings: unknown) => Promise<ParsedConfig>;
  readonly now: () => Date;
}

/**
 * What the wizard's tests of unsaved settings leave for saving: the outcome of a test of exactly these settings and
 * key, and the id their requests were recorded under, so the configuration saved from them keeps both.
 */
export class DraftTests {
  /** Outcomes of recent draft tests by a hash of their settings and key (never the key itself). */
  private readonly recent = new Map<string, DraftTest>();
  /**
   * The id that requests of unsaved settings are recorded under, by a hash of provider and address: saving them
   * creates the configuration with this id, so the wizard's tests and lists count as that configuration's.
   */
  private readonly ids = new Map<string, string>();

  constructor(private readonly deps: DraftTestsDeps) {}

  /** The id requests of these unsaved settings are recorded under (the same one until they are saved). */
  idFor(provider: string, baseUrl: unknown): string {
    const key = endpointFingerprint(provider, typeof baseUrl === 'string' ? baseUrl : null);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = randomUUID();
      // A long session of wizards must not grow without bound: the oldest unsaved settings are forgotten.
      if (this.ids.size >= 200) this.ids.delete(this.ids.keys().next().value ?? '');
      this.ids.set(key, id);
    }
    return id;
  }

  /** The id already given to requests of these settings, if any (saving them takes it over). */
  reservedId(provider: string, baseUrl: string | null): string | undefined {
    return this.ids.get(endpointFingerprint(provider, baseUrl));
  }

  /** The settings were saved under their id: later unsaved settings at the same address get a new one. */
  release(provider: string, baseUrl: string | null, id: string): void {
    const key = endpointFingerprint(provider, baseUrl);
    if (this.ids.get(key) === id) this.ids.delete(key);
  }

  remember(provider: string, config: unknown, apiKey: string | undefined, test: DraftTest): void {
    const horizon = this.deps.now().getTime() - DRAFT_TEST_TTL_MS;
    for (const [key, entry] of this.recent) if (entry.at.getTime() < horizon) this.recent.delete(key);
    this.recent.set(draftFingerprint(provider, config, apiKey), test);
  }

  /** The outcome of a test of exactly these new settings and key within the last five minutes, if any (taken once). */
  async takeForNew(provider: string, settings: Readonly<Record<string, unknown>>, apiKey: string | undefined): Promise<DraftTest | undefined> {
    if (this.recent.size === 0) return undefined;
    const parsed = await this.deps.parseConfig(provider, settings).catch(() => undefined);
    if (!parsed?.ok) return undefined;
    const key = draftFingerprint(provider, parsed.config, apiKey);
    const found = this.recent.get(key);
    if (!found || found.editing) return undefined;
    this.recent.delete(key);
    return this.deps.now().getTime() - found.at.getTime() < DRAFT_TEST_TTL_MS ? found : undefined;
  }

  /**
   * When the stored settings and key of a configuration are exactly what a test of unsaved changes just tried, that
   * outcome becomes its test status (a test of something else does not). Returns the updated row, or undefined.
   */
  async applyToSaved(row: AIConfiguration, storedKey: () => string | undefined): Promise<AIConfiguration | undefined> {
    if (this.recent.size === 0) return undefined;
    let fingerprint: string;
    try {
      const parsed = await this.deps.parseConfig(row.provider, settingsOf(row));
      if (!parsed.ok) return undefined;
      fingerprint = draftFingerprint(row.provider, parsed.config, storedKey());
    } catch {
      return undefined;
    }
    const found = this.recent.get(fingerprint);
    if (found?.id !== row.id || this.deps.now().getTime() - found.at.getTime() >= DRAFT_TEST_TTL_MS) return undefined;
    this.recent.delete(fingerprint);
    const { userId } = this.deps;
    const updated = await this.deps.store.write((r) => r.configurations.update(userId, row.id, { lastTestedAt: found.at.toISOString(), testStatus: found.ok ? 'success' : 'failed' }));
    return updated ?? row;
  }
}

/** A one-way fingerprint of a draft: the same settings and key give the same string; the key cannot be read back. */
function draftFingerprint(provider: string, config: unknown, apiKey: string | undefined): string {
  return createHash('sha256').update(JSON.stringify([provider, sortedKeys(config), apiKey ?? ''])).digest('hex');
}

/**
 * Provider and address: what the requests of unsaved settings are grouped by until they are saved (not the key, so
 * that a key typed letter by letter, each prefix refused, does not leave one entry per letter).
 */
function endpointFingerprint(provider: string, baseUrl: string | null): string {
  return createHash('sha256').update(JSON.stringify([provider, baseUrl ?? ''])).digest('hex');
}

/** The same settings in whatever key order give the same JSON. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]));
}
