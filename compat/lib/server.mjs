// Starts one fresh Myelin server per test file and hands out SDK clients bound to it.
//
// Each server gets its own free port, an empty temporary data directory and a random admin
// key, so test files are isolated from each other and from anything left on disk.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { Runloop, RunloopSDK } from '@runloop/api-client';

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_JAR = resolve(here, '../../myelin-cli/target/myelin.jar');
const FALLBACK_JAVA = '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java';
/** Idle timeout the suite runs the server with: short, so the 408 reconnect path is exercised quickly. */
export const SSE_IDLE_TIMEOUT_MS = 2000;
/** Heartbeat interval the suite runs with: well inside the idle timeout, so streams see pings. */
export const SSE_HEARTBEAT_MS = 500;
const STARTUP_DEADLINE_MS = 60_000;
const useHttp1 = process.env.MYELIN_COMPAT_HTTP1 === '1';

function javaBinary() {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, 'bin', 'java'))) return join(home, 'bin', 'java');
  return FALLBACK_JAVA;
}

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

async function waitHealthy(baseURL, child, output) {
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode} before becoming healthy:\n${output.join('')}`);
    }
    try {
      const res = await fetch(`${baseURL}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`server not healthy after ${STARTUP_DEADLINE_MS} ms:\n${output.join('')}`);
}

/**
 * A running server. Call {@link stop} when done (typically from `after()`).
 */
export class TestServer {
  constructor({ child, baseURL, key, dataDir, output }) {
    this.child = child;
    this.baseURL = baseURL;
    this.key = key;
    this.dataDir = dataDir;
    this.output = output;
  }

  /**
   * Low-level generated client. `maxRetries: 0` so error statuses surface at once.
   *
   * On Node the SDK's default transport is HTTP/2, which over an `http://` URL means cleartext
   * HTTP/2 with prior knowledge (h2c). The suite uses that default, as users do;
   * `MYELIN_COMPAT_HTTP1=1` pins HTTP/1.1 (`http2: false`) for everything instead, and
   * `transport.test.mjs` checks both transports side by side.
   */
  client(options = {}) {
    return new Runloop(this.#clientOptions(options));
  }

  /** Object-oriented SDK surface (`sdk.axon.create()` returning `Axon` instances). */
  sdk(options = {}) {
    return new RunloopSDK(this.#clientOptions(options));
  }

  #clientOptions(options) {
    const transport = useHttp1 ? { http2: false } : {};
    return { baseURL: this.baseURL, bearerToken: this.key, maxRetries: 0, ...transport, ...options };
  }

  /** Plain fetch with the admin key, for checks the SDK cannot express (raw headers, SSE framing). */
  fetch(path, init = {}) {
    return fetch(`${this.baseURL}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${this.key}`, ...(init.headers ?? {}) },
    });
  }

  async stop() {
    if (this.shared) return; // owned by the runner that started it
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!killed) {
        this.child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * The server for a test file: the shared one when the suite runner (`run.mjs`) started it and
 * exported its address, otherwise a private one (when a single file is run on its own).
 */
export async function startServer() {
  const url = process.env.MYELIN_COMPAT_URL;
  const key = process.env.MYELIN_COMPAT_KEY;
  if (url && key) {
    const server = new TestServer({ child: null, baseURL: url, key, dataDir: null, output: [] });
    server.shared = true;
    return server;
  }
  return launchServer();
}

/**
 * Starts a server (`myelin serve` from `$MYELIN_JAR`, with the real broker for devbox mounts) and waits until
 * `GET /healthz` answers 200. `extraEnv` adds settings (`MYELIN_*` variables, e.g. `MYELIN_AGENTS_BINARIES`).
 */
export async function launchServer(extraEnv = {}) {
  const jar = process.env.MYELIN_JAR ? resolve(process.env.MYELIN_JAR) : DEFAULT_JAR;
  if (!existsSync(jar)) {
    throw new Error(`server jar not found at ${jar}; build it with: mvn -B -DskipTests -pl myelin-cli -am package`);
  }
  const launch = ['-jar', jar, 'serve'];
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'myelin-compat-'));
  const key = randomBytes(24).toString('hex');
  const baseURL = `http://127.0.0.1:${port}`;
  const output = [];
  const child = spawn(
    javaBinary(),
    [
      '--enable-native-access=ALL-UNNAMED',
      '-Xmx256m',
      ...launch,
      '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir,
    ],
    {
      env: {
        ...process.env,
        MYELIN_ADMIN_KEY: key,
        MYELIN_SSE_IDLE_TIMEOUT: `${SSE_IDLE_TIMEOUT_MS / 1000}s`,
        MYELIN_SSE_HEARTBEAT: `${SSE_HEARTBEAT_MS}ms`,
        // webhooks.test.mjs pushes to a receiver on loopback and fails attempts on purpose
        MYELIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
        MYELIN_WEBHOOKS_RETRY_SCHEDULE: '0s,50ms,50ms,50ms',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Keep the server's log for failure messages; print it live only when asked.
  const verbose = !!process.env.MYELIN_COMPAT_VERBOSE;
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      output.push(chunk);
      if (verbose) process.stderr.write(chunk);
    });
  }
  const server = new TestServer({ child, baseURL, key, dataDir, output });
  try {
    await waitHealthy(baseURL, child, output);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}
