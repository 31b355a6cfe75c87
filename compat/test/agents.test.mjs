// Agents on axons, driven only through the official SDK as Runloop's remote-agents client drives them
// (`runloopai/agent-axon-client-ts`: `sdk/src/acp/axon-stream.ts`, `sdk/src/shared/timeline.ts`,
// `sdk/src/shared/replay.ts`): `sdk.devbox.create` with a broker mount, then every JSON-RPC request published as a
// `USER_EVENT` whose `event_type` is the method and whose payload is the params (source `acp-sdk-client`), and every
// answer, notification and agent request read back over SSE as an `AGENT_EVENT` of the same method.
//
// This file starts its own server running the real broker, with the offline ACP agents of `test-agents/` configured
// as operator binaries: `acp-example` (the official `@agentclientprotocol/sdk` 1.9.0 example agent: chunks, tool
// calls, a permission request, `end_turn`; no `loadSession`) and `acp-agent` (ours, with `loadSession`).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { AxonTail } from '../lib/events.mjs';
import { launchServer } from '../lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const agents = resolve(process.env.MYELIN_TEST_AGENTS ?? resolve(here, '../../test-agents'));
const EXAMPLE_AGENT = resolve(agents, 'node_modules/@agentclientprotocol/sdk/dist/examples/agent.js');
const OUR_AGENT = resolve(agents, 'acp-agent.mjs');
const TURN_MS = { timeoutMs: 90_000 }; // the example agent paces a turn with its own timers (about five seconds)

let server;
let client;
let sdk;
before(async () => {
  for (const f of [EXAMPLE_AGENT, OUR_AGENT]) {
    if (!existsSync(f)) throw new Error(`test agent ${f} is missing: run npm ci in test-agents/`);
  }
  server = await launchServer({
    MYELIN_AGENTS_BINARIES: JSON.stringify({
      'acp-example': [process.execPath, EXAMPLE_AGENT],
      'acp-agent': [process.execPath, OUR_AGENT],
    }),
  });
  client = server.client();
  sdk = server.sdk();
});
after(() => server?.stop());

/** Publishes a JSON-RPC request or answer as the remote-agents client's `axonStream` writes it. */
function send(axon, method, params) {
  return axon.publish({ event_type: method, origin: 'USER_EVENT', payload: JSON.stringify(params ?? {}), source: 'acp-sdk-client' });
}

/** A devbox mounting `agent` on a new axon, and a tail of that axon from its start. */
async function mounted(agent, lifecycle = {}) {
  const axon = await sdk.axon.create({ name: `agents-${agent}` });
  const devbox = await sdk.devbox.create({
    name: `compat-${agent}`,
    mounts: [{ type: 'broker_mount', axon_id: axon.id, protocol: 'acp', agent_binary: agent }],
    launch_parameters: { lifecycle },
  });
  return { axon, devbox, tail: new AxonTail(axon, 0) };
}

/** `getLastSequence` of the remote-agents client: the head of the axon, from `total_count`. */
async function lastSequence(axonId) {
  const page = await client.get(`/v1/axons/${axonId}/events`, { query: { limit: 1, include_total_count: true } });
  return { total: page.total_count, newest: page.events[0]?.sequence };
}

/** The text of the `agent_message_chunk`s of one turn, read up to the turn's `session/prompt` answer. */
async function promptAnswer(tail, options) {
  let text = '';
  for (;;) {
    const e = await tail.next((ev) => ev.origin === 'AGENT_EVENT'
      && (ev.event_type === 'session/update' || ev.event_type === 'session/prompt'), options);
    const payload = JSON.parse(e.payload);
    if (e.event_type === 'session/prompt') return { text, answer: payload };
    if (payload.update?.sessionUpdate === 'agent_message_chunk') text += payload.update.content?.text ?? '';
  }
}

async function openSession(axon, tail) {
  await send(axon, 'initialize', {
    protocolVersion: 1,
    clientInfo: { name: 'myelin-compat', version: '0.1.0' },
    clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false },
  });
  const init = await tail.agent('initialize');
  assert.equal(init.protocolVersion, 1);
  await send(axon, 'session/new', { cwd: '/tmp', mcpServers: [] });
  const { sessionId } = await tail.agent('session/new');
  assert.ok(sessionId, 'session/new answers a sessionId');
  return { init, sessionId };
}

function prompt(sessionId, text) {
  return { sessionId, prompt: [{ type: 'text', text }] };
}

