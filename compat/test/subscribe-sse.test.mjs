// axons.subscribeSse: replay, live delivery, and the SDK's reconnect on the server's idle 408.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { APIError, NotFoundError } from '@runloop/api-client';

import { assertContiguous, event, publishMany, recordingFetch, take, until } from '../lib/events.mjs';
import { SSE_HEARTBEAT_MS, SSE_IDLE_TIMEOUT_MS, startServer } from '../lib/server.mjs';

let server;
let client;
before(async () => {
  server = await startServer();
  client = server.client();
});
after(() => server?.stop());

const subscribeUrls = (urls) => urls.filter((u) => u.includes('/subscribe/sse'));
const afterSequenceOf = (url) => new URL(url).searchParams.get('after_sequence');

describe('axons.subscribeSse replay', () => {
  test('after_sequence=0 replays everything, then continues live', async () => {
    const { id } = await client.axons.create({});
    const published = await publishMany(client, id, 3);
    const events = await take((signal) => client.axons.subscribeSse(id, { after_sequence: 0 }, { signal }), 5, {
      onItem: async (_, i) => {
        if (i === 2) await publishMany(client, id, 2, 3);
      },
    });
    assertContiguous(events.map((e) => e.sequence), published[0], 5);
    assert.deepEqual(events.map((e) => JSON.parse(e.payload).n), [0, 1, 2, 3, 4]);
    for (const e of events) {
      assert.equal(e.axon_id, id);
      assert.equal(e.event_type, 'compat.test');
      assert.equal(e.origin, 'AGENT_EVENT');
      assert.equal(e.source, 'compat');
      assert.equal(typeof e.timestamp_ms, 'number');
    }
  });

  test('after_sequence=N starts strictly after N', async () => {
    const { id } = await client.axons.create({});
    const published = await publishMany(client, id, 6);
    const events = await take((signal) => client.axons.subscribeSse(id, { after_sequence: published[3] }, { signal }), 2);
    assert.deepEqual(events.map((e) => e.sequence), published.slice(4));
  });

  test('without after_sequence it replays from the beginning', async () => {
    const { id } = await client.axons.create({});
    const published = await publishMany(client, id, 3);
    const events = await take((signal) => client.axons.subscribeSse(id, undefined, { signal }), 3);
    assert.deepEqual(events.map((e) => e.sequence), published);
  });

  test('replayed events equal the stored history', async () => {
    const { id } = await client.axons.create({});
    await publishMany(client, id, 4);
    const streamed = await take((signal) => client.axons.subscribeSse(id, { after_sequence: 0 }, { signal }), 4);
    const { events: stored } = await client.axons.events.list(id);
    assert.deepEqual(streamed, [...stored].reverse());
  });

  test('every subscriber of an axon sees the same events in the same order', async () => {
    const { id } = await client.axons.create({});
    // Each reader has seen the first event before the other nine are published, so those reach all three live.
    const seenFirst = [];
    const readers = Array.from({ length: 3 }, () => {
      let first;
      seenFirst.push(new Promise((resolve) => { first = resolve; }));
      return take((signal) => client.axons.subscribeSse(id, { after_sequence: 0 }, { signal }), 10,
        { onItem: (_, i) => { if (i === 0) first(); } });
    });
    await client.axons.publish(id, event(0));
    await Promise.all(seenFirst);
    await Promise.all(Array.from({ length: 9 }, (_, i) => client.axons.publish(id, event(i + 1))));
    const [first, ...others] = await Promise.all(readers);
    assertContiguous(first.map((e) => e.sequence), first[0].sequence, 10);
    for (const other of others) assert.deepEqual(other, first);
  });
});

