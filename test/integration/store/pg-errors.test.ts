import net from 'node:net';
import t from 'tap';
import { checkDatabase, createPool, query, requestIds } from '../../../src/store/index.js';
import { withTestDatabase } from '../../helpers/database.js';

/** A port on 127.0.0.1 where nothing listens (taken, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

t.test('real PostgreSQL errors map to catalogue codes', async (t) => {
  const { pool } = await withTestDatabase(t);
  await pool.query('CREATE TABLE t_unique (k int PRIMARY KEY)');
  await query(pool, 'INSERT INTO t_unique VALUES (1)');
  await t.rejects(query(pool, 'INSERT INTO t_unique VALUES ($1)', [1]), {
    code: 'DB_CONFLICT',
    detail: { sqlState: '23505', constraint: 't_unique_pkey', table: 't_unique' },
  });
  await t.rejects(query(pool, 'SELECT * FROM no_such_table'), { code: 'DB_QUERY_FAILED', detail: { sqlState: '42P01' } });
  // Text PostgreSQL cannot store is the client's fault: a 4xx code, never a 500 (issue 16 item 3).
  await t.rejects(query(pool, 'SELECT $1::jsonb', [JSON.stringify({ relayState: 'a\u0000b' })]), { code: 'DB_TEXT_REFUSED', detail: { sqlState: '22P05' } });

  // 40P01: a real deadlock between two transactions.
  await pool.query('CREATE TABLE t_lock (k int PRIMARY KEY, v int)');
  await pool.query('INSERT INTO t_lock VALUES (1, 0), (2, 0)');
  const a = await pool.connect();
  const b = await pool.connect();
  t.teardown(() => {
    a.release();
    b.release();
  });
  await a.query('BEGIN');
  await b.query('BEGIN');
  await a.query('UPDATE t_lock SET v = 1 WHERE k = 1');
  await b.query('UPDATE t_lock SET v = 1 WHERE k = 2');
  const results = await Promise.allSettled([
    query(a, 'UPDATE t_lock SET v = 2 WHERE k = 2'),
    query(b, 'UPDATE t_lock SET v = 2 WHERE k = 1'),
  ]);
  await a.query('ROLLBACK');
  await b.query('ROLLBACK');
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  t.equal(failures.length, 1, 'the deadlock detector kills one side');
  t.match(failures[0]?.reason, { code: 'DB_SERIALIZATION_FAILURE', detail: { sqlState: '40P01' } });
});

t.test('an unreachable server is DB_UNAVAILABLE, and checkDatabase reports instead of throwing', async (t) => {
  const port = await closedPort();
  const pool = createPool(`postgres://nobody@127.0.0.1:${port}/db`, { max: 1, connectionTimeoutMillis: 2000 });
  t.teardown(() => pool.end());
  await t.rejects(requestIds.record(pool, 'sp', '_x', new Date()), { code: 'DB_UNAVAILABLE', detail: { sqlState: 'ECONNREFUSED' } });
  const health = await checkDatabase(pool);
  t.equal(health.reachable, false);
  t.equal(health.errorCode, 'DB_UNAVAILABLE');

  const { pool: good } = await withTestDatabase(t);
  const ok = await checkDatabase(good);
  t.equal(ok.reachable, true);
  t.ok(ok.latencyMs >= 0);
});

t.test('a connection terminated by the server (57P01) is DB_UNAVAILABLE', async (t) => {
  const { pool } = await withTestDatabase(t);
  const victim = await pool.connect();
  // pg emits the termination as an 'error' event on the client too; the query rejection is what we assert.
  victim.on('error', () => {});
  const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  // Settled at once into a value, so the rejection is never "unhandled" however early the termination lands.
  const sleeper = query(victim, 'SELECT pg_sleep(10)').then(
    () => null,
    (error: unknown) => error,
  );
  await new Promise((r) => setTimeout(r, 100));
  await pool.query('SELECT pg_terminate_backend($1)', [pid]);
  t.match(await sleeper, { code: 'DB_UNAVAILABLE', detail: { sqlState: '57P01' } });
  victim.release(true);
});
