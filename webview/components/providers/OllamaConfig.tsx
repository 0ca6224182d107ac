import { useState } from 'preact/hooks';
import { useRefreshModels } from '../../hooks/providers';
import { strings } from '../../strings';
import { GenericConfig } from './GenericConfig';
import { OllamaModels } from './OllamaModels';
import { OllamaPull } from './OllamaPull';
import type { ProviderFormProps } from './types';

/**
 * Ollama: a local server without a key; keep-alive and context size sit with the generation settings. A saved one
 * lists its installed models (details, delete) and can pull more; both lists follow a pull or a delete.
 */
export function OllamaConfig(props: ProviderFormProps) {
  const [pulls, setPulls] = useState(0);
  const refreshModels = useRefreshModels(props.draft);
  return (
    <GenericConfig {...props} hint={strings.ollamaHint}>
      {props.configurationId ? (
        <>
          <OllamaModels configurationId={props.configurationId} version={pulls} onDeleted={refreshModels} />
          <OllamaPull
            configurationId={props.configurationId}
            draft={props.draft}
            onPulled={() => {
              setPulls((n) => n + 1);
            }}
          />
        </>
      ) : null}
    </GenericConfig>
  );
}
