import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { IdpError } from '../errors/index.js';
import { silentLog, type StoreLog } from './log.js';
import { parseDatabaseUrl, type Queryable } from './pool.js';
import { query } from './query.js';

// Forward-only plain SQL migrations, applied by node-pg-migrate under its advisory lock in one transaction. File
// names are `NNNN-words.sql`; node-pg-migrate orders them by the numeric prefix and records the name without
// ".sql" in `pgmigrations`. We check the names ourselves first because node-pg-migrate splices them into SQL.

export const MIGRATIONS_TABLE = 'pgmigrations';
const MIGRATION_FILE = /^(\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*\.sql$/;

export interface MigrationState {
  name: string;
  applied: boolean;
  appliedAt?: Date;
  /** False for a migration recorded as applied whose file is no longer in the directory. */
  onDisk: boolean;
}

/** The repository's `migrations/` directory, found from this file whether run from src/ (tsx) or dist/. */
export async function defaultMigrationsDir(): Promise<string> {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (await isFile(path.join(dir, 'package.json'))) return path.join(dir, 'migrations');
    const up = path.dirname(dir);
    if (up === dir) throw new IdpError('MIGRATION_FAILED', 'no package.json above the store module: pass the migrations directory');
    dir = up;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Migration names (without .sql) in apply order; refuses files that do not follow the naming rule. */
export async function listMigrationFiles(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (cause) {
    throw new IdpError('MIGRATION_FAILED', `cannot read the migrations directory ${dir}`, { cause });
  }
  const sqlFiles = entries.filter((name) => name.endsWith('.sql'));
  const invalid = sqlFiles.filter((name) => !MIGRATION_FILE.test(name));
  if (invalid.length > 0) {
    throw new IdpError('MIGRATION_FAILED', `migration file names must look like 0001-words.sql: ${invalid.join(', ')}`);
  }
  const byNumber = new Map<string, string>();
  for (const name of sqlFiles) {
    const number = MIGRATION_FILE.exec(name)![1]!;
    const other = byNumber.get(number);
    if (other !== undefined) throw new IdpError('MIGRATION_FAILED', `two migrations share number ${number}: ${other}, ${name}`);
    byNumber.set(number, name);
  }
  return sqlFiles.sort().map((name) => name.slice(0, -'.sql'.length));
}

export interface MigrateOptions {
  databaseUrl: string;
  dir: string;
  log?: StoreLog;
  /** The ledger table (default pgmigrations); the simulator's own schema keeps a ledger of its own. */
  migrationsTable?: string;
}

/**
 * Applies every pending migration and returns the names applied (empty when the schema was current). A second
 * instance migrating at the same moment waits for the lock, then finds nothing to do.
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  parseDatabaseUrl(options.databaseUrl);
  const log = options.log ?? silentLog;
  await listMigrationFiles(options.dir);
  try {
    const applied = await runner({
      databaseUrl: options.databaseUrl,
      dir: options.dir,
      // Only .sql files are migrations (a README may sit beside them); node-pg-migrate anchors this as ^…$.
      ignorePattern: '(?!.*\\.sql$).*',
      direction: 'up',
      migrationsTable: options.migrationsTable ?? MIGRATIONS_TABLE,
      singleTransaction: true,
      checkOrder: true,
      advisoryLockMode: 'wait',
      logger: {
        debug: () => {},
        info: (message: string) => log.info({ component: 'migrate' }, message),
        warn: (message: string) => log.warn({ component: 'migrate' }, message),
        error: (message: string) => log.error({ component: 'migrate' }, message),
      },
    });
    const names = applied.map((m) => m.name);
    log.info({ applied: names }, names.length > 0 ? 'migrations applied' : 'schema already current');
    return names;
  } catch (cause) {
    throw new IdpError('MIGRATION_FAILED', cause instanceof Error ? cause.message : 'migration failed', { cause });
  }
}

async function appliedMigrations(db: Queryable): Promise<Map<string, Date>> {
  const table = await query<{ exists: boolean }>(db, `SELECT to_regclass($1) IS NOT NULL AS exists`, [`public.${MIGRATIONS_TABLE}`]);
  if (!table.rows[0]?.exists) return new Map();
  // run_on is `timestamp without time zone` written by NOW() in the server's zone; read it back as UTC instants.
  const rows = await query<{ name: string; applied_at: Date }>(
    db,
    `SELECT name, run_on AT TIME ZONE current_setting('TimeZone') AS applied_at FROM ${MIGRATIONS_TABLE} ORDER BY id`,
  );
  return new Map(rows.rows.map((r) => [r.name, r.applied_at]));
}

async function withDb<T>(source: { databaseUrl?: string; pool?: Queryable }, fn: (db: Queryable) => Promise<T>): Promise<T> {
  if (source.pool) return fn(source.pool);
  if (!source.databaseUrl) throw new IdpError('CONFIG_INVALID', 'DATABASE_URL is required', { detail: { setting: 'DATABASE_URL' } });
  parseDatabaseUrl(source.databaseUrl);
  const pool = new pg.Pool({ connectionString: source.databaseUrl, max: 1 });
  pool.on('error', () => {});
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

/** Every migration on disk or in the database, in apply order, with whether and when it was applied. */
export async function migrationStatus(options: { databaseUrl?: string; pool?: Queryable; dir: string }): Promise<MigrationState[]> {
  const files = await listMigrationFiles(options.dir);
  const applied = await withDb(options, appliedMigrations);
  const states: MigrationState[] = files.map((name) => {
    const appliedAt = applied.get(name);
    return appliedAt ? { name, applied: true, appliedAt, onDisk: true } : { name, applied: false, onDisk: true };
  });
  for (const [name, appliedAt] of applied) {
    if (!files.includes(name)) states.push({ name, applied: true, appliedAt, onDisk: false });
  }
  return states;
}

/** Names of migrations on disk that the database has not applied, in apply order. */
export async function pendingMigrations(db: Queryable, dir: string): Promise<string[]> {
  const states = await migrationStatus({ pool: db, dir });
  return states.filter((s) => !s.applied).map((s) => s.name);
}

/**
 * Start-up and readiness guard: throws SCHEMA_BEHIND naming the first missing migration, so the service refuses
 * traffic instead of failing on the first query that needs a new column.
 */
export async function assertSchemaCurrent(db: Queryable, dir: string): Promise<void> {
  const pending = await pendingMigrations(db, dir);
  if (pending.length > 0) {
    throw new IdpError('SCHEMA_BEHIND', `database schema is behind: migration ${pending[0]} is not applied (run "nemid-idp migrate")`, {
      detail: { pending },
    });
  }
}

/** Human-readable `migrate status` output: one line per migration, then a summary line. */
export function describeMigrationStatus(states: readonly MigrationState[]): string {
  const lines = states.map((s) => {
    if (!s.onDisk) return `applied  ${s.appliedAt?.toISOString() ?? ''}  ${s.name}  (file missing)`;
    return s.applied ? `applied  ${s.appliedAt?.toISOString() ?? ''}  ${s.name}` : `PENDING  ${' '.repeat(24)}  ${s.name}`;
  });
  const pending = states.filter((s) => !s.applied).length;
  lines.push(pending === 0 ? 'schema is current' : `${pending} migration(s) pending: run "nemid-idp migrate"`);
  return lines.join('\n');
}
