import * as vscode from 'vscode';
import { memberCount } from './counts';
import { providerDisplayName } from '../core/providers/displayNames';
import type { RouteGroupInput, RouteGroupService } from '../core/routing';
import type { ConfigurationService } from '../core/services';
import type { RouteGroup, RouteGroupMember, RouteGroupSettings, RouteStrategy } from '../core/store';
import { ask, askStep, nameRuleMessage } from './prompts';
import { BACK, pickMany, pickManyStep, pickOne, pickOneStep, type Back, type StepOptions } from './promptSeam';

/** Where a question sits in the Create Route Group wizard; without it, a question stands alone (the edit flow). */
type At = StepOptions & { readonly title: string };

/** Each strategy in the user's words: what the quick pick and the webview show. */
export const strategyChoices: Record<RouteStrategy, { readonly label: string; readonly detail: string }> = {
  fallback: { label: 'Fallback', detail: 'Always the first member; the next one only when it fails (in the order you choose).' },
  'weighted-round-robin': { label: 'Weighted round-robin', detail: 'Spreads requests over the members in proportion to their weights.' },
  'least-busy': { label: 'Least busy', detail: 'The member with the fewest requests in flight right now.' },
  'lowest-latency': { label: 'Lowest latency', detail: 'The member whose recent answers started fastest (median).' },
  'lowest-cost': { label: 'Lowest cost', detail: 'The cheapest member whose context window and tool support fit the request.' },
};

/** Inline checks of a group's name, as the user types: the name rule, another group's name, a configuration's name. */
export function groupNameCheck(groups: RouteGroupService, configurations: ConfigurationService, current?: string) {
  return (value: string): string | undefined => {
    const problem = nameRuleMessage(value, vscode.l10n.t('Enter a name for the route group.'));
    if (problem) return problem;
    const name = value.trim();
    const clash = groups.list().some((g) => g.name.toLowerCase() === name.toLowerCase() && g.name !== current);
    if (clash) return vscode.l10n.t('A route group named "{0}" already exists. Choose another name.', name);
    const configuration = configurations.listConfigurations().find((c) => c.name.toLowerCase() === name.toLowerCase());
    return configuration ? vscode.l10n.t('A configuration is named "{0}": chat could not tell the two apart. Choose another name.', configuration.name) : undefined;
  };
}

export async function askStrategy(title: string, current?: RouteStrategy): Promise<RouteStrategy | undefined> {
  const picked = await pickOne(strategyItems(current), { title, placeHolder: vscode.l10n.t('How should the group pick a member?'), ignoreFocusOut: true });
  return picked?.strategy;
}

function strategyItems(current: RouteStrategy | undefined) {
  return (Object.keys(strategyChoices) as RouteStrategy[]).map((strategy) => ({
    label: `${strategy === current ? '$(check) ' : ''}${vscode.l10n.t(strategyChoices[strategy].label)}`,
    detail: vscode.l10n.t(strategyChoices[strategy].detail),
    strategy,
  }));
}

/** Members: configurations picked together, then ordered (fallback) or weighted (round-robin). */
export async function askMembers(configurations: ConfigurationService, title: string, strategy: RouteStrategy, current?: readonly RouteGroupMember[]): Promise<RouteGroupMember[] | undefined>;
export async function askMembers(configurations: ConfigurationService, title: string, strategy: RouteStrategy, current: readonly RouteGroupMember[], at: At): Promise<RouteGroupMember[] | Back | undefined>;
export async function askMembers(configurations: ConfigurationService, title: string, strategy: RouteStrategy, current: readonly RouteGroupMember[] = [], at?: At): Promise<RouteGroupMember[] | Back | undefined> {
  const all = configurations.listConfigurations();
  if (all.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('A route group is made of configurations: add one with "Model Manager: Add Configuration" first.'));
    return undefined;
  }
  const chosen = new Set(current.map((m) => m.configurationId));
  const items = all.map((c) => ({ label: c.name, description: `${providerDisplayName(c.provider, c.config.preset)} · ${c.model}`, picked: chosen.has(c.id), id: c.id }));
  const options = { title, placeHolder: vscode.l10n.t('Which configurations are members? (pick one or more)'), ignoreFocusOut: true };
  const picked = at ? await pickManyStep(items, { ...options, ...at }) : await pickMany(items, options);
  if (picked === BACK) return BACK;
  if (!picked || picked.length === 0) return undefined;
  let members: RouteGroupMember[] = picked.map((p) => current.find((m) => m.configurationId === p.id) ?? { configurationId: p.id });
  if (strategy === 'fallback' && members.length > 1) {
    const ordered = await askOrder(title, members, (id) => all.find((c) => c.id === id)?.name ?? id);
    if (!ordered) return undefined;
    members = ordered;
  }
  if (strategy === 'weighted-round-robin') {
    const weighted = await askWeights(title, members, (id) => all.find((c) => c.id === id)?.name ?? id);
    if (!weighted) return undefined;
    members = weighted;
  }
  return members;
}

