import { record, str } from './call';
import type { ChatMessage, ChatRequest, ReasoningReplay } from './types';

/**
 * Extended thinking in a tool loop (https://platform.claude.com/docs/en/build-with-claude/extended-thinking, "Preserving
 * thinking blocks"): the assistant turn that called the tools goes back with its thinking and redacted_thinking blocks
 * first, unchanged and with their signatures, or the API refuses the request that carries the tool results.
 */
export const ANTHROPIC = 'anthropic';

/** The thinking blocks of one answer, collected as they stream (a thinking block's text and signature come in deltas). */
export class ThinkingBlocks {
  private readonly blocks = new Map<number, Record<string, unknown>>();

  /** A content_block_start: keeps a thinking or redacted_thinking block (the latter arrives whole). */
  start(index: number, block: Record<string, unknown> | undefined): void {
    if (block?.type === 'thinking') this.blocks.set(index, { type: 'thinking', thinking: str(block.thinking) ?? '', signature: str(block.signature) ?? '' });
    else if (block?.type === 'redacted_thinking') this.blocks.set(index, { type: 'redacted_thinking', data: str(block.data) ?? '' });
  }

  /** A content_block_delta: thinking_delta and signature_delta add to their block. */
  delta(index: number, delta: Record<string, unknown> | undefined): void {
    const block = this.blocks.get(index);
    if (block?.type !== 'thinking') return;
    if (delta?.type === 'thinking_delta') block.thinking = `${String(block.thinking)}${str(delta.thinking) ?? ''}`;
    if (delta?.type === 'signature_delta') block.signature = `${String(block.signature)}${str(delta.signature) ?? ''}`;
  }

  /** The blocks in the order they came, or undefined when the answer had none. */
  replay(): ReasoningReplay | undefined {
    const blocks = [...this.blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
    return blocks.length === 0 ? undefined : { provider: ANTHROPIC, blocks };
  }
}

/** The thinking blocks of a whole (non-streamed) message's content. */
export function thinkingOfContent(content: readonly unknown[]): ReasoningReplay | undefined {
  const collected = new ThinkingBlocks();
  content.forEach((raw, index) => { collected.start(index, record(raw)); });
  return collected.replay();
}

/** An assistant turn's thinking blocks to send before its text and tool_use blocks ([] when it has none of ours). */
export function replayedBlocks(message: ChatMessage): readonly Readonly<Record<string, unknown>>[] {
  return message.replay?.provider === ANTHROPIC ? message.replay.blocks : [];
}

/**
 * The assistant turn whose tool results end the request, when it goes without thinking blocks: the one turn the API
 * checks. Undefined when the request does not end in tool results, or that turn kept its blocks.
 */
export function unthoughtToolTurn(request: ChatRequest): ChatMessage | undefined {
  const messages = request.messages.filter((m) => m.role !== 'system');
  if (messages.at(-1)?.role !== 'tool') return undefined;
  let i = messages.length - 1;
  while (i >= 0 && messages[i]?.role === 'tool') i--;
  const turn = messages[i];
  if (turn?.role !== 'assistant' || !turn.toolCalls?.length) return undefined;
  return replayedBlocks(turn).length > 0 ? undefined : turn;
}
