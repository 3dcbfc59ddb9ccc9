import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, createWriteStream, mkdirSync, openSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { LOAD_TEST_SP, writeTestSp } from '../../../bench/lib/test-sp.js';
import { migrate, silentLog } from '../../../src/store/index.js';
import { asDatabaseUser, databaseUser, exited, freePort, sleep, waitForStatus } from './processes.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './postgres.js';

// The multi-instance harness: a throwaway PostgreSQL, PgBouncer in transaction pooling mode in front of it, N
// service instances as child processes (`node --import tsx src/main.ts serve`), and Debian's HAProxy balancing them
// round-robin with no stickiness and a /readyz health check. Instance i1 also serves the NemID simulator (the
// others run with SIMULATOR_LISTEN=false and use it, as real IdPs share the one NemID), so the faults are injected
// into the other instances. `viaPgBouncer` instances reach PostgreSQL through PgBouncer; migrations always run
// directly against PostgreSQL (PgBouncer's transaction mode cannot hold the migration lock's session).

const ROOT = resolve(import.meta.dirname, '../../..');
const MIGRATIONS_DIR = join(ROOT, 'migrations');
const PGBOUNCER = process.env['RESILIENCE_PGBOUNCER'] ?? '/usr/sbin/pgbouncer';
const HAPROXY = process.env['RESILIENCE_HAPROXY'] ?? '/usr/sbin/haproxy';

export interface InstanceSpec {
  readonly name: string;
  readonly viaPgBouncer?: boolean;
}

export interface Instance {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly viaPgBouncer: boolean;
  process: ChildProcess | null;
  /** Starts (again) with the same name, port and settings; resolves when its /readyz is 200. */
  start(): Promise<void>;
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit code. */
  terminate(): Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
  /** Current RSS in bytes, from /proc. */
  rssBytes(): number | null;
}

