import type { ProviderError } from '../providers';
import type { MemberRef } from './types';

export type RoutingErrorKind =
  /** No such group for this user. */
  | 'unknown-group'
  /** The group has no members. */
  | 'no-members'
  /** Every member is cooling down after repeated failures. */
  | 'unavailable'
  /** No member's context window or capabilities fit the request. */
  | 'no-fit'
  /** Every member that could take the request failed. */
  | 'exhausted'
  /** The answer had already shown text when its member failed; it was not restarted elsewhere. */
  | 'stream-interrupted'
  /** A member refused the key, and the group does not fall back on auth errors. */
  | 'auth'
  /** The request itself was refused (a 400 another member would refuse too). */
  | 'request'
  /** Every member that could take the request is paused by a budget's hard stop. */
  | 'budget'
  | 'cancelled';

/** Why a routed request failed, said so the user can act; `cause` is the last provider error when there was one. */
export class RoutingError extends Error {
  override readonly name = 'RoutingError';

  constructor(
    readonly kind: RoutingErrorKind,
    message: string,
    readonly details: {
      readonly member?: MemberRef;
      readonly cause?: ProviderError | Error;
      /** One line per attempt: "OpenAI main (gpt-4o): 503 server error". */
      readonly attempts?: readonly string[];
      /** When the first cooling member returns. */
      readonly retryAfterMs?: number;
    } = {},
  ) {
    super(message);
  }
}
