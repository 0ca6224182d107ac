/** Error codes of the team gateways, named so a failed test says it was the gateway, not the model's provider. */
export const GATEWAY_BUDGET_EXCEEDED = 'budget_exceeded';
export const GATEWAY_CONFIG_ERROR = 'gateway_config_error';

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * A LiteLLM proxy's budget refusal (`{"error": {"type": "budget_exceeded", "code": "400", ...}}`) or a Portkey
 * gateway's own failure (`{"status": "failure", "message": "..."}`), else undefined: the OpenAI shape applies.
 */
export function gatewayErrorInfo(body: unknown): { readonly code: string; readonly message?: string } | undefined {
  const root = record(body);
  const error = record(root?.error);
  const message = typeof error?.message === 'string' ? error.message : undefined;
  if (error?.type === GATEWAY_BUDGET_EXCEEDED || (message !== undefined && /budget has been exceeded|exceeded budget/i.test(message))) {
    return { code: GATEWAY_BUDGET_EXCEEDED, ...(message === undefined ? {} : { message }) };
  }
  if (root?.status === 'failure' && typeof root.message === 'string') return { code: GATEWAY_CONFIG_ERROR, message: root.message };
  return undefined;
}
