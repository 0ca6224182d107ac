import type { ProviderView } from '../../src/protocol';
import { useProviders } from '../hooks/providers';
import { strings } from '../strings';

/** Step 1: every provider and known OpenAI-compatible server, as buttons. */
export function ProviderSelection(props: { readonly onPick: (provider: ProviderView) => void }) {
  const providers = useProviders();
  if (providers.error) return <p class="error" role="alert">{strings.error(providers.error.message)}</p>;
  if (!providers.data) return <p class="muted">{strings.loading}</p>;
  return (
    <>
      <p>{strings.chooseProvider}</p>
      <ul class="provider-grid" aria-label={strings.stepProvider}>
        {providers.data.map((p) => (
          <li key={`${p.id}/${p.preset ?? ''}`}>
            <button
              type="button"
              class="provider-card"
              data-provider={p.id}
              data-preset={p.preset ?? ''}
              onClick={() => {
                props.onPick(p);
              }}
            >
              <span class="provider-name">{p.displayName}</span>
              <span class="muted">{strings.providerApiKey[p.apiKey]}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
