import t from 'tap';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService } from '../../../src/app.js';
import { migrate, startEmbeddedPostgres, silentLog } from '../../../src/store/index.js';
import { createEmptyDatabase, MIGRATIONS_DIR } from '../../helpers/database.js';
import { freePort } from '../../helpers/e2e.js';
import { captureLog } from '../../helpers/log-capture.js';

// The running service as ops see it: readiness follows the database without a restart, a schema behind the code
// refuses traffic naming the missing migration, and shutdown lets a request in flight finish.

const base = mkdtempSync(join(tmpdir(), 'nemid-idp-ops-'));
chmodSync(base, 0o755);
const dataDir = join(base, 'data');
t.teardown(() => rmSync(base, { recursive: true, force: true }));

async function serviceOn(databaseUrl: string): Promise<{ service: RunningService; url: string }> {
  const port = await freePort();
  const service = await startService({
    env: {
      NEMID_ENVIRONMENT: 'simulator',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      SIMULATOR_PORT: String(await freePort()),
      SIMULATOR_PID_CPR_PORT: String(await freePort()),
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    },
    logDestination: captureLog().stream as never,
  });
  return { service, url: `http://127.0.0.1:${port}` };
}

const readyz = async (url: string) => {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, { ok: boolean; detail?: string }> } };
};

t.test('/readyz is 503 while the database is stopped and 200 again after it returns, without a restart', async (t) => {
  const embedded = await startEmbeddedPostgres({ dataDir: join(base, 'pg'), log: silentLog, durability: 'none' });
  await migrate({ databaseUrl: embedded.url, dir: MIGRATIONS_DIR, log: silentLog });
  const { service, url } = await serviceOn(embedded.url);
  let server = embedded;
  t.teardown(async () => {
    await service.close();
    await server.stop();
  });
  t.equal((await readyz(url)).status, 200);
  await server.stop();
  const down = await readyz(url);
  t.equal(down.status, 503);
  t.equal(down.body.checks['database']?.ok, false, 'the reason is the database');
  t.equal((await fetch(`${url}/healthz`)).status, 200, 'the process is still alive');
  server = await startEmbeddedPostgres({ dataDir: join(base, 'pg'), log: silentLog, durability: 'none' });
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = (await readyz(url)).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  t.equal(status, 200, 'ready again with the same process');
});

t.test('a schema behind the code: traffic refused naming the missing migration, served once migrated', async (t) => {
  const db = await createEmptyDatabase();
  t.teardown(() => db.drop());
  const files = readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith('.sql')).sort();
  const missing = files.at(-1)!;
  const partial = join(base, 'partial-migrations');
  mkdirSync(partial, { recursive: true });
  for (const name of files.slice(0, -1)) copyFileSync(join(MIGRATIONS_DIR, name), join(partial, name));
  await migrate({ databaseUrl: db.url, dir: partial, log: silentLog });

  const { service, url } = await serviceOn(db.url);
  t.teardown(() => service.close());
  const behind = await readyz(url);
  t.equal(behind.status, 503);
  t.match(behind.body.checks['schema']?.detail, missing.replace(/\.sql$/, ''), 'readiness names the missing migration');
  const refused = await fetch(`${url}/saml/metadata`, { headers: { accept: 'application/json' } });
  t.equal(refused.status, 503);
  t.equal(((await refused.json()) as { error: string }).error, 'SCHEMA_BEHIND');

  await migrate({ databaseUrl: db.url, dir: MIGRATIONS_DIR, log: silentLog });
  t.equal((await readyz(url)).status, 200, 'ready after `migrate`, without a restart');
  t.equal((await fetch(`${url}/saml/metadata`)).status, 200);
});

t.test('graceful shutdown: a request in flight finishes, new connections are refused', async (t) => {
  const db = await createEmptyDatabase();
  t.teardown(() => db.drop());
  await migrate({ databaseUrl: db.url, dir: MIGRATIONS_DIR, log: silentLog });
  const { service, url } = await serviceOn(db.url);
  const { port } = new URL(url);
  // A POST whose body arrives slowly: in flight when the shutdown starts.
  const body = 'SAMLRequest=' + 'A'.repeat(2000);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk));
  const ended = new Promise((r) => socket.once('close', r));
  socket.write(`POST /saml/sso HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
  socket.write(body.slice(0, 1000));
  await new Promise((r) => setTimeout(r, 100));

  const closing = service.close();
  await new Promise((r) => setTimeout(r, 200));
  const refused = await fetch(`${url}/healthz`).then(
    () => false,
    () => true,
  );
  t.ok(refused, 'no new connections once shutdown began');
  socket.write(body.slice(1000));
  await ended;
  await closing;
  t.match(answer, /^HTTP\/1\.1 400 /, 'the request in flight got its whole answer');
  t.match(answer, /SAML_REQUEST_MALFORMED|SAML_SCHEMA_INVALID|SAML_XML_FORBIDDEN/);
});
