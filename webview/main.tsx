import { render } from 'preact';
import { editorProtocol } from '../src/protocol';
import { App } from './App';
import './elements';
import { keepSelectAllInFields } from './keyboard';
import { DataContext } from './rpc/context';
import { RpcClient } from './rpc/RpcClient';
import { ModelStore } from './stores/ModelStore';
import { ProviderStore } from './stores/ProviderStore';
import { listen, send } from './vscodeApi';

// The icon font's stylesheet is added here, not in the page's head, so it does not hold up the first paint.
// vscode-elements look for it by this id to use the icons inside their shadow roots.
const codicons = document.body.dataset.codicons;
if (codicons && !document.getElementById('vscode-codicon-stylesheet')) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = codicons;
  link.id = 'vscode-codicon-stylesheet';
  document.head.append(link);
}

keepSelectAllInFields(document);
const rpc = new RpcClient(editorProtocol, { send, listen });
const data = { rpc, models: new ModelStore(rpc), providers: new ProviderStore(rpc) };
const root = document.getElementById('app');
if (root) {
  root.replaceChildren();
  render(
    <DataContext.Provider value={data}>
      <App initialScreen={initialScreen(document.body.dataset.screen)} />
    </DataContext.Provider>,
    root,
  );
}
send({ kind: 'ready', protocolVersion: editorProtocol.version });

function initialScreen(screen: string | undefined): 'list' | 'add' | 'usage' {
  return screen === 'add' || screen === 'usage' ? screen : 'list';
}
