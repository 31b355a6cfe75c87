// axons.create / retrieve / update / delete through the generated client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { NotFoundError } from '@runloop/api-client';

import { event, uniqueTag } from '../lib/events.mjs';
import { startServer } from '../lib/server.mjs';

let server;
let client;
before(async () => {
  server = await startServer();
  client = server.client();
});
after(() => server?.stop());

describe('axons.create', () => {
  test('returns id, name, metadata and creation time', async () => {
    const before = Date.now();
    const axon = await client.axons.create({ name: 'lifecycle-1', metadata: { team: 'red', env: 'dev' } });
    assert.equal(typeof axon.id, 'string');
    assert.ok(axon.id.length > 0);
    assert.equal(axon.name, 'lifecycle-1');
    assert.deepEqual(axon.metadata, { team: 'red', env: 'dev' });
    assert.equal(typeof axon.created_at_ms, 'number');
    assert.ok(axon.created_at_ms >= before - 5_000 && axon.created_at_ms <= Date.now() + 5_000,
      `created_at_ms ${axon.created_at_ms} is not near now`);
  });

  test('keeps non-ASCII names and metadata verbatim', async () => {
    const name = 'sessión \u2603 \u{1F916}';
    const metadata = { 'clé': 'välue \u{1F680}', 'with space': 'a,b;c=d', 'dotted.key': '"quoted"' };
    const axon = await client.axons.create({ name, metadata });
    assert.equal(axon.name, name);
    assert.deepEqual(axon.metadata, metadata);
    assert.deepEqual(await client.axons.retrieve(axon.id), axon);
  });

  test('works with no body at all', async () => {
    const axon = await client.axons.create();
    assert.ok(axon.id);
    assert.deepEqual(axon.metadata ?? {}, {});
  });

  test('gives distinct ids', async () => {
    const ids = new Set();
    for (let i = 0; i < 5; i++) ids.add((await client.axons.create({})).id);
    assert.equal(ids.size, 5);
  });
});

describe('axons.retrieve', () => {
  test('returns what create returned', async () => {
    const created = await client.axons.create({ name: 'lifecycle-2', metadata: { k: 'v' } });
    const got = await client.axons.retrieve(created.id);
    assert.deepEqual(got, created);
  });
});

describe('axons.update', () => {
  test('replaces metadata wholesale', async () => {
    const { id } = await client.axons.create({ name: 'upd-1', metadata: { a: '1', b: '2' } });
    const updated = await client.axons.update(id, { metadata: { c: '3' } });
    assert.deepEqual(updated.metadata, { c: '3' });
    assert.equal(updated.name, 'upd-1');
    assert.deepEqual((await client.axons.retrieve(id)).metadata, { c: '3' });
  });

  test('null metadata leaves it unchanged', async () => {
    const { id } = await client.axons.create({ metadata: { a: '1' } });
    const updated = await client.axons.update(id, { metadata: null });
    assert.deepEqual(updated.metadata, { a: '1' });
    assert.deepEqual((await client.axons.retrieve(id)).metadata, { a: '1' });
  });

  test('omitted metadata leaves it unchanged', async () => {
    const { id } = await client.axons.create({ metadata: { a: '1' } });
    assert.deepEqual((await client.axons.update(id, {})).metadata, { a: '1' });
    assert.deepEqual((await client.axons.update(id)).metadata, { a: '1' });
  });

  test('empty metadata map clears it', async () => {
    const { id } = await client.axons.create({ metadata: { a: '1' } });
    assert.deepEqual((await client.axons.update(id, { metadata: {} })).metadata, {});
    assert.deepEqual((await client.axons.retrieve(id)).metadata, {});
  });

  test('does not change id, name or creation time', async () => {
    const created = await client.axons.create({ name: 'upd-keep', metadata: { a: '1' } });
    const updated = await client.axons.update(created.id, { metadata: { b: '2' } });
    assert.equal(updated.id, created.id);
    assert.equal(updated.name, created.name);
    assert.equal(updated.created_at_ms, created.created_at_ms);
  });
});

describe('axons.delete', () => {
  test('afterwards retrieve, publish, events and subscribe answer 404 and list omits it', async () => {
    const name = `doomed-${uniqueTag()}`;
    const { id } = await client.axons.create({ name });
    await client.axons.publish(id, event(1));
    await client.axons.delete(id);

    await assert.rejects(client.axons.retrieve(id), NotFoundError);
    await assert.rejects(client.axons.update(id, { metadata: { a: 'b' } }), NotFoundError);
    await assert.rejects(client.axons.publish(id, event(2)), NotFoundError);
    await assert.rejects(client.axons.events.list(id), NotFoundError);
    await assert.rejects(
      (async () => {
        const stream = await client.axons.subscribeSse(id, { after_sequence: 0 });
        for await (const _ of stream) break;
      })(),
      NotFoundError,
    );

    const listed = await client.axons.list({ name });
    assert.deepEqual(listed.axons.map((a) => a.id), []);
    const byId = await client.axons.list({ id });
    assert.deepEqual(byId.axons, []);
  });

  test('of an unknown id answers 404', async () => {
    await assert.rejects(client.axons.delete('axn_does_not_exist'), NotFoundError);
  });

  test('leaves other axons alone', async () => {
    const keep = await client.axons.create({ name: 'survivor' });
    const drop = await client.axons.create({ name: 'survivor-not' });
    await client.axons.delete(drop.id);
    assert.deepEqual(await client.axons.retrieve(keep.id), keep);
  });
});
