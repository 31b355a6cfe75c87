// A child process that speaks one JSON value per line on stdin/stdout, read the way a broker reads
// it: tests wait for lines (never for time) and take them in the order the process wrote them.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class JsonLinesProcess {
  /**
   * Starts `command args` with piped stdio. `env` is added to this process's environment.
   * @returns {JsonLinesProcess}
   */
  static start(command, args, { cwd, env = {} } = {}) {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    return new JsonLinesProcess(child, [command, ...args].join(' '));
  }

  constructor(child, label) {
    this.child = child;
    this.label = label;
    /** Every stdout line so far, parsed; a line that is not JSON is kept as `{unparsable: line}`. */
    this.messages = [];
    this.cursor = 0;
    this.stderrLines = [];
    this.wakers = new Set();
    this.ended = false;
    running.add(child);
    const exit = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal });
      });
    });
    const stdoutDone = new Promise((resolve) => {
      createInterface({ input: child.stdout })
        .on('line', (line) => {
          let message;
          try {
            message = JSON.parse(line);
          } catch {
            message = { unparsable: line };
          }
          this.messages.push(message);
          this.wake();
        })
        .on('close', resolve);
    });
    const stderrDone = new Promise((resolve) => {
      createInterface({ input: child.stderr })
        .on('line', (line) => {
          this.stderrLines.push(line);
          this.wake();
        })
        .on('close', resolve);
    });
    /** The exit `{code, signal}`, once every line the process wrote has been read too. */
    this.exited = Promise.all([stdoutDone, stderrDone, exit]).then(([, , status]) => {
      this.ended = true;
      this.wake();
      return status;
    });
    // A process that died has closed its stdin; writing to it then must not crash the test.
    child.stdin.on('error', () => {});
  }

  wake() {
    for (const waker of this.wakers) waker();
  }

  /** Resolves when `check()` returns something other than undefined; rejects once the process has ended without. */
  async waitFor(check, what) {
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (this.ended) {
        const { code, signal } = await this.exited;
        throw new Error(
          `${this.label} ended (code ${code}, signal ${signal}) before ${what}.\n` +
            `stdout:\n${this.messages.map((m) => JSON.stringify(m)).join('\n')}\nstderr:\n${this.stderrLines.join('\n')}`,
        );
      }
      await new Promise((resolve) => {
        const waker = () => {
          this.wakers.delete(waker);
          resolve();
        };
        this.wakers.add(waker);
      });
    }
  }

  /** Writes one line of JSON to the process's stdin. */
  send(message) {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /**
   * Waits for the first message after the cursor that satisfies `predicate` and returns every
   * message from the cursor up to and including it; the cursor moves past it.
   */
  async until(predicate, what = 'the expected message') {
    return this.waitFor(() => {
      for (let i = this.cursor; i < this.messages.length; i++) {
        if (predicate(this.messages[i])) {
          const taken = this.messages.slice(this.cursor, i + 1);
          this.cursor = i + 1;
          return taken;
        }
      }
      return undefined;
    }, what);
  }

  /** Like {@link until} but returns only the matching message. */
  async next(predicate, what) {
    return (await this.until(predicate, what)).at(-1);
  }

  /** Waits for a stderr line that satisfies `predicate` and returns it. */
  async stderrLine(predicate, what = 'the expected stderr line') {
    return this.waitFor(() => this.stderrLines.find(predicate), what);
  }

  closeStdin() {
    this.child.stdin.end();
  }

  /** Sends `signal` and waits for the exit. */
  async kill(signal = 'SIGKILL') {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
