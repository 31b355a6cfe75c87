#!/usr/bin/env node
// A stand-in for Claude Code in its two-way stream-json mode
//   fake-claude.mjs --output-format stream-json --input-format stream-json --verbose [--resume <id>]
// that needs no model and no network. It reads one JSON message per line on stdin (`user`,
// `control_request`, `control_response`) and writes the shapes the real CLI writes on stdout, as
// typed by @anthropic-ai/claude-agent-sdk (SDKMessage, SDKControlRequest, SDKControlResponse):
//   - per turn: `system` init (every turn, as headless stream-json runs do), `assistant` messages
//     with text or tool_use blocks, `user` messages carrying tool_result blocks, and a `result`;
//   - `control_request` can_use_tool before a tool runs, answered by the client's `control_response`
//     under the same request_id (skipped with --dangerously-skip-permissions or bypassPermissions);
//   - the client's `control_request`s initialize, interrupt, set_model and set_permission_mode are
//     answered with a `control_response`. An interrupt ends the turn the way the CLI does: the
//     acknowledgement, a `user` "[Request interrupted by user]" message, then a `result` with
//     subtype error_during_execution, is_error true and no `result` text.
// `user` lines that arrive during a turn queue for the next one. What a turn does is decided by
// markers in the prompt text (see README.md). The conversation is kept in
// $FAKE_CLAUDE_STATE_DIR/.fake-claude/<session_id>.jsonl (default: the working directory), so
// --resume <session_id> continues it under the same session id.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const VERSION = '2.1.0';
const DEFAULT_MODEL = 'claude-fake-1';
const TOOLS = ['Bash', 'Edit', 'Glob', 'Grep', 'Read', 'Write'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CHUNKS_MARKER = /\[chunks (\d{1,7})\]/;
/** Exit code of the `[crash]` marker, so tests can tell a scripted crash from a real one. */
const CRASH_EXIT_CODE = 3;
const INTERRUPT_DIAGNOSTIC = '[ede_diagnostic] result_type=user last_content_type=n/a stop_reason=null';

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The command line, checked the way the CLI checks it: unknown options are refused. */
function parseArgs(argv) {
  const withValue = new Set([
    '--output-format', '--input-format', '--resume', '-r', '--session-id', '--model', '--permission-mode',
    '--append-system-prompt', '--system-prompt', '--allowedTools', '--allowed-tools', '--disallowedTools',
    '--disallowed-tools', '--max-turns', '--permission-prompt-tool', '--mcp-config', '--settings', '--add-dir',
    '--fallback-model',
  ]);
  const flags = new Set([
    '-p', '--print', '--verbose', '--dangerously-skip-permissions', '--include-partial-messages',
    '--replay-user-messages', '--fork-session', '--strict-mcp-config',
  ]);
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i]];
    if (withValue.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`error: option '${name} <value>' argument missing`);
      options[name] = value;
    } else if (flags.has(name)) {
      options[name] = true;
    } else if (name.startsWith('-')) {
      fail(`error: unknown option '${name}'`);
    } else {
      fail(`error: fake-claude reads its prompts from stdin (--input-format stream-json), not '${name}'`);
    }
  }
  if (options['--output-format'] !== 'stream-json' || options['--input-format'] !== 'stream-json') {
    fail('Error: fake-claude only speaks stream-json: pass --output-format stream-json --input-format stream-json');
  }
  if (!options['--verbose']) fail('Error: When using --print, --output-format=stream-json requires --verbose');
  return options;
}

/** Reads a session's records back; a torn last line (the process was killed mid-write) is dropped. */
function readTranscript(file) {
  const records = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      // Only the last line can be torn; what came before is intact.
    }
  }
  return records;
}

/** The conversation of this session, each record appended before the matching line is written. */
class Transcript {
  constructor(file, records) {
    this.file = file;
    this.prompts = records.filter((r) => r.kind === 'prompt');
    this.fd = null;
  }

  record(entry) {
    if (this.fd === null) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = fs.openSync(this.file, 'a');
    }
    fs.writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    if (entry.kind === 'prompt') this.prompts.push(entry);
  }
}

