import type * as vscode from 'vscode';
import type { ServiceHost } from './ServiceHost';
import type { ConfigurationsTree } from './views/ConfigurationsTree';

/** What every feature's registration receives: the extension, its services, its log and the tree it refreshes. */
export interface HostContext {
  readonly extension: vscode.ExtensionContext;
  readonly services: ServiceHost;
  readonly log: vscode.LogOutputChannel;
  readonly tree: ConfigurationsTree;
}
