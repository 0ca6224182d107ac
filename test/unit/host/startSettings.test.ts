import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addStartSettings, startSettings } from '../../host/startSettings';
import { useTempFolder } from '../helpers/tempStore';

describe('npm start opens its workspace trusted, so the chat picker lists models', () => {
  const folder = useTempFolder();

  it('a fresh profile is written with workspace trust off (its empty workspace is the user\'s own)', () => {
    assert.equal(startSettings['security.workspace.trust.enabled'], false);
  });

  it('a profile made by an earlier npm start gains the setting and keeps every value the user set', () => {
    const file = join(folder.path, 'settings.json');
    writeFileSync(file, JSON.stringify({ 'workbench.colorTheme': 'Default Dark Modern', 'modelManager.healthCheckIntervalMinutes': 5 }));
    assert.equal(addStartSettings(file), 'added');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), {
      'workbench.colorTheme': 'Default Dark Modern',
      'modelManager.healthCheckIntervalMinutes': 5,
      'security.workspace.trust.enabled': false,
    });
    assert.equal(addStartSettings(file), 'unchanged');
  });

  it('a user who turned workspace trust on keeps it, and a settings file with comments is left untouched', () => {
    const own = join(folder.path, 'own.json');
    writeFileSync(own, JSON.stringify({ 'security.workspace.trust.enabled': true }));
    assert.equal(addStartSettings(own), 'unchanged');
    assert.deepEqual(JSON.parse(readFileSync(own, 'utf8')), { 'security.workspace.trust.enabled': true });
    const commented = join(folder.path, 'commented.json');
    const text = '{\n  // mine\n  "editor.fontSize": 15\n}\n';
    writeFileSync(commented, text);
    assert.equal(addStartSettings(commented), 'not-json');
    assert.equal(readFileSync(commented, 'utf8'), text);
  });
});
