import { Fragment, type VNode } from 'preact';
import { useEffect, useLayoutEffect, useReducer, useRef } from 'preact/hooks';
import type { ChatBadgeView, ChatMessageView } from '../../src/protocol/chat';
import { formatUsd } from '../../src/protocol/money';
import { asRpcError } from '../rpc/RpcClient';
import { CHAT_IMAGES_PER_MESSAGE } from '../../src/protocol/chat';
import { channel } from './channel';
import { filesOf, readImages } from './images';
import { Markdown, type CodeActions } from './markdown';
import { initialChatView, outgoing, reduceChat, type Comparison } from './reducer';
import { strings } from './strings';

/** Asks the host; a refusal is shown like any failure (under the turn it belongs to, if any). */
function ask(request: Promise<unknown>, onFailure: (message: string) => void): void {
  request.catch((error: unknown) => {
    onFailure(asRpcError(error).message);
  });
}

let turnCounter = 0;

export function ChatApp(): VNode {
  const [view, dispatch] = useReducer(reduceChat, initialChatView);
  const { state, messages, streaming, draft, context, images, groupId, comparisons } = view;
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const end = useRef<HTMLDivElement>(null);
  const fail = (message: string, turnId?: string): void => {
    dispatch({ type: 'failed', message, ...(turnId === undefined ? {} : { turnId }) });
  };
  const actions: CodeActions = {
    copy: (code) => {
      ask(channel.rpc.request('chat.copy', { code }), fail);
    },
    insert: (code) => {
      ask(channel.rpc.request('chat.insert', { code }), fail);
    },
  };

  // Subscribed inside render(), before main.tsx says `ready`: a seed (Ask about the selection) is posted right after
  // `ready`, and a plain effect, run after the next frame, could subscribe too late and lose it.
  useLayoutEffect(
    () =>
      channel.rpc.onNotification((notification) => {
        dispatch({ type: 'notification', notification });
      }),
    [],
  );

  // The open conversation is kept with VS Code, so a window reload brings the panel back on it.
  const conversationId = state?.conversationId;
  useEffect(() => {
    if (conversationId !== undefined) channel.remember({ conversationId });
  }, [conversationId]);

  useEffect(() => {
    if (view.seeds > 0) input.current?.focus();
  }, [view.seeds]);

  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages, streaming, comparisons]);

  const models = state?.models ?? [];
  const nameOf = (id: string | null): string => models.find((m) => m.groupId === id)?.name ?? '';
  const busy = streaming !== undefined;

  /** Pasted, dropped or picked files: the images among them are attached, each one left out is said why. */
  const attach = (files: readonly File[]): void => {
    if (files.length === 0) return;
    void readImages(files, CHAT_IMAGES_PER_MESSAGE - images.length).then(({ images: read, problems }) => {
      if (read.length > 0) dispatch({ type: 'attachImages', images: read });
      for (const problem of problems) fail(problem);
    });
  };

  const send = (): void => {
    turnCounter++;
    const turnId = `turn-${String(Date.now())}-${String(turnCounter)}`;
    const out = outgoing(view, turnId);
    dispatch({ type: 'send', turnId });
    if (out?.method === 'chat.send') {
      channel.rpc.request('chat.send', out.params).then(
        (message) => {
          dispatch({ type: 'notification', notification: { kind: 'notification', event: 'turnDone', turnId, message } });
        },
        (error: unknown) => {
          fail(asRpcError(error).message, turnId);
        },
      );
    } else if (out?.method === 'chat.compare') {
      ask(channel.rpc.request('chat.compare', out.params), (message) => {
        fail(message, turnId);
      });
    }
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
              dispatch({ type: 'selectModel', groupId: id });
              ask(channel.rpc.request('chat.selectModel', { groupId: id }), fail);
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
              ask(id === '' ? channel.rpc.request('chat.newConversation', {}) : channel.rpc.request('chat.openConversation', { conversationId: id }), fail);
            }}
          >
            <option value="">{strings.newConversation}</option>
            {(state?.conversations ?? []).map((c) => (
              <option key={c.id} value={c.id}>{c.title}</option>
            ))}
          </select>
        </label>
        <vscode-button secondary icon="add" disabled={busy} onClick={() => { ask(channel.rpc.request('chat.newConversation', {}), fail); }}>{strings.newButton}</vscode-button>
        <vscode-button
          secondary
          icon="trash"
          disabled={busy || !state?.conversationId}
          onClick={() => {
            if (state?.conversationId) ask(channel.rpc.request('chat.deleteConversation', { conversationId: state.conversationId }), fail);
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
              <Message message={m} actions={actions} />
            </Fragment>
          );
        })}
        {comparisons.map((c) => <CompareView key={c.turnId} comparison={c} actions={actions} />)}
        {streaming && !streaming.compare ? (
          <article class="turn assistant streaming" data-testid="streaming">
            {streaming.notices.map((n, i) => (
              <p class="notice" key={i}>{`${strings.fallback}: ${n}`}</p>
            ))}
            {streaming.reasoning === '' ? null : <Reasoning text={streaming.reasoning} live={streaming.text === ''} />}
            {streaming.text === '' ? (streaming.reasoning === '' ? <p class="hint">{strings.thinking}</p> : null) : <Markdown source={streaming.text} actions={actions} labels={strings} />}
          </article>
        ) : null}
        <div ref={end} />
      </section>
      <footer
        class="composer"
        onDragOver={(e) => {
          if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
        }}
        onDrop={(e) => {
          const files = filesOf(e.dataTransfer);
          if (files.length === 0) return;
          e.preventDefault();
          attach(files);
        }}
      >
        {images.length > 0 ? (
          <div class="attached-images" data-testid="attached-images">
            {images.map((image, i) => (
              <span class="attached-image" key={i}>
                <img class="thumb" src={image.dataUrl} alt={strings.attachedImageAlt(i + 1)} />
                <vscode-button secondary icon="close" aria-label={strings.removeImage(i + 1)} title={strings.removeImage(i + 1)} onClick={() => { dispatch({ type: 'removeImage', index: i }); }} />
              </span>
            ))}
          </div>
        ) : null}
        {context ? (
          <div class="attachment">
            <span class="codicon codicon-file-code" aria-hidden="true" />
            <span>{strings.attached(context.file, context.language)}</span>
            <vscode-button secondary onClick={() => { dispatch({ type: 'removeAttachment' }); }}>{strings.removeAttachment}</vscode-button>
          </div>
        ) : null}
        <div class="compose-row">
          <textarea
            ref={input}
            aria-label={strings.placeholder}
            placeholder={strings.placeholder}
            rows={3}
            value={draft}
            onInput={(e) => { dispatch({ type: 'draft', text: e.currentTarget.value }); }}
            onPaste={(e) => {
              const files = filesOf(e.clipboardData);
              if (files.length === 0) return;
              e.preventDefault();
              attach(files);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                e.preventDefault();
                send();
              }
            }}
          />
          <input
            ref={picker}
            type="file"
            class="hidden-picker"
            accept="image/png,image/jpeg,image/gif,image/webp"
            multiple
            aria-label={strings.attachImage}
            data-testid="image-picker"
            onChange={(e) => {
              const target = e.currentTarget;
              attach([...(target.files ?? [])]);
              target.value = '';
            }}
          />
          <vscode-button secondary icon="file-media" disabled={busy || images.length >= CHAT_IMAGES_PER_MESSAGE} title={strings.attachImage} aria-label={strings.attachImage} onClick={() => { picker.current?.click(); }} />
          {streaming ? (
            <vscode-button icon="debug-stop" onClick={() => { ask(channel.rpc.request('chat.stop', { turnId: streaming.turnId }), fail); }}>{strings.stop}</vscode-button>
          ) : (
            <vscode-button icon="send" disabled={(draft.trim() === '' && images.length === 0) || !groupId} onClick={send}>{strings.send}</vscode-button>
          )}
        </div>
      </footer>
    </div>
  );
}

