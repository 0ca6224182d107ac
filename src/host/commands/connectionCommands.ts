import * as vscode from 'vscode';
import { configurationCount } from '../counts';
import type { HostContext } from '../hostContext';
import type { TestResult } from '../../core/providers';
import { failureLabel } from '../../core/providers/failureText';
import { offerBudgetChange } from '../budgetStop';
import { resolveConfiguration, type ConfigurationArgument } from '../prompts';
import { abortOn, sessionCommand } from './sessionCommand';
import { errorMessage, isErrorNamed } from '../../core/errors';

/** Test Connection and Test All: real requests, progress the user can cancel, results they can act on. */
export function registerConnectionCommands(host: HostContext): vscode.Disposable[] {
  const { tree, log } = host;
  return [
    sessionCommand(host, 'modelManager.testConnection', async (session, arg?: ConfigurationArgument): Promise<TestResult | undefined> => {
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Which configuration do you want to test?'));
      if (!configuration) return undefined;
      tree.setTesting(configuration.id, true);
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing "{0}"…', configuration.name), cancellable: true },
          (_progress, token) => session.providerAccess.testConfiguration(configuration.id, { signal: abortOn(token) }),
        );
        report(configuration.name, result);
        return result;
      } finally {
        tree.setTesting(configuration.id, false);
      }
    }),

    sessionCommand(host, 'modelManager.testAll', async (session): Promise<Record<string, TestResult | string> | undefined> => {
      const all = session.configurations.listConfigurations();
      if (all.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('There are no configurations to test yet.'));
        return {};
      }
      const results: Record<string, TestResult | string> = {};
      let budgetStop: string | undefined;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing {0}', configurationCount(all.length)), cancellable: true },
        async (progress, token) => {
          const signal = abortOn(token);
          for (const [index, configuration] of all.entries()) {
            if (token.isCancellationRequested) break;
            progress.report({ message: configuration.name, increment: index === 0 ? 0 : 100 / all.length });
            tree.setTesting(configuration.id, true);
            try {
              results[configuration.id] = await session.providerAccess.testConfiguration(configuration.id, { signal });
            } catch (error) {
              results[configuration.id] = errorMessage(error);
              if (isBudgetRefusal(error)) budgetStop ??= error.message;
            } finally {
              tree.setTesting(configuration.id, false);
            }
          }
          progress.report({ increment: 100 / all.length });
        },
      );
      const values = Object.values(results);
      const passed = values.filter((r) => typeof r !== 'string' && r.ok).length;
      const summary = vscode.l10n.t('{0} of {1} configurations passed the connection test.', passed, all.length);
      if (passed === all.length) void vscode.window.showInformationMessage(summary);
      else void vscode.window.showWarningMessage(`${summary} ${vscode.l10n.t('Hover over a red item in the Model Manager view for details.')}`);
      log.info(summary);
      // A budget's hard stop refused some tests (nothing was sent for them): its message, and the way to change it.
      if (budgetStop !== undefined) void offerBudgetChange(budgetStop);
      return results;
    }),
  ];
}

function report(name: string, result: TestResult): void {
  if (result.ok) {
    const streaming = result.streaming === true ? vscode.l10n.t(', streaming works') : '';
    void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" works: {1} ms{2}.', name, Math.max(1, Math.round(result.latencyMs)), streaming));
    return;
  }
  const rotate = vscode.l10n.t('Rotate API Key');
  void vscode.window
    .showErrorMessage(testFailureMessage(name, result), ...(result.failure?.kind === 'auth' ? [rotate] : []))
    .then((choice) => {
      if (choice === rotate) void vscode.commands.executeCommand('modelManager.rotateApiKey');
    });
}

/** '"Work" failed the connection test (401 invalid_api_key). Check the key or its project.': status and code once. */
export function testFailureMessage(name: string, result: TestResult): string {
  const label = result.failure ? failureLabel(result.failure) : vscode.l10n.t('failed');
  return `${vscode.l10n.t('"{0}" failed the connection test ({1}).', name, label)}${result.hint ? ` ${result.hint}` : ''}`;
}

/** A test refused by a budget's hard stop (checked by name and kind: importing the class would load the core). */
function isBudgetRefusal(error: unknown): error is Error {
  return isErrorNamed<Error & { kind?: unknown }>(error, 'ConfigurationError') && error.kind === 'budget';
}
