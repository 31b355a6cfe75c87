// The devbox API through the official SDK: `sdk.devbox.create` with a broker mount (what Runloop's remote-agents
// examples call), getInfo, suspend / awaitSuspended, resume (resumeAsync + awaitRunning), keepAlive, shutdown,
// and the generated client's list, createAndAwaitRunning, awaitSuspended with its 408 long-poll loop, and refusals.
//
// This file starts its own server running the real broker, with the ACP agent of `test-agents/` (`acp-agent.mjs`)
// configured as the agent `acp-agent`: suspend freezes its process and resume thaws it. What the broker relays is
// covered by `agents.test.mjs`; these tests check the devbox API around it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { Devbox, PollingTimeoutError, UnprocessableEntityError } from '@runloop/api-client';

import { recordingFetch } from '../lib/events.mjs';
import { launchServer } from '../lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ACP_AGENT = resolve(process.env.MYELIN_TEST_AGENTS ?? resolve(here, '../../test-agents'), 'acp-agent.mjs');

let server;
let client;
let sdk;
before(async () => {
  server = await launchServer({
    MYELIN_AGENTS_BINARIES: JSON.stringify({ 'acp-agent': [process.execPath, ACP_AGENT] }),
    MYELIN_DEVBOXES_ALLOW_COMMANDS: 'true',
    MYELIN_DEVBOXES_WAIT_TIMEOUT: '1s',
    MYELIN_DEVBOXES_BLUEPRINTS: '{"axon-agents": {"agent-binaries": ["acp-agent"]}}',
  });
  client = server.client();
  sdk = server.sdk();
});
after(() => server?.stop());

/** The `devbox.*` events on an axon, oldest first, as `type reason`. */
async function lifecycleEvents(axonId, devboxId) {
  const page = await client.axons.events.list(axonId, { limit: 100 });
  return page.events.slice().reverse()
    .filter((e) => e.event_type.startsWith('devbox.'))
    .map((e) => {
      assert.equal(e.origin, 'SYSTEM_EVENT');
      const payload = JSON.parse(e.payload);
      assert.equal(payload.devbox_id, devboxId);
      return `${e.event_type} ${payload.reason ?? '-'}`;
    });
}

describe('sdk.devbox', () => {
  test('create with a broker mount, suspend, resume, shut down', async () => {
    const axon = await sdk.axon.create({ name: 'devbox-compat' });
    const devbox = await sdk.devbox.create({
      name: 'compat-agent',
      blueprint_name: 'axon-agents',
      environment_variables: { GREETING: 'hi' },
      mounts: [{ type: 'broker_mount', axon_id: axon.id, protocol: 'acp', agent_binary: 'acp-agent', launch_args: [] }],
      launch_parameters: {
        launch_commands: ['echo "$GREETING" > hello.txt'],
        lifecycle: { after_idle: { idle_time_seconds: 3600, on_idle: 'suspend' }, resume_triggers: { axon_event: true } },
      },
    });
    assert.ok(devbox instanceof Devbox);
    assert.match(devbox.id, /^dbx_[a-z2-7]{26}$/);

    const info = await devbox.getInfo();
    assert.equal(info.status, 'running');
    assert.equal(info.name, 'compat-agent');
    assert.equal(info.end_time_ms, null);
    assert.deepEqual(info.launch_parameters.lifecycle.after_idle, { idle_time_seconds: 3600, on_idle: 'suspend' });
    assert.deepEqual(info.state_transitions.map((t) => t.status), ['provisioning', 'initializing', 'running']);
    const workspace = join(server.dataDir, 'devboxes', devbox.id);
    assert.equal(readFileSync(join(workspace, 'hello.txt'), 'utf8').trim(), 'hi');

    await devbox.suspend();
    assert.equal((await devbox.awaitSuspended()).status, 'suspended');
    await devbox.keepAlive();
    const resumed = await devbox.resume();
    assert.equal(resumed.status, 'running');

    const shut = await devbox.shutdown();
    assert.equal(shut.status, 'shutdown');
    assert.equal(shut.shutdown_reason, 'api_shutdown');
    assert.equal(typeof shut.end_time_ms, 'number');
    assert.deepEqual(await lifecycleEvents(axon.id, devbox.id),
      ['devbox.running -', 'devbox.suspended api_suspend', 'devbox.running resume', 'devbox.shutdown api_shutdown']);
  });

  test('list returns Devbox objects bound to their ids', async () => {
    const created = await sdk.devbox.create({ name: 'compat-listed' });
    const listed = await sdk.devbox.list({ limit: 100, status: 'running' });
    assert.ok(listed.some((d) => d instanceof Devbox && d.id === created.id));
    await created.shutdown();
  });
});

