/**
 * What is true of a configuration right now, one answer for every view (tree, editor, route group members, hovers,
 * status bar): a key that cannot be opened outranks everything (no earlier result says what would happen now); then
 * the newer of the last connection test and the last health check.
 */
export type ConfigurationState = 'key-locked' | 'unreachable' | 'failed' | 'passed' | 'untested';

export interface ConfigurationStateFacts {
  readonly testStatus: string | null;
  readonly lastTestedAt: string | null;
  /** Undefined when no key is stored; false when one is stored but cannot be opened (lost or locked master key). */
  readonly keyReadable: boolean | undefined;
  readonly health?: { readonly state: 'unknown' | 'healthy' | 'unhealthy'; readonly lastCheckedAt: string | null } | undefined;
}

export function configurationState(facts: ConfigurationStateFacts): ConfigurationState {
  if (facts.keyReadable === false) return 'key-locked';
  const { health } = facts;
  // A failed health check newer than the last test is the latest word: the server stopped answering since.
  if (health?.state === 'unhealthy' && (facts.lastTestedAt === null || (health.lastCheckedAt ?? '') >= facts.lastTestedAt)) return 'unreachable';
  if (facts.testStatus === 'success') return 'passed';
  if (facts.testStatus === 'failed') return 'failed';
  return 'untested';
}

/** The stored facts a state is worked out from, and the key service that says whether each key still opens. */
export interface StateRow {
  readonly id: string;
  readonly testStatus: string | null;
  readonly lastTestedAt: string | null;
  readonly encryptedApiKey: string | null;
}
export interface KeyReadability {
  describeApiKey(id: string): { readonly readable: boolean };
}

/** Every configuration's state at once, from the store and the health monitor's latest checks. */
export function configurationStates(rows: readonly StateRow[], keys: KeyReadability, health: readonly { readonly configurationId: string; readonly state: 'unknown' | 'healthy' | 'unhealthy'; readonly lastCheckedAt: string | null }[]): Map<string, ConfigurationState> {
  const checks = new Map(health.map((h) => [h.configurationId, h]));
  return new Map(
    rows.map((c) => [
      c.id,
      configurationState({ testStatus: c.testStatus, lastTestedAt: c.lastTestedAt, keyReadable: c.encryptedApiKey ? readable(keys, c.id) : undefined, health: checks.get(c.id) }),
    ]),
  );
}

function readable(keys: KeyReadability, id: string): boolean {
  try {
    return keys.describeApiKey(id).readable;
  } catch {
    return false;
  }
}
