import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ModelManagerTestApi } from '../../src/extension';

export const EXTENSION_ID = 'modelmanager.model-manager';

/** The extension's test API (returned by activate() only when VS Code runs it under test). */
export async function testApi(): Promise<ModelManagerTestApi> {
  const extension = vscode.extensions.getExtension<ModelManagerTestApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const exports = await extension.activate();
  assert.ok(exports, 'the extension should expose its test API when run under test');
  return exports;
}
