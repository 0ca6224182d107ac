import { render } from 'preact';
import { PROTOCOL_VERSION } from '../src/protocol';
import { App } from './App';
import './elements';
import { DataContext } from './rpc/context';
import { RpcClient } from './rpc/RpcClient';
import { ModelStore } from './stores/ModelStore';
import { ProviderStore } from './stores/ProviderStore';
import { listen, send } from './vscodeApi';

const rpc = new RpcClient({ send, listen });
const data = { rpc, models: new ModelStore(rpc), providers: new ProviderStore(rpc) };
const root = document.getElementById('app');
if (root) {
  root.replaceChildren();
  render(
    <DataContext.Provider value={data}>
      <App initialScreen={document.body.dataset.screen === 'add' ? 'add' : 'list'} />
    </DataContext.Provider>,
    root,
  );
}
send({ kind: 'ready', protocolVersion: PROTOCOL_VERSION });
