import * as assert from 'node:assert/strict';
import type { MemberStateChange } from '../../../src/core/routing';
import { route, World, type Member } from './fixture';

function told(changes: readonly MemberStateChange[]): string[] {
  return changes.map((c) => `${c.member.name} ${c.previous}->${c.state}`);
}

describe('the router tells when a member state changes (onDidChangeMemberState)', function () {
  this.timeout(10_000);
  let world: World;
  let a: Member;
  let b: Member;
  let changes: MemberStateChange[];

  beforeEach(async () => {
    changes = [];
    world = new World();
    a = await world.openai('a');
    b = await world.openai('b');
  });

  afterEach(async () => {
    world.router.dispose();
    await world.close();
  });

  function listen(): void {
    world.router.onDidChangeMemberState((change) => changes.push(change));
  }

  it('into cooldown, its probe, back out after a failed probe, and healthy after a good one', async () => {
    let now = Date.parse('2026-11-27T12:00:00Z');
    world.build({ now: () => now });
    listen();
    // A chat that failed with a 500 is not repeated (it may have been billed): each routed request is one failure.
    a.emulator.inject({ status: 500 }, 3);
    const group = world.group('fallback', [a, b], { cooldownFailures: 3, cooldownWindowSeconds: 60, cooldownSeconds: 10 });
    for (let i = 0; i < 2; i++) assert.equal((await route(world.router, group)).answeredBy, 'b');
    assert.deepEqual(told(changes), [], 'two failures of three: still healthy');
    assert.equal((await route(world.router, group)).answeredBy, 'b');
    assert.deepEqual(told(changes), ['a healthy->cooling-down']);
    assert.equal(changes[0]?.groupId, group);
    assert.equal(changes[0].member.configurationId, 'cfg-a');
    await route(world.router, group);
    assert.equal(changes.length, 1, 'skipping a cooling member is no change');
    now += 10_000;
    a.emulator.inject({ status: 500 });
    assert.equal((await route(world.router, group)).answeredBy, 'b', 'the probe failed');
    assert.deepEqual(told(changes).slice(1), ['a cooling-down->probing', 'a probing->cooling-down']);
    now += 10_000;
    assert.equal((await route(world.router, group)).answeredBy, 'a');
    assert.deepEqual(told(changes).slice(3), ['a cooling-down->probing', 'a probing->healthy']);
    assert.equal(world.router.cooldownState(a.member), 'healthy');
    assert.ok(changes.every((c) => c.member.name === 'a'), 'b never changed');
  });

  it('paused while a budget refuses the member, with the budget message, and healthy when it admits it again', async () => {
    let refusing = true;
    const message = '"a" is paused: the daily budget "Cap" is used up ($1.00 of $1.00). It resets tomorrow.';
    world.build({ admit: (m) => (refusing && m.name === 'a' ? { allowed: false, message } : { allowed: true }) });
    listen();
    const group = world.group('fallback', [a, b]);
    assert.equal((await route(world.router, group)).answeredBy, 'b');
    assert.equal((await route(world.router, group)).answeredBy, 'b');
    assert.deepEqual(told(changes), ['a healthy->paused'], 'told once, not on every skip');
    assert.equal(changes[0]?.why, message);
    refusing = false;
    assert.equal((await route(world.router, group)).answeredBy, 'a');
    assert.deepEqual(told(changes), ['a healthy->paused', 'a paused->healthy']);
    assert.equal(changes[1]?.why, undefined);
  });

  it('leaves cooldown when its time is up, with no request to notice it', async () => {
    listen();
    a.emulator.inject({ status: 500 });
    const group = world.group('fallback', [a, b], { cooldownFailures: 1, cooldownWindowSeconds: 60, cooldownSeconds: 1 });
    // Measured from before the request: the cooldown starts during it, however long a loaded machine takes.
    const startedAt = performance.now();
    const back = new Promise<MemberStateChange>((resolve) => {
      const subscription = world.router.onDidChangeMemberState((change) => {
        if (change.state !== 'healthy') return;
        subscription.dispose();
        resolve(change);
      });
    });
    assert.equal((await route(world.router, group)).answeredBy, 'b');
    assert.deepEqual(told(changes), ['a healthy->cooling-down']);
    const healthy = await back;
    assert.equal(`${healthy.previous}->${healthy.state}`, 'cooling-down->healthy');
    assert.ok(performance.now() - startedAt >= 990, 'not before the cooldown is over');
    assert.equal(a.emulator.requests.length, 1, 'no request was sent to find out');
  });

  it('a disposed router tells nothing more', async () => {
    listen();
    a.emulator.inject({ status: 500 });
    const group = world.group('fallback', [a, b], { cooldownFailures: 1, cooldownWindowSeconds: 60, cooldownSeconds: 1 });
    await route(world.router, group);
    world.router.dispose();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    assert.deepEqual(told(changes), ['a healthy->cooling-down']);
  });
});
