/**
 * Prompt-cache breakpoints (https://platform.claude.com/docs/en/build-with-claude/prompt-caching): the system prompt,
 * the previous user turn (read back from the cache written last turn) and the newest message (written for the next).
 * At most 4 breakpoints are allowed; this sets 3.
 */

/** Below the smallest cacheable prefix (1,024 tokens on most models) a write cannot happen; ~4 characters a token. */
export const CACHE_MIN_CHARS = 4 * 1024;

const EPHEMERAL = { type: 'ephemeral' } as const;

interface Turn {
  readonly role: string;
  readonly content: unknown;
}

/** The turn's content as blocks, its last one marked as a breakpoint. */
function marked(content: unknown): unknown[] {
  const blocks: unknown[] = typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? [...(content as unknown[])] : [];
  const last = blocks.at(-1);
  if (typeof last === 'object' && last !== null) blocks[blocks.length - 1] = { ...(last as Record<string, unknown>), cache_control: EPHEMERAL };
  return blocks;
}

function length(value: unknown): number {
  return typeof value === 'string' ? value.length : JSON.stringify(value ?? '').length;
}

/** Whether a prompt is long enough for caching to pay: writes cost 1.25× input, so short one-off prompts are left alone. */
export function worthCaching(system: string, turns: readonly Turn[], tools: unknown): boolean {
  return system.length + length(tools) + turns.reduce((sum, t) => sum + length(t.content), 0) >= CACHE_MIN_CHARS;
}

/** The system prompt and the turns with their breakpoints. */
export function withCacheBreakpoints(system: string, turns: readonly Turn[]): { system: unknown; messages: Turn[] } {
  const messages = [...turns];
  const lastIndex = messages.length - 1;
  let previousUser = -1;
  for (let i = lastIndex - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') {
      previousUser = i;
      break;
    }
  }
  for (const index of new Set([previousUser, lastIndex])) {
    const turn = messages[index];
    if (turn) messages[index] = { role: turn.role, content: marked(turn.content) };
  }
  return { system: system === '' ? '' : [{ type: 'text', text: system, cache_control: EPHEMERAL }], messages };
}
