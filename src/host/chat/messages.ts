import * as vscode from 'vscode';
import type { ChatMessage, ChatTool, ChatToolCall } from '../../core/providers';

/** VS Code's System role (proposed in 1.104's typings, sent by the chat view): value 3. */
const SYSTEM_ROLE = 3;

function textOf(parts: readonly unknown[]): string {
  return parts.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : typeof p === 'string' ? p : '')).join('');
}

/** Structural check: parts that crossed the extension host boundary may not be instances of this module's classes. */
function isToolResult(part: unknown): part is { callId: string; content: readonly unknown[] } {
  if (part instanceof vscode.LanguageModelToolResultPart) return true;
  const p = part as { callId?: unknown; content?: unknown } | null;
  return typeof p === 'object' && p !== null && typeof p.callId === 'string' && Array.isArray(p.content);
}

function isToolCall(part: unknown): part is { callId: string; name: string; input: unknown } {
  if (part instanceof vscode.LanguageModelToolCallPart) return true;
  const p = part as { callId?: unknown; name?: unknown; input?: unknown } | null;
  return typeof p === 'object' && p !== null && typeof p.callId === 'string' && typeof p.name === 'string' && 'input' in p;
}

function isText(part: unknown): part is { value: string } {
  if (part instanceof vscode.LanguageModelTextPart) return true;
  const p = part as { value?: unknown } | null;
  return typeof p === 'object' && p !== null && typeof p.value === 'string' && !('callId' in p);
}

/** Data parts (images, JSON) as text when they are text, else a note that they were left out. */
function dataText(part: unknown): string | undefined {
  const p = part as { mimeType?: unknown; data?: unknown } | null;
  if (typeof p !== 'object' || p === null || typeof p.mimeType !== 'string' || !(p.data instanceof Uint8Array)) return undefined;
  if (p.mimeType.startsWith('text/') || p.mimeType.includes('json')) return new TextDecoder().decode(p.data);
  return `[${p.mimeType} attachment left out: Model Manager sends text only]`;
}

/**
 * VS Code's request messages as the core's ChatMessages: text parts joined, tool calls on the assistant message,
 * each tool result as its own tool message (named after the call it answers), system messages kept first.
 */
export function toChatMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  const toolNames = new Map<string, string>();
  for (const message of messages) {
    const role = (message.role as number) === SYSTEM_ROLE ? 'system' : message.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : 'user';
    let text = '';
    const calls: ChatToolCall[] = [];
    for (const part of message.content) {
      if (isToolResult(part)) {
        const content = part.content.map((c) => (isText(c) ? c.value : typeof c === 'string' ? c : JSON.stringify(c))).join('');
        const toolName = toolNames.get(part.callId);
        out.push({ role: 'tool', content, toolCallId: part.callId, ...(toolName ? { toolName } : {}) });
      } else if (isToolCall(part)) {
        toolNames.set(part.callId, part.name);
        calls.push({ id: part.callId, name: part.name, arguments: JSON.stringify(part.input ?? {}) });
      } else if (isText(part)) {
        text += part.value;
      } else {
        text += dataText(part) ?? '';
      }
    }
    if (text === '' && calls.length === 0) continue;
    out.push({ role, content: text, ...(calls.length > 0 ? { toolCalls: calls } : {}) });
  }
  return out;
}

export function toChatTools(tools: readonly vscode.LanguageModelChatTool[] | undefined): ChatTool[] | undefined {
  if (!tools || tools.length === 0) return undefined;
  return tools.map((t) => ({ name: t.name, description: t.description, parameters: (t.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } }));
}

/** The text of a token-count request. */
export function countText(text: string | vscode.LanguageModelChatRequestMessage): string {
  return typeof text === 'string' ? text : textOf(text.content);
}

/** A tool call's arguments as the object VS Code hands to the tool; text that is not a JSON object is kept under `value`. */
export function callInput(args: string): object {
  try {
    const value = JSON.parse(args === '' ? '{}' : args) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { value };
  } catch {
    return { value: args };
  }
}
