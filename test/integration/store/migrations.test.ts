import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { isIdpError } from '../../../src/errors/index.js';
import {
  assertSchemaCurrent,
  createPool,
  listMigrationFiles,
  migrate,
  migrationStatus,
  pendingMigrations,
  silentLog,
} from '../../../src/store/index.js';
import { createEmptyDatabase, MIGRATIONS_DIR } from '../../helpers/database.js';

const EXPECTED_TABLES = [
  'audit_events',
  'authn_request_ids',
  'cpr_match_attempts',
  'cpr_memory',
  'crl_cache',
  'idp_session_participants',
  'idp_sessions',
  'job_claims',
  'login_transactions',
  'nemid_evidence',
  'nemid_response_digests',
  'persistent_ids',
];

t.test('migrations from an empty database, then a second run is a no-op', async (t) => {
  const db = await createEmptyDatabase();
  t.teardown(db.drop);
  const files = await listMigrationFiles(MIGRATIONS_DIR);
  t.ok(files.length >= 7);
  t.equal(files[0], '0001-login-transactions');

  const first = await migrate({ databaseUrl: db.url, dir: MIGRATIONS_DIR, log: silentLog });
  t.same(first, files, 'every file applied, in order');
  const second = await migrate({ databaseUrl: db.url, dir: MIGRATIONS_DIR, log: silentLog });
  t.same(second, [], 'second run applies nothing');

  const pool = createPool(db.url, { max: 1 });
  t.teardown(() => pool.end());
  const tables = await pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'pgmigrations' ORDER BY 1",
  );
  t.same(tables.rows.map((r) => r.table_name), EXPECTED_TABLES);

  const status = await migrationStatus({ pool, dir: MIGRATIONS_DIR });
  t.same(status.map((s) => [s.name, s.applied, s.onDisk]), files.map((f) => [f, true, true]));
  t.ok(status.every((s) => s.appliedAt instanceof Date && Math.abs(s.appliedAt.getTime() - Date.now()) < 60_000), 'appliedAt is a recent instant');
  t.same(await pendingMigrations(pool, MIGRATIONS_DIR), []);
  await assertSchemaCurrent(pool, MIGRATIONS_DIR);
});

t.test('two concurrent migrate runs: one applies, the other finds nothing, neither fails', async (t) => {
  const db = await createEmptyDatabase();
  t.teardown(db.drop);
  const files = await listMigrationFiles(MIGRATIONS_DIR);
  const results = await Promise.all([
    migrate({ databaseUrl: db.url, dir: MIGRATIONS_DIR, log: silentLog }),
    migrate({ databaseUrl: db.url, dir: MIGRATIONS_DIR, log: silentLog }),
  ]);
  const sorted = results.map((r) => r.length).sort();
  t.same(sorted, [0, files.length]);
  const pool = createPool(db.url, { max: 1 });
  t.teardown(() => pool.end());
  const rows = await pool.query('SELECT name FROM pgmigrations');
  t.equal(rows.rowCount, files.length, 'each migration recorded once');
});

t.test('status before migrating lists everything as pending', async (t) => {
  const db = await createEmptyDatabase();
  t.teardown(db.drop);
  const status = await migrationStatus({ databaseUrl: db.url, dir: MIGRATIONS_DIR });
  t.ok(status.length >= 7);
  t.ok(status.every((s) => !s.applied && s.onDisk));
});

t.test('a pending migration is detected and the schema guard refuses with SCHEMA_BEHIND naming it', async (t) => {
  const db = await createEmptyDatabase();
  t.teardown(db.drop);
  await migrate({ databaseUrl: db.url, dir: MIGRATIONS_DIR, log: silentLog });

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nemid-idp-migrations-'));
  t.teardown(() => fs.rm(dir, { recursive: true, force: true }));
  // The service's migrations only (migrations/simulator/ holds the simulator's own, a folder).
  for (const file of (await fs.readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql'))) await fs.copyFile(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
  await fs.writeFile(path.join(dir, '9999-extra-column.sql'), 'ALTER TABLE crl_cache ADD COLUMN note text;\n');

  const pool = createPool(db.url, { max: 1 });
  t.teardown(() => pool.end());
  t.same(await pendingMigrations(pool, dir), ['9999-extra-column']);
  await t.rejects(assertSchemaCurrent(pool, dir), { code: 'SCHEMA_BEHIND', detail: { pending: ['9999-extra-column'] } });
  try {
    await assertSchemaCurrent(pool, dir);
  } catch (error) {
    t.ok(isIdpError(error, 'SCHEMA_BEHIND'));
    t.match((error as Error).message, /9999-extra-column/, 'the message names the missing migration for ops');
  }

  t.same(await migrate({ databaseUrl: db.url, dir, log: silentLog }), ['9999-extra-column']);
  t.same(await pendingMigrations(pool, dir), []);
  await assertSchemaCurrent(pool, dir);
  // The real directory no longer knows the extra one: status shows it as applied but not on disk.
  const status = await migrationStatus({ pool, dir: MIGRATIONS_DIR });
  t.same(status.filter((s) => !s.onDisk).map((s) => s.name), ['9999-extra-column']);
});

t.test('a failing migration rolls back entirely and reports MIGRATION_FAILED', async (t) => {
  const db = await createEmptyDatabase();
  t.teardown(db.drop);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nemid-idp-migrations-'));
  t.teardown(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, '0001-good.sql'), 'CREATE TABLE good (id int);\n');
  await fs.writeFile(path.join(dir, '0002-bad.sql'), 'CREATE TABLE bad (id int REFERENCES nowhere (id));\n');
  await t.rejects(migrate({ databaseUrl: db.url, dir, log: silentLog }), { code: 'MIGRATION_FAILED' });
  const pool = createPool(db.url, { max: 1 });
  t.teardown(() => pool.end());
  const good = await pool.query("SELECT to_regclass('public.good') AS t");
  t.equal(good.rows[0].t, null, 'the good migration was rolled back with the bad one');
  t.same(await pendingMigrations(pool, dir), ['0001-good', '0002-bad']);
});

t.test('badly named or duplicate-numbered files are refused before touching the database', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nemid-idp-migrations-'));
  t.teardown(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, '0001-ok.sql'), 'SELECT 1;');
  await fs.writeFile(path.join(dir, 'README.md'), 'not a migration');
  t.same(await listMigrationFiles(dir), ['0001-ok'], 'non-.sql files are ignored');
  await fs.writeFile(path.join(dir, "0002-it's.sql"), 'SELECT 1;');
  await t.rejects(listMigrationFiles(dir), { code: 'MIGRATION_FAILED' });
  await fs.rm(path.join(dir, "0002-it's.sql"));
  await fs.writeFile(path.join(dir, '0001-again.sql'), 'SELECT 1;');
  await t.rejects(listMigrationFiles(dir), { code: 'MIGRATION_FAILED' });
  await t.rejects(migrate({ databaseUrl: 'postgres://127.0.0.1:1/x', dir, log: silentLog }), { code: 'MIGRATION_FAILED' });
});
