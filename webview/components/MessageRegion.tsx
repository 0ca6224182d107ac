import type { RpcError } from '../../src/protocol';
import { strings } from '../strings';

/** Refusals that belong to no single field (conflict, duplicate name, rate limit, provider): one visible alert. */
export function MessageRegion(props: { readonly error: RpcError | undefined; readonly onReload?: () => void }) {
  const { error } = props;
  return (
    <div class="message-region" role="alert">
      {error ? (
        <p class={`message ${error.code}`}>
          <span class="codicon codicon-warning" aria-hidden="true" /> {error.code === 'conflict' ? strings.refusal.conflict : error.message}
          {error.code === 'conflict' && props.onReload ? (
            <vscode-button secondary onClick={props.onReload}>
              {strings.refusal.reload}
            </vscode-button>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}

/** A refusal's errors that belong next to fields, and whether anything is left for the message region. */
export function splitRefusal(error: RpcError | undefined): { fields: Record<string, string>; general: RpcError | undefined } {
  const fields: Record<string, string> = {};
  for (const e of error?.fieldErrors ?? []) fields[e.field] ??= e.message;
  const general = error && (error.code !== 'validation' || Object.keys(fields).length === 0) ? error : undefined;
  return { fields, general };
}
