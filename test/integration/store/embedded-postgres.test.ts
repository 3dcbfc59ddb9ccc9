import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { createPool, credentialsPath, startEmbeddedPostgres, type StoreLog } from '../../../src/store/index.js';

// One file, one cluster: start, query, stop, start again on the same data (no second initdb), and a remembered
// port that is taken meanwhile. It costs a few seconds (initdb), so everything embedded is tested here.

function recordingLog(): StoreLog & { messages: string[] } {
  const messages: string[] = [];
  const push = (_fields: Record<string, unknown>, message?: string) => void messages.push(message ?? '');
  return { messages, info: push, warn: push, error: push };
}

t.test('embedded PostgreSQL: start, query, stop, restart reusing the data', async (t) => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'nemid-idp-embedded-'));
  await fs.chmod(root, 0o755); // as root, the postgres user must traverse it
  t.teardown(() => fs.rm(root, { recursive: true, force: true }));
  const dataDir = path.join(root, 'postgres');

  const log1 = recordingLog();
  const first = await startEmbeddedPostgres({ dataDir, log: log1 });
  t.teardown(() => first.stop());
  t.ok(log1.messages.some((m) => m.includes('creating a new cluster')));
  t.match(first.url, /^postgres:\/\/nemid_idp:[^@]+@127\.0\.0\.1:\d+\/nemid_idp$/);

  const credentials = credentialsPath(dataDir);
  t.equal(path.dirname(credentials), root, 'credentials live beside the data dir, not in it');
  t.equal((await fs.stat(credentials)).mode & 0o777, 0o600, 'credentials are owner-only');
  const stored = JSON.parse(await fs.readFile(credentials, 'utf8')) as { password: string; port: number };
  t.equal(stored.port, first.port);
  t.ok(stored.password.length >= 32);

  const pool = createPool(first.url, { max: 1 });
  await pool.query('CREATE TABLE kept (v text)');
  await pool.query("INSERT INTO kept VALUES ('survives restart')");
  const socketDir = await pool.query<{ v: string }>("SELECT current_setting('unix_socket_directories') AS v");
  t.equal(socketDir.rows[0]?.v, '', 'TCP only: no Unix socket');
  await pool.end();
  const pgVersion = await fs.stat(path.join(dataDir, 'PG_VERSION'));
  await first.stop();
  await t.rejects(
    (async () => {
      const p = createPool(first.url, { max: 1, connectionTimeoutMillis: 2000 });
      try {
        await p.query('SELECT 1');
      } finally {
        await p.end();
      }
    })(),
    { code: 'ECONNREFUSED' },
    'stopped means stopped',
  );

  const log2 = recordingLog();
  const second = await startEmbeddedPostgres({ dataDir, log: log2 });
  t.teardown(() => second.stop());
  t.notOk(log2.messages.some((m) => m.includes('creating a new cluster')), 'no second initdb');
  t.equal(second.port, first.port, 'the port is remembered');
  t.equal(second.url, first.url, 'same password');
  t.equal((await fs.stat(path.join(dataDir, 'PG_VERSION'))).mtimeMs, pgVersion.mtimeMs);
  const pool2 = createPool(second.url, { max: 1 });
  t.same((await pool2.query('SELECT v FROM kept')).rows, [{ v: 'survives restart' }]);
  await pool2.end();
  await second.stop();

  // The remembered port is taken by something else: a new one is chosen and remembered.
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(first.port, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const third = await startEmbeddedPostgres({ dataDir, log: recordingLog() });
  t.teardown(() => third.stop());
  t.not(third.port, first.port);
  const pool3 = createPool(third.url, { max: 1 });
  t.same((await pool3.query('SELECT v FROM kept')).rows, [{ v: 'survives restart' }]);
  await pool3.end();
  await third.stop();
  t.equal((JSON.parse(await fs.readFile(credentials, 'utf8')) as { port: number }).port, third.port);
});

t.test('a cluster without its credentials file is refused, not silently re-initialised', async (t) => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'nemid-idp-embedded-'));
  t.teardown(() => fs.rm(root, { recursive: true, force: true }));
  const dataDir = path.join(root, 'postgres');
  await fs.mkdir(dataDir);
  await fs.writeFile(path.join(dataDir, 'PG_VERSION'), '18\n');
  await t.rejects(startEmbeddedPostgres({ dataDir, log: recordingLog() }), { code: 'DB_UNAVAILABLE' });
});

t.test('as root, a data dir under a directory others cannot traverse is refused with a clear error', { skip: process.getuid?.() !== 0 }, async (t) => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'nemid-idp-embedded-')); // 0700
  t.teardown(() => fs.rm(root, { recursive: true, force: true }));
  await t.rejects(startEmbeddedPostgres({ dataDir: path.join(root, 'postgres'), log: recordingLog() }), { code: 'DB_UNAVAILABLE' });
});
