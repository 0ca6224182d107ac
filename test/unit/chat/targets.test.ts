import * as assert from 'node:assert/strict';
import { chatTargets, compareLineup, COMPARE_MAX, configurationGroupId, configurationIdOf } from '../../../src/core/chat/targets';
import type { AIConfiguration, RouteGroup } from '../../../src/core/store';

function configuration(id: string, isActive = true): AIConfiguration {
  return { id, name: `Config ${id}`, provider: 'openai', model: 'gpt-5-mini', config: {}, isActive } as unknown as AIConfiguration;
}

function group(id: string): RouteGroup {
  return { id, name: `Group ${id}`, strategy: 'fallback' } as RouteGroup;
}

describe('the chat targets', () => {
  it('are the active configurations as configuration:<id>, then the route groups', () => {
    const targets = chatTargets([configuration('a'), configuration('off', false), configuration('b')], [group('g')]);
    assert.deepEqual(targets.map((t) => [t.groupId, t.kind]), [['configuration:a', 'configuration'], ['configuration:b', 'configuration'], ['g', 'route-group']]);
    assert.deepEqual(targets.map((t) => t.detail).slice(0, 1), ['gpt-5-mini · OpenAI'], 'the provider as users know it');
    assert.equal(targets[2]?.detail, 'route group · fallback');
  });

  it('read a configuration id back from its target, and none from a route group', () => {
    assert.equal(configurationIdOf(configurationGroupId('abc')), 'abc');
    assert.equal(configurationIdOf('some-group'), undefined);
  });

  it('line up /compare: the picked one first (a group too), then other configurations, at most COMPARE_MAX', () => {
    const targets = chatTargets(['a', 'b', 'c', 'd'].map((id) => configuration(id)), [group('g')]);
    const fromGroup = compareLineup(targets, { groupId: 'g', name: 'Group g' });
    assert.deepEqual(fromGroup.map((t) => t.groupId), ['g', 'configuration:a', 'configuration:b']);
    assert.equal(fromGroup.length, COMPARE_MAX);
    assert.deepEqual(compareLineup(targets, targets[2]).map((t) => t.groupId), ['configuration:c', 'configuration:a', 'configuration:b']);
    assert.deepEqual(compareLineup(targets, undefined).map((t) => t.groupId), ['configuration:a', 'configuration:b', 'configuration:c']);
  });
});
