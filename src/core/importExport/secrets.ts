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
    } else if (Array.isArray(value)) {
      Object.defineProperty(kept, name, { value: listWithoutSecrets(value, at, removed), enumerable: true, writable: true, configurable: true });
    } else if (value !== null && typeof value === 'object') {
      const inner = withoutSecrets(value as Record<string, unknown>, at);
      Object.defineProperty(kept, name, { value: inner.config, enumerable: true, writable: true, configurable: true });
      removed.push(...inner.removed);
    } else {
      Object.defineProperty(kept, name, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return { config: kept, removed };
}

/** A list's items without credentials (a key-shaped string is left out, objects and lists inside are cleaned too). */
function listWithoutSecrets(list: readonly unknown[], path: string, removed: string[]): unknown[] {
  const kept: unknown[] = [];
  for (const [index, item] of list.entries()) {
    const at = `${path}.${String(index)}`;
    if (typeof item === 'string' && looksSecret('', item)) removed.push(at);
    else if (typeof item === 'string' && withoutUserInfo(item) !== item) {
      kept.push(withoutUserInfo(item));
      removed.push(`${at} (user info)`);
    } else if (Array.isArray(item)) kept.push(listWithoutSecrets(item, at, removed));
    else if (item !== null && typeof item === 'object') {
      const inner = withoutSecrets(item as Record<string, unknown>, at);
      kept.push(inner.config);
      removed.push(...inner.removed);
    } else kept.push(item);
  }
  return kept;
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