const options = parseArgs(process.argv.slice(2));
const stateDir = path.join(path.resolve(process.env.FAKE_CLAUDE_STATE_DIR || process.cwd()), '.fake-claude');
const sessionFile = (id) => path.join(stateDir, `${id}.jsonl`);
const resumeId = options['--resume'] ?? options['-r'];
let records = [];
if (resumeId !== undefined) {
  if (!UUID.test(resumeId) || !fs.existsSync(sessionFile(resumeId))) fail(`No conversation found with session ID: ${resumeId}`);
  records = readTranscript(sessionFile(resumeId));
}
const sessionId =
  resumeId !== undefined && !options['--fork-session'] ? resumeId : options['--session-id'] ?? randomUUID();
if (!UUID.test(sessionId)) fail(`Error: Invalid session ID. Must be a valid UUID: ${sessionId}`);
if (sessionId !== resumeId && fs.existsSync(sessionFile(sessionId))) fail(`Error: Session ID ${sessionId} is already in use.`);
if (sessionId !== resumeId && resumeId !== undefined) {
  fs.copyFileSync(sessionFile(resumeId), sessionFile(sessionId)); // --fork-session: a new id, the same history
}
const transcript = new Transcript(sessionFile(sessionId), records);

let model = options['--model'] ?? DEFAULT_MODEL;
let permissionMode = options['--dangerously-skip-permissions'] ? 'bypassPermissions' : options['--permission-mode'] ?? 'default';

