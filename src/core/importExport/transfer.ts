import { errorMessage } from '../errors';
import { providerIds } from '../providers';
import type { StoreSession } from '../session';
import type { AIConfiguration } from '../store';
import { exportBundle, serializeBundle } from './bundle';
import { importBundle } from './importBundle';
import { importContinueConfig } from './continueConfig';
import type { ImportReport } from './types';

export interface ImportOutcome {
  readonly created: readonly AIConfiguration[];
  readonly templates: number;
  readonly rejected: ImportReport['rejected'];
  readonly failed: readonly string[];
}

export interface ExportedData {
  /** The bundle as it goes into the file (never a key). */
  readonly text: string;
  readonly configurations: number;
  readonly templates: number;
}

/** The user's configurations and own templates as a bundle; recordExport() once it is written. */
export function exportUserData(session: StoreSession, now: Date = session.now()): ExportedData {
  const configurations = session.configurations.listConfigurations();
  const templates = session.store.read((r) => r.templates.list()).filter((t) => !t.isBuiltin);
  return { text: serializeBundle(exportBundle(configurations, templates, now)), configurations: configurations.length, templates: templates.length };
}

export async function recordExport(session: StoreSession, exported: ExportedData): Promise<void> {
  await session.configurations.recordAudit('configurations.export', 'bundle', null, { configurations: exported.configurations, templates: exported.templates });
}

/**
 * Imports a Model Manager bundle or a Continue config: each configuration is created like one entered by hand (a
 * refused one is reported, the rest still come in), templates are added, and the import is recorded in the audit log.
 */
export async function importUserData(session: StoreSession, text: string): Promise<ImportOutcome> {
  const options = {
    providers: providerIds,
    validateConfig: (id: string, config: unknown) => session.providers.parseConfig(id, config),
    existingNames: session.configurations.listConfigurations().map((c) => c.name),
    existingTemplateNames: session.store.read((r) => r.templates.list()).map((t) => t.name),
  };
  const looksLikeBundle = /"format"\s*:\s*"model-manager-bundle"/.test(text);
  const result = looksLikeBundle ? await importBundle(text, options) : await importContinueConfig(text, options);
  const created: AIConfiguration[] = [];
  const failed: string[] = [];
  for (const draft of result.imported) {
    try {
      created.push(await session.configurations.createConfiguration({
        name: draft.name,
        provider: draft.provider,
        settings: draft.config,
        ...(draft.apiKey ? { apiKey: draft.apiKey.reveal() } : { keyLater: true }),
        ...(draft.isActive === undefined ? {} : { isActive: draft.isActive }),
      }));
    } catch (error) {
      failed.push(`"${draft.name}": ${errorMessage(error)}`);
    }
  }
  if (result.templates.length > 0) {
    await session.store.write((r) => {
      for (const t of result.templates) r.templates.upsert({ provider: t.provider, name: t.name, model: t.model, description: t.description, config: t.config, isBuiltin: false });
    });
  }
  await session.configurations.recordAudit('configurations.import', 'file', null, {
    format: looksLikeBundle ? 'bundle' : 'continue',
    imported: created.length,
    rejected: result.rejected.length + failed.length,
  });
  return { created, templates: result.templates.length, rejected: result.rejected, failed };
}
