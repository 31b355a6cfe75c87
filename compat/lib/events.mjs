// Small helpers shared by the publish / subscribe tests.
import assert from 'node:assert/strict';

/** A valid publish body; `n` makes payloads distinguishable. */
export function event(n, overrides = {}) {
  return {
    event_type: 'compat.test',
    origin: 'AGENT_EVENT',
    source: 'compat',
    payload: JSON.stringify({ n }),
    ...overrides,
  };
}

/** Publishes `count` events one after another and returns their sequences. */
export async function publishMany(client, axonId, count, from = 0) {
  const sequences = [];
  for (let i = 0; i < count; i++) {
    const { sequence } = await client.axons.publish(axonId, event(from + i));
    sequences.push(sequence);
  }
  return sequences;
}

/**
 * Reads `count` items from a stream opened by `open(signal)`, then stops reading (which makes
 * the SDK abort the request). An abort signal bounds the wait, because a missing event would
 * otherwise hang the test until the runner's own timeout.
 * `onItem(item, index)` runs for each item as it arrives (e.g. to publish more mid-stream).
 */
export async function take(open, count, { timeoutMs = 15_000, onItem } = {}) {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const items = [];
  try {
    const stream = await open(ac.signal);
    for await (const item of stream) {
      items.push(item);
      if (onItem) await onItem(item, items.length - 1);
      if (items.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
  }
  assert.equal(items.length, count, `stream delivered ${items.length} of ${count} items within ${timeoutMs} ms`);
  return items;
}

/** Asserts that `sequences` is exactly `first, first+1, ..., first+count-1`: no gap, no duplicate. */
export function assertContiguous(sequences, first, count) {
  assert.deepEqual(sequences, Array.from({ length: count }, (_, i) => first + i));
}

/**
 * A `fetch` that records what the SDK requests and receives, to observe reconnects from the outside.
 * `urls` are the requested URLs in order; `bodies[i]` is the text received so far on request `i`. The response body
 * is read eagerly into a queue the SDK then drains, so a frame the server sent shows in `bodies` even while the
 * test holds the SDK's reader (e.g. the SSE error that ends an idle stream).
 */
export function recordingFetch() {
  const urls = [];
  const bodies = [];
  const wrapped = async (url, init) => {
    const index = urls.push(String(url)) - 1;
    bodies[index] = '';
    const res = await globalThis.fetch(url, init);
    if (!res.body) return res;
    const decoder = new TextDecoder();
    const source = res.body.getReader();
    const body = new ReadableStream({
      start(controller) {
        (async () => {
          try {
            for (let chunk = await source.read(); !chunk.done; chunk = await source.read()) {
              bodies[index] += decoder.decode(chunk.value, { stream: true });
              controller.enqueue(chunk.value);
            }
            controller.close();
          } catch (err) {
            controller.error(err);
          }
        })();
      },
      cancel(reason) {
        return source.cancel(reason);
      },
    });
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return { fetch: wrapped, urls, bodies };
}

/** Polls `condition` (sync or async) until it holds; fails naming `what` after `timeoutMs`. */
export async function until(condition, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A short random prefix that keeps one test file's names and metadata apart from the others'. */
export function uniqueTag() {
  return Math.random().toString(36).slice(2, 8);
}
