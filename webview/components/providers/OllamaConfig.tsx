import { strings } from '../../strings';
import { GenericConfig } from './GenericConfig';
import { OllamaPull } from './OllamaPull';
import type { ProviderFormProps } from './types';

/** Ollama: a local server without a key; keep-alive and context size sit with the generation settings. A saved one can pull models. */
export function OllamaConfig(props: ProviderFormProps) {
  return (
    <GenericConfig {...props} hint={strings.ollamaHint}>
      {props.configurationId ? <OllamaPull configurationId={props.configurationId} draft={props.draft} /> : null}
    </GenericConfig>
  );
}
