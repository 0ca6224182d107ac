import type { ChatRequest } from '../providers';
import type { CountedTokens } from '../usage';
import type { TokenCounter } from './TokenCounter';

/** What a cancelled request sent and what its answer had produced when it was stopped. */
export interface CancelledExchange {
  readonly request: ChatRequest;
  /** The answer's text and reasoning as far as it streamed. */
  readonly produced: string;
}

/** A request as the text its prompt tokens are counted in: messages, the calls they carry, the tools offered. */
export function sentText(request: ChatRequest): string {
  const parts: string[] = [];
  for (const message of request.messages) {
    parts.push(message.content);
    for (const call of message.toolCalls ?? []) parts.push(call.name, call.arguments);
  }
  for (const tool of request.tools ?? []) parts.push(tool.name, tool.description ?? '', JSON.stringify(tool.parameters));
  return parts.join('\n');
}

/**
 * The tokens of a cancelled request, counted with the local tokenizer (exact for OpenAI models, calibrated for the
 * others): the provider bills what it read and wrote, but a stream stopped mid-answer never reports it.
 */
export async function countCancelled(counter: TokenCounter, who: { readonly configurationId: string; readonly provider: string; readonly model: string }, exchange: CancelledExchange): Promise<CountedTokens> {
  const model = { provider: who.provider, model: who.model };
  const images = exchange.request.messages.reduce((n, m) => n + (m.images?.length ?? 0), 0);
  const [text, output] = await Promise.all([
    counter.count(who.configurationId, model, sentText(exchange.request)),
    exchange.produced === '' ? Promise.resolve(0) : counter.count(who.configurationId, model, exchange.produced),
  ]);
  return { input: text + counter.imageTokens(model, images), output };
}
