import { fitName } from '../../protocol/names';

/**
 * `name`, or `name (2)`, `name (3)`, ... whichever is free, cut to fit the name length limit so the result is a
 * name the service accepts; names compare without case, as people read them.
 */
export function uniqueName(name: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((n) => n.trim().toLowerCase()));
  const wanted = fitName(name.trim());
  if (!used.has(wanted.toLowerCase())) return wanted;
  for (let n = 2; ; n++) {
    const candidate = fitName(wanted, ` (${String(n)})`);
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}
