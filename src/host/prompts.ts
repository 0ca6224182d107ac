import * as vscode from 'vscode';
import { providerDisplayName } from '../core/providers/displayNames';
import type { ConfigurationService } from '../core/services';
import type { AIConfiguration } from '../core/store';
import { inputBox, inputBoxStep, pickOne, type Back, type StepOptions } from './promptSeam';
import { checkName } from '../protocol/names';
import type { TreeNode } from './views/ConfigurationsTree';

/** What the tree and menus invoke a command with: a tree node, a configuration id, or nothing (then the user picks). */
export type ConfigurationArgument = TreeNode | string | { readonly id: string } | undefined;

/** Longer than any id this extension makes: a longer string is no id of ours and is not looked up or echoed. */
const MAX_ID_LENGTH = 64;

/** The configuration id inside what a command was invoked with, if it holds one; anything else counts as nothing. */
export function configurationIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) return undefined;
  const node = arg as { kind?: unknown; configuration?: { id?: unknown } | null; id?: unknown };
  if (node.kind === 'configuration' || node.kind === 'model') return typeof node.configuration?.id === 'string' ? node.configuration.id : undefined;
  return node.kind === undefined && typeof node.id === 'string' ? node.id : undefined;
}

/**
 * Resolves a command's argument to a stored configuration, asking the user when none was given. Only the id is
 * taken from the argument: every other field is read again from the store, whoever called the command.
 */
export async function resolveConfiguration(
  service: ConfigurationService,
  arg: unknown,
  placeHolder: string,
  filter: (c: AIConfiguration) => boolean = () => true,
): Promise<AIConfiguration | undefined> {
  const id = configurationIdOf(arg);
  if (id !== undefined) {
    const found = id.length <= MAX_ID_LENGTH ? service.listConfigurations().find((c) => c.id === id) : undefined;
    if (!found) void vscode.window.showWarningMessage(vscode.l10n.t('That configuration no longer exists (it may have been deleted in another window).'));
    else if (!filter(found)) void vscode.window.showWarningMessage(vscode.l10n.t('"{0}" cannot be used for this command.', found.name));
    return found && filter(found) ? found : undefined;
  }
  const candidates = service.listConfigurations().filter(filter);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no configuration for this yet. Add one with "Model Manager: Add Configuration".'));
    return undefined;
  }
  const picked = await pickOne(
    candidates.map((c) => ({ label: c.name, description: `${providerDisplayName(c.provider, c.config.preset)} · ${c.model}`, configuration: c })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.configuration;
}

interface AskOptions {
  title: string;
  prompt: string;
  value?: string;
  placeHolder?: string;
  password?: boolean;
  validate: (value: string) => string | undefined | Promise<string | undefined>;
}

/** What `ask` and `askStep` both give the input box: the texts, and the check run as the user types. */
function boxOptions(options: AskOptions): vscode.InputBoxOptions {
  return {
    title: options.title,
    prompt: options.prompt,
    ...(options.value === undefined ? {} : { value: options.value }),
    ...(options.placeHolder === undefined ? {} : { placeHolder: options.placeHolder }),
    password: options.password ?? false,
    ignoreFocusOut: true,
    validateInput: async (value) => {
      const problem = await options.validate(value);
      return problem ? { message: problem, severity: vscode.InputBoxValidationSeverity.Error } : undefined;
    },
  };
}

/** An input box whose value is checked as the user types; resolves undefined if they cancel. */
export function ask(options: AskOptions): Promise<string | undefined> {
  return inputBox(boxOptions(options));
}

/** `ask` as a step of a palette wizard: the step number in the title, and Back where there is a step before it. */
export function askStep(options: AskOptions & StepOptions): Promise<string | Back | undefined> {
  return inputBoxStep({
    ...boxOptions(options),
    ...(options.step === undefined ? {} : { step: options.step }),
    ...(options.totalSteps === undefined ? {} : { totalSteps: options.totalSteps }),
    canGoBack: options.canGoBack ?? false,
  });
}

/** The one name rule's verdict in the user's language, or undefined for a good name; `empty` says what to type. */
export function nameRuleMessage(value: string, empty: string): string | undefined {
  const checked = checkName(value);
  if (checked.ok) return undefined;
  const problem = checked.problem;
  switch (problem.kind) {
    case 'empty':
      return empty;
    case 'too-long':
      return vscode.l10n.t('The name is too long (at most {0} characters; this one has {1}).', problem.max, problem.length);
    case 'hidden-character':
      return vscode.l10n.t('The name contains {0}, a control or text-direction character that would disguise it: remove it.', problem.character);
  }
}

/** Inline checks shared by every command that asks for these values. */
export const checks = {
  name(service: ConfigurationService, current?: string) {
    return (value: string): string | undefined => {
      const problem = nameRuleMessage(value, vscode.l10n.t('Enter a name for the configuration.'));
      if (problem) return problem;
      const name = value.trim();
      const clash = service.listConfigurations().some((c) => c.name.toLowerCase() === name.toLowerCase() && c.name !== current);
      return clash ? vscode.l10n.t('A configuration named "{0}" already exists. Choose another name.', name) : undefined;
    };
  },
  apiKey: (value: string): string | undefined => {
    const key = value.trim();
    if (!key) return vscode.l10n.t('Enter the API key.');
    if (/\s/.test(key)) return vscode.l10n.t('An API key has no spaces: check that you pasted only the key.');
    return undefined;
  },
  url: (value: string): string | undefined => {
    try {
      const url = new URL(value.trim());
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return vscode.l10n.t('The address must start with http:// or https://.');
      return /[?#]/.test(value) ? vscode.l10n.t('Enter the address without a query (?…) or fragment (#…), e.g. https://api.openai.com/v1.') : undefined;
    } catch {
      return vscode.l10n.t('Enter a full address, for example https://api.example.com/v1.');
    }
  },
};