/** The `devbox.*` events seen so far on the tail, as `type reason`. */
function lifecycle(tail, devboxId) {
  return tail.events.filter((e) => e.origin === 'SYSTEM_EVENT' && e.event_type.startsWith('devbox.')).map((e) => {
    const p = JSON.parse(e.payload);
    assert.equal(p.devbox_id, devboxId);
    return `${e.event_type} ${p.reason ?? '-'}`;
  });
}

describe('the broker through the SDK, as the remote-agents client drives it', () => {
  test('ACP example agent: initialize, session/new, a prompt with a permission request, the turn events', { timeout: 180_000 }, async () => {
    const { axon, devbox, tail } = await mounted('acp-example');
    try {
      assert.equal((await devbox.getInfo()).status, 'running');
      const { init, sessionId } = await openSession(axon, tail);
      assert.equal(init.agentCapabilities?.loadSession ?? false, false);

      const sent = await send(axon, 'session/prompt', prompt(sessionId, 'hello from the SDK'));
      const started = await tail.system('turn.started');
      assert.ok(started.turn_id, 'turn.started carries a turn_id');
      const chunk = await tail.next((e) => e.origin === 'AGENT_EVENT' && e.event_type === 'session/update'
        && JSON.parse(e.payload).update?.sessionUpdate === 'agent_message_chunk', TURN_MS);
      assert.equal(JSON.parse(chunk.payload).sessionId, sessionId);
      assert.ok(chunk.sequence > sent.sequence);

      const asked = await tail.agent('session/request_permission', TURN_MS);
      assert.equal(asked.sessionId, sessionId);
      assert.deepEqual(asked.options.map((o) => o.optionId), ['allow', 'reject']);
      await send(axon, 'session/request_permission', { outcome: { outcome: 'selected', optionId: 'allow' } });

      assert.deepEqual(await tail.agent('session/prompt', TURN_MS), { stopReason: 'end_turn' });
      const completed = await tail.system('turn.completed', TURN_MS);
      assert.deepEqual(completed, { turn_id: started.turn_id, stop_reason: 'end_turn' });
      const intents = tail.events.filter((e) => e.origin === 'SYSTEM_EVENT' && e.event_type.startsWith('intent.'))
        .map((e) => ({ type: e.event_type, view: JSON.parse(e.payload) }));
      assert.deepEqual(intents.map((i) => i.type), ['intent.created', 'intent.resolved'],
        'the permission request waited as an intent, which the answer event resolved');
      assert.equal(intents[1].view.resolution.outcome, 'completed');
      assert.deepEqual(intents[1].view.resolution.result, { outcome: { outcome: 'selected', optionId: 'allow' } });

      const head = await lastSequence(axon.id);
      assert.equal(head.total, head.newest, 'total_count is the head sequence');
      assert.ok(head.total >= tail.lastSequence);
    } finally {
      tail.close();
      await devbox.shutdown();
    }
  });

  test('a plain message event drives a turn: the broker initializes and opens the session itself', { timeout: 120_000 }, async () => {
    const { axon, devbox, tail } = await mounted('acp-agent');
    try {
      await axon.publish({ event_type: 'message', origin: 'USER_EVENT', source: 'web-app', payload: JSON.stringify({ text: 'plain hello' }) });
      const started = await tail.system('turn.started');
      let text = '';
      for (;;) {
        const e = await tail.next((ev) => (ev.origin === 'AGENT_EVENT' && ev.event_type === 'session/update')
          || (ev.origin === 'SYSTEM_EVENT' && ev.event_type === 'turn.completed'));
        const p = JSON.parse(e.payload);
        if (e.event_type === 'turn.completed') {
          assert.deepEqual(p, { turn_id: started.turn_id, stop_reason: 'end_turn' });
          break;
        }
        if (p.update?.sessionUpdate === 'agent_message_chunk') text += p.update.content.text;
      }
      assert.match(text, /^Echo: plain hello\nEarlier prompts in this session: 0/);
    } finally {
      tail.close();
      await devbox.shutdown();
    }
  });

  test('a permission request is a human intent too: the inbox lists it, resolving it answers the agent', { timeout: 120_000 }, async () => {
    const { axon, devbox, tail } = await mounted('acp-agent');
    try {
      await axon.publish({ event_type: 'message', origin: 'USER_EVENT', source: 'web-app', payload: JSON.stringify({ text: 'edit [permission]' }) });
      const asked = await tail.agent('session/request_permission');
      const intent = await tail.system('intent.created');
      assert.equal(intent.kind, 'permission');
      assert.equal(intent.waiting_for, 'human');
      assert.equal(intent.title, asked.toolCall.title);
      assert.deepEqual(intent.payload.request, asked);
      const inbox = await client.get('/v1/intents', { query: { axon_id: axon.id, status: 'waiting', waiting_for: 'human' } });
      assert.deepEqual(inbox.intents.map((i) => i.id), [intent.id]);

      await client.post(`/v1/intents/${intent.id}/resolve`, { body: { outcome: 'approved', result: { option_id: 'allow' } } });
      assert.equal((await tail.system('intent.resolved')).status, 'completed');
      let text = '';
      for (;;) {
        const e = await tail.next((ev) => (ev.origin === 'AGENT_EVENT' && ev.event_type === 'session/update')
          || (ev.origin === 'SYSTEM_EVENT' && ev.event_type === 'turn.completed'));
        const p = JSON.parse(e.payload);
        if (e.event_type === 'turn.completed') break;
        if (p.update?.sessionUpdate === 'agent_message_chunk') text += p.update.content.text;
      }
      assert.match(text, /Permission answer: selected allow/);
    } finally {
      tail.close();
      await devbox.shutdown();
    }
  });

  test('suspended: the next prompt wakes the devbox and is answered by the same conversation', { timeout: 120_000 }, async () => {
    const { axon, devbox, tail } = await mounted('acp-agent', { resume_triggers: { axon_event: true } });
    try {
      const { sessionId } = await openSession(axon, tail);
      await send(axon, 'session/prompt', prompt(sessionId, 'first'));
      assert.match((await promptAnswer(tail)).text, /Earlier prompts in this session: 0/);
      await tail.system('turn.completed');

      await devbox.suspend();
      assert.equal((await devbox.awaitSuspended()).status, 'suspended');
      await tail.system('devbox.suspended');

      await send(axon, 'session/prompt', prompt(sessionId, 'second'));
      await tail.system('turn.started');
      const { text, answer } = await promptAnswer(tail);
      assert.equal(answer.stopReason, 'end_turn');
      assert.match(text, /Earlier prompts in this session: 1 \(the last one: "first"\)/);
      await tail.system('turn.completed');
      assert.deepEqual(lifecycle(tail, devbox.id), ['devbox.running -', 'devbox.suspended api_suspend', 'devbox.running axon_event']);
      assert.equal((await devbox.getInfo()).status, 'running');
    } finally {
      tail.close();
      await devbox.shutdown();
    }
  });

  test('shut down when idle: the next prompt starts the agent again and session/load restores the conversation', { timeout: 120_000 }, async () => {
    const { axon, devbox, tail } = await mounted('acp-agent', {
      after_idle: { idle_time_seconds: 1, on_idle: 'shutdown' },
      resume_triggers: { axon_event: true },
    });
    try {
      const { sessionId } = await openSession(axon, tail);
      await send(axon, 'session/prompt', prompt(sessionId, 'before the shutdown'));
      await promptAnswer(tail);
      await tail.system('turn.completed');

      // The idle timer stops the agent (on_idle: shutdown): the devbox is suspended with no agent process.
      await tail.next((e) => e.origin === 'SYSTEM_EVENT' && e.event_type === 'devbox.suspended'
        && JSON.parse(e.payload).reason === 'idle_shutdown');

      await send(axon, 'session/prompt', prompt(sessionId, 'after the shutdown'));
      await tail.next((e) => e.origin === 'SYSTEM_EVENT' && e.event_type === 'devbox.running'
        && JSON.parse(e.payload).reason === 'axon_event');
      const { text, answer } = await promptAnswer(tail);
      assert.equal(answer.stopReason, 'end_turn');
      assert.match(text, /Earlier prompts in this session: 1 \(the last one: "before the shutdown"\)/,
        'the restarted agent loaded the session (session/load) under the id the client knows');
      const completed = await tail.system('turn.completed');
      assert.equal(completed.stop_reason, 'end_turn');
      assert.equal(tail.events.filter((e) => e.origin === 'AGENT_EVENT' && e.event_type === 'session/load').length, 0,
        'the broker restores the session itself; clients see no session/load answer');
    } finally {
      tail.close();
      await devbox.shutdown();
    }
  });
});
