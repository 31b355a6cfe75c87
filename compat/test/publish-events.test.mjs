// axons.publish and axons.events.list: sequencing, idempotency, newest-first history paging.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { event, publishMany } from '../lib/events.mjs';
import { startServer } from '../lib/server.mjs';

let server;
let client;
before(async () => {
  server = await startServer();
  client = server.client();
});
after(() => server?.stop());

describe('axons.publish', () => {
  test('assigns increasing sequences and a timestamp', async () => {
    const { id } = await client.axons.create({});
    const t0 = Date.now();
    const first = await client.axons.publish(id, event(1));
    const second = await client.axons.publish(id, event(2));
    assert.equal(typeof first.sequence, 'number');
    assert.equal(second.sequence, first.sequence + 1);
    assert.ok(Math.abs(first.timestamp_ms - t0) < 5_000, `timestamp_ms ${first.timestamp_ms} is not near now`);
    assert.ok(second.timestamp_ms >= first.timestamp_ms);
  });

  test('sequences are per axon', async () => {
    const a = await client.axons.create({});
    const b = await client.axons.create({});
    const [a1] = await publishMany(client, a.id, 3);
    const [b1] = await publishMany(client, b.id, 1);
    assert.equal(a1, b1, 'each axon starts its own sequence');
  });

  test('accepts every client origin and keeps fields verbatim', async () => {
    const { id } = await client.axons.create({});
    const payload = JSON.stringify({ text: 'héllo \u2603 "quoted"\nnewline', n: [1, 2, 3] });
    for (const origin of ['EXTERNAL_EVENT', 'AGENT_EVENT', 'USER_EVENT']) {
      await client.axons.publish(id, { event_type: `t.${origin}`, origin, source: 'src/' + origin, payload });
    }
    const { events } = await client.axons.events.list(id);
    assert.deepEqual(events.map((e) => e.origin), ['USER_EVENT', 'AGENT_EVENT', 'EXTERNAL_EVENT']);
    for (const e of events) {
      assert.equal(e.axon_id, id);
      assert.equal(e.payload, payload);
      assert.equal(e.event_type, `t.${e.origin}`);
      assert.equal(e.source, 'src/' + e.origin);
      assert.equal(typeof e.timestamp_ms, 'number');
    }
  });

  test('a payload need not be JSON', async () => {
    const { id } = await client.axons.create({});
    await client.axons.publish(id, event(0, { payload: 'plain text, not json' }));
    const { events } = await client.axons.events.list(id);
    assert.equal(events[0].payload, 'plain text, not json');
  });

  test('accepts a payload at the 1 MiB limit', async () => {
    const { id } = await client.axons.create({});
    const payload = 'x'.repeat(1024 * 1024);
    const { sequence } = await client.axons.publish(id, event(0, { payload }));
    const { events } = await client.axons.events.list(id, { limit: 1 });
    assert.equal(events[0].sequence, sequence);
    assert.equal(events[0].payload.length, payload.length);
  });

  test('a repeated Idempotency-Key returns the first result and appends nothing', async () => {
    const { id } = await client.axons.create({});
    const headers = { 'Idempotency-Key': 'compat-key-1' };
    const first = await client.axons.publish(id, event(1), { headers });
    const again = await client.axons.publish(id, event(1), { headers });
    assert.deepEqual(again, first);
    const other = await client.axons.publish(id, event(2), { headers: { 'Idempotency-Key': 'compat-key-2' } });
    assert.equal(other.sequence, first.sequence + 1);
    const { events, total_count } = await client.axons.events.list(id, { include_total_count: true });
    assert.equal(total_count, 2);
    assert.deepEqual(events.map((e) => e.sequence), [other.sequence, first.sequence]);
  });

  test("a retried request (the SDK's x-request-id, set by idempotencyKey) is not appended twice", async () => {
    const { id } = await client.axons.create({});
    const first = await client.axons.publish(id, event(1), { idempotencyKey: 'compat-retry-1' });
    const retried = await client.axons.publish(id, event(1), { idempotencyKey: 'compat-retry-1' });
    assert.deepEqual(retried, first);
    const { total_count } = await client.axons.events.list(id, { include_total_count: true });
    assert.equal(total_count, 1);
  });

  test('the same Idempotency-Key on another axon is independent', async () => {
    const a = await client.axons.create({});
    const b = await client.axons.create({});
    const headers = { 'Idempotency-Key': 'shared-key' };
    await client.axons.publish(a.id, event(1), { headers });
    await client.axons.publish(b.id, event(1), { headers });
    const { total_count } = await client.axons.events.list(b.id, { include_total_count: true });
    assert.equal(total_count, 1);
  });

  test('concurrent publishes get distinct contiguous sequences', async () => {
    const { id } = await client.axons.create({});
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.axons.publish(id, event(i))));
    const sorted = results.map((r) => r.sequence).sort((x, y) => x - y);
    assert.deepEqual(sorted, Array.from({ length: 20 }, (_, i) => sorted[0] + i));
  });
});

describe('axons.events.list', () => {
  let axonId;
  let sequences;
  before(async () => {
    axonId = (await client.axons.create({ name: 'history' })).id;
    sequences = await publishMany(client, axonId, 7);
  });

  test('is newest first with default limit', async () => {
    const page = await client.axons.events.list(axonId);
    assert.deepEqual(page.events.map((e) => e.sequence), [...sequences].reverse());
    assert.equal(page.has_more, false);
    assert.deepEqual(JSON.parse(page.events[0].payload), { n: 6 });
  });

  test('pages backwards with starting_after as a sequence cursor', async () => {
    const seen = [];
    let cursor;
    let pagesRead = 0;
    for (;;) {
      const page = await client.axons.events.list(axonId, {
        limit: 3,
        ...(cursor === undefined ? {} : { starting_after: String(cursor) }),
      });
      pagesRead++;
      seen.push(...page.events.map((e) => e.sequence));
      if (!page.has_more) break;
      cursor = page.events.at(-1).sequence;
      assert.ok(pagesRead < 10, 'pagination does not terminate');
    }
    assert.equal(pagesRead, 3);
    assert.deepEqual(seen, [...sequences].reverse());
  });

  test('starting_after excludes the cursor itself', async () => {
    const page = await client.axons.events.list(axonId, { starting_after: String(sequences[3]) });
    assert.deepEqual(page.events.map((e) => e.sequence), sequences.slice(0, 3).reverse());
  });

  test('include_total_count counts all events of the axon', async () => {
    const page = await client.axons.events.list(axonId, { limit: 1, include_total_count: true });
    assert.equal(page.events.length, 1);
    assert.equal(page.has_more, true);
    assert.equal(page.total_count, 7);
  });

  test('default page size is 20', async () => {
    const { id } = await client.axons.create({});
    const sequences = await publishMany(client, id, 23);
    const page = await client.axons.events.list(id);
    assert.equal(page.events.length, 20);
    assert.equal(page.has_more, true);
    assert.equal(page.events[0].sequence, sequences.at(-1));
  });

  test('an axon without events has an empty history', async () => {
    const { id } = await client.axons.create({});
    const page = await client.axons.events.list(id, { include_total_count: true });
    assert.deepEqual(page.events, []);
    assert.equal(page.has_more, false);
    assert.equal(page.total_count, 0);
  });
});
