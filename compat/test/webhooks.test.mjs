// Webhooks verified by the Standard Webhooks specification's own reference library (`standardwebhooks` on npm):
// a real node http receiver on loopback fails the first attempt of every message, and checks every request it
// gets with `new Webhook(secret).verify(body, headers)`, as a receiver in production would.
//
// The suite's servers allow private targets (the receiver is on loopback) and retry after 50 ms (lib/server.mjs).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { Webhook } from 'standardwebhooks';

import { startServer } from '../lib/server.mjs';

let server;
let client;
let receiver;
/** Every request received: {id, headers, body, verified}. */
const received = [];
let secret = null;

before(async () => {
  server = await startServer();
  client = server.client();
  const attempts = new Map();
  receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified;
      try {
        verified = new Webhook(secret).verify(body, req.headers);
      } catch (e) {
        verified = e;
      }
      const id = req.headers['webhook-id'];
      received.push({ id, headers: req.headers, body, verified });
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      res.writeHead(n === 1 ? 503 : 204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
});

after(async () => {
  await new Promise((r) => receiver?.close(r));
  await server?.stop();
});

async function json(path, init) {
  const res = await server.fetch(path, init);
  return { status: res.status, body: await res.json() };
}

/** Polls the webhook's deliveries until `n` are delivered (the deadline only bounds a failure). */
async function awaitDelivered(webhookId, n) {
  const deadline = Date.now() + 60_000;
  let last;
  while (Date.now() < deadline) {
    last = await json(`/v1/webhooks/${webhookId}/deliveries?status=delivered&limit=1000`);
    if (last.body.deliveries.length >= n) return last.body.deliveries;
    await sleep(20);
  }
  throw new Error(`not ${n} delivered within 60 s; last: ${JSON.stringify(last)}`);
}

describe('webhooks', () => {
  test('every delivery verifies with the standardwebhooks library, once per change and in order', async () => {
    const axon = await client.axons.create({ name: 'webhooks' });
    const created = await json('/v1/webhooks', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${receiver.address().port}/hook`, event_types: ['order.*'],
        axon_id: axon.id }),
    });
    assert.equal(created.status, 201);
    secret = created.body.secret;
    assert.match(secret, /^whsec_/);

    const payloads = [{ n: 1 }, { n: 2, text: 'héllo ☃' }, 'not json', { n: 4, nested: { deep: [1, 2, 3] } }];
    for (const p of payloads) {
      await client.axons.publish(axon.id, { event_type: 'order.updated', origin: 'USER_EVENT', source: 'compat',
        payload: typeof p === 'string' ? p : JSON.stringify(p) });
      await client.axons.publish(axon.id, { event_type: 'note', origin: 'USER_EVENT', source: 'compat', payload: '{}' });
    }
    const deliveries = await awaitDelivered(created.body.id, payloads.length);

    for (const r of received) {
      assert.ok(!(r.verified instanceof Error), `verification failed: ${r.verified}`);
      assert.equal(r.verified.type, 'order.updated');
    }
    // Each delivery was attempted twice (503, then 204) under one webhook-id; de-duplicated, the changes arrive
    // exactly once and in order.
    assert.equal(received.length, payloads.length * 2);
    const seen = [];
    for (const r of received) {
      if (!seen.includes(r.id)) seen.push(r.id);
    }
    assert.deepEqual(seen, deliveries.map((d) => d.id));
    const bodies = seen.map((id) => JSON.parse(received.find((r) => r.id === id).body));
    assert.deepEqual(bodies.map((b) => b.data.sequence), [1, 3, 5, 7]);
    assert.deepEqual(bodies.map((b) => b.data.payload), payloads);
    for (const b of bodies) {
      assert.equal(b.data.axon_id, axon.id);
      assert.equal(b.data.origin, 'USER_EVENT');
      assert.equal(new Date(b.timestamp).getTime(), b.data.timestamp_ms);
    }

    // A tampered body, or another secret, does not verify: the library really checks.
    const one = received[0];
    assert.throws(() => new Webhook(secret).verify(one.body.replace('order', 'odder'), one.headers));
    assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(one.body, one.headers));
  });
});
