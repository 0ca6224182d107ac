import * as vscode from 'vscode';

// How Model Manager appears in VS Code's chat: shared by the registration at activation and the code loaded later.

/** The vendor of every model Model Manager contributes (package.json languageModelChatProviders). */
export const CHAT_VENDOR = 'model-manager';

/** The sticky `@models` participant (package.json chatParticipants). */
export const PARTICIPANT_ID = 'modelManager.models';

/** The icon `@models` shows beside its answers. */
export function participantIcon(): vscode.ThemeIcon {
  return new vscode.ThemeIcon('sparkle');
}
