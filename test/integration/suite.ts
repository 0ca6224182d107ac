// What the integration suites set up alike: their emulators, a store without other suites' configurations.
import * as assert from 'node:assert/strict';
import type { StoreSession } from '../../src/core/session';
import type { RpcResponse } from '../../src/protocol';
import type { AIConfiguration } from '../../src/core/store';
import type { AnthropicEmulator, OpenAIEmulator } from '../emulators';

export { suiteWithEmulators } from '../helpers/suiteWithEmulators';

/** Deletes the configurations (and, with `groups`, first the route groups) that other suites left. */
export async function clearConfigurations(session: StoreSession, options: { readonly groups?: boolean } = {}): Promise<void> {
  if (options.groups) for (const g of session.routeGroups.list()) await session.routeGroups.delete(g.id);
  for (const c of session.configurations.listConfigurations()) await session.configurations.deleteConfiguration(c.id);
}

/** Two members for a route group on a store cleared of other groups and configurations: "<prefix> Primary" on OpenAI, "<prefix> Backup" on Anthropic. */
export async function primaryAndBackup(session: StoreSession, prefix: string, emulators: { readonly openai: OpenAIEmulator; readonly anthropic: AnthropicEmulator }): Promise<{ primary: AIConfiguration; backup: AIConfiguration }> {
  const { openai, anthropic } = emulators;
  await clearConfigurations(session, { groups: true });
  const primary = await session.configurations.createConfiguration({ name: `${prefix} Primary`, provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` }, apiKey: openai.apiKey });
  const backup = await session.configurations.createConfiguration({ name: `${prefix} Backup`, provider: 'anthropic', settings: { model: 'claude-haiku-4-5-20251001', baseUrl: anthropic.url }, apiKey: anthropic.apiKey });
  return { primary, backup };
}

/** The result of an editor answer that must be a success. */
export function resultOf(response: RpcResponse | undefined): unknown {
  assert.ok(response?.ok, `expected a result, got ${JSON.stringify(response)}`);
  return response.result;
}

/** The error of an editor answer that must be a refusal. */
export function errorOf(response: RpcResponse | undefined): { code: string; message: string } {
  assert.ok(response && !response.ok, `expected a refusal, got ${JSON.stringify(response)}`);
  return response.error;
}
