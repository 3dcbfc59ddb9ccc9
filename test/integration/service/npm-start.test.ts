import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, loginWithSimulator, nodeSamlFor, samlPostForm, TestBrowser, writeTestSp } from '../../helpers/e2e.js';

// The fresh-checkout promise: with no DATABASE_URL the service starts an embedded PostgreSQL under DATA_DIR, serves
// /healthz and /readyz, stops cleanly on Ctrl-C (SIGINT) and reuses its data on the next start.

const ROOT = resolve(import.meta.dirname, '../../..');
// A data dir the embedded server (run as the postgres user when we are root) can traverse.
const base = mkdtempSync(join(tmpdir(), 'nemid-idp-start-'));
chmodSync(base, 0o755);
const dataDir = join(base, 'data');
t.teardown(() => rmSync(base, { recursive: true, force: true }));

function start(port: number, simulatorPort: number, extraEnv: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'DATABASE_URL') env[key] = value;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...env, DATA_DIR: dataDir, PORT: String(port), SIMULATOR_PORT: String(simulatorPort), JOBS_ENABLED: 'false', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return { child, output: () => text, exited };
}

async function waitFor(url: string, status: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status === status) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

for (const run of ['first', 'second'] as const) {
  t.test(`${run} start: healthz and readyz answer 200 on the embedded PostgreSQL; SIGINT stops it cleanly`, async (t) => {
    const [port, simulatorPort] = [await freePort(), await freePort()];
    const service = start(port, simulatorPort);
    t.teardown(() => {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
    });
    const ms = await waitFor(`http://127.0.0.1:${port}/readyz`, 200, 60_000);
    t.comment(`${run} start ready after ${ms} ms`);
    t.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { checks: Record<string, { ok: boolean }> };
    t.ok(ready.checks['database']?.ok && ready.checks['schema']?.ok, 'database reachable, schema current');
    t.equal((await fetch(`http://localhost:${simulatorPort}/developers/`)).status, 200, 'the simulator serves its test users');
    service.child.kill('SIGINT');
    t.equal(await service.exited, 0, 'exit code 0');
    const log = service.output();
    t.match(log, /embedded PostgreSQL stopped/);
    t.match(log, /"msg":"stopped"/);
    t.match(log, /SIMULATOR ENVIRONMENT/, 'the simulator warns loudly');
    if (run === 'second') t.notMatch(log, /initdb|"applied":\["0001/, 'the second start reuses the cluster and schema');
    t.ok(existsSync(join(dataDir, 'postgres', 'PG_VERSION')), 'data kept under DATA_DIR');
  });
}

async function waitForLog(output: () => string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!pattern.test(output())) {
    if (Date.now() - started > timeoutMs) throw new Error(`no log line ${pattern} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

t.test('SIGHUP with the embedded PostgreSQL reloads the registry and nothing else; SIGTERM then stops cleanly', async (t) => {
  const metadataDir = mkdtempSync(join(tmpdir(), 'nemid-idp-sighup-metadata-'));
  t.teardown(() => rmSync(metadataDir, { recursive: true, force: true }));
  const [port, simulatorPort] = [await freePort(), await freePort()];
  const service = start(port, simulatorPort, { METADATA_DIR: metadataDir });
  t.teardown(() => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
  });
  const baseUrl = `http://localhost:${port}`;
  await waitFor(`${baseUrl}/readyz`, 200, 60_000);

  // An SP added to the folder while the service runs: unknown until the reload.
  const sp = { name: 'late', policy: { sector: 'private', allowedCertificates: ['POCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' } };
  writeTestSp(metadataDir, baseUrl, sp);
  const idpCert = readFileSync(join(dataDir, 'simulator', 'idp-signing.SIMULATOR.cert.pem'), 'utf8');
  const before = await new TestBrowser().request(await nodeSamlFor(baseUrl, idpCert, sp).getAuthorizeUrlAsync('before', undefined, {}));
  t.equal(before.status, 400, 'the new SP is refused before the reload');

  service.child.kill('SIGHUP');
  await waitForLog(service.output, /"msg":"metadata reloaded"/, 20_000);
  await new Promise((r) => setTimeout(r, 500)); // a signal that ends the process would have done so by now
  t.equal(service.child.exitCode, null, 'still running after SIGHUP');
  t.equal((await fetch(`${baseUrl}/readyz`)).status, 200, 'still ready, still on its database');

  const browser = new TestBrowser();
  const saml = nodeSamlFor(baseUrl, idpCert, sp);
  const loginPage = await browser.request(await saml.getAuthorizeUrlAsync('after', undefined, {}));
  t.equal(loginPage.status, 200, 'the new SP is known after the reload');
  const answer = await loginWithSimulator(browser, { baseUrl, simulatorUrl: `http://localhost:${simulatorPort}` }, loginPage, 'citizen');
  const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlPostForm(answer.text).SAMLResponse });
  t.match(profile?.['urn:oid:0.9.2342.19200300.100.1.1'], /^PID:/, 'the newly added SP logs a user in');

  service.child.kill('SIGTERM');
  t.equal(await service.exited, 0, 'SIGTERM exits 0');
  t.match(service.output(), /embedded PostgreSQL stopped/);
  t.match(service.output(), /"msg":"stopped"/);
});

t.test('bad configuration stops start-up with a message naming the setting', async (t) => {
  for (const [name, value] of [
    ['NEMID_ENVIRONMENT', 'staging'],
    ['DATABASE_URL', 'postgres//nowhere'],
    ['IDP_SIGNING_KEY', '/nonexistent/key.pem'],
  ] as const) {
    const env: Record<string, string> = {};
    for (const [key, v] of Object.entries(process.env)) if (v !== undefined) env[key] = v;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      cwd: ROOT,
      env: { ...env, DATA_DIR: dataDir, [name]: value, PORT: String(await freePort()), SIMULATOR_PORT: String(await freePort()), SIMULATOR_PID_CPR_PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    t.equal(code, 78, `${name}: exit code 78 (EX_CONFIG)`);
    t.match(stderr, new RegExp(`${name}:`), `${name} named in the message`);
  }
});
