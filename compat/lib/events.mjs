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

/**
 * Follows an axon as Runloop's remote-agents client does (`axon.subscribeSse({ after_sequence })` on the SDK's
 * `Axon`, subscribing again from the last sequence whenever a stream ends), so that a test waits for the event it
 * expects, never for a time. `next` returns matching events in axon order; `close()` stops following.
 */
export class AxonTail {
  #axon;
  #abort = new AbortController();
  #events = [];
  #position = 0;
  #wake = null;

  constructor(axon, afterSequence) {
    this.#axon = axon;
    this.lastSequence = afterSequence;
    this.done = this.#follow();
  }

  async #follow() {
    while (!this.#abort.signal.aborted) {
      try {
        const query = this.lastSequence != null ? { after_sequence: this.lastSequence } : undefined;
        const stream = await this.#axon.subscribeSse(query, { signal: this.#abort.signal });
        for await (const e of stream) {
          this.lastSequence = e.sequence;
          this.#events.push(e);
          this.#wake?.();
        }
      } catch {
        // the idle timeout or a reset ended the stream: subscribe again from the last sequence, as that client does
      }
    }
  }

  /** Every event seen so far, in axon order. */
  get events() {
    return this.#events.slice();
  }

  /**
   * The first event after the last one returned that matches `match` (`{ origin, type }`, or a predicate). The
   * time limit only bounds a missing event, so that the test fails with what the axon held instead of hanging.
   */
  async next(match, { timeoutMs = 60_000 } = {}) {
    const test = typeof match === 'function'
      ? match
      : (e) => e.origin === match.origin && e.event_type === match.type;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#position < this.#events.length) {
        const e = this.#events[this.#position++];
        if (test(e)) return e;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.#events.map((e) => `#${e.sequence} ${e.origin} ${e.event_type}`).join('\n  ');
        assert.fail(`no event matching ${JSON.stringify(match.type ?? String(match))} within ${timeoutMs} ms; the axon holds:\n  ${seen}`);
      }
      await new Promise((resolveWait) => {
        const timer = setTimeout(resolveWait, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolveWait();
        };
      });
      this.#wake = null;
    }
  }

  /** The next `AGENT_EVENT` of `type`, its payload parsed. */
  async agent(type, options) {
    return JSON.parse((await this.next({ origin: 'AGENT_EVENT', type }, options)).payload);
  }

  /** The next `SYSTEM_EVENT` of `type`, its payload parsed. */
  async system(type, options) {
    return JSON.parse((await this.next({ origin: 'SYSTEM_EVENT', type }, options)).payload);
  }

  close() {
    this.#abort.abort();
  }
}
