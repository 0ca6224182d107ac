import * as assert from 'node:assert/strict';
import { handlePanelMessage } from '../../../src/panelHandlers/PanelApi';
import type { StoreSession } from '../../../src/core/session';
import { seededTemplates } from '../../../src/core/templates/seeded';
import { compatiblePresets } from '../../../src/core/providers/presets';
import type { ProviderView, TemplateView } from '../../../src/protocol';
import { packageCatalog } from '../catalog/packageCatalog';
import { serviceFixture, type ServiceFixture } from '../services/setup';

/**
 * The template picker (webview/components/TemplatePicker.tsx) shows a "<provider> setup guide" link where the
 * provider entry of the template's preset (providerOf) has its docs: the panel must send both.
 */
describe('the template picker’s setup links', () => {
  let f: ServiceFixture;

  beforeEach(async () => {
    f = await serviceFixture();
  });

  afterEach(async () => {
    await f.close();
  });

  it('gives every OpenAI-compatible preset template a link to its setup page, from what the panel sends, and no bare address in its text', async () => {
    const session = { configurations: f.service, providerAccess: f.providerAccess, keys: f.keys, store: f.store, userId: f.userId, catalog: () => Promise.resolve(packageCatalog()) } as unknown as StoreSession;
    const templates: TemplateView[] = await seededTemplates(session);
    const response = await handlePanelMessage({ session, templates: () => Promise.resolve(templates) }, { kind: 'request', id: 1, method: 'providers.list', params: {} }, () => undefined);
    assert.ok(response?.kind === 'response' && response.ok, JSON.stringify(response));
    const providers = response.result as ProviderView[];
    for (const preset of compatiblePresets) {
      const template = templates.find((t) => t.provider === 'openai-compatible' && t.settings.preset === preset.id);
      assert.ok(template, `no template for ${preset.id}`);
      const linked = providers.find((p) => p.id === template.provider && p.preset === template.settings.preset);
      assert.deepEqual([linked?.preset, linked?.docs, linked?.displayName], [preset.id, preset.docs, preset.displayName], preset.id);
      assert.ok(!template.description.includes(preset.docs), template.description);
    }
  });
});
