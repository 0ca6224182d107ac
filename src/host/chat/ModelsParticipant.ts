import * as vscode from 'vscode';
import { answerCount } from '../counts';
import { formatUsd } from '../../protocol/money';
import type { CompareOutcome, TurnResult } from '../../core/chat';
import type { ChatMessage } from '../../core/providers';
import { CHANGE_BUDGET_COMMAND, changeBudgetLabel, isBudgetStop } from '../budgetStop';
import type { ServiceHost } from '../ServiceHost';
import type { StoreSession } from '../../core/session';
import { conversationUsage, historyMessages, usedGroup, type TurnMetadata } from './history';
import { CHAT_VENDOR } from './ids';
import { groupTakesImages, referencedImages } from './participantImages';
import { errorMessage } from '../../core/errors';
import { chatTargets, compareLineup, configurationGroupId, type ChatTarget } from '../../core/chat/targets';

interface Choice {
  readonly groupId: string;
  readonly name: string;
}

/** Most configurations /compare runs at once: side by side stays readable, and each costs a request. */

/** The sticky `@models` participant's answer: with the picked model of ours or the active configuration; /use, /compare, /usage. */
export async function answerModelsRequest(services: ServiceHost, log: vscode.LogOutputChannel, request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  try {
    const session = await services.open();
    if (request.command === 'use') return useCommand(session, request.prompt, stream);
    if (request.command === 'usage') return usageCommand(context, stream);
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => { abort.abort(); });
    try {
      if (request.command === 'compare') return await compareCommand(session, request, context, stream, abort.signal);
      const choice = chosen(session, request, context);
      if (!choice) {
        stream.markdown(vscode.l10n.t('No configuration is active. Add one, or pick one with `/use <configuration>`.'));
        stream.button({ command: 'modelManager.addConfiguration', title: vscode.l10n.t('Add Configuration') });
        return {};
      }
      const images = await referencedImages(request.references);
      // Said, not dropped: the images are what the question is about.
      if (images.length > 0 && !(await groupTakesImages(session, choice.groupId))) {
        stream.markdown(vscode.l10n.t('{0} takes no images ({1} attached). Pick a model that reads images (gpt-4o, Claude, Gemini, an Ollama vision model) with `/use <name>`, or ask without the images.', choice.name, images.length));
        return {};
      }
      const messages: ChatMessage[] = [...historyMessages(context.history), { role: 'user', content: request.prompt, ...(images.length > 0 ? { images } : {}) }];
      const result = await turn(session, choice.groupId, messages, abort.signal, (text) => { stream.markdown(text); });
      stream.markdown(`\n\n---\n_${await badge(result)}_\n`);
      return { metadata: usageMetadata([result]) };
    } finally {
      cancel.dispose();
    }
  } catch (error) {
    if (token.isCancellationRequested) return {};
    const message = errorMessage(error);
    log.warn(`@models: ${message}`);
    // A budget's hard stop sent nothing: its message, and the way to change the budget.
    if (isBudgetStop(error)) stream.button({ command: CHANGE_BUDGET_COMMAND, title: changeBudgetLabel() });
    return { errorDetails: { message } };
  }
}

/** /use earlier in the conversation, else the picker's model when it is ours, else the active configuration. */
function chosen(session: StoreSession, request: vscode.ChatRequest, context: vscode.ChatContext): Choice | undefined {
  const used = usedGroup(context.history);
  if (used && exists(session, used.groupId)) return used;
  if (request.model.vendor === CHAT_VENDOR && exists(session, request.model.id)) return { groupId: request.model.id, name: request.model.name };
  const active = session.configurations.getActiveConfiguration();
  return active ? { groupId: configurationGroupId(active.id), name: active.name } : undefined;
}

function choices(session: StoreSession): ChatTarget[] {
  return chatTargets(session.configurations.listConfigurations(), session.routeGroups.list());
}

function exists(session: StoreSession, groupId: string): boolean {
  return choices(session).some((c) => c.groupId === groupId);
}

function useCommand(session: StoreSession, prompt: string, stream: vscode.ChatResponseStream): vscode.ChatResult {
  const name = prompt.trim();
  const all = choices(session);
  const match = all.find((c) => c.name.toLowerCase() === name.toLowerCase()) ?? all.find((c) => c.name.toLowerCase().startsWith(name.toLowerCase()) && name !== '');
  if (!match) {
    const names = all.map((c) => `\`${c.name}\``).join(', ');
    stream.markdown(name === ''
      ? vscode.l10n.t('Name a configuration or route group: `/use <name>`. Available: {0}.', names || vscode.l10n.t('none yet'))
      : vscode.l10n.t('No configuration or route group is named "{0}". Available: {1}.', name, names || vscode.l10n.t('none yet')));
    return {};
  }
  stream.markdown(vscode.l10n.t('This conversation now answers with **{0}**.', match.name));
  const metadata: TurnMetadata = { useGroupId: match.groupId, useName: match.name };
  return { metadata };
}