describe('axons.subscribeSse and deletion', () => {
  test('deleting an axon ends its open streams with an SSE error 404, which the SDK does not retry', async () => {
    const recorder = recordingFetch();
    const watcher = server.client({ fetch: recorder.fetch });
    const { id } = await client.axons.create({});
    const [published] = await publishMany(client, id, 1);
    const seen = [];
    let failure;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 10_000);
    try {
      const stream = await watcher.axons.subscribeSse(id, { after_sequence: 0 }, { signal: ac.signal });
      for await (const e of stream) {
        seen.push(e.sequence);
        if (seen.length === 1) await client.axons.delete(id);
      }
    } catch (err) {
      failure = err;
    } finally {
      clearTimeout(timer);
    }
    assert.deepEqual(seen, [published]);
    assert.ok(failure instanceof APIError, `expected the stream to fail with an APIError, got ${failure}`);
    assert.equal(failure.status, 404);
    assert.equal(subscribeUrls(recorder.urls).length, 1, 'a 404 must not trigger the reconnect loop');
    await assert.rejects(client.axons.subscribeSse(id, { after_sequence: 0 }), NotFoundError);
  });
});

// The three cases each wait out an idle timeout: run them side by side.
describe('axons.subscribeSse reconnect after the idle timeout (408)', { concurrency: true }, () => {
  const reconnected = (recorder) => until(() => subscribeUrls(recorder.urls).length >= 2,
    `the SDK to reopen the stream after the ${SSE_IDLE_TIMEOUT_MS} ms idle timeout`);

  test('reconnects with after_sequence and receives later events with no gap or duplicate', async () => {
    const recorder = recordingFetch();
    const watcher = server.client({ fetch: recorder.fetch });
    const { id } = await client.axons.create({});
    const reader = take((signal) => watcher.axons.subscribeSse(id, { after_sequence: 0 }, { signal }), 5,
      { timeoutMs: 20_000 });
    reader.catch(() => {}); // a failed assertion below must not leave an unhandled rejection
    const firstThree = await publishMany(client, id, 3);
    // Stay quiet past the idle timeout: the server ends the stream with an SSE error 408
    // and the SDK must reconnect by itself from the last sequence it saw.
    await reconnected(recorder);
    const opened = subscribeUrls(recorder.urls);
    assert.ok(opened.length >= 2, `expected a reconnect, saw ${opened.length} subscribe request(s)`);
    assert.equal(afterSequenceOf(opened[1]), String(firstThree[2]));
    const lastTwo = await publishMany(client, id, 2, 3);
    const events = await reader;
    assertContiguous(events.map((e) => e.sequence), firstThree[0], 5);
    assert.equal(events.at(-1).sequence, lastTwo[1]);
  });

  test('events published while the client is between streams are not lost', async () => {
    const recorder = recordingFetch();
    const watcher = server.client({ fetch: recorder.fetch });
    const { id } = await client.axons.create({});
    const published = await publishMany(client, id, 2);
    const events = await take((signal) => watcher.axons.subscribeSse(id, { after_sequence: 0 }, { signal }), 4, {
      timeoutMs: 20_000,
      // Holding the reader here lets the idle error arrive unread; the two events below are
      // appended after the server closed the stream and before the SDK reconnects.
      onItem: async (_, i) => {
        if (i === 1) {
          await until(() => recorder.bodies[0].includes('event: error'),
            `the server to end the idle stream after ${SSE_IDLE_TIMEOUT_MS} ms`);
          await publishMany(client, id, 2, 2);
        }
      },
    });
    assertContiguous(events.map((e) => e.sequence), published[0], 4);
    assert.ok(subscribeUrls(recorder.urls).length >= 2, 'the stream should have been reopened');
  });

  test('an idle stream that saw no event reconnects from the original after_sequence', async () => {
    const recorder = recordingFetch();
    const watcher = server.client({ fetch: recorder.fetch });
    const { id } = await client.axons.create({});
    const published = await publishMany(client, id, 3);
    const reader = take((signal) => watcher.axons.subscribeSse(id, { after_sequence: published[2] }, { signal }), 1,
      { timeoutMs: 20_000 });
    reader.catch(() => {}); // a failed assertion below must not leave an unhandled rejection
    await reconnected(recorder);
    const opened = subscribeUrls(recorder.urls);
    assert.ok(opened.length >= 2, `expected a reconnect, saw ${opened.length} subscribe request(s)`);
    for (const url of opened) assert.equal(afterSequenceOf(url), String(published[2]));
    const [next] = await publishMany(client, id, 1, 3);
    const events = await reader;
    assert.deepEqual(events.map((e) => e.sequence), [next]);
  });
});

