import * as vscode from 'vscode';
import type { AIConfiguration } from '../core/store';
import type { StoreHost } from './StoreHost';

/**
 * The sidebar tree of the user's configurations. The store opens when the view is first shown; while there are
 * none, VS Code shows the view's welcome content (package.json, viewsWelcome) instead.
 */
export class ConfigurationsTreeProvider implements vscode.TreeDataProvider<AIConfiguration>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly stores: StoreHost,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  getTreeItem(configuration: AIConfiguration): vscode.TreeItem {
    const item = new vscode.TreeItem(configuration.name, vscode.TreeItemCollapsibleState.None);
    item.id = configuration.id;
    item.description = `${configuration.provider} · ${configuration.model}`;
    item.contextValue = 'configuration';
    return item;
  }

  async getChildren(element?: AIConfiguration): Promise<AIConfiguration[]> {
    if (element) return [];
    try {
      const { store, userId } = await this.stores.open();
      return store.read((r) => r.configurations.list(userId));
    } catch (error) {
      // StoreHost has already told the user what went wrong and how to fix it.
      this.log.error(`Could not list configurations: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
