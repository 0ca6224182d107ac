import * as vscode from 'vscode';
import type { KeyState } from './core/crypto';
import { Alerts } from './host/alerts';
import { registerBudgetCommands } from './host/commands/budgetCommands';
import { registerConfigurationCommands } from './host/commands/configurationCommands';
import { registerConnectionCommands } from './host/commands/connectionCommands';
import { registerDataCommands } from './host/commands/dataCommands';
import { registerKeyCommands, registerKeyRotationCommands, registerRotateCommand } from './host/commands/keyCommands';
import { registerOllamaCommands } from './host/commands/ollamaCommands';
import { registerPassphraseCommands } from './host/commands/passphraseCommands';
import { registerCommands } from './host/commands/panelCommands';
import { registerRouteGroupCommands } from './host/commands/routeGroupCommands';
import { registerUsageCommands } from './host/commands/usageCommands';
import { registerChat } from './host/chat/register';
import { createLog } from './host/log';
import { answerPromptsWith, type PromptAnswerer } from './host/promptSeam';
import type { PanelTestChannel } from './panelHandlers/panelTestChannel';
import { ServiceHost } from './host/ServiceHost';
import { createStatusBar } from './host/statusBar';
import { BudgetDecorations } from './host/views/budgetDecorations';
import { ConfigurationsTree } from './host/views/ConfigurationsTree';
import { updateViewSummary } from './host/views/viewSummary';

/** What integration tests may reach inside the extension; returned only when VS Code runs it under test. */
export interface ModelManagerTestApi {
  readonly services: ServiceHost;
  readonly secrets: vscode.SecretStorage;
  readonly tree: ConfigurationsTree;
  readonly alerts: Alerts;
  readonly budgetDecorations: BudgetDecorations;
  /** The chat panel's serializer, called the way VS Code calls it after a window reload, and what the panel shows. */
  readonly chat: { readonly serializer: vscode.WebviewPanelSerializer; inspect(): Promise<{ readonly conversationId: string | null; readonly visible: boolean } | undefined> };
  /** Answers the commands' questions (quick picks, input boxes, confirmations, file dialogs) in place of the user. */
  readonly prompts: { answerWith(handler: PromptAnswerer): vscode.Disposable };
  /** The Model Manager editor's RPC handler, driven with the page's own messages. */
  readonly panel: PanelTestChannel;
}

let services: ServiceHost | undefined;

/** The composition root: builds each service once and wires it to VS Code. Heavy modules load on first use. */
export function activate(context: vscode.ExtensionContext): ModelManagerTestApi | undefined {
  const started = performance.now();
  const log = createLog();
  const { version: extensionVersion } = context.extension.packageJSON as { version: string };
  services = new ServiceHost(context, log, sessionClock(context));
  const budgetDecorations = new BudgetDecorations();
  const tree = new ConfigurationsTree(services, log, budgetDecorations);
  const view = vscode.window.createTreeView('modelManager.configurations', { treeDataProvider: tree, showCollapseAll: true });
  const alerts = new Alerts(services, log);
  const summarize = (): void => {
    if (services?.current) updateViewSummary(view, services.current);
  };

  context.subscriptions.push(
    log,
    services,
    tree,
    view,
    budgetDecorations,
    vscode.window.registerFileDecorationProvider(budgetDecorations),
    alerts,
    alerts.onDidChange(() => {
      tree.refresh();
    }),
    tree.onDidChangeTreeData(summarize),
    services.onDidChangeKeyState((state) => {
      view.message = keyStateMessage(state);
      tree.refresh();
    }),
    ...createStatusBar(context, services),
    ...registerCommands({ extensionUri: context.extensionUri, log, services }),
    ...registerConfigurationCommands(services, log),
    ...registerConnectionCommands(services, tree, log),
    ...registerKeyCommands(services),
    ...registerPassphraseCommands(services, log),
    registerRotateCommand(services, log),
    ...registerKeyRotationCommands(services, log),
    ...registerUsageCommands(services, log),
    ...registerBudgetCommands(services, log),
    ...registerOllamaCommands(services, tree, log),
    ...registerDataCommands(services, log),
    ...registerRouteGroupCommands(services, tree, log),
    vscode.commands.registerCommand('modelManager.refresh', () => {
      tree.refresh();
    }),
  );
  // Chat: VS Code's model picker, @models, the chat panel.
  const chat = registerChat(context, services, log);
  context.subscriptions.push(...chat.disposables);
  log.info(`Model Manager ${extensionVersion} activated in ${(performance.now() - started).toFixed(2)} ms`);
  return context.extensionMode === vscode.ExtensionMode.Test ? { services, secrets: context.secrets, tree, alerts, budgetDecorations, chat: { serializer: chat.serializer, inspect: chat.inspectPanel }, prompts: { answerWith: answerPromptsWith }, panel: lazyPanelTestChannel(services) } : undefined;
}

/** The panel's test channel, loaded with the core on its first message. */
function lazyPanelTestChannel(source: ServiceHost): PanelTestChannel {
  let channel: Promise<PanelTestChannel> | undefined;
  return { send: async (raw) => (await (channel ??= import('./host/lazyCore').then((core) => core.panelTestChannel(source)))).send(raw) };
}

/** The tree's banner: the same count and the same way out as the notification. */
function keyStateMessage(state: KeyState): string {
  if (state.kind === 'ready') return '';
  if (state.reason === 'passphrase-needed') {
    return vscode.l10n.t('{0} stored API key(s) are locked by your master passphrase. Run "Model Manager: Enter Master Passphrase" to open them.', state.sealedKeyCount);
  }
  return vscode.l10n.t('{0} stored API key(s) cannot be opened on this machine. Run "Model Manager: Start Over with a New Master Key" (or "Use a Master Passphrase" where the keychain does not keep it), or restore your keychain.', state.sealedKeyCount);
}

/** Saves buffered usage rows and releases the database before the host goes away. */
export async function deactivate(): Promise<void> {
  await services?.close();
  services = undefined;
}

/**
 * The wall clock of the session. Run from source (tests, development) MM_TEST_CLOCK_START starts it at a fixed moment
 * and lets it advance in real time, so no test depends on today's date (a day or a month ending mid-suite); an
 * installed extension always uses the real clock.
 */
function sessionClock(context: vscode.ExtensionContext): () => Date {
  const fromSource = context.extensionMode !== vscode.ExtensionMode.Production;
  const start = fromSource ? Date.parse(process.env.MM_TEST_CLOCK_START ?? '') : Number.NaN;
  if (Number.isNaN(start)) return () => new Date();
  const origin = performance.now();
  return () => new Date(start + (performance.now() - origin));
}
