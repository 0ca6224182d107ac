import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { HttpClient } from '../../src/core/http';
import type { ProviderTarget } from '../../src/core/providers';
import { createProvider, OpenAIConfig } from '../../src/core/providers/openai';

/** The vendor this extension contributes (its package.json). */
export const BASELINE_VENDOR = 'mm-bench-baseline';

const info: vscode.LanguageModelChatInformation = {
  id: 'baseline',
  name: 'Bench baseline',
  family: 'baseline',
  version: '1',
  maxInputTokens: 128_000,
  maxOutputTokens: 4096,
  capabilities: {},
};

/** What the benchmark reaches through the extension's exports: point it at the emulator, and its provider. */
export interface BaselineApi {
  target(baseUrl: string, apiKey: string): void;
  readonly provider: vscode.LanguageModelChatProvider;
}

/**
 * The chat benchmark's baseline: the OpenAI adapter behind VS Code's language-model API with nothing of Model Manager's
 * around it (no store, router, usage or budgets), so ours / this isolates what Model Manager adds.
 */
export function activate(context: vscode.ExtensionContext): BaselineApi {
  const http = new HttpClient();
  const adapter = createProvider({ http });
  let target: ProviderTarget<OpenAIConfig> | undefined;
  const provider: vscode.LanguageModelChatProvider = {
    provideLanguageModelChatInformation: () => (target ? [info] : []),
    async provideLanguageModelChatResponse(_model, messages, _options, progress, token) {
      if (!target) throw new Error('The bench baseline has no emulator to talk to yet.');
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => {
        abort.abort();
      });
      try {
        const request = { messages: messages.map((m) => ({ role: m.role === vscode.LanguageModelChatMessageRole.Assistant ? ('assistant' as const) : ('user' as const), content: textOf(m.content) })) };
        for await (const event of adapter.chat(target, request, { signal: abort.signal })) {
          if (event.type === 'text') progress.report(new vscode.LanguageModelTextPart(event.text));
        }
      } finally {
        cancel.dispose();
      }
    },
    provideTokenCount: (_model, text) => Promise.resolve(Math.ceil((typeof text === 'string' ? text : textOf(text.content)).length / 4)),
  };
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(changed, vscode.lm.registerLanguageModelChatProvider(BASELINE_VENDOR, { ...provider, onDidChangeLanguageModelChatInformation: changed.event }), { dispose: () => void http.close() });
  return {
    target(baseUrl, apiKey) {
      target = { config: z.parse(OpenAIConfig, { baseUrl, model: 'gpt-4.1-nano' }), apiKey };
      changed.fire();
    },
    provider,
  };
}

function textOf(parts: readonly unknown[]): string {
  return parts.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}
