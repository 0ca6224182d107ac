import * as vscode from 'vscode';

/**
 * The sidebar tree of configurations. Until the store holds any, it is empty and VS Code shows the
 * view's welcome content (package.json, viewsWelcome) in its place.
 */
export class ConfigurationsTreeProvider implements vscode.TreeDataProvider<vscode.TreeItem> {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  getTreeItem(element: vscode.TreeItem): vscode.TreeItem {
    return element;
  }

  getChildren(): vscode.TreeItem[] {
    return [];
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
