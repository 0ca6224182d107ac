import type { TemplateView } from '../../protocol';
import type { StoreSession } from '../session';
import { builtinTemplates } from './builtins';
import { seedBuiltinTemplates } from './seed';

/** Built-in templates, refreshed from the model catalog the first time they are needed in a session. */
export async function seededTemplates(session: StoreSession): Promise<TemplateView[]> {
  const catalog = await session.catalog();
  const builtins = builtinTemplates(catalog);
  const current = session.store.read((r) => r.templates.list());
  const stale = builtins.some((b) => !current.some((t) => t.id === b.id && t.description === b.description && t.model === b.model))
    || current.some((t) => t.isBuiltin && !builtins.some((b) => b.id === t.id));
  if (stale) await session.store.write((r) => seedBuiltinTemplates(r.templates, builtins));
  return session.store.read((r) => r.templates.list()).map((t) => ({
    id: t.id,
    provider: t.provider,
    name: t.name,
    model: t.model,
    description: t.description,
    settings: { ...t.config, ...(t.model ? { model: t.model } : {}) },
    isBuiltin: t.isBuiltin,
  }));
}
