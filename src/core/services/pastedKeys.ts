import { looksSecret } from '../importExport/secrets';
import { HEADERS_FIELD } from './secretHeaders';

/** Deeper than any provider setting; what lies below is not looked at (the provider schemas bound it anyway). */
const MAX_DEPTH = 32;

/**
 * The dotted paths of plain settings whose value is shaped like a key or a bearer token (sk-…, AIza…, "Bearer …"):
 * stored there it would sit unsealed in the database and come back in every view. Headers are sealed on their own.
 * Only the value's shape counts: a setting named "tokenizer" or "keep_alive" is no key.
 */
export function pastedKeyPaths(settings: Readonly<Record<string, unknown>>): string[] {
  const found: string[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = Object.entries(settings)
    .filter(([name]) => name !== HEADERS_FIELD)
    .map(([name, value]) => ({ value, path: name, depth: 0 }));
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'string') {
      if (looksSecret('', value)) found.push(path);
    } else if (typeof value === 'object' && value !== null && depth < MAX_DEPTH) {
      for (const [name, child] of Object.entries(value)) stack.push({ value: child, path: `${path}.${name}`, depth: depth + 1 });
    }
  }
  return found.sort();
}