/** The model's reasoning, collapsed above its answer; the summary line says whether it is still coming. */
function Reasoning({ text, live }: { text: string; live: boolean }): VNode {
  return (
    <details class="reasoning" data-testid="reasoning">
      <summary>
        <span class={`codicon ${live ? 'codicon-loading codicon-modifier-spin' : 'codicon-lightbulb'}`} aria-hidden="true" /> {live ? strings.reasoningLive : strings.reasoning}
      </summary>
      <div class="reasoning-text">{text}</div>
    </details>
  );
}

/** 950, 12k, 1.2M. */
function compact(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${String(Math.round(count / 100) / 10).replace(/\.0$/, '')}k`;
  return `${String(Math.round(count / 100_000) / 10).replace(/\.0$/, '')}M`;
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
      {!badge.stopped && badge.cachedTokens ? <span class="chip" data-testid="badge-cached">{strings.cached(compact(badge.cachedTokens))}</span> : null}
      {!badge.stopped && badge.cacheWriteTokens ? <span class="chip">{strings.cacheWrite(compact(badge.cacheWriteTokens))}</span> : null}
      {!badge.stopped && badge.reasoningTokens ? <span class="chip">{strings.reasoningTokens(compact(badge.reasoningTokens))}</span> : null}
      {badge.stopped ? null : <span class="chip">{costText(badge.costUsd)}</span>}
      <span class="chip">{`${String(badge.latencyMs)} ms`}</span>
      {badge.fallbackReason ? <span class="chip warn">{`${strings.fallback}: ${badge.fallbackReason}`}</span> : null}
      {badge.stopped ? <span class="chip warn">{strings.stopped}</span> : null}
    </p>
  );
}

function CompareView({ comparison, actions }: { comparison: Comparison; actions: CodeActions }): VNode {
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

function Message({ message, actions }: { message: ChatMessageView; actions: CodeActions }): VNode {
  if (message.role === 'user') {
    return (
      <article class="turn user">
        <h2 class="who">{strings.you}</h2>
        {message.images?.length ? (
          <div class="turn-images" data-testid="turn-images">
            {message.images.map((image, i) => <img class="thumb" key={i} src={image.dataUrl} alt={strings.imageAlt(i + 1)} />)}
          </div>
        ) : null}
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
      {message.reasoning ? <Reasoning text={message.reasoning} live={false} /> : null}
      <Markdown source={message.content} actions={actions} labels={strings} />
      {message.badge ? <Badge badge={message.badge} /> : null}
    </article>
  );
}
