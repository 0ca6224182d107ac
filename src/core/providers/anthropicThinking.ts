import { record, str } from './call';
import { KEPT_REASONING_CHARS } from './replaySize';
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
  private chars = 0;
  /** Past KEPT_REASONING_CHARS: nothing more is collected and nothing is sent back (a cut block fails its signature). */
  private overflowed = false;

  /** Characters collected so far (tests). */
  get collectedChars(): number {
    return this.chars;
  }

  /** A content_block_start: keeps a thinking or redacted_thinking block (the latter arrives whole). */
  start(index: number, block: Record<string, unknown> | undefined): void {
    if (block?.type === 'thinking') this.keep(index, { type: 'thinking', thinking: str(block.thinking) ?? '', signature: str(block.signature) ?? '' });
    else if (block?.type === 'redacted_thinking') this.keep(index, { type: 'redacted_thinking', data: str(block.data) ?? '' });
  }

  /** A content_block_delta: thinking_delta and signature_delta add to their block. */
  delta(index: number, delta: Record<string, unknown> | undefined): void {
    const block = this.blocks.get(index);
    if (block?.type !== 'thinking') return;
    const field = delta?.type === 'thinking_delta' ? 'thinking' : delta?.type === 'signature_delta' ? 'signature' : undefined;
    const added = field === undefined ? undefined : str(delta?.[field]);
    if (field === undefined || added === undefined || !this.room(added.length)) return;
    block[field] = `${String(block[field])}${added}`;
  }

  /** The blocks in the order they came, or undefined when the answer had none or more than the cap. */
  replay(): ReasoningReplay | undefined {
    const blocks = [...this.blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
    return blocks.length === 0 ? undefined : { provider: ANTHROPIC, blocks };
  }

  private keep(index: number, block: Record<string, string>): void {
    if (this.room(Object.values(block).reduce((n, value) => n + value.length, 0))) this.blocks.set(index, block);
  }

  /** Whether `added` more characters fit under the cap; once they do not, everything collected is let go. */
  private room(added: number): boolean {
    if (!this.overflowed && this.chars + added <= KEPT_REASONING_CHARS) {
      this.chars += added;
      return true;
    }
    this.overflowed = true;
    this.blocks.clear();
    this.chars = 0;
    return false;
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
