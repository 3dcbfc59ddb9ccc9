import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { createPool, listMigrationFiles, migrate, silentLog } from '../../../src/store/index.js';
import { createEmptyDatabase, MIGRATIONS_DIR } from '../../helpers/database.js';

// Issue 16, finding 1: remembered CPR numbers from before 0009 are bound to no service. The migration deletes them
// (they cannot be attributed to the service the user agreed at) and keys the table by (PID HMAC, SP entity ID).

t.test('0009: old CPR memory rows (bound to no service) are deleted; the key becomes (pid_hmac, sp_entity_id)', async (t) => {
  const db = await createEmptyDatabase();
  t.teardown(db.drop);
  const before = await fs.mkdtemp(path.join(os.tmpdir(), 'nemid-idp-migrations-'));
  t.teardown(() => fs.rm(before, { recursive: true, force: true }));
  const files = await listMigrationFiles(MIGRATIONS_DIR);
  const upTo = files.indexOf('0009-cpr-memory-per-service');
  t.ok(upTo > 0, '0009 exists');
  for (const name of files.slice(0, upTo)) await fs.copyFile(path.join(MIGRATIONS_DIR, `${name}.sql`), path.join(before, `${name}.sql`));
  await migrate({ databaseUrl: db.url, dir: before, log: silentLog });

  const pool = createPool(db.url, { max: 1 });
  t.teardown(() => pool.end());
  const now = new Date('2026-01-01T00:00:00Z');
  for (const n of [1, 2]) {
    await pool.query('INSERT INTO cpr_memory (pid_hmac, ciphertext, key_id, created_at, last_used_at) VALUES ($1, $2, $3, $4, $4)', [Buffer.alloc(32, n), Buffer.from('sealed'), 'k1', now]);
  }

  const applied = await migrate({ databaseUrl: db.url, dir: MIGRATIONS_DIR, log: silentLog });
  t.same(applied.slice(0, 1), ['0009-cpr-memory-per-service']);
  t.equal((await pool.query('SELECT count(*)::int AS n FROM cpr_memory')).rows[0].n, 0, 'no row bound to no service survives');
  const key = await pool.query<{ column_name: string }>(
    `SELECT a.attname AS column_name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = 'cpr_memory'::regclass AND i.indisprimary ORDER BY a.attname`,
  );
  t.same(key.rows.map((r) => r.column_name), ['pid_hmac', 'sp_entity_id']);
  await t.rejects(
    pool.query('INSERT INTO cpr_memory (pid_hmac, ciphertext, key_id, created_at, last_used_at) VALUES ($1, $2, $3, $4, $4)', [Buffer.alloc(32, 3), Buffer.from('x'), 'k1', now]),
    /sp_entity_id/,
    'a row without a service is refused',
  );
});
