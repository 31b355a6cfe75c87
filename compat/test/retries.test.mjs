// The SDK's own retries (timeout, then the same x-request-id again) must apply a write once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { until } from '../lib/events.mjs';
import { startServer } from '../lib/server.mjs';

let server;
let client;
before(async () => {
  server = await startServer();
  client = server.client();
});
after(() => server?.stop());

const SPIN = 'WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r';

async function sqlPending() {
  const text = await (await server.fetch('/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith('myelin_sql_pending '));
  return Number(line.split(' ')[1]);
}

describe('SDK retries', () => {
  test('a SQL batch that times out and is retried by the SDK is applied once', async () => {
    const axon = await client.axons.create({ name: 'sdk-retry' });
    await client.axons.sql.query(axon.id, { sql: 'CREATE TABLE ledger (amount INTEGER)' });
    // Another request holds the axon's SQL lane until the statement time limit stops it (5 s by default).
    const hold = client.axons.sql.query(axon.id, { sql: SPIN }).catch((e) => e);
    await until(async () => (await sqlPending()) >= 1, 'the lane to be busy');

    // Each attempt gives up after 1 s; the SDK retries with the same x-request-id until one gets an answer.
    const result = await client.axons.sql.batch(
      axon.id,
      { statements: [{ sql: 'INSERT INTO ledger VALUES (?)', params: [100] }, { sql: 'SELECT count(*) FROM ledger' }] },
      { timeout: 1000, maxRetries: 8 },
    );
    assert.equal(result.results[1].success.rows[0][0], 1);
    await hold;
    const count = await client.axons.sql.query(axon.id, { sql: 'SELECT count(*) FROM ledger' });
    assert.equal(count.rows[0][0], 1, 'the ledger holds one row for one call');
  });

  test('a publish retried with the same x-request-id appends once', async () => {
    const axon = await client.axons.create({ name: 'sdk-retry-publish' });
    const event = { event_type: 'paid', origin: 'USER_EVENT', source: 'sdk', payload: '{"amount":1}' };
    const first = await client.axons.publish(axon.id, event, { idempotencyKey: 'order-7' });
    const again = await client.axons.publish(axon.id, event, { idempotencyKey: 'order-7' });
    assert.equal(again.sequence, first.sequence);
    const page = await client.axons.events.list(axon.id, { limit: 10 });
    assert.equal(page.events.length, 1);
  });
});
