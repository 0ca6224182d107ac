import * as vscode from 'vscode';
import type { ChatImage, ChatMessage, ChatTool, ChatToolCall } from '../../core/providers';

/** VS Code's System role (proposed in 1.104's typings, sent by the chat view): value 3. */
const SYSTEM_ROLE = 3;

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

/**
 * A LanguageModelDataPart, checked by shape: the class is typed in @types/vscode 1.106+ only, and VS Code 1.104 already
 * hands pasted images to providers as instances of it (see README, "Images").
 */
export function dataPart(part: unknown): { mimeType: string; data: Uint8Array } | undefined {
  const p = part as { mimeType?: unknown; data?: unknown } | null;
  if (typeof p !== 'object' || p === null || typeof p.mimeType !== 'string' || !(p.data instanceof Uint8Array)) return undefined;
  return { mimeType: p.mimeType, data: p.data };
}

/**
 * Markers Copilot Chat sends as data parts for its own endpoint (cache_control, stateful_marker, thinking,
 * context_management, phase_data): no model reads them, so they are not turned into text.
 */
const MARKER_MIME = /^(cache_control|stateful_marker|thinking|context_management|phase_data|usage)$/;

/** Data parts as text when they are text; an unknown binary part becomes a note that it was left out. */
function dataText(part: { mimeType: string; data: Uint8Array }): string {
  if (MARKER_MIME.test(part.mimeType)) return '';
  if (part.mimeType.startsWith('text/') || part.mimeType.includes('json')) return new TextDecoder().decode(part.data);
  return `[${part.mimeType} attachment left out: Model Manager sends text and images only]`;
}

/** image/jpg is what some tools write; every API wants image/jpeg. */
function imageMime(mimeType: string): string | undefined {
  const type = mimeType.toLowerCase();
  if (!type.startsWith('image/')) return undefined;
  return type === 'image/jpg' ? 'image/jpeg' : type;
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
    const images: ChatImage[] = [];
    for (const part of message.content) {
      const data = dataPart(part);
      const image = data && imageMime(data.mimeType);
      if (data && image) {
        images.push({ mimeType: image, data: Buffer.from(data.data).toString('base64') });
        continue;
      }
      if (isToolResult(part)) {
        const content = part.content.map((c) => (isText(c) ? c.value : typeof c === 'string' ? c : JSON.stringify(c))).join('');
        const toolName = toolNames.get(part.callId);
        out.push({ role: 'tool', content, toolCallId: part.callId, ...(toolName ? { toolName } : {}) });
      } else if (isToolCall(part)) {
        toolNames.set(part.callId, part.name);
        calls.push({ id: part.callId, name: part.name, arguments: JSON.stringify(part.input ?? {}) });
      } else if (isText(part)) {
        text += part.value;
      } else if (data) {
        text += dataText(data);
      }
    }
    if (text === '' && calls.length === 0 && images.length === 0) continue;
    out.push({ role, content: text, ...(calls.length > 0 ? { toolCalls: calls } : {}), ...(images.length > 0 ? { images } : {}) });
  }
  return out;
}

export function toChatTools(tools: readonly vscode.LanguageModelChatTool[] | undefined): ChatTool[] | undefined {
  if (!tools || tools.length === 0) return undefined;
  return tools.map((t) => ({ name: t.name, description: t.description, parameters: (t.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } }));
}

/** The text of a token-count request and how many images it carries; tool calls and results count as their text. */
export function countText(text: string | vscode.LanguageModelChatRequestMessage): { text: string; images: number } {
  if (typeof text === 'string') return { text, images: 0 };
  let images = 0;
  let out = '';
  for (const part of text.content) {
    const data = dataPart(part);
    if (data) {
      if (imageMime(data.mimeType)) images++;
      else out += dataText(data);
    } else if (isToolResult(part)) out += part.content.map((c) => (isText(c) ? c.value : typeof c === 'string' ? c : JSON.stringify(c))).join('');
    else if (isToolCall(part)) out += part.name + JSON.stringify(part.input ?? {});
    else if (isText(part)) out += part.value;
    else if (typeof part === 'string') out += part;
  }
  return { text: out, images };
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
