import * as vscode from 'vscode';
import { providerDisplayName } from '../../core/providers/displayNames';
import { MAX_NAME_LENGTH } from '../../protocol/names';
import type { ProviderTemplate } from '../../core/store';
import type { TemplateService } from '../../core/templates';
import type { HostContext } from '../hostContext';
import { ask, resolveConfiguration, type ConfigurationArgument } from '../prompts';
import { pickOne, showMessage } from '../promptSeam';
import { sessionCommand } from './sessionCommand';

/** Save as Template, Edit Template and Delete Template: templates of the user's own (built-in ones stay as they are). */
export function registerTemplateCommands(host: HostContext): vscode.Disposable[] {
  return [
    sessionCommand(host, 'modelManager.saveAsTemplate', async (session, arg?: ConfigurationArgument) => {
      const configuration = await resolveConfiguration(session.configurations, arg, vscode.l10n.t('Which configuration do you want to save as a template?'));
      if (!configuration) return undefined;
      const templates = session.templates;
      const { uniqueName } = await import('../lazyCore');
      const title = vscode.l10n.t('Save "{0}" as a template', configuration.name);
      const name = await ask({ title, prompt: vscode.l10n.t('A name for the template'), value: uniqueName(configuration.name, templates.list().map((t) => t.name)), validate: templateNameCheck(templates) });
      if (name === undefined) return undefined;
      const description = await ask({ title, prompt: vscode.l10n.t('What it is for (optional)'), value: `${providerDisplayName(configuration.provider, configuration.config.preset)} · ${configuration.model}`, validate: () => undefined });
      if (description === undefined) return undefined;
      const saved = await templates.saveFromConfiguration(configuration, { name: name.trim(), description });
      void vscode.window.showInformationMessage(vscode.l10n.t('Saved the template "{0}". Its API key and secret headers are not part of it. Edit Template makes it the default that Add Configuration starts from.', saved.name));
      return saved;
    }),

    // A template id at most: every change is the user's answer.
    sessionCommand(host, 'modelManager.editTemplate', async (session, templateId?: unknown) => {
      const templates = session.templates;
      const template = await ownTemplate(templates, templateId, vscode.l10n.t('Which of your templates do you want to edit?'));
      if (!template) return undefined;
      const title = vscode.l10n.t('Edit template "{0}"', template.name);
      const provider = providerDisplayName(template.provider, template.config.preset);
      const choices = [
        { label: vscode.l10n.t('Name'), description: template.name, field: 'name' as const },
        { label: vscode.l10n.t('Description'), description: template.description, field: 'description' as const },
        { label: vscode.l10n.t('Settings'), description: template.model, detail: vscode.l10n.t('Model, address and the provider\'s settings, as JSON'), field: 'settings' as const },
        template.isDefault
          ? { label: vscode.l10n.t('Stop Being the Default'), description: vscode.l10n.t('Add Configuration with {0} starts from scratch again', provider), field: 'default-off' as const }
          : { label: vscode.l10n.t('Make Default'), description: vscode.l10n.t('Add Configuration with {0} starts from this template', provider), field: 'default-on' as const },
      ];
      const picked = await pickOne(choices, { title, placeHolder: vscode.l10n.t('What do you want to change?') });
      if (!picked) return undefined;
      if (picked.field === 'default-on' || picked.field === 'default-off') return templates.setDefault(template.id, picked.field === 'default-on');
      if (picked.field === 'name') {
        const name = await ask({ title, prompt: vscode.l10n.t('New name'), value: template.name, validate: templateNameCheck(templates, template.name) });
        return name === undefined ? undefined : templates.update(template.id, { name: name.trim() });
      }
      if (picked.field === 'description') {
        const text = await ask({ title, prompt: vscode.l10n.t('What it is for'), value: template.description, validate: () => undefined });
        return text === undefined ? undefined : templates.update(template.id, { description: text });
      }
      const current = JSON.stringify({ ...template.config, model: template.model });
      const raw = await ask({
        title,
        prompt: vscode.l10n.t('The settings as JSON, checked against {0}\'s own ranges. Keys and secret headers are never kept in a template.', provider),
        value: current,
        validate: async (value) => {
          const settings = parseSettings(value);
          if (!settings) return vscode.l10n.t('Enter a JSON object, e.g. {"model": "…", "temperature": 0.7}.');
          const parsed = await session.providers.parseConfig(template.provider, settings);
          if (parsed.ok) return undefined;
          return parsed.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
        },
      });
      const settings = raw === undefined ? undefined : parseSettings(raw);
      return settings ? templates.update(template.id, { settings }) : undefined;
    }),

    sessionCommand(host, 'modelManager.deleteTemplate', async (session, templateId?: unknown) => {
      const templates = session.templates;
      const template = await ownTemplate(templates, templateId, vscode.l10n.t('Which of your templates do you want to delete?'));
      if (!template) return false;
      const remove = vscode.l10n.t('Delete');
      const detail = template.isDefault
        ? vscode.l10n.t('It is the default for {0}: Add Configuration starts from scratch again. Configurations made from it are kept.', providerDisplayName(template.provider, template.config.preset))
        : vscode.l10n.t('Configurations made from it are kept.');
      if ((await showMessage('warning', vscode.l10n.t('Delete the template "{0}"?', template.name), { modal: true, detail }, remove)) !== remove) return false;
      await templates.delete(template.id);
      return true;
    }),
  ];
}

/** The template the argument names, or the user's pick among their own; a built-in one is refused with what to do instead. */
async function ownTemplate(templates: TemplateService, templateId: unknown, placeHolder: string): Promise<ProviderTemplate | undefined> {
  const all = templates.list();
  if (typeof templateId === 'string') {
    const found = all.find((t) => t.id === templateId);
    if (!found) {
      await showMessage('warning', vscode.l10n.t('That template no longer exists (it may have been deleted in another window).'), {});
      return undefined;
    }
    if (found.isBuiltin) {
      await showMessage('warning', vscode.l10n.t('"{0}" is a built-in template and stays as the catalog made it. Create a configuration from it, then use Save as Template to make one of your own.', found.name), {});
      return undefined;
    }
    return found;
  }
  const own = all.filter((t) => !t.isBuiltin);
  if (own.length === 0) {
    await showMessage('information', vscode.l10n.t('You have no templates of your own yet. Use Save as Template on a configuration to make one.'), {});
    return undefined;
  }
  const picked = await pickOne(
    own.map((t) => ({
      label: t.name,
      description: `${providerDisplayName(t.provider, t.config.preset)} · ${t.model}${t.isDefault ? ` · ${vscode.l10n.t('default')}` : ''}`,
      detail: t.description,
      template: t,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.template;
}

function templateNameCheck(templates: TemplateService, current?: string): (value: string) => string | undefined {
  const taken = new Set(templates.list().map((t) => t.name.toLowerCase()).filter((n) => n !== current?.toLowerCase()));
  return (value) => {
    const name = value.trim();
    if (!name) return vscode.l10n.t('Give the template a name.');
    if (name.length > MAX_NAME_LENGTH) return vscode.l10n.t('At most {0} characters.', MAX_NAME_LENGTH);
    return taken.has(name.toLowerCase()) ? vscode.l10n.t('A template with this name exists. Choose another name.') : undefined;
  };
}

function parseSettings(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
