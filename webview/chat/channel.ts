import { chatEventSchema, type ChatEventMessage, type ChatRequestMessage, type ChatWebviewState } from '../../src/protocol/chat';
import { listen, saveState, send } from '../vscodeApi';

/** The chat page's only way to the host: typed requests out, validated events in (anything else is dropped). */
export const channel = {
  send(message: ChatRequestMessage): void {
    send(message);
  },
  /** The open conversation, so a window reload brings the panel back on it. */
  remember(state: ChatWebviewState): void {
    saveState(state);
  },
  listen(listener: (event: ChatEventMessage) => void): () => void {
    return listen((data) => {
      const parsed = chatEventSchema.safeParse(data);
      if (parsed.success) listener(parsed.data);
      else console.warn('Model Manager Chat: a message from the host did not match the protocol and was ignored.');
    });
  },
};