function usageCommand(context: vscode.ChatContext, stream: vscode.ChatResponseStream): vscode.ChatResult {
  const total = conversationUsage(context.history);
  const cost = formatUsd(total.costUsd);
  stream.markdown(vscode.l10n.t('This conversation: {0}, {1} input and {2} output tokens, {3}.', answerCount(total.turns), total.input, total.output, cost));
  return {};
}

async function compareCommand(session: StoreSession, request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, signal: AbortSignal): Promise<vscode.ChatResult> {
  const prompt = request.prompt.trim();
  if (prompt === '') {
    stream.markdown(vscode.l10n.t('Give the prompt to compare: `/compare <prompt>`.'));
    return {};
  }
  const first = chosen(session, request, context);
  const picked = compareLineup(choices(session), first);
  if (picked.length < 2) {
    stream.markdown(vscode.l10n.t('/compare needs at least two active configurations; there is {0}.', picked.length));
    return {};
  }
  // The images are part of the question: every compared model gets them, and one that reads none says so.
  const images = await referencedImages(request.references);
  const blind = await Promise.all(picked.map(async (p) => images.length > 0 && !(await groupTakesImages(session, p.groupId))));
  stream.progress(vscode.l10n.t('Asking {0}…', picked.map((p) => p.name).join(', ')));
  const messages: ChatMessage[] = [{ role: 'user', content: prompt, ...(images.length > 0 ? { images } : {}) }];
  // All answer at once; each streams into its own section in turn. The section on screen gets its text live, the
  // later ones collect theirs and catch up when their turn comes (a chat response is one stream, not columns).
  const collected = picked.map(() => '');
  let showing = 0;
  const runs = picked.map((p, i) =>
    (blind[i] === true
      ? Promise.reject(new Error(vscode.l10n.t('{0} takes no images ({1} attached), so it was not asked.', p.name, images.length)))
      : turn(session, p.groupId, messages, signal, (text) => {
        collected[i] = `${collected[i] ?? ''}${text}`;
        if (i === showing) stream.markdown(text);
      })
    ).then((r) => ({ ok: true as const, r }), (e: unknown) => ({ ok: false as const, e })),
  );
  const done: TurnResult[] = [];
  const outcomes: CompareOutcome[] = [];
  for (const [i, p] of picked.entries()) {
    const run = runs[i];
    if (!run) continue;
    showing = i;
    stream.markdown(`${i === 0 ? '' : '\n\n'}### ${p.name}\n\n${collected[i] ?? ''}`);
    const outcome = await run;
    if (outcome.ok) {
      done.push(outcome.r);
      outcomes.push({ name: p.name, ok: true, result: outcome.r });
      stream.markdown(`\n\n_${await badge(outcome.r)}_\n`);
    } else {
      const message = outcome.e instanceof Error ? outcome.e.message : String(outcome.e);
      outcomes.push({ name: p.name, ok: false, error: message });
      stream.markdown(`> ${message}\n`);
    }
  }
  const core = await import('../lazyCore');
  stream.markdown(`\n\n---\n\n**${vscode.l10n.t('Side by side')}**\n\n${core.compareTable(outcomes)}\n`);
  return { metadata: usageMetadata(done) };
}

async function turn(session: StoreSession, groupId: string, messages: readonly ChatMessage[], signal: AbortSignal, onText?: (text: string) => void): Promise<TurnResult> {
  const core = await import('../lazyCore');
  return core.runTurn(session.router, (listener) => session.usage.onDidRecord(listener), groupId, { messages }, { signal, ...(onText ? { onText } : {}) });
}

async function badge(result: TurnResult): Promise<string> {
  const core = await import('../lazyCore');
  return core.badgeText(result);
}

function usageMetadata(results: readonly TurnResult[]): TurnMetadata {
  return {
    usage: {
      input: results.reduce((s, r) => s + (r.usage?.input ?? 0), 0),
      output: results.reduce((s, r) => s + (r.usage?.output ?? 0), 0),
      costUsd: results.reduce((s, r) => s + (r.costUsd ?? 0), 0),
    },
  };
}
