// `npm test`: starts one server for the whole suite, runs every test file against it with
// node's test runner, then stops the server. JVM start-up dominates the suite's time on a
// small machine, so the files share one server and keep their data apart by unique names.
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchServer } from './lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const server = await launchServer();
let code = 1;
try {
  code = await new Promise((resolveCode) => {
    const child = spawn(process.execPath, ['--test', '--test-concurrency=4', ...process.argv.slice(2), 'test/'], {
      cwd: here,
      stdio: 'inherit',
      env: { ...process.env, MYELIN_COMPAT_URL: server.baseURL, MYELIN_COMPAT_KEY: server.key },
    });
    child.on('exit', (c, signal) => resolveCode(c ?? (signal ? 1 : 0)));
  });
} finally {
  if (code !== 0 && process.env.MYELIN_COMPAT_VERBOSE !== '1') {
    process.stderr.write(`\n--- server log ---\n${server.output.join('')}\n`);
  }
  await server.stop();
}
process.exit(code);
