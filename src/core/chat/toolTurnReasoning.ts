import type { ChatMessage, ReasoningReplay } from '../providers';

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

  /** Keeps an answer's reasoning (or that it had none) under each tool call id it made. */
  remember(callIds: readonly string[], replay: ReasoningReplay | undefined): void {
    for (const id of callIds) {
      if (id === '') continue;
      this.byCall.delete(id);
      this.byCall.set(id, replay ?? null);
    }
    for (const oldest of this.byCall.keys()) {
      if (this.byCall.size <= KEPT_TOOL_TURNS) break;
      this.byCall.delete(oldest);
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
}
