import * as assert from 'node:assert/strict';
import { KEPT_REASONING_CHARS, ToolTurnReasoning } from '../../../src/core/chat/toolTurnReasoning';
import type { ChatMessage, ReasoningReplay } from '../../../src/core/providers';
import { ThinkingBlocks } from '../../../src/core/providers/anthropicThinking';
import { SignedParts } from '../../../src/core/providers/geminiSignatures';

/** An Anthropic replay whose thinking text is `chars` long. */
function thinking(chars: number, mark = 'x'): ReasoningReplay {
  return { provider: 'anthropic', blocks: [{ type: 'thinking', thinking: mark.repeat(chars), signature: 'sig' }] };
}

/** The assistant turn VS Code sends back after the tools ran: its calls, no provider data. */
function toolTurn(...ids: string[]): ChatMessage {
  return { role: 'assistant', content: '', toolCalls: ids.map((id) => ({ id, name: `tool_${id}`, arguments: '{}' })) };
}

describe('ToolTurnReasoning: the reasoning kept for tool loops is bounded', () => {
  it('caps the kept reasoning at 8,000,000 characters', () => {
    assert.equal(KEPT_REASONING_CHARS, 8_000_000);
  });

  it('keeps no reasoning longer than the cap: its turn comes back as one whose reasoning was not kept', () => {
    const kept = new ToolTurnReasoning();
    kept.remember(['huge'], thinking(KEPT_REASONING_CHARS + 1));
    const { messages, missing } = kept.restore([toolTurn('huge')]);
    assert.equal(messages[0]?.replay, undefined);
    assert.deepEqual(missing, [['tool_huge']]);
    assert.equal(kept.keptChars, 0);
  });

  it('forgets the oldest turns first once their reasoning together passes the cap, and keeps the newest', () => {
    const kept = new ToolTurnReasoning();
    // Three fit under the cap with their signatures and types; the fourth pushes it over.
    const third = Math.floor(KEPT_REASONING_CHARS / 3) - 100;
    kept.remember(['a'], thinking(third, 'a'));
    kept.remember(['b'], thinking(third, 'b'));
    kept.remember(['c'], thinking(third, 'c'));
    assert.ok(kept.keptChars <= KEPT_REASONING_CHARS);
    kept.remember(['d'], thinking(third, 'd'));
    assert.ok(kept.keptChars <= KEPT_REASONING_CHARS, `${String(kept.keptChars)} characters kept`);
    const { messages, missing } = kept.restore([toolTurn('a'), toolTurn('b'), toolTurn('c'), toolTurn('d')]);
    assert.deepEqual(missing, [['tool_a']], 'only the oldest turn was forgotten');
    assert.deepEqual(messages.slice(1).map((m) => String(m.replay?.blocks[0]?.thinking).charAt(0)), ['b', 'c', 'd']);
  });

  it('counts a turn that made several calls once, not once per call', () => {
    const kept = new ToolTurnReasoning();
    const replay = thinking(Math.floor(KEPT_REASONING_CHARS * 0.6));
    kept.remember(['one', 'two'], replay);
    assert.equal(kept.keptChars, Math.floor(KEPT_REASONING_CHARS * 0.6) + 'sig'.length + 'thinking'.length);
    const { messages, missing } = kept.restore([toolTurn('one', 'two')]);
    assert.deepEqual(missing, []);
    assert.equal(messages[0]?.replay, replay);
  });

  it('gives the characters back when a call id is remembered again or its turn is evicted', () => {
    const kept = new ToolTurnReasoning();
    kept.remember(['a'], thinking(1000));
    kept.remember(['a'], thinking(10));
    assert.equal(kept.keptChars, 10 + 'sig'.length + 'thinking'.length);
    kept.remember(['a'], undefined);
    assert.equal(kept.keptChars, 0);
  });

  it('stops collecting an endless streamed thinking block past the cap instead of growing without bound; such an answer has no replay', () => {
    const blocks = new ThinkingBlocks();
    blocks.start(0, { type: 'thinking', thinking: '', signature: '' });
    const delta = { type: 'thinking_delta', thinking: 'y'.repeat(1_000_000) };
    for (let i = 0; i < 12; i++) blocks.delta(0, delta);
    blocks.delta(0, { type: 'signature_delta', signature: 'EqQB' });
    assert.ok(blocks.collectedChars <= KEPT_REASONING_CHARS, `${String(blocks.collectedChars)} characters collected`);
    assert.equal(blocks.replay(), undefined, 'a cut thinking block would fail its signature check: none is sent back');
  });

  it('still sends back a thinking block under the cap whole', () => {
    const blocks = new ThinkingBlocks();
    blocks.start(0, { type: 'thinking', thinking: '', signature: '' });
    blocks.delta(0, { type: 'thinking_delta', thinking: 'Paris, ' });
    blocks.delta(0, { type: 'thinking_delta', thinking: 'weather.' });
    blocks.delta(0, { type: 'signature_delta', signature: 'EqQB' });
    assert.deepEqual(blocks.replay(), { provider: 'anthropic', blocks: [{ type: 'thinking', thinking: 'Paris, weather.', signature: 'EqQB' }] });
  });
});

describe('Gemini thought signatures: an endless stream of signed parts is bounded too', () => {
  it('keeps signatures under the cap, and none once their characters pass it', () => {
    const small = new SignedParts();
    small.add({ thoughtSignature: 'CiQB' }, 'call_1');
    assert.deepEqual(small.replay(), { provider: 'gemini', blocks: [{ functionCall: 'call_1', thoughtSignature: 'CiQB' }] });
    const endless = new SignedParts();
    const signature = 's'.repeat(1_000_000);
    for (let i = 0; i < 9; i++) endless.add({ thoughtSignature: signature }, `call_${String(i)}`);
    assert.equal(endless.replay(), undefined);
  });
});
