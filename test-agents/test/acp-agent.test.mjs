// acp-agent.mjs driven over stdio as a broker drives it: initialize, session/new, scripted
// prompts, permission, cancel, a crash, and session/load after the process was killed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { AcpPeer, agentText, isPermissionRequest, isResponseTo, isUpdate } from './lib/acp-client.mjs';

const agentScript = fileURLToPath(new URL('../acp-agent.mjs', import.meta.url));
const TIMEOUT = { timeout: 30_000 };

describe('acp-agent', () => {
  let stateDir;
  const peers = [];
  const start = () => {
    const peer = AcpPeer.start(agentScript, { cwd: stateDir, env: { ACP_AGENT_STATE_DIR: stateDir } });
    peers.push(peer);
    return peer;
  };
  const startSession = async () => {
    const peer = start();
    await peer.initialize();
    return { peer, sessionId: await peer.newSession(stateDir) };
  };

  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'acp-agent-test-'));
  });
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.kill()));
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  test('initialize advertises protocol 1 and loadSession; session/new returns a fresh id', TIMEOUT, async () => {
    const peer = start();
    const init = await peer.initialize();
    assert.equal(init.protocolVersion, 1);
    assert.equal(init.agentCapabilities.loadSession, true);
    const first = await peer.newSession(stateDir);
    const second = await peer.newSession(stateDir);
    assert.match(first, /^[0-9a-f-]{36}$/);
    assert.notEqual(first, second);
  });

  test('a prompt is echoed in chunks with the number of earlier prompts, then end_turn', TIMEOUT, async () => {
    const { peer, sessionId } = await startSession();
    const one = await peer.call('session/prompt', peer.promptParams(sessionId, 'hello'));
    assert.deepEqual(one.response.result, { stopReason: 'end_turn' });
    assert.ok(one.before.filter(isUpdate).length >= 3, 'a few chunks');
    assert.equal(agentText(one.before), 'Echo: hello\nEarlier prompts in this session: 0');
    assert.ok(one.before.every((m) => m.params.sessionId === sessionId));

    const two = await peer.call('session/prompt', peer.promptParams(sessionId, 'again'));
    assert.equal(agentText(two.before), 'Echo: again\nEarlier prompts in this session: 1 (the last one: "hello")');
  });

  test('[tool] reports a tool call and its completion', TIMEOUT, async () => {
    const { peer, sessionId } = await startSession();
    const { response, before } = await peer.call('session/prompt', peer.promptParams(sessionId, 'read [tool]'));
    assert.equal(response.result.stopReason, 'end_turn');
    const updates = before.filter(isUpdate).map((m) => m.params.update);
    const call = updates.find((u) => u.sessionUpdate === 'tool_call');
    const done = updates.find((u) => u.sessionUpdate === 'tool_call_update');
    assert.equal(call.status, 'pending');
    assert.equal(done.toolCallId, call.toolCallId);
    assert.equal(done.status, 'completed');
    assert.ok(updates.indexOf(call) < updates.indexOf(done));
  });

  for (const optionId of ['allow', 'reject']) {
    test(`[permission] asks the client and reports the answer (${optionId})`, TIMEOUT, async () => {
      const { peer, sessionId } = await startSession();
      const promptId = peer.send('session/prompt', peer.promptParams(sessionId, 'write [permission]'));
      const request = await peer.lines.next(isPermissionRequest, 'session/request_permission');
      assert.equal(request.params.sessionId, sessionId);
      assert.deepEqual(request.params.options.map((o) => o.optionId), ['allow', 'reject']);
      peer.respond(request, { outcome: { outcome: 'selected', optionId } });
      const rest = await peer.untilResponse(promptId);
      assert.equal(rest.at(-1).result.stopReason, 'end_turn');
      assert.equal(agentText(rest), `Permission answer: selected ${optionId}`);
      const done = rest.filter(isUpdate).map((m) => m.params.update).find((u) => u.sessionUpdate === 'tool_call_update');
      assert.equal(done.toolCallId, request.params.toolCall.toolCallId);
      assert.equal(done.status, optionId === 'allow' ? 'completed' : 'failed');
    });
  }

  test('session/cancel during a permission request: the cancelled outcome ends the turn cancelled', TIMEOUT, async () => {
    const { peer, sessionId } = await startSession();
    const promptId = peer.send('session/prompt', peer.promptParams(sessionId, '[permission]'));
    const request = await peer.lines.next(isPermissionRequest, 'session/request_permission');
    peer.notify('session/cancel', { sessionId });
    peer.respond(request, { outcome: { outcome: 'cancelled' } });
    const rest = await peer.untilResponse(promptId);
    assert.equal(rest.at(-1).result.stopReason, 'cancelled');
    assert.equal(agentText(rest), 'Permission answer: cancelled');
  });

  test('[slow] waits for session/cancel, answering other requests meanwhile, then stops cancelled', TIMEOUT, async () => {
    const { peer, sessionId } = await startSession();
    const promptId = peer.send('session/prompt', peer.promptParams(sessionId, 'take your time [slow]'));
    await peer.lines.next((m) => isUpdate(m) && m.params.update.content?.text === 'Waiting for session/cancel.', 'the waiting chunk');
    // The turn is waiting on the cancel, not on a clock: the agent still serves other requests.
    const other = await peer.call('session/new', { cwd: stateDir, mcpServers: [] });
    assert.ok(other.response.result.sessionId);
    assert.ok(!peer.lines.messages.some(isResponseTo(promptId)), 'the prompt is still running');
    const busy = await peer.call('session/prompt', peer.promptParams(sessionId, 'meanwhile'));
    assert.match(busy.response.error.message, /already running/);

    peer.notify('session/cancel', { sessionId });
    const rest = await peer.untilResponse(promptId);
    assert.deepEqual(rest.at(-1).result, { stopReason: 'cancelled' });
  });

  test('[deaf] ignores session/cancel: the prompt stays unanswered', TIMEOUT, async () => {
    const { peer, sessionId } = await startSession();
    const promptId = peer.send('session/prompt', peer.promptParams(sessionId, 'never stop [deaf]'));
    await peer.lines.next((m) => isUpdate(m) && m.params.update.content?.text === 'Ignoring session/cancel.', 'the chunk');
    peer.notify('session/cancel', { sessionId });
    // Lines are handled in order: once this is answered, the cancel was read too.
    const other = await peer.call('session/new', { cwd: stateDir, mcpServers: [] });
    assert.ok(other.response.result.sessionId);
    assert.ok(!peer.lines.messages.some(isResponseTo(promptId)), 'the prompt is still running');
  });

  test('[stderr] writes a line to stderr', TIMEOUT, async () => {
    const { peer, sessionId } = await startSession();
    await peer.call('session/prompt', peer.promptParams(sessionId, 'say it [stderr]'));
    const line = await peer.lines.stderrLine((l) => l.includes('[stderr] marker'));
    assert.ok(line.includes(sessionId));
  });

  test('[chunks N] sends exactly N chunks', TIMEOUT, async () => {
    const { peer, sessionId } = await startSession();
    const { response, before } = await peer.call('session/prompt', peer.promptParams(sessionId, '[chunks 250]'));
    assert.equal(response.result.stopReason, 'end_turn');
    const chunks = before.filter(isUpdate);
    assert.equal(chunks.length, 250);
    assert.equal(chunks.at(-1).params.update.content.text, 'chunk 250 of 250\n');
  });

  test('after a kill, session/load replays the conversation and later prompts see it', TIMEOUT, async () => {
    const { peer, sessionId } = await startSession();
    const one = await peer.call('session/prompt', peer.promptParams(sessionId, 'first'));
    const two = await peer.call('session/prompt', peer.promptParams(sessionId, 'second [tool]'));
    await peer.kill('SIGKILL');

    const again = start();
    assert.equal((await again.initialize()).agentCapabilities.loadSession, true);
    const unloaded = await again.call('session/prompt', again.promptParams(sessionId, 'not loaded yet'));
    assert.match(unloaded.response.error.message, /Unknown session/);

    const load = await again.call('session/load', { sessionId, cwd: stateDir, mcpServers: [] });
    assert.deepEqual(load.response.result, {});
    const replayed = load.before.filter(isUpdate);
    assert.ok(replayed.every((m) => m.params.sessionId === sessionId));
    const expected = [
      { sessionUpdate: 'user_message_chunk', content: { type: 'text', text: 'first' } },
      ...one.before.filter(isUpdate).map((m) => m.params.update),
      { sessionUpdate: 'user_message_chunk', content: { type: 'text', text: 'second [tool]' } },
      ...two.before.filter(isUpdate).map((m) => m.params.update),
    ];
    assert.deepEqual(replayed.map((m) => m.params.update), expected);

    const three = await again.call('session/prompt', again.promptParams(sessionId, 'third'));
    assert.equal(
      agentText(three.before),
      'Echo: third\nEarlier prompts in this session: 2 (the last one: "second [tool]")',
    );
  });

  test('[crash] exits with code 3 mid-turn; the prompt and what was said survive', TIMEOUT, async () => {
    const { peer, sessionId } = await startSession();
    const promptId = peer.send('session/prompt', peer.promptParams(sessionId, 'fall over [crash]'));
    const { code } = await peer.lines.exited;
    assert.equal(code, 3);
    assert.ok(!peer.lines.messages.some(isResponseTo(promptId)), 'no answer to the crashed prompt');

    const again = start();
    await again.initialize();
    const load = await again.call('session/load', { sessionId, cwd: stateDir, mcpServers: [] });
    assert.equal(agentText(load.before), 'Echo: fall over [crash]\nEarlier prompts in this session: 0');
    const next = await again.call('session/prompt', again.promptParams(sessionId, 'up again'));
    assert.match(agentText(next.before), /Earlier prompts in this session: 1 /);
  });

  test('session/load of an unknown or malformed id is an invalid-params error', TIMEOUT, async () => {
    const peer = start();
    await peer.initialize();
    for (const sessionId of ['6f1c1a52-0000-4000-8000-000000000000', '../../etc/passwd']) {
      const { response } = await peer.call('session/load', { sessionId, cwd: stateDir, mcpServers: [] });
      assert.equal(response.error.code, -32602);
      assert.match(response.error.message, /Unknown session/);
    }
  });
});
