import type { Result } from '../../src/protocol';
import { useMethodMutation, useMethodQuery } from './method';
import type { Query } from './request';

/** The models installed on a saved Ollama server, read again when `version` changes (after a pull or a delete). */
export function useInstalledModels(configurationId: string, version: number): Query<Result<'ollama.installed'>> {
  return useMethodQuery('ollama.installed', { configurationId }, { deps: [version] });
}

/** One installed model's details (Ollama's /api/show), asked when `model` is set. */
export function useModelDetails(configurationId: string, model: string | undefined): Query<Result<'ollama.details'>> {
  return useMethodQuery('ollama.details', model === undefined ? undefined : { configurationId, model });
}

export function useDeleteModel() {
  return useMethodMutation('ollama.delete');
}
