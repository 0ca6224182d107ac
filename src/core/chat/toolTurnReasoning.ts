import type { ChatMessage, ReasoningReplay } from '../providers';
import { KEPT_REASONING_CHARS, replayChars } from '../providers/replaySize';

export { KEPT_REASONING_CHARS } from '../providers/replaySize';

/** Tool calls whose reasoning is kept at most (a few hundred tool loops; oldest forgotten first). */
export const KEPT_TOOL_TURNS = 512;

/**
 * The signed reasoning of assistant turns that called tools, kept by tool call id for VS Code's chat: its messages
 * carry no provider data, so when the turn comes back (the tool loop's next request) its reasoning is put back here.
 * Kept in memory only: after a reload the provider's adapter handles the turn without it (see the adapters).
 */
export class ToolTurnReasoning {
  /** null: the answer came with no reasoning to send back (nothing is missing when its turn returns). */
  private readonly byCall = new Map<string, ReasoningReplay | null>();
  /** Each kept replay's size and how many call ids hold it: a turn with several calls is counted once. */
  private readonly sizes = new Map<ReasoningReplay, { chars: number; holders: number }>();
  private chars = 0;

  /** Characters of reasoning kept, at most KEPT_REASONING_CHARS (tests). */
  get keptChars(): number {
    return this.chars;
  }

  /**
   * Keeps an answer's reasoning (or that it had none) under each tool call id it made. Reasoning over the cap is not
   * kept at all: its turn comes back as one whose reasoning is missing, which each adapter handles.
   */
  remember(callIds: readonly string[], replay: ReasoningReplay | undefined): void {
    const chars = replay ? replayChars(replay) : 0;
    for (const id of callIds) {
      if (id === '') continue;
      this.forget(id);
      if (chars > KEPT_REASONING_CHARS) continue;
      this.byCall.set(id, replay ?? null);
      if (!replay) continue;
      const size = this.sizes.get(replay);
      if (size) size.holders++;
      else {
        this.sizes.set(replay, { chars, holders: 1 });
        this.chars += chars;
      }
    }
    // Oldest first: a Map iterates in insertion order.
    for (const oldest of this.byCall.keys()) {
      if (this.byCall.size <= KEPT_TOOL_TURNS && this.chars <= KEPT_REASONING_CHARS) break;
      this.forget(oldest);
    }
  }

  /**
   * The messages with each tool turn's reasoning put back, and the turns (by their calls' names) none was kept for.
   */
  restore(messages: readonly ChatMessage[]): { messages: ChatMessage[]; missing: string[][] } {
    const missing: string[][] = [];
    const restored = messages.map((m) => {
      if (m.role !== 'assistant' || !m.toolCalls?.length || m.replay) return m;
      const kept = m.toolCalls.map((c) => this.byCall.get(c.id)).find((r) => r !== undefined);
      if (kept === undefined) missing.push(m.toolCalls.map((c) => c.name));
      return kept ? { ...m, replay: kept } : m;
    });
    return { messages: restored, missing };
  }

  private forget(id: string): void {
    const replay = this.byCall.get(id);
    this.byCall.delete(id);
    const size = replay ? this.sizes.get(replay) : undefined;
    if (!replay || !size) return;
    size.holders--;
    if (size.holders > 0) return;
    this.sizes.delete(replay);
    this.chars -= size.chars;
  }
}
