import * as vscode from 'vscode';
import type { HostContext } from '../hostContext';
import { pickOne, showSaveDialog } from '../promptSeam';
import { sessionCommand } from './sessionCommand';

/** Export Audit Log…: the whole log, oldest first, as CSV or JSON Lines, to a file the user chooses. */
export function registerAuditCommands(host: HostContext): vscode.Disposable[] {
  return [
    // No argument: the format and the file are always the user's answers.
    sessionCommand(host, 'modelManager.exportAuditLog', async (session) => {
      const formats = [
        { label: vscode.l10n.t('CSV'), description: '.csv', detail: vscode.l10n.t('One row per entry, for a spreadsheet. Cells that start like a formula are kept as text.'), format: 'csv' as const },
        { label: vscode.l10n.t('JSON Lines'), description: '.jsonl', detail: vscode.l10n.t('One JSON object per line, for scripts and log tools.'), format: 'jsonl' as const },
      ];
      const chosen = await pickOne(formats, { title: vscode.l10n.t('Export Audit Log'), placeHolder: vscode.l10n.t('In which format?') });
      if (!chosen) return undefined;
      const uri = await showSaveDialog({
        title: vscode.l10n.t('Export Audit Log'),
        defaultUri: vscode.Uri.file(`model-manager-audit-log.${chosen.format}`),
        filters: { [chosen.label]: [chosen.format] },
        saveLabel: vscode.l10n.t('Export'),
      });
      if (!uri) return undefined;
      const { text, entries } = await session.audit.exportLog(chosen.format);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} audit entries to {1}. The log never holds an API key.', entries, uri.fsPath));
      return uri;
    }),
  ];
}