/** Fallback order: the user picks the member to try first, then second, and so on. */
export async function askOrder(title: string, members: readonly RouteGroupMember[], nameOf: (id: string) => string): Promise<RouteGroupMember[] | undefined> {
  const left = [...members];
  const ordered: RouteGroupMember[] = [];
  while (left.length > 1) {
    const position = ordered.length + 1;
    const picked = await pickOne(
      left.map((m) => ({ label: nameOf(m.configurationId), member: m })),
      { title, placeHolder: position === 1 ? vscode.l10n.t('Which member should be tried first?') : vscode.l10n.t('Which member should be tried next (number {0})?', position), ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    ordered.push(picked.member);
    left.splice(left.indexOf(picked.member), 1);
  }
  return [...ordered, ...left];
}

export async function askWeights(title: string, members: readonly RouteGroupMember[], nameOf: (id: string) => string): Promise<RouteGroupMember[] | undefined> {
  const out: RouteGroupMember[] = [];
  for (const member of members) {
    const value = await ask({
      title,
      prompt: vscode.l10n.t('Weight of "{0}": its share of requests relative to the others (e.g. 3 and 1 = 75 % and 25 %)', nameOf(member.configurationId)),
      value: String(member.weight ?? 1),
      validate: (text) => (positive(text) === undefined ? vscode.l10n.t('Enter a number above 0, e.g. 1 or 2.5.') : undefined),
    });
    if (value === undefined) return undefined;
    out.push({ ...member, weight: positive(value) ?? 1 });
  }
  return out;
}

/** Failure settings as toggles; the cooldown is one line "failures, window s, out s". */
export async function askSettings(title: string, current?: RouteGroupSettings): Promise<RouteGroupSettings | undefined>;
export async function askSettings(title: string, current: RouteGroupSettings, at: At): Promise<RouteGroupSettings | Back | undefined>;
export async function askSettings(title: string, current: RouteGroupSettings = {}, at?: At): Promise<RouteGroupSettings | Back | undefined> {
  const auth = { label: vscode.l10n.t('Fall back on key errors (401/403)'), detail: vscode.l10n.t('Off: a rejected key is reported so you can fix it, not hidden by another member.'), picked: current.fallbackOnAuthError === true };
  const restart = { label: vscode.l10n.t('Restart a started answer on another member'), detail: vscode.l10n.t('With a visible notice. Off: an answer that fails mid-way fails clearly.'), picked: current.restartStreamsWithNotice === true };
  const cooldown = { label: vscode.l10n.t('Set the cooldown…'), detail: vscode.l10n.t('Now: {0} failures in {1} s take a member out for {2} s, then one probe.', current.cooldownFailures ?? 3, current.cooldownWindowSeconds ?? 60, current.cooldownSeconds ?? 30), picked: false };
  const options = { title, placeHolder: vscode.l10n.t('Settings (tick what applies, then press Enter)'), ignoreFocusOut: true };
  const picked = at ? await pickManyStep([auth, restart, cooldown], { ...options, ...at }) : await pickMany([auth, restart, cooldown], options);
  if (picked === BACK) return BACK;
  if (!picked) return undefined;
  const settings: RouteGroupSettings = { ...current, fallbackOnAuthError: picked.includes(auth), restartStreamsWithNotice: picked.includes(restart) };
  if (!picked.includes(cooldown)) return settings;
  const line = await ask({
    title,
    prompt: vscode.l10n.t('Cooldown: failures, within seconds, out for seconds'),
    value: `${String(current.cooldownFailures ?? 3)}, ${String(current.cooldownWindowSeconds ?? 60)}, ${String(current.cooldownSeconds ?? 30)}`,
    validate: (text) => (cooldownOf(text) ? undefined : vscode.l10n.t('Enter three numbers above 0, e.g. "3, 60, 30".')),
  });
  const parsed = line === undefined ? undefined : cooldownOf(line);
  return parsed ? { ...settings, ...parsed } : undefined;
}

/** The palette flow for a new group: name → strategy → members (order or weights) → settings, each with Back. */
export async function askForNewGroup(groups: RouteGroupService, configurations: ConfigurationService): Promise<RouteGroupInput | undefined> {
  const title = vscode.l10n.t('Create Route Group');
  // What was answered so far: going Back shows it again.
  let name: string | undefined;
  let strategy: RouteStrategy | undefined;
  let members: RouteGroupMember[] | undefined;
  let step = 1;
  for (;;) {
    const at: At = { title, step, totalSteps: 4, canGoBack: step > 1 };
    let answer: unknown;
    if (step === 1) {
      answer = await askStep({ ...at, prompt: vscode.l10n.t('A name for the group, e.g. "Fast with backup"'), ...(name === undefined ? {} : { value: name }), validate: groupNameCheck(groups, configurations) });
      if (typeof answer === 'string') name = answer;
    } else if (step === 2) {
      answer = await pickOneStep(strategyItems(strategy), { ...at, placeHolder: vscode.l10n.t('How should the group pick a member?'), ignoreFocusOut: true });
      if (answer !== undefined && answer !== BACK) strategy = (answer as { strategy: RouteStrategy }).strategy;
    } else if (step === 3) {
      answer = await askMembers(configurations, title, strategy ?? 'fallback', members ?? [], at);
      if (Array.isArray(answer)) members = answer as RouteGroupMember[];
    } else {
      answer = await askSettings(title, {}, at);
      if (answer !== undefined && answer !== BACK && name !== undefined && strategy && members) return { name: name.trim(), strategy, members, settings: answer as RouteGroupSettings };
    }
    if (answer === undefined) return undefined;
    step += answer === BACK ? -1 : 1;
  }
}

/** The palette flow for a change: what to change, then that step alone. */
export async function askForEdit(groups: RouteGroupService, configurations: ConfigurationService, group: RouteGroup): Promise<Partial<RouteGroupInput> | undefined> {
  const title = vscode.l10n.t('Edit Route Group "{0}"', group.name);
  const steps = [
    { label: vscode.l10n.t('Name'), description: group.name, step: 'name' as const },
    { label: vscode.l10n.t('Strategy'), description: vscode.l10n.t(strategyChoices[group.strategy].label), step: 'strategy' as const },
    { label: vscode.l10n.t('Members'), description: memberCount(group.members.length), step: 'members' as const },
    ...(group.strategy === 'fallback' ? [{ label: vscode.l10n.t('Order'), description: '', step: 'order' as const }] : []),
    ...(group.strategy === 'weighted-round-robin' ? [{ label: vscode.l10n.t('Weights'), description: '', step: 'weights' as const }] : []),
    { label: vscode.l10n.t('Settings'), description: vscode.l10n.t('fallback on key errors, restarts, cooldown'), step: 'settings' as const },
  ];
  const picked = await pickOne(steps, { title, placeHolder: vscode.l10n.t('What do you want to change?'), ignoreFocusOut: true });
  if (!picked) return undefined;
  const nameOf = (id: string): string => configurations.listConfigurations().find((c) => c.id === id)?.name ?? id;
  switch (picked.step) {
    case 'name': {
      const name = await ask({ title, prompt: vscode.l10n.t('The group\'s new name'), value: group.name, validate: groupNameCheck(groups, configurations, group.name) });
      return name === undefined ? undefined : { name: name.trim() };
    }
    case 'strategy': {
      const strategy = await askStrategy(title, group.strategy);
      if (!strategy) return undefined;
      if (strategy === 'weighted-round-robin' && group.strategy !== strategy) {
        const members = await askWeights(title, group.members, nameOf);
        return members ? { strategy, members } : undefined;
      }
      return { strategy };
    }
    case 'members': {
      const members = await askMembers(configurations, title, group.strategy, group.members);
      return members ? { members } : undefined;
    }
    case 'order': {
      const members = await askOrder(title, group.members, nameOf);
      return members ? { members } : undefined;
    }
    case 'weights': {
      const members = await askWeights(title, group.members, nameOf);
      return members ? { members } : undefined;
    }
    case 'settings': {
      const settings = await askSettings(title, group.settings);
      return settings ? { settings } : undefined;
    }
  }
}

function positive(text: string): number | undefined {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function cooldownOf(text: string): Pick<RouteGroupSettings, 'cooldownFailures' | 'cooldownWindowSeconds' | 'cooldownSeconds'> | undefined {
  const parts = text.split(/[,\s]+/).filter((p) => p !== '').map(positive);
  if (parts.length !== 3 || parts.some((p) => p === undefined)) return undefined;
  const [cooldownFailures, cooldownWindowSeconds, cooldownSeconds] = parts as [number, number, number];
  return { cooldownFailures: Math.round(cooldownFailures), cooldownWindowSeconds, cooldownSeconds };
}
