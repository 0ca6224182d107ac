import { render } from 'preact';
import { PROTOCOL_VERSION } from '../src/protocol';
import { App } from './App';
import { send } from './vscodeApi';

const root = document.getElementById('app');
if (root) {
  root.replaceChildren();
  render(<App initialScreen={document.body.dataset.screen === 'add' ? 'add' : 'list'} />, root);
}
send({ kind: 'ready', protocolVersion: PROTOCOL_VERSION });
