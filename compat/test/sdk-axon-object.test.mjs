// The object-oriented surface: RunloopSDK.axon (AxonOps) and Axon instances.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Axon, NotFoundError, RunloopSDK } from '@runloop/api-client';

import { assertContiguous, event, take, uniqueTag } from '../lib/events.mjs';
import { startServer } from '../lib/server.mjs';

let server;
let sdk;
before(async () => {
  server = await startServer();
  sdk = server.sdk();
});
after(() => server?.stop());

describe('RunloopSDK.axon', () => {
  test('is a RunloopSDK with the low-level client under api', () => {
    assert.ok(sdk instanceof RunloopSDK);
    assert.equal(typeof sdk.api.axons.create, 'function');
  });

  test('create returns an Axon whose getInfo matches the API view', async () => {
    const axon = await sdk.axon.create({ name: 'oo-one', metadata: { via: 'sdk' } });
    assert.ok(axon instanceof Axon);
    const info = await axon.getInfo();
    assert.equal(info.id, axon.id);
    assert.equal(info.name, 'oo-one');
    assert.deepEqual(info.metadata, { via: 'sdk' });
  });

  test('create with no arguments works', async () => {
    const axon = await sdk.axon.create();
    assert.equal((await axon.getInfo()).id, axon.id);
  });

  test('fromId makes no request and binds to an existing axon', async () => {
    const created = await sdk.axon.create({ name: 'oo-from-id' });
    const bound = sdk.axon.fromId(created.id);
    assert.equal(bound.id, created.id);
    assert.equal((await bound.getInfo()).name, 'oo-from-id');
  });

  test('fromId of an unknown id fails only when used', async () => {
    const ghost = sdk.axon.fromId('axn_no_such_axon');
    await assert.rejects(ghost.getInfo(), NotFoundError);
    await assert.rejects(ghost.publish(event(1)), NotFoundError);
  });

  test('list returns Axon instances for one page with filters', async () => {
    const prefix = `oo-list-${uniqueTag()}-`;
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await sdk.axon.create({ name: `${prefix}${i}` }));
    const listed = await sdk.axon.list({ name: prefix, limit: 2 });
    assert.equal(listed.length, 2);
    assert.ok(listed.every((a) => a instanceof Axon));
    assert.deepEqual(listed.map((a) => a.id), made.slice(0, 2).map((a) => a.id));
  });
});

describe('Axon instance', () => {
  test('publish then subscribeSse replays and continues live', async () => {
    const axon = await sdk.axon.create({ name: 'oo-stream' });
    const first = await axon.publish(event(0));
    const second = await axon.publish(event(1));
    assert.equal(second.sequence, first.sequence + 1);
    const events = await take((signal) => axon.subscribeSse({ after_sequence: 0 }, { signal }), 3, {
      onItem: async (_, i) => {
        if (i === 1) await axon.publish(event(2, { origin: 'USER_EVENT' }));
      },
    });
    assertContiguous(events.map((e) => e.sequence), first.sequence, 3);
    assert.equal(events[2].origin, 'USER_EVENT');
    assert.ok(events.every((e) => e.axon_id === axon.id));
  });

  test('subscribeSse honours after_sequence', async () => {
    const axon = await sdk.axon.create({});
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await axon.publish(event(i)));
    const events = await take((signal) => axon.subscribeSse({ after_sequence: results[1].sequence }, { signal }), 2);
    assert.deepEqual(events.map((e) => e.sequence), results.slice(2).map((r) => r.sequence));
  });

  test('the low-level client sees what the Axon published', async () => {
    const axon = await sdk.axon.create({});
    await axon.publish(event(7));
    const { events } = await sdk.api.axons.events.list(axon.id);
    assert.deepEqual(JSON.parse(events[0].payload), { n: 7 });
  });
});
