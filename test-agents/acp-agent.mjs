#!/usr/bin/env node
// An ACP agent (Agent Client Protocol v1: newline-delimited JSON-RPC 2.0 over stdin/stdout) that
// advertises `loadSession` and keeps every session in an append-only file, so a client can kill
// it, start it again and `session/load` the conversation. It does nothing clever: what it says is
// decided by markers in the prompt text, so tests can script a turn (see README.md).
//
// Sessions live in $ACP_AGENT_STATE_DIR/.acp-agent/<sessionId>.jsonl (default: the working
// directory). Each line is one record, written before the matching message leaves the process:
//   {"kind":"session","sessionId":…,"cwd":…}   first line, written by session/new
//   {"kind":"prompt","prompt":[ContentBlock…]}  a user prompt, replayed as user_message_chunk
//   {"kind":"update","update":SessionUpdate}    something the agent sent, replayed verbatim
// A line cut short by a kill is ignored when the file is read back.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';

import * as acp from '@agentclientprotocol/sdk';

const AGENT_NAME = 'myelin-test-acp-agent';
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CHUNKS_MARKER = /\[chunks (\d{1,7})\]/;
/** Exit code of the `[crash]` marker, so tests can tell a scripted crash from a real one. */
const CRASH_EXIT_CODE = 3;

const stateDir = path.join(path.resolve(process.env.ACP_AGENT_STATE_DIR || process.cwd()), '.acp-agent');

/** One turn in progress: `session/cancel` settles `cancelled`, which `[slow]` waits on. */
class Turn {
  constructor() {
    this.isCancelled = false;
    this.cancelled = new Promise((resolve) => {
      this.cancel = () => {
        this.isCancelled = true;
        resolve();
      };
    });
  }
}

/** A session open in this process, backed by its file. */
class Session {
  constructor(id, file, fd) {
    this.id = id;
    this.file = file;
    this.fd = fd;
    this.prompts = 0;
    this.lastPrompt = null;
    this.turn = null;
  }

  /** Appends a record synchronously: once a message is sent, its record is on disk. */
  record(entry) {
    fs.writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    if (entry.kind === 'prompt') {
      this.prompts += 1;
      this.lastPrompt = promptText(entry.prompt);
    }
  }
}

/** The text of a prompt: its text blocks joined; other blocks as their JSON, so nothing is lost. */
function promptText(blocks) {
  return blocks.map((block) => (block.type === 'text' ? block.text : JSON.stringify(block))).join('\n');
}

function sessionFile(sessionId) {
  return path.join(stateDir, `${sessionId}.jsonl`);
}

/** Reads a session file back; a torn last line (the process was killed mid-write) is dropped. */
function readRecords(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const records = [];
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch (error) {
      if (index < lines.length - 1 && lines.slice(index + 1).some((rest) => rest !== '')) throw error;
    }
  }
  return records;
}

class TestAgent {
  constructor() {
    /** @type {Map<string, Session>} */
    this.sessions = new Map();
  }

  initialize() {
    return {
      protocolVersion: acp.PROTOCOL_VERSION,
      agentCapabilities: {
        loadSession: true,
        promptCapabilities: { image: false, audio: false, embeddedContext: true },
      },
      agentInfo: { name: AGENT_NAME, version: '0.1.0' },
      authMethods: [],
    };
  }

  newSession(params) {
    const id = randomUUID();
    fs.mkdirSync(stateDir, { recursive: true });
    const file = sessionFile(id);
    const session = new Session(id, file, fs.openSync(file, 'a'));
    session.record({ kind: 'session', sessionId: id, cwd: params.cwd });
    this.sessions.set(id, session);
    return { sessionId: id };
  }

  /** Replays the stored conversation as `session/update` notifications, then answers (ACP session/load). */
  async loadSession(params, client) {
    const file = SESSION_ID.test(params.sessionId) ? sessionFile(params.sessionId) : null;
    if (file === null || !fs.existsSync(file)) {
      throw acp.RequestError.invalidParams({ sessionId: params.sessionId }, `Unknown session ${params.sessionId}`);
    }
    const open = this.sessions.get(params.sessionId);
    if (open?.turn) {
      throw acp.RequestError.invalidRequest({ sessionId: params.sessionId }, 'A prompt is running in this session');
    }
    if (open) fs.closeSync(open.fd);
    const session = new Session(params.sessionId, file, fs.openSync(file, 'a'));
    for (const entry of readRecords(file)) {
      if (entry.kind === 'prompt') {
        session.prompts += 1;
        session.lastPrompt = promptText(entry.prompt);
        for (const content of entry.prompt) {
          await client.notify(acp.methods.client.session.update, {
            sessionId: session.id,
            update: { sessionUpdate: 'user_message_chunk', content },
          });
        }
      } else if (entry.kind === 'update') {
        await client.notify(acp.methods.client.session.update, { sessionId: session.id, update: entry.update });
      }
    }
    this.sessions.set(session.id, session);
    return {};
  }

