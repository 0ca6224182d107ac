import * as assert from 'node:assert/strict';
import { PROTOCOL_VERSION, describeInvalidMessage, hostMessageSchema, webviewMessageSchema } from '../../../src/protocol/messages';

describe('the webview protocol', () => {
  it('accepts the ready handshake', () => {
    assert.equal(webviewMessageSchema.safeParse({ type: 'ready', protocolVersion: PROTOCOL_VERSION }).success, true);
  });

  it('rejects unknown message types, extra keys and wrong field types', () => {
    for (const bad of [
      { type: 'deleteEverything' },
      { type: 'ready', protocolVersion: 1, extra: true },
      { type: 'ready', protocolVersion: '1' },
      { type: 'runCommand', command: 'workbench.action.quit' },
      null,
      'ready',
      JSON.parse('{"type":"ready","protocolVersion":1,"__proto__":{"polluted":true}}') as unknown,
    ]) {
      assert.equal(webviewMessageSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('caps strings the host sends', () => {
    const huge = 'x'.repeat(5000);
    assert.equal(hostMessageSchema.safeParse({ type: 'error', message: huge }).success, false);
  });

  it('names the bad field without echoing its value', () => {
    const result = webviewMessageSchema.safeParse({ type: 'ready', protocolVersion: 'sk-canary-value' });
    assert.equal(result.success, false);
    const text = describeInvalidMessage(result.error);
    assert.match(text, /protocolVersion/);
    assert.doesNotMatch(text, /sk-canary-value/);
  });
});
