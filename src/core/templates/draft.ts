import type { ProviderTemplate } from '../store/types';
import { uniqueName } from './names';

/** A configuration ready for the form or for ConfigurationService.createConfiguration, before its key is entered. */
export interface ConfigurationDraft {
  readonly name: string;
  readonly provider: string;
  /** Empty when the user still has to choose one (an OpenAI-compatible server lists what it serves). */
  readonly model: string;
  readonly baseUrl: string | null;
  /** The provider's settings, model and base URL included, so the provider's schema can check it whole. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly isActive?: boolean;
}

type TemplateFields = Pick<ProviderTemplate, 'name' | 'provider' | 'model' | 'config'>;

/** "Create from template": the template's settings under a name no configuration of the user has yet. */
export function draftFromTemplate(template: TemplateFields, existingNames: Iterable<string> = []): ConfigurationDraft {
  const baseUrl = typeof template.config.baseUrl === 'string' ? template.config.baseUrl : null;
  return {
    name: uniqueName(template.name, existingNames),
    provider: template.provider,
    model: template.model,
    baseUrl,
    config: { ...template.config, ...(template.model === '' ? {} : { model: template.model }) },
  };
}