  async prompt(params, client) {
    const session = this.sessions.get(params.sessionId);
    if (!session) {
      throw acp.RequestError.invalidParams(
        { sessionId: params.sessionId },
        `Unknown session ${params.sessionId}: create it with session/new or open it with session/load`,
      );
    }
    if (session.turn) {
      throw acp.RequestError.invalidRequest({ sessionId: session.id }, 'A prompt is already running in this session');
    }
    const earlier = { count: session.prompts, last: session.lastPrompt };
    session.record({ kind: 'prompt', prompt: params.prompt });
    const turn = new Turn();
    session.turn = turn;
    try {
      return { stopReason: await this.runTurn(session, turn, promptText(params.prompt), earlier, client) };
    } finally {
      session.turn = null;
    }
  }

  cancel(params) {
    this.sessions.get(params.sessionId)?.turn?.cancel();
  }

  /** Plays the turn the markers in `text` ask for and returns its stop reason. */
  async runTurn(session, turn, text, earlier, client) {
    const send = async (update) => {
      session.record({ kind: 'update', update });
      await client.notify(acp.methods.client.session.update, { sessionId: session.id, update });
    };
    const say = (words) => send({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: words } });
    const callId = (what) => `call-${earlier.count + 1}-${what}`;

    if (text.includes('[stderr]')) {
      process.stderr.write(`${AGENT_NAME}: [stderr] marker in session ${session.id}\n`);
    }
    const chunks = CHUNKS_MARKER.exec(text);
    if (chunks) {
      const count = Number(chunks[1]);
      for (let i = 1; i <= count; i++) await say(`chunk ${i} of ${count}\n`);
    } else {
      await say('Echo: ');
      await say(text);
      await say(
        `\nEarlier prompts in this session: ${earlier.count}` +
          (earlier.last === null ? '' : ` (the last one: ${JSON.stringify(earlier.last)})`),
      );
    }
    if (text.includes('[crash]')) {
      process.stderr.write(`${AGENT_NAME}: [crash] marker, exiting with code ${CRASH_EXIT_CODE}\n`);
      process.exit(CRASH_EXIT_CODE);
    }
    if (turn.isCancelled) return 'cancelled';

    if (text.includes('[tool]')) {
      const toolCallId = callId('tool');
      await send({
        sessionUpdate: 'tool_call',
        toolCallId,
        title: 'Reading notes.txt',
        kind: 'read',
        status: 'pending',
        locations: [{ path: 'notes.txt' }],
        rawInput: { path: 'notes.txt' },
      });
      await send({
        sessionUpdate: 'tool_call_update',
        toolCallId,
        status: 'completed',
        content: [{ type: 'content', content: { type: 'text', text: 'contents of notes.txt' } }],
        rawOutput: { content: 'contents of notes.txt' },
      });
      if (turn.isCancelled) return 'cancelled';
    }

    if (text.includes('[permission]')) {
      const toolCall = {
        toolCallId: callId('permission'),
        title: 'Writing notes.txt',
        kind: 'edit',
        status: 'pending',
        locations: [{ path: 'notes.txt' }],
        rawInput: { path: 'notes.txt', content: 'new notes' },
      };
      await send({ sessionUpdate: 'tool_call', ...toolCall });
      // Per the spec a client that cancels answers pending permission requests with the
      // `cancelled` outcome, so this waits for the answer even after session/cancel.
      const { outcome } = await client.request(acp.methods.client.session.requestPermission, {
        sessionId: session.id,
        toolCall,
        options: [
          { optionId: 'allow', name: 'Allow', kind: 'allow_once' },
          { optionId: 'reject', name: 'Reject', kind: 'reject_once' },
        ],
      });
      const allowed = outcome.outcome === 'selected' && outcome.optionId === 'allow';
      await say(
        outcome.outcome === 'selected' ? `Permission answer: selected ${outcome.optionId}` : 'Permission answer: cancelled',
      );
      await send({ sessionUpdate: 'tool_call_update', toolCallId: toolCall.toolCallId, status: allowed ? 'completed' : 'failed' });
      if (outcome.outcome === 'cancelled' || turn.isCancelled) return 'cancelled';
    }

    if (text.includes('[slow]')) {
      await say('Waiting for session/cancel.');
      await turn.cancelled;
      return 'cancelled';
    }

    if (text.includes('[deaf]')) {
      await say('Ignoring session/cancel.');
      // An agent stuck in its turn: session/cancel changes nothing; only a signal (or closing stdin) ends it.
      await new Promise(() => {});
    }

    return turn.isCancelled ? 'cancelled' : 'end_turn';
  }
}

const agent = new TestAgent();
const connection = acp
  .agent({ name: AGENT_NAME })
  .onRequest('initialize', () => agent.initialize())
  .onRequest('authenticate', () => ({}))
  .onRequest('session/new', (ctx) => agent.newSession(ctx.params))
  .onRequest('session/load', (ctx) => agent.loadSession(ctx.params, ctx.client))
  .onRequest('session/prompt', (ctx) => agent.prompt(ctx.params, ctx.client))
  .onNotification('session/cancel', (ctx) => agent.cancel(ctx.params))
  .connect(acp.ndJsonStream(Writable.toWeb(process.stdout), Readable.toWeb(process.stdin)));

// The client closing stdin ends the agent, even with a `[slow]` turn still waiting.
connection.closed.then(() => process.exit(0));