function emit(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** A turn waiting on the client: an interrupt settles `interrupted`. */
class Turn {
  constructor() {
    this.interrupted = new Promise((resolve) => {
      this.interrupt = resolve;
    });
  }
}

/** @type {object[]} `user` messages waiting for the turn in progress to end. */
const queue = [];
/** @type {Turn | null} */
let current = null;
/** @type {Map<string, {request: object, answer: (response: object) => void}>} can_use_tool requests awaiting the client. */
const pendingPermissions = new Map();
let inputClosed = false;
/** True while the turn in progress waits for the client (a control_response or an interrupt). */
let waitingOnClient = false;
let turnsRun = 0;

const tokens = (text) => Math.max(1, Math.ceil(text.length / 4));
const usage = (input, output) => ({
  input_tokens: input,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: output,
  server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
  service_tier: 'standard',
  cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
});

function systemInit() {
  return {
    type: 'system',
    subtype: 'init',
    cwd: process.cwd(),
    session_id: sessionId,
    tools: TOOLS,
    mcp_servers: [],
    model,
    permissionMode,
    slash_commands: [],
    apiKeySource: 'none',
    claude_code_version: VERSION,
    output_style: 'default',
    agents: [],
    skills: [],
    plugins: [],
    uuid: randomUUID(),
  };
}

/** The text of a user message: a string, or its text blocks joined (other blocks as JSON). */
function userText(message) {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((block) => (block.type === 'text' ? block.text : JSON.stringify(block))).join('\n');
}

function answerControl(requestId, response) {
  emit({ type: 'control_response', response: { subtype: 'success', request_id: requestId, response } });
}

function handleControlRequest(message) {
  const requestId = message.request_id;
  const request = message.request;
  if (typeof requestId !== 'string' || request === null || typeof request !== 'object') {
    process.stderr.write('fake-claude: control_request without request_id or request, ignored\n');
    return;
  }
  switch (request.subtype) {
    case 'initialize':
      emit({
        type: 'control_response',
        response: {
          subtype: 'success',
          request_id: requestId,
          response: {
            commands: [],
            agents: [],
            output_style: 'default',
            available_output_styles: ['default'],
            models: [{ value: DEFAULT_MODEL, displayName: 'Fake Claude', description: 'Scripted replies, no model' }],
            account: { apiKeySource: 'none', tokenSource: 'none' },
            claude_code_version: VERSION,
          },
          pending_permission_requests: [...pendingPermissions.values()].map((p) => p.request),
        },
      });
      return;
    case 'interrupt':
      // Acknowledged at once; the turn then unwinds and writes its result.
      answerControl(requestId, { still_queued: queue.filter((m) => typeof m.uuid === 'string').map((m) => m.uuid) });
      current?.interrupt();
      return;
    case 'set_model':
      model = request.model ?? DEFAULT_MODEL;
      answerControl(requestId, {});
      return;
    case 'set_permission_mode':
      permissionMode = request.mode;
      answerControl(requestId, {});
      return;
    default:
      emit({
        type: 'control_response',
        response: { subtype: 'error', request_id: requestId, error: `Unsupported control request subtype: ${request.subtype}` },
      });
  }
}

function exitAsInputClosed() {
  process.stderr.write('fake-claude: stdin closed while a turn waits on the client; exiting\n');
  process.exit(0);
}

/** Waits for something only the client can send; once stdin is closed that never comes. */
async function waitForClient(promise) {
  if (inputClosed) exitAsInputClosed();
  waitingOnClient = true;
  try {
    return await promise;
  } finally {
    waitingOnClient = false;
  }
}

/** Asks the client whether a tool may run; resolves with its answer, or null if the turn is interrupted first. */
async function canUseTool(turn, toolName, input, toolUseId) {
  const requestId = randomUUID();
  const request = {
    type: 'control_request',
    request_id: requestId,
    request: { subtype: 'can_use_tool', tool_name: toolName, input, tool_use_id: toolUseId, description: input.description },
  };
  const answered = new Promise((answer) => pendingPermissions.set(requestId, { request, answer }));
  emit(request);
  const answer = await waitForClient(Promise.race([answered, turn.interrupted.then(() => null)]));
  pendingPermissions.delete(requestId);
  if (answer === null) emit({ type: 'control_cancel_request', request_id: requestId });
  return answer;
}

/** Plays one turn for a `user` message, as the markers in its text script it. */
async function runTurn(userMessage) {
  const started = Date.now();
  const turn = new Turn();
  current = turn;
  turnsRun += 1;
  const text = userText(userMessage.message);
  const earlier = transcript.prompts.length;
  const last = earlier === 0 ? null : transcript.prompts.at(-1).text;
  transcript.record({ kind: 'prompt', text, uuid: userMessage.uuid ?? null });

  emit(systemInit());
  if (options['--replay-user-messages']) {
    emit({ ...userMessage, session_id: sessionId, uuid: userMessage.uuid ?? randomUUID(), isReplay: true });
  }
  if (text.includes('[stderr]')) process.stderr.write(`fake-claude: [stderr] marker in session ${sessionId}\n`);

  // One model call per message id; its blocks come as separate `assistant` lines, each with
  // stop_reason still null, as the CLI streams them.
  let modelCall = 1;
  const inputTokens = tokens(text);
  let outputTokens = 0;
  let finalText = '';
  const assistant = (content) => {
    const words = content.map((block) => block.text ?? JSON.stringify(block.input ?? '')).join('');
    outputTokens += tokens(words);
    emit({
      type: 'assistant',
      message: {
        id: `msg_fake_${turnsRun}_${modelCall}`,
        type: 'message',
        role: 'assistant',
        model,
        content,
        stop_reason: null,
        stop_sequence: null,
        usage: usage(inputTokens, tokens(words)),
      },
      parent_tool_use_id: null,
      session_id: sessionId,
      uuid: randomUUID(),
    });
  };
  const say = (words) => {
    assistant([{ type: 'text', text: words }]);
    transcript.record({ kind: 'reply', text: words });
    finalText = words;
  };
  const user = (content, extra = {}) =>
    emit({ type: 'user', message: { role: 'user', content }, parent_tool_use_id: null, session_id: sessionId, uuid: randomUUID(), ...extra });

  let numTurns = 1;
  const permissionDenials = [];
  const finishInterrupted = (toolUseId) => {
    if (toolUseId) {
      user([{ type: 'tool_result', tool_use_id: toolUseId, content: '[Request interrupted by user for tool use]', is_error: true }]);
    } else {
      user([{ type: 'text', text: '[Request interrupted by user]' }]);
    }
    transcript.record({ kind: 'interrupted' });
    emit({
      type: 'result',
      subtype: 'error_during_execution',
      is_error: true,
      duration_ms: Date.now() - started,
      duration_api_ms: 0,
      num_turns: numTurns,
      stop_reason: null,
      session_id: sessionId,
      total_cost_usd: 0,
      usage: usage(inputTokens, outputTokens),
      modelUsage: {},
      permission_denials: permissionDenials,
      errors: [INTERRUPT_DIAGNOSTIC],
      terminal_reason: toolUseId ? 'aborted_tools' : 'aborted_streaming',
      uuid: randomUUID(),
    });
  };

  const chunks = CHUNKS_MARKER.exec(text);
  if (chunks) {
    const count = Number(chunks[1]);
    for (let i = 1; i <= count; i++) say(`chunk ${i} of ${count}\n`);
  } else {
    say(`Echo: ${text}\nEarlier prompts in this session: ${earlier}${last === null ? '' : ` (the last one: ${JSON.stringify(last)})`}`);
  }

  if (text.includes('[crash]')) {
    process.stderr.write(`fake-claude: [crash] marker, exiting with code ${CRASH_EXIT_CODE}\n`);
    process.exit(CRASH_EXIT_CODE);
  }

  if (text.includes('[tool]')) {
    numTurns = 2;
    const toolUseId = `toolu_fake_${earlier + 1}`;
    const input = { command: 'cat notes.txt', description: 'Show notes.txt' };
    assistant([{ type: 'tool_use', id: toolUseId, name: 'Bash', input }]);
    const answer =
      permissionMode === 'bypassPermissions'
        ? { subtype: 'success', response: { behavior: 'allow', updatedInput: input } }
        : await canUseTool(turn, 'Bash', input, toolUseId);
    if (answer === null) return finishInterrupted(toolUseId);
    modelCall += 1;
    if (answer.subtype === 'success' && answer.response?.behavior === 'allow') {
      const command = answer.response.updatedInput?.command ?? input.command;
      const output = `ran: ${command}`;
      user([{ tool_use_id: toolUseId, type: 'tool_result', content: output, is_error: false }], {
        tool_use_result: { stdout: output, stderr: '', interrupted: false, isImage: false },
      });
      say(`The Bash tool was allowed and printed: ${output}`);
    } else {
      const reason = answer.subtype === 'error' ? answer.error : answer.response?.message ?? 'denied';
      user([{ tool_use_id: toolUseId, type: 'tool_result', content: reason, is_error: true }], { tool_use_result: `Error: ${reason}` });
      permissionDenials.push({ tool_name: 'Bash', tool_use_id: toolUseId, tool_input: input });
      say(`The Bash tool was denied: ${reason}`);
    }
  }

  if (text.includes('[slow]')) {
    say('Waiting for an interrupt.');
    await waitForClient(turn.interrupted);
    return finishInterrupted(null);
  }

  if (text.includes('[deaf]')) {
    say('Ignoring interrupts.');
    // A CLI stuck in its turn: an interrupt is acknowledged and changes nothing; only a signal (or closing stdin)
    // ends it.
    await waitForClient(new Promise(() => {}));
  }

  emit({
    type: 'result',
    subtype: 'success',
    is_error: false,
    duration_ms: Date.now() - started,
    duration_api_ms: 0,
    num_turns: numTurns,
    result: finalText,
    stop_reason: 'end_turn',
    session_id: sessionId,
    total_cost_usd: 0,
    usage: usage(inputTokens, outputTokens),
    modelUsage: {
      [model]: {
        inputTokens,
        outputTokens,
        cacheReadInputTokens: 0,
        cacheCreationInputTokens: 0,
        webSearchRequests: 0,
        costUSD: 0,
        contextWindow: 200000,
        maxOutputTokens: 32000,
      },
    },
    permission_denials: permissionDenials,
    terminal_reason: 'completed',
    uuid: randomUUID(),
  });
}

let pumping = false;
async function pump() {
  if (pumping) return;
  pumping = true;
  while (queue.length > 0) {
    await runTurn(queue.shift());
    current = null;
  }
  pumping = false;
  if (inputClosed) process.exit(0);
}

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() === '') return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      fail(`Error parsing streaming input line: ${line}`);
    }
    switch (message?.type) {
      case 'user':
        queue.push(message);
        pump();
        return;
      case 'control_request':
        handleControlRequest(message);
        return;
      case 'control_response': {
        const pending = pendingPermissions.get(message.response?.request_id);
        pending?.answer(message.response);
        return;
      }
      default:
        // keep_alive, control_cancel_request and types this fake does not know are ignored.
        return;
    }
  })
  .on('close', () => {
    // Nothing more can arrive: the queued turns still run, unless one waits on the client.
    inputClosed = true;
    if (!pumping) process.exit(0);
    if (waitingOnClient) exitAsInputClosed();
  });
