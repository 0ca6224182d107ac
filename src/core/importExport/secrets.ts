import { SEALED_HEADER_VALUE } from '../providers/secretHeaders';

/** Field and header names that carry credentials; never exported, never taken from a file into plain settings. */
export const SECRET_NAME = /key|secret|token|password|credential|authorization|cookie/i;

/** Values shaped like provider keys or bearer tokens, whatever field they sit in. */
const SECRET_VALUE = /^(?:bearer\s+\S{8,}|sk-[\w-]{16,}|sk_[\w-]{16,}|AIza[\w-]{30,}|gsk_\w{20,}|xai-\w{20,}|hf_\w{20,}|r8_\w{20,})$/i;

export function looksSecret(name: string, value: unknown): boolean {
  // A sealed header's placeholder is left out too: it means nothing without the sealed value it stands for.
  return (SECRET_NAME.test(name) && !/count|tokens$|^max/i.test(name)) || (typeof value === 'string' && (SECRET_VALUE.test(value.trim()) || value === SEALED_HEADER_VALUE));
}

/** The settings without anything that looks like a credential, and the dotted paths of what was left out. */
export function withoutSecrets(config: Readonly<Record<string, unknown>>, path = ''): { config: Record<string, unknown>; removed: string[] } {
  const kept: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    const at = path === '' ? name : `${path}.${name}`;
    if (looksSecret(name, value)) {
      removed.push(at);
    } else if (typeof value === 'string' && withoutUserInfo(value) !== value) {
      // An address's "user:password@" is a credential; the address without it is kept.
      Object.defineProperty(kept, name, { value: withoutUserInfo(value), enumerable: true, writable: true, configurable: true });
      removed.push(`${at} (user info)`);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const inner = withoutSecrets(value as Record<string, unknown>, at);
      Object.defineProperty(kept, name, { value: inner.config, enumerable: true, writable: true, configurable: true });
      removed.push(...inner.removed);
    } else {
      Object.defineProperty(kept, name, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return { config: kept, removed };
}

/** An http(s) address without "user:password@"; anything else as it is. */
export function withoutUserInfo(address: string): string {
  if (!/^https?:\/\/[^/?#]*@/i.test(address)) return address;
  try {
    const url = new URL(address);
    url.username = '';
    url.password = '';
    const text = url.toString();
    // URL adds a "/" to a bare origin; the address had none (addresses are stored without a trailing slash).
    return address.endsWith('/') ? text : text.replace(/\/$/, '');
  } catch {
    return address;
  }
}
