// Intents seen by a client that knows nothing of them: every change of an intent is a SYSTEM_EVENT on its axon's
// stream, so the official SDK's `subscribeSse` delivers `intent.created` and `intent.resolved` with the IntentView as
// payload. The intents API itself is reached through the SDK's generic `post` / `get`, as any extension route is.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { take } from '../lib/events.mjs';
import { startServer } from '../lib/server.mjs';

let server;
let client;
before(async () => {
  server = await startServer();
  client = server.client();
});
after(() => server?.stop());

describe('intents on the stream', () => {
  test('an SDK subscriber sees an intent created and resolved, with the view as payload', async () => {
    const { id: axon } = await client.axons.create({});
    const created = await client.post(`/v1/axons/${axon}/intents`, {
      body: { kind: 'refund_approval', waiting_for: 'human', title: 'Refund #42?', payload: { order: 42 } },
    });
    assert.match(created.id, /^int_[a-z2-7]{26}$/);
    assert.equal(created.status, 'waiting');

    const resolved = await client.post(`/v1/intents/${created.id}/resolve`, {
      body: { outcome: 'approved', result: { refund: 'r_1' } },
    });
    assert.equal(resolved.status, 'completed');

    const events = await take((signal) => client.axons.subscribeSse(axon, { after_sequence: 0 }, { signal }), 2);
    assert.deepEqual(events.map((e) => e.event_type), ['intent.created', 'intent.resolved']);
    for (const e of events) {
      assert.equal(e.origin, 'SYSTEM_EVENT');
      assert.equal(e.source, 'myelin');
    }
    assert.deepEqual(JSON.parse(events[0].payload), created);
    assert.deepEqual(JSON.parse(events[1].payload), resolved);
    assert.deepEqual(await client.get(`/v1/intents/${created.id}`), resolved);
  });

  test('a second resolution is a 409 carrying the intent as the first left it', async () => {
    const { id: axon } = await client.axons.create({});
    const { id } = await client.post(`/v1/axons/${axon}/intents`, { body: { kind: 'ci', waiting_for: 'tool' } });
    const first = await client.post(`/v1/intents/${id}/cancel`, { body: { reason: 'superseded' } });
    const res = await server.fetch(`/v1/intents/${id}/resolve`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ outcome: 'completed' }),
    });
    assert.equal(res.status, 409);
    const body = await res.json();
    assert.equal(body.error.type, 'conflict');
    assert.deepEqual(body.intent, first);
  });
});
