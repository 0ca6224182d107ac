import * as vscode from 'vscode';
import type { ConfigurationState } from '../../core/services/configurationState';

/** The icon of each state, the same the editor's list uses. */
export function stateIcon(state: ConfigurationState): vscode.ThemeIcon {
  switch (state) {
    case 'key-locked':
      return new vscode.ThemeIcon('lock', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'unreachable':
      return new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('testing.iconFailed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'passed':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'untested':
      return new vscode.ThemeIcon('circle-large-outline');
  }
}

/** The state in words, for hovers, screen readers and the status bar. */
export function stateText(state: ConfigurationState): string {
  switch (state) {
    case 'key-locked':
      return vscode.l10n.t('stored API key cannot be opened');
    case 'unreachable':
      return vscode.l10n.t('unreachable (the last health check failed)');
    case 'failed':
      return vscode.l10n.t('last test failed');
    case 'passed':
      return vscode.l10n.t('last test passed');
    case 'untested':
      return vscode.l10n.t('never tested');
  }
}
