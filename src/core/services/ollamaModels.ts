import type { ModelInfo, OllamaModelDetails } from '../providers';
import type { AIConfiguration } from '../store';
import type { ConfigurationService } from './ConfigurationService';
import { ConfigurationError } from './errors';
import type { ProviderAccess } from './ProviderAccess';
import type { ResolvedTarget } from './types';

/** What the Ollama model actions use of a session: the configurations and the call targets. */
export interface OllamaModelParts {
  readonly configurations: Pick<ConfigurationService, 'getConfiguration' | 'listConfigurations' | 'recordAudit'>;
  readonly providerAccess: Pick<ProviderAccess, 'targetOf'>;
}

/** A model installed on an Ollama server, and the configurations on that server that run on it. */
export interface InstalledModel {
  readonly model: ModelInfo;
  readonly usedBy: readonly AIConfiguration[];
}

interface Server extends ResolvedTarget {
  readonly configuration: AIConfiguration;
}

/**
 * The models on an Ollama server and what can be done to them: listed afresh (sizes and names as the server has them
 * now), described, deleted with an audit entry. The tree's commands and the editor's Ollama screen both go through here.
 */
export class OllamaModels {
  constructor(private readonly parts: OllamaModelParts) {}

  /** Every installed model of a saved Ollama configuration's server, read now (not from the cache). */
  async installed(configurationId: string): Promise<readonly InstalledModel[]> {
    const server = await this.server(configurationId);
    const models = await server.provider.listModels(server.target, { refresh: true });
    return models.map((model) => ({ model, usedBy: this.usersOf(server.configuration, model.id) }));
  }

  /** One installed model as the server has it now; refused when it is gone. */
  async find(configurationId: string, modelId: string): Promise<InstalledModel & { readonly configuration: AIConfiguration }> {
    const server = await this.server(configurationId);
    const found = (await server.provider.listModels(server.target, { refresh: true })).find((m) => m.id === modelId);
    if (!found) throw new ConfigurationError('not-found', `"${server.configuration.name}" no longer has ${modelId} installed.`);
    return { configuration: server.configuration, model: found, usedBy: this.usersOf(server.configuration, found.id) };
  }

  /** Family, parameters, quantisation, context length, capabilities, licence and modified date (Ollama's /api/show). */
  async details(configurationId: string, modelId: string): Promise<OllamaModelDetails> {
    const server = await this.server(configurationId);
    if (!server.provider.showModel) throw new ConfigurationError('validation', `${server.provider.displayName} cannot describe models.`);
    return server.provider.showModel(server.target, modelId);
  }

  /** Deletes a model from the server (the adapter drops its cached list) and records it; returns the bytes it freed, if known. */
  async delete(configurationId: string, model: ModelInfo): Promise<{ readonly sizeBytes: number | undefined }> {
    const server = await this.server(configurationId);
    if (!server.provider.deleteModel) throw new ConfigurationError('validation', `${server.provider.displayName} cannot delete models.`);
    await server.provider.deleteModel(server.target, model.id);
    await this.parts.configurations.recordAudit('ollama.deleteModel', 'configuration', configurationId, { model: model.id, sizeBytes: model.sizeBytes ?? null });
    return { sizeBytes: model.sizeBytes };
  }

  private async server(configurationId: string): Promise<Server> {
    const configuration = this.parts.configurations.getConfiguration(configurationId);
    if (configuration.provider !== 'ollama') throw new ConfigurationError('validation', `"${configuration.name}" is not an Ollama server: only Ollama models can be listed, described or deleted here.`);
    const { provider, target } = await this.parts.providerAccess.targetOf(configuration);
    return { configuration, provider, target };
  }

  /** The configurations on the same server that run on this model ("llama3.2" names "llama3.2:latest"). */
  private usersOf(server: AIConfiguration, modelId: string): AIConfiguration[] {
    return this.parts.configurations.listConfigurations().filter((c) => c.provider === 'ollama' && c.baseUrl === server.baseUrl && sameModel(c.model, modelId));
  }
}

function sameModel(a: string, b: string): boolean {
  const full = (name: string): string => (name.includes(':') ? name : `${name}:latest`);
  return full(a) === full(b);
}