describe('client.devboxes', () => {
  test('createAndAwaitRunning answers a running devbox', async () => {
    const d = await client.devboxes.createAndAwaitRunning({ launch_parameters: { launch_commands: ['true'] } });
    assert.equal(d.status, 'running');
    assert.equal((await client.devboxes.retrieve(d.id)).id, d.id);
    await client.devboxes.shutdown(d.id);
  });

  test('awaitSuspended keeps long-polling through 408s until its own deadline', async () => {
    const d = await client.devboxes.createAndAwaitRunning({});
    const recorder = recordingFetch();
    const watching = server.client({ fetch: recorder.fetch });
    await assert.rejects(watching.devboxes.awaitSuspended(d.id, { longPoll: { timeoutMs: 2500 } }), PollingTimeoutError);
    const polls = recorder.urls.filter((u) => u.endsWith(`/v1/devboxes/${d.id}/wait_for_status`));
    assert.ok(polls.length >= 2, `the SDK asked again after the server's 408 (${polls.length} polls)`);
    await client.devboxes.shutdown(d.id);
  });

  test('list pages with for await and filters by status', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await client.devboxes.create({ name: `compat-page-${i}` })).id);
    for (const id of ids) await client.devboxes.awaitRunning(id);
    const seen = [];
    for await (const d of client.devboxes.list({ limit: 1 })) seen.push(d.id);
    for (const id of ids) assert.ok(seen.includes(id), `${id} listed`);
    await client.devboxes.shutdown(ids[0]);
    const shut = [];
    for await (const d of client.devboxes.list({ status: 'shutdown' })) shut.push(d.id);
    assert.ok(shut.includes(ids[0]));
    assert.ok(!shut.includes(ids[1]));
    for (const id of ids.slice(1)) await client.devboxes.shutdown(id);
  });

  test('fields Myelin cannot honour are refused with 422 naming them', async () => {
    const cases = [
      [{ gateways: { GWS_ANTHROPIC: { gateway: 'anthropic', secret: 'key' } } }, 'gateways'],
      [{ tunnel: { auth_mode: 'open' } }, 'tunnel'],
      [{ snapshot_id: 'snp_1' }, 'snapshot_id'],
      [{ launch_parameters: { resource_size_request: 'LARGE' } }, 'launch_parameters.resource_size_request'],
      [{ mounts: [{ type: 'code_mount', repo_name: 'r', repo_owner: 'o' }] }, 'mounts[0].type'],
    ];
    for (const [body, field] of cases) {
      await assert.rejects(client.devboxes.create(body), (e) => {
        assert.ok(e instanceof UnprocessableEntityError, `${field}: ${e}`);
        assert.equal(e.error.error.field, field);
        return true;
      });
    }
    const axon = await client.axons.create({});
    await assert.rejects(
      client.devboxes.create({ mounts: [{ type: 'broker_mount', axon_id: axon.id, agent_binary: 'opencode' }] }),
      (e) => e instanceof UnprocessableEntityError && e.error.error.field === 'mounts[0].agent_binary'
        && /agents\.binaries/.test(e.error.error.message));
  });
});
