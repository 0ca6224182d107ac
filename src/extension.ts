import * as vscode from 'vscode';
import type { KeyState } from './core/crypto';
import { Alerts } from './host/alerts';
import { contributedCommands, registerOnFirstCall } from './host/commands/onFirstCall';
import { registerChat } from './host/chat/register';
import type { EndpointController } from './host/endpoint/EndpointController';
import { registerEndpoint } from './host/endpoint/registerEndpoint';
import { registerFeatures, type Feature } from './host/features';
import type { HostContext } from './host/hostContext';
import { confirmKeyDestination } from './host/keyDestination';
import type { CommandHost } from './host/lazyCommands';
import { createLog } from './host/log';
import { answerPromptsWith, type PromptAnswerer } from './host/promptSeam';
import type { PanelTestChannel } from './panelHandlers/panelTestChannel';
import { ServiceHost } from './host/ServiceHost';
import { createStatusBar } from './host/statusBar';
import { AUDIT_SCHEME, AuditLogDocument } from './host/views/auditLogDocument';
import { BudgetDecorations } from './host/views/budgetDecorations';
import { ConfigurationsTree } from './host/views/ConfigurationsTree';
import { OLLAMA_DETAILS_SCHEME, OllamaDetailsDocuments } from './host/views/ollamaDetailsDocuments';
import { updateViewSummary } from './host/views/viewSummary';
import { chatPage, editorPage } from './host/webview/pages';
import { registerWebviewSerializer, webviewSerializer } from './host/webview/registration';

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
  /** Registers features the way activation does (each in its own try/catch); the names of those that failed. */
  readonly registerFeatures: (features: readonly Feature[]) => string[];
}

let services: ServiceHost | undefined;
let endpoint: EndpointController | undefined;

// The commands' handlers, the webviews' code and chat's provider and participant: dist/commands.js, loaded on first use.
const commandModule = () => import('./host/lazyCommands');

/**
 * What follows activation in the next turn of the event loop, each in its own try/catch: the webviews' serializers,
 * the local endpoint (its status bar item and tree section), the read-only documents, and every command as a stand-in
 * that loads the real handlers on its first call (registerOnFirstCall).
 */
function deferredFeatures(context: vscode.ExtensionContext, host: HostContext): Feature[] {
  const auditLog = new AuditLogDocument(host.services);
  const ollamaDetails = new OllamaDetailsDocuments();
  return [
    ['the webviews', () => [
      registerWebviewSerializer(host, editorPage.viewType, async () => (await commandModule()).editorWebview),
      registerWebviewSerializer(host, chatPage.viewType, async () => (await commandModule()).chatWebview),
    ]],
    ['the local endpoint', () => {
      const registered = registerEndpoint(host);
      endpoint = registered.controller;
      return registered.disposables;
    }],
    ['the audit log and model details documents', () => [
      auditLog,
      ollamaDetails,
      vscode.workspace.registerTextDocumentContentProvider(AUDIT_SCHEME, auditLog),
      vscode.workspace.registerTextDocumentContentProvider(OLLAMA_DETAILS_SCHEME, ollamaDetails),
    ]],
    ['the commands', () => registerOnFirstCall(host, contributedCommands(context.extension.packageJSON), async () => {
      const { registerCommandHandlers } = await commandModule();
      // The endpoint as it stands when the commands load: none if it could not be set up (its commands are left out).
      const commandHost: CommandHost = { ...host, endpoint, auditLog, ollamaDetails };
      return () => registerCommandHandlers(commandHost);
    })],
  ];
}

/**
 * The composition root: builds each service once and wires it to VS Code. Only what VS Code may ask for as soon as
 * the extension is active (the tree, the status bar, chat's models and participant) is registered in this call; the
 * commands' stand-ins and the webviews' serializers follow in the next turn of the event loop (deferredFeatures),
 * before the returned promise settles, so VS Code (which waits for it) never runs a command, or restores a panel,
 * before it exists. Heavy modules (the commands' handlers, chat's provider, the core) load on first use.
 */
