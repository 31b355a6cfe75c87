// Error statuses as the SDK surfaces them, and the error body shape behind them.
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, test } from 'node:test';

import {
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
} from '@runloop/api-client';

import { event } from '../lib/events.mjs';
import { startServer } from '../lib/server.mjs';

let server;
let client;
before(async () => {
  server = await startServer();
  client = server.client();
});
after(() => server?.stop());

/** Asserts the `{"error": {"type", "message", ...}}` body every error response carries. */
function assertErrorBody(err, status) {
  assert.ok(err instanceof APIError, `expected an APIError, got ${err}`);
  assert.equal(err.status, status);
  const body = err.error?.error;
  assert.ok(body, `error body lacks "error": ${JSON.stringify(err.error)}`);
  assert.equal(typeof body.type, 'string');
  assert.equal(typeof body.message, 'string');
  assert.ok(body.message.length > 0);
  return body;
}

/** Validation failures answer 400, which the SDK raises as BadRequestError. */
const isValidationError = (err) => err instanceof BadRequestError;

async function rejectsWith(promise, check) {
  let caught;
  await assert.rejects(promise, (err) => {
    caught = err;
    return true;
  });
  assert.ok(check(caught), `unexpected error ${caught?.constructor?.name}: ${caught?.message}`);
  return caught;
}

describe('authentication', () => {
  test('a wrong key raises AuthenticationError', async () => {
    const stranger = server.client({ bearerToken: 'not-the-key' });
    const err = await rejectsWith(stranger.axons.list(), (e) => e instanceof AuthenticationError);
    assertErrorBody(err, 401);
  });

  test('every axon route needs the key', async () => {
    const stranger = server.client({ bearerToken: 'not-the-key' });
    const { id } = await client.axons.create({});
    for (const call of [
      () => stranger.axons.create({}),
      () => stranger.axons.retrieve(id),
      () => stranger.axons.update(id, { metadata: {} }),
      () => stranger.axons.delete(id),
      () => stranger.axons.publish(id, event(1)),
      () => stranger.axons.events.list(id),
    ]) {
      await assert.rejects(call(), AuthenticationError);
    }
  });

  test('no Authorization header answers 401 but /healthz stays open', async () => {
    assert.equal((await fetch(`${server.baseURL}/v1/axons`)).status, 401);
    assert.equal((await fetch(`${server.baseURL}/healthz`)).status, 200);
  });
});

describe('not found', () => {
  test('unknown axon ids raise NotFoundError on every method', async () => {
    const missing = 'axn_missing_0000';
    for (const call of [
      () => client.axons.retrieve(missing),
      () => client.axons.update(missing, { metadata: {} }),
      () => client.axons.publish(missing, event(1)),
      () => client.axons.events.list(missing),
    ]) {
      const err = await rejectsWith(call(), (e) => e instanceof NotFoundError);
      assertErrorBody(err, 404);
    }
  });

  test('an unknown route answers 404 with a JSON error body', async () => {
    const res = await server.fetch('/v1/nothing-here');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(typeof (await res.json()).error?.message, 'string');
  });

  test('a wrong method answers 405', async () => {
    const res = await server.fetch('/v1/axons', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 405);
  });
});

