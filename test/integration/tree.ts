import type * as vscode from 'vscode';
import type { TreeNode } from '../../src/host/views/ConfigurationsTree';
import { testApi } from './api';

/** Every node of the Model Manager tree with the item VS Code would draw for it, depth first. */
export async function treeItems(): Promise<{ node: TreeNode; item: vscode.TreeItem }[]> {
  const { tree } = await testApi();
  const out: { node: TreeNode; item: vscode.TreeItem }[] = [];
  const walk = async (node?: TreeNode): Promise<void> => {
    for (const child of await tree.getChildren(node)) {
      out.push({ node: child, item: tree.getTreeItem(child) });
      await walk(child);
    }
  };
  await walk();
  return out;
}
