// Axon SQL through the official SDK: the documentation's walkthrough and patterns, result shapes and errors.
// (`axon.sql.query()` / `axon.sql.batch()` on the object surface; `client.axons.sql.*` underneath.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BadRequestError, NotFoundError, PermissionDeniedError } from '@runloop/api-client';

import { startServer } from '../lib/server.mjs';

let server;
let sdk;
let client;
before(async () => {
  server = await startServer();
  sdk = server.sdk();
  client = server.client();
});
after(() => server?.stop());

describe('Axon SQL', () => {
  test('getting started walkthrough', async () => {
    const axon = await sdk.axon.create({ name: 'task-tracker' });
    await axon.sql.batch({
      statements: [
        { sql: "CREATE TABLE IF NOT EXISTS tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL DEFAULT (datetime('now')))" },
        { sql: 'CREATE INDEX IF NOT EXISTS idx_tasks_done ON tasks(done)' },
      ],
    });
    await axon.sql.query({ sql: 'INSERT INTO tasks (title) VALUES (?)', params: ['Review the latest PR'] });
    const ins = await axon.sql.query({ sql: 'INSERT INTO tasks (title) VALUES (?)', params: ['Update CI pipeline'] });
    assert.equal(ins.meta.changes, 1);
    assert.deepEqual(ins.rows, []);

    const result = await axon.sql.query({ sql: 'SELECT id, title, done FROM tasks WHERE done = 0' });
    assert.deepEqual(result.columns, [
      { name: 'id', type: 'INTEGER' },
      { name: 'title', type: 'TEXT' },
      { name: 'done', type: 'INTEGER' },
    ]);
    assert.deepEqual(result.rows, [[1, 'Review the latest PR', 0], [2, 'Update CI pipeline', 0]]);
    assert.equal(result.meta.changes, 0);
    assert.equal(typeof result.meta.duration_ms, 'number');
    assert.equal(result.meta.rows_read_limit_reached, false);

    const tx = await axon.sql.batch({
      statements: [
        { sql: 'UPDATE tasks SET done = 1 WHERE id = ?', params: [1] },
        { sql: 'INSERT INTO tasks (title) VALUES (?)', params: ['Deploy to staging'] },
        { sql: 'SELECT * FROM tasks' },
      ],
    });
    assert.equal(tx.results.length, 3);
    assert.equal(tx.results[0].success.meta.changes, 1);
    assert.equal(tx.results[2].success.rows.length, 3);
    assert.ok(tx.results.every((r) => !r.error));
  });

  test('parameters: booleans become 0/1, LIKE patterns bind safely', async () => {
    const axon = await sdk.axon.create();
    await axon.sql.query({ sql: 'CREATE TABLE t (flag INTEGER, title TEXT)' });
    await axon.sql.query({ sql: 'INSERT INTO t VALUES (?, ?)', params: [true, "it's a PR; DROP TABLE t"] });
    const r = await axon.sql.query({ sql: 'SELECT flag, title FROM t WHERE flag = ? AND title LIKE ?', params: [1, '%PR%'] });
    assert.deepEqual(r.rows, [[1, "it's a PR; DROP TABLE t"]]);
  });

  test('a failing batch rolls back every write and reports the failing step', async () => {
    const axon = await sdk.axon.create();
    await axon.sql.query({ sql: 'CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL)' });
    const result = await axon.sql.batch({
      statements: [
        { sql: 'INSERT INTO tasks (title) VALUES (?)', params: ['Valid insert'] },
        { sql: 'INSERT INTO nonexistent (col) VALUES (?)', params: ['This fails'] },
        { sql: 'INSERT INTO tasks (title) VALUES (?)', params: ['never runs'] },
      ],
    });
    assert.equal(result.results.length, 3);
    assert.ok(result.results[0].success);
    assert.match(result.results[1].error.message, /no such table: nonexistent/);
    assert.ok(result.results[2].error, 'steps after the failure say they did not run');
    const count = await axon.sql.query({ sql: 'SELECT count(*) AS n FROM tasks' });
    assert.deepEqual(count.rows, [[0]]);

    const notNull = await axon.sql.batch({ statements: [{ sql: 'INSERT INTO tasks (title) VALUES (NULL)' }] });
    assert.match(notNull.results[0].error.message, /NOT NULL/);
  });

  test('query errors are BadRequestError; escapes are refused; unknown axon is NotFoundError', async () => {
    const axon = await sdk.axon.create();
    await assert.rejects(axon.sql.query({ sql: 'SELECT * FROM nonexistent_table' }), BadRequestError);
    await assert.rejects(axon.sql.query({ sql: 'SELECT 1; SELECT 2' }), BadRequestError);
    await assert.rejects(axon.sql.query({ sql: "ATTACH DATABASE '/tmp/x.db' AS x" }), PermissionDeniedError);
    await assert.rejects(axon.sql.query({ sql: 'PRAGMA journal_mode=off' }), PermissionDeniedError);
    await assert.rejects(client.axons.sql.query('axn_doesnotexist', { sql: 'SELECT 1' }), NotFoundError);
  });

  test('key-value store pattern', async () => {
    const axon = await sdk.axon.create();
    await axon.sql.batch({
      statements: [
        { sql: 'CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)' },
        { sql: 'INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)', params: ['cursor', 'evt_42'] },
        { sql: 'INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)', params: ['status', 'running'] },
      ],
    });
    const r = await axon.sql.query({ sql: 'SELECT value FROM kv WHERE key = ?', params: ['cursor'] });
    assert.deepEqual(r.rows, [['evt_42']]);
  });

  test('task queue with claim via UPDATE ... RETURNING', async () => {
    const axon = await sdk.axon.create();
    await axon.sql.query({ sql: "CREATE TABLE IF NOT EXISTS queue (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, claimed INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL DEFAULT (datetime('now')))" });
    await axon.sql.query({ sql: 'INSERT INTO queue (payload) VALUES (?)', params: ['{"task": "run-tests", "repo": "runloop"}'] });
    await axon.sql.query({ sql: 'INSERT INTO queue (payload) VALUES (?)', params: ['{"task": "second"}'] });
    const claim = () => axon.sql.batch({
      statements: [{ sql: 'UPDATE queue SET claimed = 1 WHERE id = (SELECT id FROM queue WHERE claimed = 0 ORDER BY id LIMIT 1) RETURNING *' }],
    });
    const first = await claim();
    assert.equal(first.results[0].success.rows[0][1], '{"task": "run-tests", "repo": "runloop"}');
    const second = await claim();
    assert.equal(second.results[0].success.rows[0][0], 2);
    const third = await claim();
    assert.deepEqual(third.results[0].success.rows, []);
  });

  test('schema versioning with ALTER TABLE', async () => {
    const axon = await sdk.axon.create();
    const migrate = async () => {
      await axon.sql.query({ sql: 'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)' });
      const result = await axon.sql.query({ sql: 'SELECT MAX(version) as v FROM schema_version' });
      const current = result.rows[0][0] ?? 0;
      if (current < 1) {
        await axon.sql.batch({ statements: [
          { sql: 'CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0)' },
          { sql: 'INSERT INTO schema_version (version) VALUES (1)' },
        ] });
      }
      if (current < 2) {
        await axon.sql.batch({ statements: [
          { sql: "ALTER TABLE tasks ADD COLUMN created_at TEXT NOT NULL DEFAULT (datetime('now'))" },
          { sql: 'CREATE INDEX idx_tasks_created ON tasks(created_at)' },
          { sql: 'INSERT INTO schema_version (version) VALUES (2)' },
        ] });
      }
    };
    await migrate();
    await migrate(); // safe to re-run
    const cols = await axon.sql.query({ sql: "SELECT name FROM pragma_table_info('tasks')" });
    assert.deepEqual(cols.rows.map((r) => r[0]), ['id', 'title', 'done', 'created_at']);
    const v = await axon.sql.query({ sql: 'SELECT MAX(version) FROM schema_version' });
    assert.deepEqual(v.rows, [[2]]);
  });

  test('results are cut at 1,000 rows only when more exist', async () => {
    const axon = await sdk.axon.create();
    const series = (n) => `WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ${n}) SELECT x FROM s`;
    const exactly = await axon.sql.query({ sql: series(1000) });
    assert.equal(exactly.rows.length, 1000);
    assert.equal(exactly.meta.rows_read_limit_reached, false);
    const more = await axon.sql.query({ sql: series(1001) });
    assert.equal(more.rows.length, 1000);
    assert.equal(more.meta.rows_read_limit_reached, true);
  });

  test('each axon has its own private database', async () => {
    const a = await sdk.axon.create();
    const b = await sdk.axon.create();
    await a.sql.query({ sql: 'CREATE TABLE secret (v TEXT)' });
    await a.sql.query({ sql: 'INSERT INTO secret VALUES (?)', params: ['only a'] });
    await assert.rejects(b.sql.query({ sql: 'SELECT * FROM secret' }), BadRequestError);
  });
});
