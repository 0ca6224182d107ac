import { PROTOCOL_VERSION, hostMessageSchema, type HostMessage } from '../src/protocol/messages';
import { strings } from './strings';
import { send } from './vscodeApi';

const app = document.getElementById('app');

function render(message: HostMessage): void {
  if (!app) return;
  app.replaceChildren();
  const heading = document.createElement('h1');
  heading.textContent = strings.title;
  app.append(heading);
  if (message.type === 'error') {
    const alert = document.createElement('p');
    alert.setAttribute('role', 'alert');
    alert.className = 'error';
    alert.textContent = message.message;
    app.append(alert);
    return;
  }
  const empty = document.createElement('p');
  empty.textContent = strings.empty;
  const logs = document.createElement('button');
  logs.type = 'button';
  logs.textContent = strings.showLogs;
  logs.addEventListener('click', () => {
    send({ type: 'runCommand', command: 'showLogs' });
  });
  const version = document.createElement('p');
  version.className = 'muted';
  version.textContent = strings.version(message.extensionVersion);
  app.append(empty, logs, version);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = hostMessageSchema.safeParse(event.data);
  render(parsed.success ? parsed.data : { type: 'error', message: strings.invalidHostMessage });
});

send({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
