import { printableName } from '../../protocol/names';

/** Keys that would reach an object's prototype when copied with assignment. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Far deeper than any configuration; deeper input is a crafted file. */
const MAX_DEPTH = 24;

/** The first problem with a parsed value's shape (a prototype key, too deep), as a phrase for a message, or undefined. */
export function unsafeShape(value: unknown, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return `is nested more than ${String(MAX_DEPTH)} levels deep`;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (FORBIDDEN.has(key)) return `contains the key "${key}", which is not allowed (remove it)`;
    const problem = unsafeShape(inner, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** "entry 3 ("Groq")": entries are counted from 1, as people count them; hidden characters are written out. */
export function entryLabel(index: number, name: string | undefined): string {
  return name ? `entry ${String(index)} ("${printableName(name)}")` : `entry ${String(index)}`;
}

export function megabytes(bytes: number): string {
  return `${String(Math.round((bytes / 1024 / 1024) * 10) / 10)} MB`;
}

/** A table's own entry for a name read from a file; "constructor" or "toString" are not found on the prototype. */
export function ownValue<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
