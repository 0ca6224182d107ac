import { strings } from '../../strings';
import { GenericConfig } from './GenericConfig';
import type { ProviderFormProps } from './types';

/** Ollama: a local server without a key; keep-alive and context size sit with the generation settings. */
export function OllamaConfig(props: ProviderFormProps) {
  return <GenericConfig {...props} hint={strings.ollamaHint} />;
}
