// An ACP agent that misbehaves on purpose, for the broker's process-supervision tests (see README.md).
// Plain newline-delimited JSON-RPC; no dependencies. Options (any order):
//   --escape-at=start|prompt  at start-up (before reading anything) or on session/prompt: starts a child in a
//                             session of its own (setsid) that inherits stdout, then exits (0 at start, 3 on prompt)
//   --pid-file=PATH           writes the escaped child's pid there before exiting (so that a test can kill it)
//   --stubborn                ignores SIGTERM, SIGHUP and the end of stdin (only SIGKILL ends it)
//   --test-tag=X              ignored; lets a test find the process
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const opt = name => process.argv.slice(2).find(a => a === `--${name}` || a.startsWith(`--${name}=`))
  ?.split('=').slice(1).join('=');
const escapeAt = opt('escape-at');
const pidFile = opt('pid-file');
const stubborn = opt('stubborn') !== undefined;
const send = o => process.stdout.write(JSON.stringify(o) + '\n');

function escape(code) {
  // detached: node calls setsid() in the child, so it leaves the agent's group and keeps its pid (for --pid-file)
  const child = spawn('sleep', ['600'], { stdio: ['ignore', 'inherit', 'ignore'], detached: true });
  child.unref();
  if (pidFile) writeFileSync(pidFile, String(child.pid));
  process.stderr.write(`hostile-agent: escaped child ${child.pid}; exiting ${code}\n`);
  process.exit(code);
}

if (stubborn) {
  process.on('SIGTERM', () => process.stderr.write('hostile-agent: ignoring SIGTERM\n'));
  process.on('SIGHUP', () => {});
  setInterval(() => {}, 1 << 30); // stays alive after stdin ends
}
if (escapeAt === 'start') escape(0);

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', line => {
  let m;
  try { m = JSON.parse(line); } catch { return; }
  if (m.method === 'initialize') send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: 1, agentCapabilities: {} } });
  else if (m.method === 'session/new') send({ jsonrpc: '2.0', id: m.id, result: { sessionId: `s-${process.pid}` } });
  else if (m.method === 'session/prompt') {
    if (escapeAt === 'prompt') escape(3);
    send({ jsonrpc: '2.0', method: 'session/update', params: { sessionId: m.params?.sessionId,
      update: { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: `pid ${process.pid}` } } } });
    send({ jsonrpc: '2.0', id: m.id, result: { stopReason: 'end_turn' } });
  } else if (m.id !== undefined && m.method) send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } });
});
