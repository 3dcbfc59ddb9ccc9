import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asDatabaseUser, databaseUser, freePort, run, sleep } from './processes.js';

// A throwaway PostgreSQL 15 cluster from Debian's server binaries: its own data directory, port and socket
// directory under the harness's temporary folder. Never the machine's cluster: the resilience scenarios stop,
// restart and cut it.

export const PG_BIN = process.env['RESILIENCE_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

export interface ThrowawayPostgres {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:<port>/idp */
  readonly url: string;
  /** The same server, the maintenance database (to create databases, read pg_stat_activity). */
  readonly adminUrl: string;
  start(): Promise<void>;
  /** `fast` ends sessions cleanly; `immediate` is a crash (recovery on the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  restart(): Promise<void>;
}

export async function startThrowawayPostgres(root: string): Promise<ThrowawayPostgres> {
  const dataDir = join(root, 'pgdata');
  const socketDir = join(root, 'pgsocket');
  mkdirSync(socketDir, { recursive: true });
  chmodSync(root, 0o755);
  const user = databaseUser();
  if (user) for (const dir of [root, socketDir]) chownSync(dir, user.uid, user.gid);
  const port = await freePort();
  await run(join(PG_BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], asDatabaseUser());
  writeFileSync(
    join(dataDir, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${socketDir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 200',
      'shared_buffers = 32MB',
      "log_min_messages = 'warning'",
      '',
    ].join('\n'),
  );
  if (user) chownSync(join(dataDir, 'postgresql.auto.conf'), user.uid, user.gid);
  const logFile = join(root, 'postgres.log');
  const pgCtl = (args: string[]) => run(join(PG_BIN, 'pg_ctl'), ['-D', dataDir, ...args], asDatabaseUser());
  if (user) {
    writeFileSync(logFile, '');
    chownSync(logFile, user.uid, user.gid);
  }
  const start = async () => {
    await pgCtl(['-l', logFile, '-w', '-t', '60', 'start']);
  };
  await start();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await run(join(PG_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'idp']);
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/idp`,
    adminUrl,
    start,
    async stop(mode = 'fast') {
      await pgCtl(['-m', mode, '-w', '-t', '60', 'stop']);
    },
    async restart() {
      await pgCtl(['-m', 'fast', '-w', '-t', '60', 'stop']);
      await sleep(100);
      await start();
    },
  };
}
