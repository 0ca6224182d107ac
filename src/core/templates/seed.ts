import type { NewTemplate } from '../store/TemplateRepository';
import type { ProviderTemplate } from '../store/types';
import type { BuiltinTemplate } from './builtins';

/** The part of TemplateRepository that seeding uses. */
export interface TemplateStore {
  list(): readonly ProviderTemplate[];
  upsert(input: NewTemplate): ProviderTemplate;
  delete(id: string): boolean;
}

export interface SeedResult {
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
  readonly unchanged: number;
}

function sameContent(a: ProviderTemplate, b: BuiltinTemplate): boolean {
  return a.isBuiltin && a.provider === b.provider && a.name === b.name && a.model === b.model && a.description === b.description && stable(a.config) === stable(b.config);
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v);
}

/**
 * Makes the built-in templates exactly `templates`: adds new ones, updates changed ones in place, removes those the
 * catalog no longer lists. User templates are never touched. Run it inside one store write so it lands whole.
 */
export function seedBuiltinTemplates(repo: TemplateStore, templates: readonly BuiltinTemplate[]): SeedResult {
  const existing = new Map(repo.list().filter((t) => t.isBuiltin).map((t) => [t.id, t]));
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  for (const template of templates) {
    const current = existing.get(template.id);
    existing.delete(template.id);
    if (current && sameContent(current, template)) {
      unchanged++;
      continue;
    }
    repo.upsert(template);
    if (current) updated++;
    else added++;
  }
  for (const stale of existing.values()) {
    // The repository refuses to delete built-ins (users must not), so a stale one is made ordinary first.
    repo.upsert({ ...stale, isBuiltin: false });
    repo.delete(stale.id);
  }
  return { added, updated, removed: existing.size, unchanged };
}
