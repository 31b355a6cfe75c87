// fake-claude.mjs driven over stdio as a broker drives Claude Code in stream-json mode: user
// lines in, system/assistant/user/result lines out; can_use_tool, interrupt, initialize; --resume.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { JsonLinesProcess } from './lib/json-lines.mjs';

const fakeClaude = fileURLToPath(new URL('../fake-claude.mjs', import.meta.url));
const STREAM_JSON = ['--output-format', 'stream-json', '--input-format', 'stream-json', '--verbose'];
const TIMEOUT = { timeout: 30_000 };

const isResult = (m) => m.type === 'result';
const isControlRequest = (subtype) => (m) => m.type === 'control_request' && m.request.subtype === subtype;
const isControlResponseTo = (requestId) => (m) => m.type === 'control_response' && m.response.request_id === requestId;
const assistantText = (messages) =>
  messages
    .filter((m) => m.type === 'assistant')
    .flatMap((m) => m.message.content)
    .filter((block) => block.type === 'text')
    .map((block) => block.text)
    .join('');

describe('fake-claude', () => {
  let stateDir;
  const running = [];
  const start = (extraArgs = []) => {
    const lines = JsonLinesProcess.start(process.execPath, [fakeClaude, ...STREAM_JSON, ...extraArgs], {
      cwd: stateDir,
      env: { FAKE_CLAUDE_STATE_DIR: stateDir },
    });
    running.push(lines);
    return lines;
  };
  const user = (text) => ({ type: 'user', message: { role: 'user', content: text }, parent_tool_use_id: null });
  const controlRequest = (request) => ({ type: 'control_request', request_id: `req_${randomUUID()}`, request });
  /** Sends a prompt and returns every line up to and including its `result`. */
  const turn = async (claude, text) => {
    claude.send(user(text));
    return claude.until(isResult, `the result of "${text}"`);
  };

  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-claude-test-'));
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((lines) => lines.kill()));
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  test('initialize is answered under the client request_id', TIMEOUT, async () => {
    const claude = start();
    const request = controlRequest({ subtype: 'initialize', hooks: null });
    claude.send(request);
    const response = await claude.next(isControlResponseTo(request.request_id), 'the initialize response');
    assert.equal(response.response.subtype, 'success');
    assert.ok(Array.isArray(response.response.response.models));
    assert.deepEqual(response.response.pending_permission_requests, []);
  });

  test('each user line is a turn: system init, assistant text, result; the session counts earlier prompts', TIMEOUT, async () => {
    const claude = start();
    const one = await turn(claude, 'hello');
    assert.deepEqual(one.map((m) => m.type), ['system', 'assistant', 'result']);
    const [init, , result] = one;
    assert.equal(init.subtype, 'init');
    assert.match(init.session_id, /^[0-9a-f-]{36}$/);
    assert.ok(init.tools.includes('Bash'));
    assert.equal(typeof init.model, 'string');
    assert.equal(assistantText(one), 'Echo: hello\nEarlier prompts in this session: 0');
    assert.equal(result.subtype, 'success');
    assert.equal(result.is_error, false);
    assert.equal(result.result, 'Echo: hello\nEarlier prompts in this session: 0');
    assert.equal(result.session_id, init.session_id);
    assert.equal(result.num_turns, 1);
    assert.equal(typeof result.duration_ms, 'number');
    assert.equal(typeof result.usage.output_tokens, 'number');

    const two = await turn(claude, 'again');
    assert.equal(two[0].type, 'system', 'an init line starts every turn');
    assert.equal(two[0].session_id, init.session_id);
    assert.equal(assistantText(two), 'Echo: again\nEarlier prompts in this session: 1 (the last one: "hello")');
  });

  test('user lines sent during a turn queue for the next turns, in order', TIMEOUT, async () => {
    const claude = start();
    claude.send(user('first [slow]'));
    await claude.next((m) => m.type === 'assistant' && assistantText([m]).startsWith('Waiting'), 'the waiting text');
    claude.send(user('second'));
    claude.send(user('third'));
    claude.send(controlRequest({ subtype: 'interrupt' }));
    const first = await claude.next(isResult, 'the first result');
    assert.equal(first.subtype, 'error_during_execution');
    assert.match(assistantText(await claude.until(isResult)), /^Echo: second\n/);
    assert.match(assistantText(await claude.until(isResult)), /^Echo: third\nEarlier prompts in this session: 2 /);
  });

  for (const behavior of ['allow', 'deny']) {
    test(`[tool]: tool_use, then can_use_tool waits for the client's control_response (${behavior})`, TIMEOUT, async () => {
      const claude = start();
      claude.send(user('run it [tool]'));
      const before = await claude.until(isControlRequest('can_use_tool'), 'can_use_tool');
      const ask = before.at(-1);
      const toolUse = before.filter((m) => m.type === 'assistant').flatMap((m) => m.message.content).find((b) => b.type === 'tool_use');
      assert.equal(ask.request.tool_name, toolUse.name);
      assert.equal(ask.request.tool_use_id, toolUse.id);
      assert.deepEqual(ask.request.input, toolUse.input);
      assert.ok(ask.request_id);

      const response =
        behavior === 'allow'
          ? { behavior: 'allow', updatedInput: { ...ask.request.input, command: 'cat other.txt' } }
          : { behavior: 'deny', message: 'not today' };
      claude.send({ type: 'control_response', response: { subtype: 'success', request_id: ask.request_id, response } });
      const rest = await claude.until(isResult, 'the result');
      const toolResult = rest.find((m) => m.type === 'user').message.content[0];
      assert.equal(toolResult.type, 'tool_result');
      assert.equal(toolResult.tool_use_id, toolUse.id);
      const result = rest.at(-1);
      assert.equal(result.subtype, 'success');
      assert.equal(result.num_turns, 2);
      if (behavior === 'allow') {
        assert.equal(toolResult.is_error, false);
        assert.equal(assistantText(rest), 'The Bash tool was allowed and printed: ran: cat other.txt');
        assert.deepEqual(result.permission_denials, []);
      } else {
        assert.equal(toolResult.is_error, true);
        assert.equal(assistantText(rest), 'The Bash tool was denied: not today');
        assert.deepEqual(result.permission_denials, [{ tool_name: 'Bash', tool_use_id: toolUse.id, tool_input: toolUse.input }]);
      }
    });
  }

  test('[tool] with --dangerously-skip-permissions runs without asking', TIMEOUT, async () => {
    const claude = start(['--dangerously-skip-permissions']);
    const lines = await turn(claude, '[tool]');
    assert.equal(lines[0].permissionMode, 'bypassPermissions');
    assert.ok(!lines.some((m) => m.type === 'control_request'));
    assert.match(assistantText(lines), /allowed/);
  });

  test('[slow] waits for an interrupt: acknowledged, then an interrupted user message and an error result', TIMEOUT, async () => {
    const claude = start();
    claude.send(user('think [slow]'));
    await claude.next((m) => m.type === 'assistant' && assistantText([m]) === 'Waiting for an interrupt.', 'the waiting text');
    // Waiting on the interrupt, not on a clock: other control requests are answered meanwhile.
    const model = controlRequest({ subtype: 'set_model', model: 'claude-other' });
    claude.send(model);
    await claude.next(isControlResponseTo(model.request_id), 'the set_model response');
    assert.ok(!claude.messages.some(isResult), 'the turn is still running');

    const interrupt = controlRequest({ subtype: 'interrupt' });
    claude.send(interrupt);
    const rest = await claude.until(isResult, 'the interrupted result');
    assert.deepEqual(rest.map((m) => m.type), ['control_response', 'user', 'result']);
    assert.equal(rest[0].response.request_id, interrupt.request_id);
    assert.equal(rest[0].response.subtype, 'success');
    assert.deepEqual(rest[1].message.content, [{ type: 'text', text: '[Request interrupted by user]' }]);
    const result = rest[2];
    assert.equal(result.subtype, 'error_during_execution');
    assert.equal(result.is_error, true);
    assert.ok(!('result' in result), 'an error result has no result text');
    assert.ok(Array.isArray(result.errors));

    const next = await turn(claude, 'after');
    assert.equal(next[0].model, 'claude-other');
    assert.equal(next.at(-1).subtype, 'success');
  });

  test('[deaf] acknowledges an interrupt and goes on: no result', TIMEOUT, async () => {
    const claude = start();
    claude.send(user('never stop [deaf]'));
    await claude.next((m) => m.type === 'assistant' && assistantText([m]) === 'Ignoring interrupts.', 'the text');
    const interrupt = controlRequest({ subtype: 'interrupt' });
    claude.send(interrupt);
    await claude.next(isControlResponseTo(interrupt.request_id), 'the interrupt acknowledgement');
    // Lines are handled in order: once this is answered, the interrupt had its chance to end the turn.
    const model = controlRequest({ subtype: 'set_model', model: 'claude-other' });
    claude.send(model);
    await claude.next(isControlResponseTo(model.request_id), 'the set_model response');
    assert.ok(!claude.messages.some(isResult), 'the turn is still running');
  });

  test('an interrupt while can_use_tool is pending withdraws the request and ends the turn', TIMEOUT, async () => {
    const claude = start();
    claude.send(user('[tool]'));
    const ask = await claude.next(isControlRequest('can_use_tool'), 'can_use_tool');
    const initialize = controlRequest({ subtype: 'initialize' });
    claude.send(initialize);
    const init = await claude.next(isControlResponseTo(initialize.request_id), 'the initialize response');
    assert.deepEqual(init.response.pending_permission_requests, [ask], 'a client that joins late learns of the prompt');
    claude.send(controlRequest({ subtype: 'interrupt' }));
    const rest = await claude.until(isResult, 'the interrupted result');
    assert.ok(rest.some((m) => m.type === 'control_cancel_request' && m.request_id === ask.request_id));
    assert.equal(rest.at(-1).subtype, 'error_during_execution');
  });

  test('[crash] exits with code 3 mid-turn, without a result', TIMEOUT, async () => {
    const claude = start();
    claude.send(user('fall over [crash]'));
    const { code } = await claude.exited;
    assert.equal(code, 3);
    assert.ok(!claude.messages.some(isResult));
  });

  test('[stderr] writes a line to stderr', TIMEOUT, async () => {
    const claude = start();
    await turn(claude, 'say it [stderr]');
    await claude.stderrLine((line) => line.includes('[stderr] marker'));
  });

  test('--resume after a kill continues the session under the same id', TIMEOUT, async () => {
    const claude = start();
    const [init] = await turn(claude, 'first');
    await turn(claude, 'second');
    await claude.kill('SIGKILL');

    const again = start(['--resume', init.session_id]);
    const lines = await turn(again, 'third');
    assert.equal(lines[0].session_id, init.session_id);
    assert.equal(lines.at(-1).session_id, init.session_id);
    assert.equal(assistantText(lines), 'Echo: third\nEarlier prompts in this session: 2 (the last one: "second")');
  });

  test('--resume with --fork-session continues the history under a new id', TIMEOUT, async () => {
    const claude = start();
    const [init] = await turn(claude, 'first');
    await claude.kill('SIGKILL');
    const fork = start(['--resume', init.session_id, '--fork-session']);
    const lines = await turn(fork, 'second');
    assert.notEqual(lines[0].session_id, init.session_id);
    assert.match(assistantText(lines), /Earlier prompts in this session: 1 /);
  });

  test('[chunks N] answers with N assistant messages', TIMEOUT, async () => {
    const claude = start();
    const lines = await turn(claude, '[chunks 40]');
    const texts = lines.filter((m) => m.type === 'assistant');
    assert.equal(texts.length, 40);
    assert.equal(lines.at(-1).result, 'chunk 40 of 40\n');
  });

  test('--resume of an unknown session fails with exit code 1', TIMEOUT, async () => {
    const claude = start(['--resume', randomUUID()]);
    assert.equal((await claude.exited).code, 1);
    await claude.stderrLine((line) => line.startsWith('No conversation found with session ID'));
  });

  test('stream-json output without --verbose is refused, as the CLI refuses it', TIMEOUT, async () => {
    const claude = JsonLinesProcess.start(process.execPath, [fakeClaude, '--output-format', 'stream-json', '--input-format', 'stream-json'], { cwd: stateDir });
    running.push(claude);
    assert.equal((await claude.exited).code, 1);
    await claude.stderrLine((line) => line.includes('requires --verbose'));
  });

  test('closing stdin ends the process once the queued turns are done', TIMEOUT, async () => {
    const claude = start();
    claude.send(user('one'));
    claude.send(user('two'));
    claude.closeStdin();
    assert.equal((await claude.exited).code, 0);
    assert.equal(claude.messages.filter(isResult).length, 2);
  });

  test('closing stdin while a turn waits on the client ends the process', TIMEOUT, async () => {
    const claude = start();
    claude.send(user('[slow]'));
    await claude.next((m) => m.type === 'assistant', 'the waiting text');
    claude.closeStdin();
    assert.equal((await claude.exited).code, 0);
    assert.ok(!claude.messages.some(isResult));
  });
});
