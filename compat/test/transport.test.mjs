// The SDK's default transport. On Node, `new Runloop({ baseURL: 'http://...' })` without further
// options speaks cleartext HTTP/2 with prior knowledge (h2c); a self-hosted server on plain
// http:// must accept that for the SDK to work out of the box, and the rest of the suite runs on
// it. HTTP/1.1 (`http2: false`) must work as well.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Runloop } from '@runloop/api-client';

import { event, take } from '../lib/events.mjs';
import { startServer } from '../lib/server.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

describe('transport', () => {
  test('HTTP/1.1 (http2: false) works for requests and SSE', async () => {
    const client = new Runloop({ baseURL: server.baseURL, bearerToken: server.key, http2: false, maxRetries: 0 });
    const { id } = await client.axons.create({});
    const { sequence } = await client.axons.publish(id, event(1));
    const [got] = await take((signal) => client.axons.subscribeSse(id, { after_sequence: 0 }, { signal }), 1);
    assert.equal(got.sequence, sequence);
  });

  test('the SDK default (HTTP/2 cleartext, prior knowledge) works for requests and SSE', async () => {
    const client = new Runloop({ baseURL: server.baseURL, bearerToken: server.key, maxRetries: 0 });
    const { id } = await client.axons.create({});
    const { sequence } = await client.axons.publish(id, event(1));
    const [got] = await take((signal) => client.axons.subscribeSse(id, { after_sequence: 0 }, { signal }), 1);
    assert.equal(got.sequence, sequence);
  });
});
