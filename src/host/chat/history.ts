import * as vscode from 'vscode';
import type { ChatMessage } from '../../core/providers';
import { PARTICIPANT_ID } from './ids';

/** What @models keeps in each answer's result metadata: the conversation's own state lives in its history. */
export interface TurnMetadata {
  /** Set by /use: the group every later turn of this conversation answers with. */
  readonly useGroupId?: string;
  readonly useName?: string;
  /** This turn's tokens and cost (a /compare turn adds up its sections). */
  readonly usage?: { readonly input: number; readonly output: number; readonly costUsd: number };
}


function metadataOf(turn: vscode.ChatResponseTurn): TurnMetadata {
  const metadata = turn.result.metadata as TurnMetadata | undefined;
  return metadata && typeof metadata === 'object' ? metadata : {};
}

function ours(turn: vscode.ChatRequestTurn | vscode.ChatResponseTurn): boolean {
  return turn.participant === PARTICIPANT_ID;
}

/** The group chosen with /use earlier in this conversation, if any. */
export function usedGroup(history: vscode.ChatContext['history']): { groupId: string; name: string } | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn instanceof vscode.ChatResponseTurn && ours(turn)) {
      const { useGroupId, useName } = metadataOf(turn);
      if (useGroupId) return { groupId: useGroupId, name: useName ?? useGroupId };
    }
  }
  return undefined;
}

/** Tokens and cost of every @models answer in this conversation. */
export function conversationUsage(history: vscode.ChatContext['history']): { turns: number; input: number; output: number; costUsd: number } {
  const total = { turns: 0, input: 0, output: 0, costUsd: 0 };
  for (const turn of history) {
    if (!(turn instanceof vscode.ChatResponseTurn) || !ours(turn)) continue;
    const usage = metadataOf(turn).usage;
    if (!usage) continue;
    total.turns++;
    total.input += usage.input;
    total.output += usage.output;
    total.costUsd += usage.costUsd;
  }
  return total;
}

/** The conversation so far as ChatMessages: our prompts and answers (commands and their replies left out). */
export function historyMessages(history: vscode.ChatContext['history']): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const turn of history) {
    if (!ours(turn)) continue;
    if (turn instanceof vscode.ChatRequestTurn) {
      if (turn.command === undefined) out.push({ role: 'user', content: turn.prompt });
    } else if (turn instanceof vscode.ChatResponseTurn && turn.command === undefined) {
      const text = turn.response.map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : '')).join('');
      // Drop the badge line we appended: it is ours, not the model's.
      out.push({ role: 'assistant', content: text.replace(/\n\n---\n_[^\n]*_\n?$/, '') });
    }
  }
  return out;
}
