import type { AIConfiguration, ProviderTemplate } from '../store/types';
import { withoutSecrets, withoutUserInfo } from './secrets';

export const BUNDLE_FORMAT = 'model-manager-bundle';
export const BUNDLE_VERSION = 1;

/** One configuration as exported: no id, no user, no key (only whether one has to be entered again). */
export interface BundleConfiguration {
  readonly name: string;
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string | null;
  readonly config: Readonly<Record<string, unknown>>;
  readonly isActive: boolean;
  readonly hasApiKey: boolean;
  /** Settings left out because they looked like credentials (e.g. "headers.Authorization"). */
  readonly removedSecrets?: readonly string[];
}

export interface BundleTemplate {
  readonly provider: string;
  readonly name: string;
  readonly model: string;
  readonly description: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface ModelManagerBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: typeof BUNDLE_VERSION;
  readonly exportedAt: string;
  readonly configurations: readonly BundleConfiguration[];
  readonly templates: readonly BundleTemplate[];
}

function exportConfiguration(c: AIConfiguration): BundleConfiguration {
  const { config, removed } = withoutSecrets(c.config);
  return {
    name: c.name,
    provider: c.provider,
    model: c.model,
    baseUrl: c.baseUrl === null ? null : withoutUserInfo(c.baseUrl),
    config,
    isActive: c.isActive,
    hasApiKey: c.encryptedApiKey !== null,
    ...(removed.length > 0 ? { removedSecrets: removed } : {}),
  };
}

/** The bundle for "Export Configurations": the user's configurations and own templates (built-ins ship with the extension). */
export function exportBundle(configurations: readonly AIConfiguration[], templates: readonly ProviderTemplate[], now: Date = new Date()): ModelManagerBundle {
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exportedAt: now.toISOString(),
    configurations: configurations.map(exportConfiguration),
    templates: templates.filter((t) => !t.isBuiltin).map((t) => ({
      provider: t.provider,
      name: t.name,
      model: t.model,
      description: t.description,
      config: withoutSecrets(t.config).config,
    })),
  };
}

/** The file's text: indented so a person can read and diff it. */
export function serializeBundle(bundle: ModelManagerBundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}
