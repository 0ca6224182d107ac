// Every command's handler, loaded on the first call of any command (see registerOnFirstCall), and chat's provider and
// @models, loaded on VS Code's first request to them (see registerChat). The extension build
// turns each dynamic import of this file into a require of dist/commands.js, a bundle of its own, so activation parses
// none of it (see esbuild.mjs). Whatever keeps state the activation bundle also reads stays out of this file's imports.
import * as vscode from 'vscode';
import { registerBudgetCommands } from './commands/budgetCommands';
import { registerConfigurationCommands } from './commands/configurationCommands';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerDataCommands } from './commands/dataCommands';
import { registerKeyCommands, registerKeyRotationCommands, registerRotateCommand } from './commands/keyCommands';
import { registerOllamaCommands } from './commands/ollamaCommands';
import { registerCommands } from './commands/panelCommands';
import { registerPassphraseCommands } from './commands/passphraseCommands';
import { registerRouteGroupCommands } from './commands/routeGroupCommands';
import { registerUsageCommands } from './commands/usageCommands';
import { registerChatCommands } from './chat/chatCommands';
import { registerEndpointCommands } from './endpoint/endpointCommands';
import { registerFeatures, type Feature } from './features';
import type { EndpointController } from './endpoint/EndpointController';
import type { HostContext } from './hostContext';
import type { AuditLogDocument } from './views/auditLogDocument';
import type { OllamaDetailsDocuments } from './views/ollamaDetailsDocuments';

export { editorWebview } from './commands/panelCommands';
export { chatWebview } from './chat/chatCommands';
export { answerPromptsWith } from './promptSeam';
export { LanguageModelProvider } from './chat/LanguageModelProvider';
export { answerModelsRequest } from './chat/ModelsParticipant';

/** What the commands receive when they load: the host, and what activation built for them and for VS Code at once. */
export interface CommandHost extends HostContext {
  /** Absent when the endpoint could not be set up at activation: its commands are then not registered. */
  readonly endpoint: EndpointController | undefined;
  readonly auditLog: AuditLogDocument;
  readonly ollamaDetails: OllamaDetailsDocuments;
}

/** The command groups, each registered in its own try/catch (see registerFeatures). */
function commandFeatures(host: CommandHost): Feature[] {
  return [
    ['the Model Manager editor commands', registerCommands],
    ['the configuration commands', registerConfigurationCommands],
    ['the connection tests', registerConnectionCommands],
    ['the key commands', () => [...registerKeyCommands(host), registerRotateCommand(host), ...registerKeyRotationCommands(host)]],
    ['the master passphrase commands', registerPassphraseCommands],
    ['the usage commands', () => registerUsageCommands(host, host.auditLog)],
    ['the budget commands', registerBudgetCommands],
    ['the Ollama commands', () => registerOllamaCommands(host, host.ollamaDetails)],
    ['import and export', registerDataCommands],
    ['the route group commands', registerRouteGroupCommands],
    ['the chat commands', registerChatCommands],
    ['Refresh', () => [vscode.commands.registerCommand('modelManager.refresh', () => { host.tree.refresh(); })]],
    ['the local endpoint commands', () => (host.endpoint ? registerEndpointCommands(host, host.endpoint) : [])],
  ];
}

/** Registers every command's real handler; the names of the groups that failed. */
export function registerCommandHandlers(host: CommandHost): string[] {
  return registerFeatures(host, commandFeatures(host));
}
