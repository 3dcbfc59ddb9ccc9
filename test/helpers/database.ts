// A fresh, fully migrated PostgreSQL database per test. With DATABASE_URL set, databases are created on that server
// (random names, dropped afterwards); without it, one embedded PostgreSQL per test process in a temporary
// directory, stopped and removed when the process's root tap test ends.
import tap from 'tap';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createPool,
  migrate,
  startEmbeddedPostgres,
  silentLog,
  type EmbeddedPostgres,
  type Pool,
} from '../../src/store/index.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface TestDatabase {
  /** URL of this test's own database. */
  url: string;
  /** A pool on it (closed by drop()). */
  pool: Pool;
  name: string;
  /** Closes the pool, terminates other connections, drops the database. Idempotent. */
  drop(): Promise<void>;
}

interface Server {
  urlFor(database: string): string;
}

let serverPromise: Promise<Server> | undefined;

function serverFromEnv(url: string): Server {
  return {
    urlFor(database) {
      const u = new URL(url);
      u.pathname = `/${database}`;
      return u.toString();
    },
  };
}

async function startTemporaryServer(): Promise<Server> {
  // The mkdtemp dir is made traversable so that, as root, the postgres user can reach the data dir beneath it.
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'nemid-idp-pg-'));
  await fs.chmod(root, 0o755);
  let embedded: EmbeddedPostgres;
  try {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres'), log: silentLog, durability: 'none' });
  } catch (error) {
    await fs.rm(root, { recursive: true, force: true });
    throw error;
  }
  temporary = { stop: () => embedded.stop(), root };
  return embedded;
}

let temporary: { stop(): Promise<void>; root: string } | undefined;
// Registered when this module is imported, so before any teardown of the test file that imports it: tap runs
// teardowns last-in first-out, and the server must outlive every teardown that drops a database on it.
tap.teardown(async () => {
  if (!temporary) return;
  await temporary.stop();
  await fs.rm(temporary.root, { recursive: true, force: true });
});

function server(): Promise<Server> {
  const url = process.env.DATABASE_URL;
  serverPromise ??= url ? Promise.resolve(serverFromEnv(url)) : startTemporaryServer();
  return serverPromise;
}

/** The maintenance URL of the server the test databases live on (for tests that need a second database). */
export async function testServerUrl(database = 'postgres'): Promise<string> {
  return (await server()).urlFor(database);
}

async function admin<T>(fn: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = createPool(await testServerUrl('postgres'), { max: 1, applicationName: 'nemid-idp-test-admin' });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

/** Creates an empty database (no migrations) and returns its URL and a drop function. */
export async function createEmptyDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  // scripts/run-tests.mjs names its run, so that it can find what the run left on the server.
  const run = /^[0-9a-f]{8}$/.test(process.env.NEMID_IDP_TEST_RUN ?? '') ? `${process.env.NEMID_IDP_TEST_RUN}_` : '';
  const name = `nemid_idp_test_${run}${randomBytes(6).toString('hex')}`;
  await admin((pool) => pool.query(`CREATE DATABASE ${name}`));
  const url = await testServerUrl(name);
  let dropped: Promise<void> | undefined;
  return {
    url,
    name,
    drop: () => {
      dropped ??= admin(async (pool) => {
        await pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await pool.query(`DROP DATABASE IF EXISTS ${name}`);
      });
      return dropped;
    },
  };
}

export async function createTestDatabase(options: { migrate?: boolean; poolMax?: number } = {}): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  try {
    if (options.migrate !== false) await migrate({ databaseUrl: empty.url, dir: MIGRATIONS_DIR, log: silentLog });
  } catch (error) {
    await empty.drop();
    throw error;
  }
  const pool = createPool(empty.url, { max: options.poolMax ?? 5, applicationName: 'nemid-idp-test' });
  let dropped: Promise<void> | undefined;
  return {
    url: empty.url,
    name: empty.name,
    pool,
    drop: () => {
      dropped ??= pool.end().then(empty.drop);
      return dropped;
    },
  };
}

/** createTestDatabase() whose drop is registered as the tap test's teardown. */
export async function withTestDatabase(
  t: { teardown(fn: () => unknown): void },
  options: { migrate?: boolean; poolMax?: number } = {},
): Promise<TestDatabase> {
  const db = await createTestDatabase(options);
  t.teardown(() => db.drop());
  return db;
}
