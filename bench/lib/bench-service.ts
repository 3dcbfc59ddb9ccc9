import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { migrate, silentLog, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/store/index.js';
import { freePort } from './free-port.js';
import { LOAD_TEST_SP, writeTestSp, type TestSpDefinition } from './test-sp.js';

// The service as a benchmark (or the resilience suite) needs it: its own freshly migrated database (on DATABASE_URL's
// server, else an embedded PostgreSQL the bench starts), the simulator environment, the load-test SP registered, and
// the service in a CHILD process (`node --import tsx src/main.ts serve`), so that its CPU, its children's CPU and its
// memory can be read from /proc apart from the load generator's.

const ROOT = resolve(import.meta.dirname, '../..');

export interface BenchService {
  readonly pid: number;
  readonly baseUrl: string;
  readonly simulatorUrl: string;
  readonly idpCert: string;
  /** The service's own database. */
  readonly databaseName: string;
  /** A connection to another database on the same server, for pg_stat_* queries that must not count as the service's. */
  readonly monitor: pg.Client;
  /** The service's log (stdout and stderr). */
  logTail(lines?: number): string;
  close(): Promise<void>;
}

export interface BenchServiceOptions {
  readonly sps?: readonly TestSpDefinition[];
  /** Extra environment for the service (e.g. LOG_LEVEL). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra node flags for the service (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
  readonly startTimeoutMs?: number;
}

async function waitForReady(url: string, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${url} not ready within ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A database of its own: on DATABASE_URL's server when set, else on an embedded PostgreSQL started for the run. */
async function benchDatabase(): Promise<{ url: string; name: string; maintenanceUrl: string; drop(): Promise<void> }> {
  // Under scripts/run-tests.mjs the name carries the run's id, so that the runner finds it if it is left behind.
  const run = /^[0-9a-f]{8}$/.test(process.env['NEMID_IDP_TEST_RUN'] ?? '') ? `test_${process.env['NEMID_IDP_TEST_RUN']}_` : '';
  const name = `nemid_idp_${run}bench_${randomBytes(4).toString('hex')}`;
  let embedded: EmbeddedPostgres | undefined;
  let root: string | undefined;
  let maintenanceUrl: string;
  const server = process.env['DATABASE_URL'];
  if (server) {
    maintenanceUrl = server;
  } else {
    // Traversable, so that as root the postgres user can reach the data dir beneath it.
    root = mkdtempSync(join(tmpdir(), 'nemid-idp-bench-pg-'));
    chmodSync(root, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: join(root, 'postgres'), log: silentLog });
    maintenanceUrl = embedded.url;
  }
  const urlFor = (database: string) => {
    const u = new URL(maintenanceUrl);
    u.pathname = `/${database}`;
    return u.toString();
  };
  const admin = new pg.Client({ connectionString: maintenanceUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  await migrate({ databaseUrl: url, dir: join(ROOT, 'migrations'), log: silentLog });
  return {
    url,
    name,
    maintenanceUrl,
    async drop() {
      const client = new pg.Client({ connectionString: maintenanceUrl });
      await client.connect();
      try {
        await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await client.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await client.end();
      }
      if (embedded) await embedded.stop();
      if (root) rmSync(root, { recursive: true, force: true });
    },
  };
}

export async function startBenchService(options: BenchServiceOptions = {}): Promise<BenchService> {
  const database = await benchDatabase();
  const work = mkdtempSync(join(tmpdir(), 'nemid-idp-bench-'));
  const dataDir = join(work, 'data');
  const metadataDir = join(work, 'metadata');
  mkdirSync(dataDir);
  mkdirSync(metadataDir);
  const [port, simulatorPort] = [await freePort(), await freePort()];
  const baseUrl = `http://localhost:${port}`;
  for (const sp of options.sps ?? [LOAD_TEST_SP]) writeTestSp(metadataDir, baseUrl, sp);
  const logPath = join(work, 'service.log');
  const logFd = openSync(logPath, 'a');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('NEMID_') && key !== 'DATABASE_URL') env[key] = value;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: {
      ...env,
      NEMID_ENVIRONMENT: 'simulator',
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      METADATA_DIR: metadataDir,
      PORT: String(port),
      SIMULATOR_PORT: String(simulatorPort),
      SIMULATOR_PID_CPR_PORT: String(await freePort()),
      JOBS_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...options.env,
    },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const logTail = (lines = 20) => {
    try {
      return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const cleanUp = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    await database.drop();
    rmSync(work, { recursive: true, force: true });
  };
  let monitor: pg.Client | undefined;
  try {
    await waitForReady(`${baseUrl}/readyz`, child, options.startTimeoutMs ?? 120_000, logTail);
    monitor = new pg.Client({ connectionString: database.maintenanceUrl, application_name: 'nemid-idp-bench-monitor' });
    await monitor.connect();
  } catch (error) {
    await monitor?.end().catch(() => undefined);
    await cleanUp();
    throw error;
  }
  const idpCert = readFileSync(join(dataDir, 'simulator', 'idp-signing.SIMULATOR.cert.pem'), 'utf8');
  let closing: Promise<void> | undefined;
  return {
    pid: child.pid!,
    baseUrl,
    simulatorUrl: `http://localhost:${simulatorPort}`,
    idpCert,
    databaseName: database.name,
    monitor,
    logTail,
    close() {
      closing ??= (async () => {
        await monitor.end().catch(() => undefined);
        await cleanUp();
      })();
      return closing;
    },
  };
}
