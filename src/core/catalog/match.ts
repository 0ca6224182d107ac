import type { MatchRule } from './types';

const compiled = new Map<string, RegExp | null>();

function regex(source: string): RegExp | null {
  let re = compiled.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source);
    } catch {
      // A rule the engine cannot compile matches nothing rather than breaking every lookup.
      re = null;
    }
    compiled.set(source, re);
  }
  return re;
}

/** The price package's matching: text comparisons ignore case, `id` is already lower-cased and trimmed. */
export function matches(rule: MatchRule, id: string): boolean {
  if ('or' in rule) return rule.or.some((r) => matches(r, id));
  if ('and' in rule) return rule.and.every((r) => matches(r, id));
  if ('equals' in rule) return id === rule.equals.toLowerCase();
  if ('starts_with' in rule) return id.startsWith(rule.starts_with.toLowerCase());
  if ('ends_with' in rule) return id.endsWith(rule.ends_with.toLowerCase());
  if ('contains' in rule) return id.includes(rule.contains.toLowerCase());
  return regex(rule.regex)?.test(id) ?? false;
}