export function activate(context: vscode.ExtensionContext): Promise<ModelManagerTestApi | undefined> {
  const started = performance.now();
  const log = createLog();
  const { version: extensionVersion } = context.extension.packageJSON as { version: string };
  const serviceHost = new ServiceHost(context, log, sessionClock(context));
  services = serviceHost;
  const budgetDecorations = new BudgetDecorations();
  const tree = new ConfigurationsTree(serviceHost, log, budgetDecorations);
  const host: HostContext = { extension: context, services: serviceHost, log, tree };
  const alerts = new Alerts(serviceHost, log);
  context.subscriptions.push(log, serviceHost, tree, budgetDecorations, alerts);
  registerFeatures(host, [
    ['the Configurations view', () => {
      const view = vscode.window.createTreeView('modelManager.configurations', { treeDataProvider: tree, showCollapseAll: true });
      return [
        view,
        alerts.onDidChange(() => {
          tree.refresh();
        }),
        tree.onDidChangeTreeData(() => {
          if (serviceHost.current) updateViewSummary(view, serviceHost.current);
        }),
        serviceHost.onDidChangeKeyState((state) => {
          view.message = keyStateMessage(state);
          tree.refresh();
        }),
      ];
    }],
    ['budget badges', () => [vscode.window.registerFileDecorationProvider(budgetDecorations)]],
    ['the status bar', () => createStatusBar(context, serviceHost)],
    // Chat: VS Code's model picker and @models.
    ['chat', () => registerChat(host, commandModule)],
  ]);
  log.info(`Model Manager ${extensionVersion} activated in ${(performance.now() - started).toFixed(2)} ms`);
  return new Promise((resolve) => {
    setImmediate(() => {
      const deferred = performance.now();
      if (services === serviceHost) registerFeatures(host, deferredFeatures(context, host));
      log.info(`Model Manager's commands registered in ${(performance.now() - deferred).toFixed(2)} ms after activation`);
      resolve(context.extensionMode === vscode.ExtensionMode.Test ? testApi(context, host, alerts, budgetDecorations) : undefined);
    });
  });
}

/** What the integration tests reach: only when VS Code runs the extension under test. */
async function testApi(context: vscode.ExtensionContext, host: HostContext, alerts: Alerts, budgetDecorations: BudgetDecorations): Promise<ModelManagerTestApi> {
  // The commands' bundle has its own copy of the prompt seam: answers go to both (the endpoint's and the master passphrase's questions are asked from this one).
  const commands = await commandModule();
  return {
    services: host.services,
    secrets: context.secrets,
    tree: host.tree,
    alerts,
    budgetDecorations,
    chat: { serializer: webviewSerializer(host, () => Promise.resolve(commands.chatWebview)), inspect: async () => (await import('./host/lazyCore')).ChatPanel.inspect() },
    prompts: { answerWith: (handler) => vscode.Disposable.from(answerPromptsWith(handler), commands.answerPromptsWith(handler)) },
    panel: lazyPanelTestChannel(host.services),
    registerFeatures: (features) => registerFeatures(host, features),
  };
}

/** The panel's test channel, loaded with the core on its first message. */
function lazyPanelTestChannel(source: ServiceHost): PanelTestChannel {
  let channel: Promise<PanelTestChannel> | undefined;
  return { send: async (raw) => (await (channel ??= import('./host/lazyCore').then((core) => core.panelTestChannel(source, confirmKeyDestination)))).send(raw) };
}

/** The tree's banner: the same count and the same way out as the notification. */
function keyStateMessage(state: KeyState): string {
  if (state.kind === 'ready') return '';
  if (state.reason === 'passphrase-needed') {
    return state.sealedKeyCount === 1
      ? vscode.l10n.t('1 stored API key is locked by your master passphrase. Run "Model Manager: Enter Master Passphrase" to open it.')
      : vscode.l10n.t('{0} stored API keys are locked by your master passphrase. Run "Model Manager: Enter Master Passphrase" to open them.', state.sealedKeyCount);
  }
  const way = vscode.l10n.t('Run "Model Manager: Start Over with a New Master Key" (or "Use a Master Passphrase" where the keychain does not keep it), or restore your keychain.');
  return state.sealedKeyCount === 1
    ? `${vscode.l10n.t('1 stored API key cannot be opened on this machine.')} ${way}`
    : `${vscode.l10n.t('{0} stored API keys cannot be opened on this machine.', state.sealedKeyCount)} ${way}`;
}

/** Saves buffered usage rows and releases the database before the host goes away. */
export async function deactivate(): Promise<void> {
  // The port first, then the store: another window takes the endpoint over once this one lets go of both.
  await endpoint?.close();
  endpoint = undefined;
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
