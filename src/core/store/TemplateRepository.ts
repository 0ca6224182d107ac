import { randomUUID } from 'node:crypto';
import { parseObject } from './json';
import type { Row, Sql } from './sql';
import { num, text } from './sql';
import type { ProviderTemplate } from './types';

export type NewTemplate = Omit<ProviderTemplate, 'id' | 'createdAt' | 'isBuiltin' | 'isDefault'> & { readonly id?: string; readonly isBuiltin?: boolean };

/** provider_templates: shared starting points for new configurations; they hold no keys. */
export class TemplateRepository {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => string,
  ) {}

  list(): ProviderTemplate[] {
    return this.sql.all('SELECT * FROM provider_templates ORDER BY provider, name').map(toTemplate);
  }

  get(id: string): ProviderTemplate | undefined {
    const row = this.sql.get('SELECT * FROM provider_templates WHERE id = ?', [id]);
    return row ? toTemplate(row) : undefined;
  }

  upsert(input: NewTemplate): ProviderTemplate {
    const id = input.id ?? randomUUID();
    this.sql.run(
      `INSERT INTO provider_templates (id, provider, name, model, description, config, is_builtin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, name = excluded.name, model = excluded.model,
         description = excluded.description, config = excluded.config, is_builtin = excluded.is_builtin`,
      [id, input.provider, input.name, input.model, input.description, JSON.stringify(input.config), input.isBuiltin ? 1 : 0, this.now()],
    );
    const saved = this.get(id);
    if (!saved) throw new Error('TemplateRepository.upsert: the row was not found');
    return saved;
  }

  /** The provider's default template, if one is set. */
  defaultFor(provider: string): ProviderTemplate | undefined {
    const row = this.sql.get('SELECT * FROM provider_templates WHERE provider = ? AND is_default = 1 ORDER BY name LIMIT 1', [provider]);
    return row ? toTemplate(row) : undefined;
  }

  /** Makes `id` its provider's one default (clearing the one before), or with `null` leaves the provider without one. */
  setDefault(provider: string, id: string | null): void {
    this.sql.run('UPDATE provider_templates SET is_default = CASE WHEN id = ? THEN 1 ELSE 0 END WHERE provider = ?', [id, provider]);
  }

  /** Built-in templates ship with the extension and cannot be deleted. */
  delete(id: string): boolean {
    return this.sql.run('DELETE FROM provider_templates WHERE id = ? AND is_builtin = 0', [id]) > 0;
  }
}

function toTemplate(row: Row): ProviderTemplate {
  return {
    id: text(row.id),
    provider: text(row.provider),
    name: text(row.name),
    model: text(row.model),
    description: text(row.description),
    config: parseObject(text(row.config)),
    isBuiltin: num(row.is_builtin) !== 0,
    isDefault: num(row.is_default) !== 0,
    createdAt: text(row.created_at),
  };
}
