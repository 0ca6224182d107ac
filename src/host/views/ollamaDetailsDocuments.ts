import * as vscode from 'vscode';

export const OLLAMA_DETAILS_SCHEME = 'model-manager-ollama';

/** The read-only documents Show Details opens, by URI; registered at activation, like the audit log (see AuditLogDocument). */
export class OllamaDetailsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? vscode.l10n.t('These details are no longer available. Run Show Details again.');
  }

  dispose(): void {
    this.changed.dispose();
  }
}
