import { chatProtocol, type ChatWebviewState } from '../../src/protocol/chat';
import { RpcClient } from '../rpc/RpcClient';
import { listen, saveState, send } from '../vscodeApi';

/** The chat page's only way to the host: the editor's RPC client over the chat's protocol, and its saved state. */
export const channel = {
  rpc: new RpcClient(chatProtocol, { send, listen }),
  /** Says the page listens: the host posts nothing before. */
  ready(): void {
    send({ kind: 'ready', protocolVersion: chatProtocol.version });
  },
  /** The open conversation, so a window reload brings the panel back on it. */
  remember(state: ChatWebviewState): void {
    saveState(state);
  },
};
