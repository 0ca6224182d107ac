import { Fragment, type VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatBadgeView, ChatMessageView, ChatSeed, ChatState } from '../../src/protocol/chat';
import { formatUsd } from '../../src/protocol/money';
import { channel } from './channel';
import { Markdown, type CodeActions } from './markdown';
import { strings } from './strings';

interface Streaming {
  readonly turnId: string;
  readonly text: string;
  readonly notices: readonly string[];
  /** A "/compare" runs: its answers stream into the comparison's columns, not into a turn. */
  readonly compare?: boolean;
}

const actions: CodeActions = {
  copy: (code) => {
    channel.send({ kind: 'copy', code });
  },
  insert: (code) => {
    channel.send({ kind: 'insert', code });
  },
};

/** One "/compare": the same prompt answered by each column's configuration, streamed side by side. */
interface Comparison {
  readonly turnId: string;
  readonly prompt: string;
  readonly columns: readonly { readonly name: string; readonly text: string; readonly done: boolean; readonly badge?: ChatBadgeView; readonly error?: string }[];
}

const COMPARE_PREFIX = /^\/compare(?:\s+|$)/;

let turnCounter = 0;

export function ChatApp(): VNode {
  const [state, setState] = useState<ChatState | undefined>(undefined);
  const [messages, setMessages] = useState<ChatMessageView[]>([]);
  const [streaming, setStreaming] = useState<Streaming | undefined>(undefined);
  const [draft, setDraft] = useState('');
  const [context, setContext] = useState<ChatSeed['context']>(undefined);
  const [groupId, setGroupId] = useState<string | null>(null);
  const [comparisons, setComparisons] = useState<Comparison[]>([]);
  const shownConversation = useRef<string | null | undefined>(undefined);
  const input = useRef<HTMLTextAreaElement>(null);
  const end = useRef<HTMLDivElement>(null);

  useEffect(
    () =>
      channel.listen((event) => {
        switch (event.kind) {
          case 'state':
            setState(event.state);
            setMessages(event.state.messages);
            setGroupId(event.state.groupId);
            channel.remember({ conversationId: event.state.conversationId });
            // Comparisons belong to the conversation they were asked in: another conversation starts without them.
            if (shownConversation.current !== undefined && shownConversation.current !== event.state.conversationId) setComparisons([]);
            shownConversation.current = event.state.conversationId;
            return;
          case 'seed':
            setDraft(event.seed.prompt);
            setContext(event.seed.context);
            input.current?.focus();
            return;
          case 'turnStarted':
            setMessages((m) => [...m, event.user]);
            return;
          case 'delta':
            setStreaming((s) => (s?.turnId === event.turnId ? { ...s, text: s.text + event.text } : s));
            return;
          case 'notice':
            setStreaming((s) => (s?.turnId === event.turnId ? { ...s, notices: [...s.notices, event.text] } : s));
            return;
          case 'turnDone':
            setMessages((m) => [...m, event.message]);
            setStreaming(undefined);
            return;
          case 'compareStarted':
            setComparisons((list) => [...list, { turnId: event.turnId, prompt: event.prompt, columns: event.columns.map((c) => ({ name: c.name, text: '', done: false })) }]);
            return;
          case 'compareDelta':
          case 'compareDone':
            setComparisons((list) => {
              const next = list.map((c) => (c.turnId !== event.turnId ? c : {
                ...c,
                columns: c.columns.map((col, i) => {
                  if (i !== event.column) return col;
                  if (event.kind === 'compareDelta') return { ...col, text: col.text + event.text };
                  return { ...col, done: true, ...(event.badge ? { badge: event.badge } : {}), ...(event.error ? { error: event.error } : {}) };
                }),
              }));
              const finished = next.find((c) => c.turnId === event.turnId)?.columns.every((col) => col.done) ?? false;
              if (finished) setStreaming((s) => (s?.turnId === event.turnId ? undefined : s));
              return next;
            });
            return;
          case 'error':
            setStreaming((s) => {
              const partial: ChatMessageView[] = s !== undefined && s.turnId === event.turnId && s.text !== '' ? [{ id: `${s.turnId}-partial`, role: 'assistant', content: s.text, groupId: null }] : [];
              setMessages((m) => [...m, ...partial, { id: `error-${String(Date.now())}`, role: 'error', content: event.message, groupId: null }]);
              return event.turnId === undefined || s?.turnId !== event.turnId ? s : undefined;
            });
            return;
        }
      }),
    [],
  );

  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages, streaming, comparisons]);

  const models = state?.models ?? [];
  const nameOf = (id: string | null): string => models.find((m) => m.groupId === id)?.name ?? '';
  const busy = streaming !== undefined;

  const send = (): void => {
    const prompt = draft.trim();
    if (prompt === '' || !groupId || busy) return;
    turnCounter++;
    const turnId = `turn-${String(Date.now())}-${String(turnCounter)}`;
    if (COMPARE_PREFIX.test(prompt)) {
      const question = prompt.replace(COMPARE_PREFIX, '').trim();
      if (question === '') {
        setMessages((m) => [...m, { id: `error-${turnId}`, role: 'error', content: strings.compareUsage, groupId: null }]);
        return;
      }
      setStreaming({ turnId, text: '', notices: [], compare: true });
      channel.send({ kind: 'compare', turnId, groupId, prompt: question });
      setDraft('');
      return;
    }
    setStreaming({ turnId, text: '', notices: [] });
    channel.send({ kind: 'send', turnId, groupId, prompt, ...(context ? { context } : {}) });
    setDraft('');
    setContext(undefined);
  };

  return (
    <div class="chat">
      <header class="toolbar">
        <label class="field">
          <span>{strings.model}</span>
          <select
            value={groupId ?? ''}
            disabled={busy || models.length === 0}
            onChange={(e) => {
              const id = (e.currentTarget).value;
              setGroupId(id);
              channel.send({ kind: 'selectModel', groupId: id });
            }}
          >
            {models.map((m) => (
              <option key={m.groupId} value={m.groupId}>{`${m.name} (${m.detail})`}</option>
            ))}
          </select>
        </label>
        <label class="field grow">
          <span>{strings.conversation}</span>
          <select
            value={state?.conversationId ?? ''}
            disabled={busy}
            onChange={(e) => {
              const id = (e.currentTarget).value;
              channel.send(id === '' ? { kind: 'newConversation' } : { kind: 'openConversation', conversationId: id });
            }}
          >
            <option value="">{strings.newConversation}</option>
            {(state?.conversations ?? []).map((c) => (
              <option key={c.id} value={c.id}>{c.title}</option>
            ))}
          </select>
        </label>
        <vscode-button secondary icon="add" disabled={busy} onClick={() => { channel.send({ kind: 'newConversation' }); }}>{strings.newButton}</vscode-button>
        <vscode-button
          secondary
          icon="trash"
          disabled={busy || !state?.conversationId}
          onClick={() => {
            if (state?.conversationId) channel.send({ kind: 'deleteConversation', conversationId: state.conversationId });
          }}
        >
          {strings.deleteButton}
        </vscode-button>
      </header>
      <section class="messages" aria-live="polite">
        {state && models.length === 0 ? <p class="hint">{strings.noModels}</p> : null}
        {state && models.length > 0 && messages.length === 0 && comparisons.length === 0 && !busy ? <p class="hint">{strings.empty}</p> : null}
        {messages.map((m, i) => {
          const previous = messages.slice(0, i).reverse().find((p) => p.role === 'user');
          const switched = m.role === 'user' && previous !== undefined && m.groupId !== null && previous.groupId !== m.groupId;
          return (
            <Fragment key={m.id}>
              {switched ? <p class="switch">{strings.switched(nameOf(m.groupId))}</p> : null}
              <Message message={m} />
            </Fragment>
          );
        })}
        {comparisons.map((c) => <CompareView key={c.turnId} comparison={c} />)}
        {streaming && !streaming.compare ? (
          <article class="turn assistant streaming" data-testid="streaming">
            {streaming.notices.map((n, i) => (
              <p class="notice" key={i}>{`${strings.fallback}: ${n}`}</p>
            ))}
            {streaming.text === '' ? <p class="hint">{strings.thinking}</p> : <Markdown source={streaming.text} actions={actions} labels={strings} />}
          </article>
        ) : null}
        <div ref={end} />
      </section>
      <footer class="composer">
        {context ? (
          <div class="attachment">
            <span class="codicon codicon-file-code" aria-hidden="true" />
            <span>{strings.attached(context.file, context.language)}</span>
            <vscode-button secondary onClick={() => { setContext(undefined); }}>{strings.removeAttachment}</vscode-button>
          </div>
        ) : null}
        <div class="compose-row">
          <textarea
            ref={input}
            aria-label={strings.placeholder}
            placeholder={strings.placeholder}
            rows={3}
            value={draft}
            onInput={(e) => { setDraft((e.currentTarget).value); }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                e.preventDefault();
                send();
              }
            }}
          />
          {streaming ? (
            <vscode-button icon="debug-stop" onClick={() => { channel.send({ kind: 'stop', turnId: streaming.turnId }); }}>{strings.stop}</vscode-button>
          ) : (
            <vscode-button icon="send" disabled={draft.trim() === '' || !groupId} onClick={send}>{strings.send}</vscode-button>
          )}
        </div>
      </footer>
    </div>
  );
}

