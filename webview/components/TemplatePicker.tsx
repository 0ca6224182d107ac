import type { TemplateView } from '../../src/protocol';
import { useProviders, useProviderTemplates } from '../hooks/providers';
import { providerOf } from './providerNames';
import { strings } from '../strings';

/** templates.list: pick one to start the wizard with its provider, model and settings filled in. */
export function TemplatePicker(props: { readonly onPick: (template: TemplateView) => void; readonly onCancel: () => void }) {
  const templates = useProviderTemplates();
  const providers = useProviders();
  return (
    <div class="screen templates-screen">
      <header class="screen-header">
        <h1>{strings.templatesTitle}</h1>
      </header>
      <p class="muted">{strings.templatesHint}</p>
      {templates.error ? <p class="error" role="alert">{strings.error(templates.error.message)}</p> : null}
      {templates.data?.length === 0 ? <p>{strings.noTemplates}</p> : null}
      {!templates.data && !templates.error ? <p class="muted">{strings.loading}</p> : null}
      <ul class="template-list">
        {(templates.data ?? []).map((t) => {
          const provider = providerOf(providers.data ?? [], t.provider, t.settings);
          const providerName = provider?.displayName ?? t.provider;
          return (
          <li key={t.id} class="template-row">
            <div class="row-text">
              <span class="config-name">{t.name}</span>
              {t.isBuiltin ? <span class="badge muted-badge">{strings.builtin}</span> : null}
              <span class="config-detail muted">{[providerName, t.model].filter(Boolean).join(' · ')}</span>
              <span class="template-description muted">{t.description}</span>
              {provider?.docs && provider.preset ? (
                <a class="template-docs" href={provider.docs}>
                  {strings.setupGuide(providerName)}
                </a>
              ) : null}
            </div>
            <vscode-button
              secondary
              aria-label={strings.actionLabel(strings.useTemplate, t.name)}
              onClick={() => {
                props.onPick(t);
              }}
            >
              {strings.useTemplate}
            </vscode-button>
          </li>
          );
        })}
      </ul>
      <div class="actions">
        <vscode-button secondary onClick={props.onCancel}>
          {strings.back}
        </vscode-button>
      </div>
    </div>
  );
}
