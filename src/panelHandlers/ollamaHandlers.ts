// The editor's Ollama screen: installed models, their details, and deleting one, through the same OllamaModels the
// tree's commands use. No vscode import.
import { OllamaModels } from '../core/services';
import type { StoreSession } from '../core/session';
import type { MethodName, Params, Result } from '../protocol/rpc';

type OllamaMethod = 'ollama.installed' | 'ollama.details' | 'ollama.delete';
type OllamaHandlers = { [M in OllamaMethod & MethodName]: (params: Params<M>) => Promise<Result<M>> };

export function ollamaHandlers(session: StoreSession): OllamaHandlers {
  const models = new OllamaModels(session);
  return {
    'ollama.installed': async ({ configurationId }) =>
      (await models.installed(configurationId)).slice(0, 2000).map(({ model, usedBy }) => ({
        id: model.id.slice(0, 300),
        ...(model.sizeBytes === undefined ? {} : { sizeBytes: model.sizeBytes }),
        usedBy: usedBy.map((c) => c.name),
      })),
    'ollama.details': async ({ configurationId, model }) => {
      const installed = await models.find(configurationId, model);
      const d = await models.details(configurationId, installed.model.id);
      const licence = d.license?.trim().split('\n')[0]?.trim();
      return {
        model: installed.model.id.slice(0, 300),
        ...(d.family ? { family: d.family.slice(0, 200) } : {}),
        ...(d.parameterSize ? { parameterSize: d.parameterSize.slice(0, 100) } : {}),
        ...(d.quantization ? { quantization: d.quantization.slice(0, 100) } : {}),
        ...(d.contextLength === undefined ? {} : { contextLength: d.contextLength }),
        capabilities: d.capabilities.slice(0, 100).map((c) => c.slice(0, 100)),
        ...(licence ? { license: licence.slice(0, 300) } : {}),
        ...(d.modifiedAt ? { modifiedAt: d.modifiedAt.slice(0, 64) } : {}),
        ...(installed.model.sizeBytes === undefined ? {} : { sizeBytes: installed.model.sizeBytes }),
      };
    },
    'ollama.delete': async ({ configurationId, model }) => {
      // Checked against the server's list now: the size said is what it has, and a model already gone is refused.
      const installed = await models.find(configurationId, model);
      const { sizeBytes } = await models.delete(configurationId, installed.model);
      return { deleted: true, ...(sizeBytes === undefined ? {} : { sizeBytes }) };
    },
  };
}
