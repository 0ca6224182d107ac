import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';

/** Lets core code log to the extension's output channel without knowing about VS Code. */
export function loggerFor(channel: vscode.LogOutputChannel): Logger {
  return {
    info: (message) => {
      channel.info(message);
    },
    warn: (message) => {
      channel.warn(message);
    },
    error: (message) => {
      channel.error(message);
    },
  };
}