describe('SSE wire format', () => {
  /** Reads raw SSE text from an open response until `done(text)` or the timeout. */
  async function readUntil(res, done, timeoutMs = 10_000) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + timeoutMs;
    try {
      while (!done(text)) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        let timer;
        const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve({ timeout: true }), left); });
        const chunk = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
        if (chunk.timeout || chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
    return text;
  }

  const frames = (text) => text.split('\n\n').filter((f) => f.trim() !== '');
  const dataFrames = (text) => frames(text).filter((f) => f.split('\n').some((l) => l.startsWith('data:')));
  const field = (frame, name) => frame.split('\n').find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim();

  test('each event carries id: <sequence> and its JSON view as data', async () => {
    const { id } = await client.axons.create({});
    const published = await publishMany(client, id, 2);
    const res = await server.fetch(`/v1/axons/${id}/subscribe/sse?after_sequence=0`, { headers: { Accept: 'text/event-stream' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/event-stream/);
    const text = await readUntil(res, (t) => dataFrames(t).length >= 2);
    const got = dataFrames(text).slice(0, 2);
    assert.deepEqual(got.map((f) => Number(field(f, 'id'))), published);
    const view = JSON.parse(field(got[0], 'data'));
    assert.deepEqual(Object.keys(view).sort(),
      ['axon_id', 'event_type', 'origin', 'payload', 'sequence', 'source', 'timestamp_ms']);
    assert.equal(view.sequence, published[0]);
  });

  test('Last-Event-ID resumes after that sequence', async () => {
    const { id } = await client.axons.create({});
    const published = await publishMany(client, id, 4);
    const res = await server.fetch(`/v1/axons/${id}/subscribe/sse`, {
      headers: { Accept: 'text/event-stream', 'Last-Event-ID': String(published[1]) },
    });
    const text = await readUntil(res, (t) => dataFrames(t).length >= 2);
    assert.deepEqual(dataFrames(text).slice(0, 2).map((f) => Number(field(f, 'id'))), published.slice(2));
  });

  test('heartbeats are comment lines and do not keep an idle stream alive', async () => {
    const { id } = await client.axons.create({});
    const res = await server.fetch(`/v1/axons/${id}/subscribe/sse?after_sequence=0`);
    const text = await readUntil(res, (t) => /event: ?error/.test(t), SSE_IDLE_TIMEOUT_MS + 5_000);
    const pings = text.split('\n').filter((l) => l.startsWith(':'));
    assert.ok(pings.length >= Math.floor(SSE_IDLE_TIMEOUT_MS / SSE_HEARTBEAT_MS) - 2,
      `expected heartbeats every ${SSE_HEARTBEAT_MS} ms, saw ${pings.length} in ${JSON.stringify(text)}`);
    assert.match(text, /event: ?error/, 'heartbeats must not reset the idle timeout');
  });

  test('with both after_sequence and Last-Event-ID the later position wins', async () => {
    const { id } = await client.axons.create({});
    const published = await publishMany(client, id, 5);
    for (const [query, header, firstExpected] of [
      [published[0], published[2], published[3]],
      [published[2], published[0], published[3]],
    ]) {
      const res = await server.fetch(`/v1/axons/${id}/subscribe/sse?after_sequence=${query}`, {
        headers: { Accept: 'text/event-stream', 'Last-Event-ID': String(header) },
      });
      const text = await readUntil(res, (t) => dataFrames(t).length >= 1);
      assert.equal(Number(field(dataFrames(text)[0], 'id')), firstExpected);
    }
  });

  test('an idle stream ends with event: error carrying code 408', async () => {
    const { id } = await client.axons.create({});
    const started = Date.now();
    const res = await server.fetch(`/v1/axons/${id}/subscribe/sse?after_sequence=0`);
    const text = await readUntil(res, (t) => /event: ?error/.test(t), SSE_IDLE_TIMEOUT_MS + 5_000);
    const errorFrame = frames(text).find((f) => /^event: ?error$/m.test(f));
    assert.ok(errorFrame, `no error event in: ${JSON.stringify(text)}`);
    assert.equal(JSON.parse(field(errorFrame, 'data')).code, 408);
    assert.ok(Date.now() - started >= SSE_IDLE_TIMEOUT_MS - 200, 'closed before the idle timeout');
  });
});
