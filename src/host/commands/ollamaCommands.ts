import * as vscode from 'vscode';
import { modelCount } from '../counts';
import type { HostContext } from '../hostContext';
import { ask, resolveConfiguration, type ConfigurationArgument } from '../prompts';
import { abortOn, sessionCommand } from './sessionCommand';
import { registerOllamaModelCommands } from './ollamaModelCommands';
import type { OllamaDetailsDocuments } from '../views/ollamaDetailsDocuments';

const LOCAL_OLLAMA = 'http://127.0.0.1:11434';

/** Pull Ollama Model (real byte progress, cancellable), Detect Local Ollama, and Delete Model / Show Details. */
export function registerOllamaCommands(host: HostContext, details: OllamaDetailsDocuments): vscode.Disposable[] {
  const { tree } = host;
  return [
    ...registerOllamaModelCommands(host, details),
    sessionCommand(host, 'modelManager.pullOllamaModel', async (session, arg?: ConfigurationArgument) => {
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Into which Ollama server?'), (c) => c.provider === 'ollama');
      if (!configuration) return undefined;
      const model = await ask({
        title: vscode.l10n.t('Pull a model into "{0}"', configuration.name),
        prompt: vscode.l10n.t('The model to download, as on ollama.com/library, e.g. llama3.2 or qwen2.5-coder:7b'),
        validate: (v) => (/^[\w.-]+(\/[\w.-]+)*(:[\w.-]+)?$/.test(v.trim()) ? undefined : vscode.l10n.t('A model name looks like llama3.2 or qwen2.5-coder:7b.')),
      });
      if (!model) return undefined;
      const { provider, target } = await session.providerAccess.targetOf(configuration);
      if (!provider.pullModel) throw new Error(`${provider.displayName} cannot pull models.`);
      const steps = (signal: AbortSignal) => provider.pullModel?.(target, model.trim(), { signal }) ?? [];
      const last = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Pulling {0}', model.trim()), cancellable: true },
        async (progress, token) => {
          let reported = 0;
          let status = '';
          for await (const step of steps(abortOn(token))) {
            status = step.status;
            const percent = step.total > 0 ? Math.floor((step.completed / step.total) * 100) : reported;
            progress.report({
              message: step.total > 0 ? `${step.status} — ${String(percent)}% (${megabytes(step.completed)} of ${megabytes(step.total)})` : step.status,
              increment: Math.max(0, percent - reported),
            });
            reported = Math.max(reported, percent);
          }
          return status;
        },
      );
      // Listed again now, so the tree shows the new model whatever was cached while the pull ran.
      await provider.listModels(target, { refresh: true }).catch(() => undefined);
      tree.refresh();
      void vscode.window.showInformationMessage(vscode.l10n.t('Pulled {0} into "{1}" ({2}).', model.trim(), configuration.name, last));
      return last;
    }),

    // Only the local address: a caller-given address would add a configuration pointing wherever it likes.
    sessionCommand(host, 'modelManager.detectOllama', async (session) => {
      const baseUrl = LOCAL_OLLAMA;
      const provider = await session.providers.get('ollama');
      const parsed = await session.providers.parseConfig('ollama', { baseUrl, model: 'placeholder' });
      if (!parsed.ok) throw new Error(`Not an address Ollama can use: ${baseUrl}`);
      let models;
      try {
        models = await provider.listModels({ config: parsed.config }, { refresh: true, retry: false });
      } catch {
        void vscode.window.showWarningMessage(vscode.l10n.t('No Ollama server answers at {0}. Start it with "ollama serve" (https://ollama.com/download) and try again.', baseUrl));
        return undefined;
      }
      const existing = session.configurations.listConfigurations().find((c) => c.provider === 'ollama' && c.baseUrl === baseUrl);
      if (existing) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Ollama at {0} is already configured as "{1}" ({2} installed).', baseUrl, existing.name, modelCount(models.length)));
        return existing;
      }
      const first = models[0]?.id;
      if (!first) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Ollama answers at {0} but has no models yet. Pull one, e.g. "ollama pull llama3.2", then detect again.', baseUrl));
        return undefined;
      }
      let name = 'Local Ollama';
      for (let n = 2; session.configurations.listConfigurations().some((c) => c.name.toLowerCase() === name.toLowerCase()); n++) name = `Local Ollama ${String(n)}`;
      const created = await session.configurations.createConfiguration({ name, provider: 'ollama', settings: { baseUrl, model: first } });
      void vscode.window.showInformationMessage(vscode.l10n.t('Found Ollama at {0} with {1}; added "{2}" using {3}.', baseUrl, modelCount(models.length), name, first));
      return created;
    }),
  ];
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