function costText(costUsd: number | undefined): string {
  if (costUsd === undefined) return 'no price';
  return formatUsd(costUsd);
}

function Badge({ badge }: { badge: ChatBadgeView }): VNode {
  return (
    <p class="badge" data-testid="badge" title={badge.summary}>
      {badge.configuration ? <span class="chip strong">{badge.configuration}</span> : null}
      {badge.model ? <span class="chip">{badge.model}</span> : null}
      {badge.stopped ? null : <span class="chip">{badge.inputTokens === undefined ? 'tokens n/a' : `${String(badge.inputTokens)} in · ${String(badge.outputTokens ?? 0)} out`}</span>}
      {badge.stopped ? null : <span class="chip">{costText(badge.costUsd)}</span>}
      <span class="chip">{`${String(badge.latencyMs)} ms`}</span>
      {badge.fallbackReason ? <span class="chip warn">{`${strings.fallback}: ${badge.fallbackReason}`}</span> : null}
      {badge.stopped ? <span class="chip warn">{strings.stopped}</span> : null}
    </p>
  );
}

function CompareView({ comparison }: { comparison: Comparison }): VNode {
  return (
    <section class="compare" data-testid="compare" aria-label={strings.compareTitle(comparison.prompt)}>
      <h2 class="who">{strings.compareTitle(comparison.prompt)}</h2>
      <div class={`compare-columns cols-${String(comparison.columns.length)}`}>
        {comparison.columns.map((col, i) => (
          <article class="compare-column" key={i} data-testid="compare-column">
            <h3 class="compare-name">{col.name}</h3>
            <div class="compare-body">
              {col.text === '' && !col.done ? <p class="hint">{strings.thinking}</p> : <Markdown source={col.text} actions={actions} labels={strings} />}
              {col.error ? <p class="turn error" role="alert">{col.error}</p> : null}
            </div>
            {col.badge ? <Badge badge={col.badge} /> : null}
          </article>
        ))}
      </div>
    </section>
  );
}

function Message({ message }: { message: ChatMessageView }): VNode {
  if (message.role === 'user') {
    return (
      <article class="turn user">
        <h2 class="who">{strings.you}</h2>
        {/* A selection sent with the prompt arrives fenced: shown as a code block, like the answers. */}
        <div class="user-text"><Markdown source={message.content} actions={actions} labels={strings} /></div>
      </article>
    );
  }
  if (message.role === 'error') {
    return (
      <div class="turn error" role="alert">
        <span class="codicon codicon-error" aria-hidden="true" /> {message.content}
      </div>
    );
  }
  return (
    <article class="turn assistant">
      <Markdown source={message.content} actions={actions} labels={strings} />
      {message.badge ? <Badge badge={message.badge} /> : null}
    </article>
  );
}