describe('validation', () => {
  let axonId;
  before(async () => {
    axonId = (await client.axons.create({})).id;
  });

  test('SYSTEM_EVENT origin is reserved to the server', async () => {
    const err = await rejectsWith(client.axons.publish(axonId, event(1, { origin: 'SYSTEM_EVENT' })),
      (e) => e instanceof BadRequestError);
    assertErrorBody(err, 400);
  });

  test('an unknown origin is rejected', async () => {
    await rejectsWith(client.axons.publish(axonId, event(1, { origin: 'MARTIAN_EVENT' })), isValidationError);
  });

  test('missing required publish fields are rejected and name the field', async () => {
    for (const missing of ['event_type', 'origin', 'payload', 'source']) {
      const body = event(1);
      delete body[missing];
      const err = await rejectsWith(client.axons.publish(axonId, body), isValidationError);
      const detail = assertErrorBody(err, 400);
      assert.equal(detail.field, missing);
    }
  });

  test('a non-string payload is rejected', async () => {
    await rejectsWith(client.axons.publish(axonId, event(1, { payload: { not: 'a string' } })), isValidationError);
  });

  test('event_type and source longer than 256 characters are rejected', async () => {
    await rejectsWith(client.axons.publish(axonId, event(1, { event_type: 'e'.repeat(257) })), isValidationError);
    await rejectsWith(client.axons.publish(axonId, event(1, { source: 's'.repeat(257) })), isValidationError);
    // exactly at the limit is fine
    await client.axons.publish(axonId, event(1, { event_type: 'e'.repeat(256), source: 's'.repeat(256) }));
  });

  test('a payload over 1 MiB answers 413 naming the field', async () => {
    const err = await rejectsWith(client.axons.publish(axonId, event(1, { payload: 'x'.repeat(1024 * 1024 + 1) })),
      (e) => e instanceof APIError && e.status === 413);
    assert.equal(assertErrorBody(err, 413).field, 'payload');
  });

  test('a body over 2 MiB answers 413', async () => {
    // The server answers before the upload ends and closes the connection; a private
    // non-pooled agent keeps that half-written socket away from the other tests' requests.
    const oneShot = server.client({ httpAgent: new Agent({ keepAlive: false }) });
    const err = await rejectsWith(oneShot.axons.publish(axonId, event(1, { payload: 'x'.repeat(3 * 1024 * 1024) })),
      (e) => e instanceof APIError && e.status === 413);
    assertErrorBody(err, 413);
  });

  test('nothing rejected was appended', async () => {
    const { id } = await client.axons.create({});
    await assert.rejects(client.axons.publish(id, event(1, { origin: 'SYSTEM_EVENT' })));
    await assert.rejects(client.axons.publish(id, event(1, { event_type: 'e'.repeat(300) })));
    const { total_count } = await client.axons.events.list(id, { include_total_count: true });
    assert.equal(total_count, 0);
  });

  test('axon name longer than 256 characters is rejected', async () => {
    await rejectsWith(client.axons.create({ name: 'n'.repeat(257) }), isValidationError);
  });

  test('more than 64 metadata keys, or over-long keys or values, are rejected', async () => {
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    await rejectsWith(client.axons.create({ metadata: many }), isValidationError);
    await rejectsWith(client.axons.create({ metadata: { ['k'.repeat(257)]: 'v' } }), isValidationError);
    await rejectsWith(client.axons.create({ metadata: { k: 'v'.repeat(257) } }), isValidationError);
    const { id } = await client.axons.create({});
    await rejectsWith(client.axons.update(id, { metadata: many }), isValidationError);
    const sixtyFour = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, 'v']));
    assert.equal(Object.keys((await client.axons.create({ metadata: sixtyFour })).metadata).length, 64);
  });

  test('malformed JSON answers 400', async () => {
    const res = await server.fetch('/v1/axons', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":' });
    assert.equal(res.status, 400);
    assert.equal(typeof (await res.json()).error?.type, 'string');
  });

  test('a non-JSON content type answers 415', async () => {
    const res = await server.fetch('/v1/axons', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
    assert.equal(res.status, 415);
  });

  test('list limits outside 1..5000 are rejected naming the field', async () => {
    for (const limit of [0, -1, 5001]) {
      const err = await rejectsWith(client.axons.list({ limit }), isValidationError);
      assert.equal(assertErrorBody(err, 400).field, 'limit');
    }
    await rejectsWith(client.axons.events.list(axonId, { limit: 'many' }), isValidationError);
    await rejectsWith(client.axons.events.list(axonId, { limit: 5001 }), isValidationError);
  });

  test('a non-numeric sequence cursor is rejected', async () => {
    const err = await rejectsWith(client.axons.events.list(axonId, { starting_after: 'abc' }), isValidationError);
    assert.equal(assertErrorBody(err, 400).field, 'starting_after');
  });
});
