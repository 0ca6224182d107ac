// Test Route Group in the palette and in the panel send the same chat.
import type { StoreSession } from '../session';
import type { RoutingErrorKind } from './errors';
import type { RouteNotice } from './types';

/** What a test chat through a group found: who answered and why, or why nobody could. */
export interface RouteGroupTestResult {
  readonly ok: boolean;
  readonly answeredBy?: string;
  readonly model?: string;
  readonly text: string;
  readonly notices: readonly RouteNotice[];
  readonly error?: string;
  /** The routing error's kind when the router refused (`budget`: every member is paused by a budget's hard stop). */
  readonly errorKind?: RoutingErrorKind;
}

const request = { messages: [{ role: 'user' as const, content: 'Reply with one short sentence saying hello.' }], maxTokens: 64 };

/** A short real chat through the group; a routing failure is a result, not an exception. */
export async function testRouteGroup(session: StoreSession, groupId: string, signal?: AbortSignal): Promise<RouteGroupTestResult> {
  const notices: RouteNotice[] = [];
  let text = '';
  try {
    for await (const event of session.router.chat(groupId, request, { signal })) {
      if (event.type === 'route') notices.push(event);
      else if (event.type === 'text') text += event.text;
    }
    const last = notices.at(-1);
    return { ok: true, ...(last ? { answeredBy: last.member.name, model: last.member.model } : {}), text, notices };
  } catch (error) {
    const kind = error instanceof Error && error.name === 'RoutingError' ? (error as { kind?: RoutingErrorKind }).kind : undefined;
    return { ok: false, text, notices, error: error instanceof Error ? error.message : String(error), ...(kind === undefined ? {} : { errorKind: kind }) };
  }
}