export interface Cluster {
  readonly root: string;
  readonly postgres: ThrowawayPostgres;
  /** HAProxy's front: the IdP's public base URL. */
  readonly baseUrl: string;
  readonly simulatorUrl: string;
  readonly idpCert: string;
  readonly metadataDir: string;
  readonly instances: readonly Instance[];
  instance(name: string): Instance;
  /** A direct connection to the IdP database (for table checks and fault triggers). */
  db(): pg.Pool;
  /** PG connections by application_name. */
  connections(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  readonly instances: readonly InstanceSpec[];
  /** Extra settings for every instance. */
  readonly env?: Record<string, string>;
  /** HAProxy's health check interval (ms); an instance is out after 2 failed checks. */
  readonly checkIntervalMs?: number;
}

function haproxyConfig(frontPort: number, instances: readonly Instance[], checkIntervalMs: number): string {
  return [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-keep-alive 10s',
    // Only connection failures are retried: the request never reached an instance, so it cannot run twice.
    '  retries 3',
    '  retry-on conn-failure',
    '  option redispatch',
    'frontend idp',
    `  bind 127.0.0.1:${frontPort}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    `  default-server inter ${checkIntervalMs}ms fastinter ${checkIntervalMs}ms downinter ${checkIntervalMs}ms fall 2 rise 2`,
    ...instances.map((instance) => `  server ${instance.name} 127.0.0.1:${instance.port} check`),
    // When every instance says "not ready" (the database is down), the balancer still lets them answer: their 503
    // page carries a catalogue code and a way forward, the balancer's own does not.
    '  option allbackups',
    ...instances.map((instance) => `  server ${instance.name}-fallback 127.0.0.1:${instance.port} backup`),
    '',
  ].join('\n');
}

function pgbouncerConfig(root: string, listenPort: number, pgPort: number): string {
  return [
    '[databases]',
    `idp = host=127.0.0.1 port=${pgPort} dbname=idp`,
    '[pgbouncer]',
    `listen_addr = 127.0.0.1`,
    `listen_port = ${listenPort}`,
    `unix_socket_dir =`,
    'auth_type = trust',
    `auth_file = ${join(root, 'pgbouncer-users.txt')}`,
    'pool_mode = transaction',
    'max_client_conn = 500',
    'default_pool_size = 20',
    // statement_timeout is set per role in PostgreSQL behind PgBouncer (README); the instances send none.
    'ignore_startup_parameters = extra_float_digits',
    'server_reset_query =',
    // PgBouncer waits server_login_retry (default 15 s) after a failed server login: after a PostgreSQL restart that
    // wait, not the IdP, would decide the recovery.
    'server_login_retry = 1',
    `logfile = ${join(root, 'pgbouncer.log')}`,
    `pidfile = ${join(root, 'pgbouncer.pid')}`,
    '',
  ].join('\n');
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const root = mkdtempSync(join(tmpdir(), 'nemid-idp-resilience-'));
  // As root, PostgreSQL and PgBouncer run as the postgres user, who must be able to enter this folder.
  chmodSync(root, 0o755);
  const children = new Set<ChildProcess>();
  let postgres: ThrowawayPostgres | null = null;
  let haproxy: ChildProcess | null = null;
  let pgbouncer: ChildProcess | null = null;
  const pools: pg.Pool[] = [];
  const instances: Instance[] = [];

  const close = async () => {
    for (const instance of instances) {
      if (instance.process && instance.process.exitCode === null && instance.process.signalCode === null) {
        instance.process.kill('SIGKILL');
        await exited(instance.process);
      }
    }
    for (const child of [haproxy, pgbouncer]) {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
    }
    for (const pool of pools) await pool.end().catch(() => undefined);
    if (postgres) await postgres.stop('immediate').catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    postgres = await startThrowawayPostgres(join(root, 'pg'));
    await migrate({ databaseUrl: postgres.url, dir: MIGRATIONS_DIR, log: silentLog });

    let bouncerUrl: string | null = null;
    if (options.instances.some((spec) => spec.viaPgBouncer)) {
      const bouncerPort = await freePort();
      const bouncerRoot = join(root, 'pgbouncer');
      mkdirSync(bouncerRoot, { recursive: true });
      writeFileSync(join(bouncerRoot, 'pgbouncer-users.txt'), '"postgres" ""\n');
      writeFileSync(join(bouncerRoot, 'pgbouncer.ini'), pgbouncerConfig(bouncerRoot, bouncerPort, postgres.port));
      const user = databaseUser();
      if (user) for (const name of ['', 'pgbouncer-users.txt', 'pgbouncer.ini']) chownSync(join(bouncerRoot, name), user.uid, user.gid);
      pgbouncer = spawn(PGBOUNCER, [join(bouncerRoot, 'pgbouncer.ini')], { ...asDatabaseUser(), stdio: 'ignore' });
      bouncerUrl = `postgres://postgres@127.0.0.1:${bouncerPort}/idp`;
      for (let i = 0; i < 50; i++) {
        const client = new pg.Client({ connectionString: bouncerUrl });
        const ok = await client.connect().then(() => true, () => false);
        await client.end().catch(() => undefined);
        if (ok) break;
        await sleep(100);
      }
    }

    const frontPort = await freePort();
    const simulatorPort = await freePort();
    const baseUrl = `http://localhost:${frontPort}`;
    const dataDir = join(root, 'data');
    const metadataDir = join(root, 'metadata');
    mkdirSync(metadataDir, { recursive: true });
    writeTestSp(metadataDir, baseUrl, LOAD_TEST_SP);
    const logDir = join(root, 'logs');
    mkdirSync(logDir, { recursive: true });

    for (const [index, spec] of options.instances.entries()) {
      const port = await freePort();
      const viaPgBouncer = spec.viaPgBouncer === true;
      const env: Record<string, string> = {
        ...process.env as Record<string, string>,
        NEMID_ENVIRONMENT: 'simulator',
        DATA_DIR: dataDir,
        METADATA_DIR: metadataDir,
        DATABASE_URL: viaPgBouncer ? bouncerUrl! : postgres.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        SIMULATOR_PORT: String(simulatorPort),
        SIMULATOR_LISTEN: index === 0 ? 'true' : 'false',
        IDP_BASE_URL: baseUrl,
        IDP_ENTITY_ID: baseUrl,
        INSTANCE_ID: spec.name,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '100000',
        SHUTDOWN_DRAIN_MS: '2000',
        ...(viaPgBouncer ? { DB_STATEMENT_TIMEOUT_MS: '0' } : {}),
        ...options.env,
      };
      delete env['NODE_OPTIONS'];
      delete env['TAP'];
      const log = createWriteStream(join(logDir, `${spec.name}.log`), { flags: 'a' });
      const instance: Instance = {
        name: spec.name,
        port,
        url: `http://127.0.0.1:${port}`,
        viaPgBouncer,
        process: null,
        async start() {
          const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
          child.stdout!.pipe(log, { end: false });
          child.stderr!.pipe(log, { end: false });
          children.add(child);
          child.once('exit', () => children.delete(child));
          this.process = child;
          const died = exited(child).then((code) => {
            throw new Error(`instance ${spec.name} exited (${code}) during start-up: ${readFileSync(join(logDir, `${spec.name}.log`), 'utf8').slice(-1500)}`);
          });
          await Promise.race([waitForStatus(`${this.url}/readyz`, 200, 90_000), died]);
          died.catch(() => undefined);
        },
        async kill9() {
          const child = this.process;
          if (!child) return;
          child.kill('SIGKILL');
          await exited(child);
        },
        async terminate() {
          const child = this.process;
          if (!child) return null;
          child.kill('SIGTERM');
          return exited(child);
        },
        signal(signal) {
          this.process?.kill(signal);
        },
        rssBytes() {
          const pid = this.process?.pid;
          if (!pid) return null;
          try {
            const status = readFileSync(`/proc/${pid}/status`, 'utf8');
            const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
            return kb ? Number(kb) * 1024 : null;
          } catch {
            return null;
          }
        },
      };
      instances.push(instance);
    }
    // The first instance generates the simulator's keys and secrets under DATA_DIR; the others then load them.
    await instances[0]!.start();
    await Promise.all(instances.slice(1).map((instance) => instance.start()));

    const checkIntervalMs = options.checkIntervalMs ?? 300;
    writeFileSync(join(root, 'haproxy.cfg'), haproxyConfig(frontPort, instances, checkIntervalMs));
    haproxy = spawn(HAPROXY, ['-f', join(root, 'haproxy.cfg'), '-db'], { stdio: ['ignore', 'ignore', openSync(join(logDir, 'haproxy.log'), 'a')] });
    await waitForStatus(`http://127.0.0.1:${frontPort}/readyz`, 200, 30_000);
    // Every instance up in HAProxy's eyes (rise 2) before the scenarios start.
    await sleep(checkIntervalMs * 3);

    const idpCert = readFileSync(join(dataDir, 'simulator', 'idp-signing.SIMULATOR.cert.pem'), 'utf8');
    const adminPool = () => {
      const pool = new pg.Pool({ connectionString: postgres!.url, max: 2 });
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    };
    let shared: pg.Pool | null = null;
    const cluster: Cluster = {
      root,
      postgres,
      baseUrl,
      simulatorUrl: `http://localhost:${simulatorPort}`,
      idpCert,
      metadataDir,
      instances,
      instance(name) {
        const found = instances.find((instance) => instance.name === name);
        if (!found) throw new Error(`no instance ${name}`);
        return found;
      },
      db() {
        shared ??= adminPool();
        return shared;
      },
      async connections() {
        const { rows } = await cluster.db().query<{ application_name: string; n: number }>(
          `SELECT application_name, count(*)::int AS n FROM pg_stat_activity WHERE datname = 'idp' GROUP BY application_name`,
        );
        return Object.fromEntries(rows.map((row) => [row.application_name || '(none)', row.n]));
      },
      close,
    };
    return cluster;
  } catch (error) {
    await close();
    throw error;
  }
}
