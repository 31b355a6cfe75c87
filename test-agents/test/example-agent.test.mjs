// The official ACP example agent of @agentclientprotocol/sdk 1.9.0, which the broker tests run as
// a real third-party agent: check it is installed and does what they rely on. Its turn paces
// itself with one-second timers of its own, so a turn takes about five seconds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { AcpPeer, agentText, isPermissionRequest, isUpdate } from './lib/acp-client.mjs';

const exampleAgent = fileURLToPath(
  new URL('../node_modules/@agentclientprotocol/sdk/dist/examples/agent.js', import.meta.url),
);

const peers = [];
after(() => Promise.all(peers.map((peer) => peer.kill())));

test('the official example agent is installed', () => {
  assert.ok(fs.existsSync(exampleAgent), `${exampleAgent} exists (run npm ci in test-agents)`);
});

// The two turns run side by side: each spends its time in the agent's own timers.
describe('the official example agent', { concurrency: true }, () => {
  for (const optionId of ['allow', 'reject']) {
    test(`chunks, a tool call, a permission request (${optionId}), end_turn`, { timeout: 60_000 }, async () => {
      const peer = AcpPeer.start(exampleAgent, { cwd: os.tmpdir() });
      peers.push(peer);
      const init = await peer.initialize();
      assert.equal(init.protocolVersion, 1);
      assert.equal(init.agentCapabilities.loadSession, false);
      const sessionId = await peer.newSession(os.tmpdir());

      const promptId = peer.send('session/prompt', peer.promptParams(sessionId, 'hello'));
      const beforePermission = await peer.lines.until(isPermissionRequest, 'session/request_permission');
      const request = beforePermission.at(-1);
      const kinds = beforePermission.filter(isUpdate).map((m) => m.params.update.sessionUpdate);
      assert.deepEqual(kinds, ['agent_message_chunk', 'tool_call', 'tool_call_update', 'agent_message_chunk', 'tool_call']);
      assert.equal(request.params.sessionId, sessionId);
      assert.deepEqual(request.params.options.map((o) => o.optionId), ['allow', 'reject']);

      peer.respond(request, { outcome: { outcome: 'selected', optionId } });
      const rest = await peer.untilResponse(promptId);
      assert.deepEqual(rest.at(-1).result, { stopReason: 'end_turn' });
      assert.match(agentText(rest), optionId === 'allow' ? /successfully updated/ : /skip the configuration update/);
    });
  }
});
