import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '../../../src/app.js';
import { serveCommand } from '../../../src/cli/serve.js';
import { generateDevPki, writeDevPki, type DevPki } from '../../../src/pki/index.js';
import { systemClock } from '../../../src/shared/index.js';
import { createSimulator, devPkiAdapter, issueSimulatorUsers } from '../../../src/simulator/index.js';
import { createTestDatabase } from '../../helpers/database.js';
import { freePort, loginWithSimulator, nodeSamlFor, samlPostForm, TestBrowser, writeTestSp, type TestSpDefinition } from '../../helpers/e2e.js';
import { captureLog } from '../../helpers/log-capture.js';
import { productionEnv } from '../../helpers/production-env.js';
import { startSimulatorServer } from '../../helpers/simulator-server.js';

// Issue 11 item 1: trust anchors as configuration. A `preproduction` service trusts a generated OCES-style test PKI
// because OCES_ROOT_SHA256 pins its root; a second pinned root beside it (rollover) logs its users in too; a root in
// OCES_TRUST_DIR that no pin names stops start-up with exit 78 before the database is touched.

const BASE = 'https://idp.example.dk';
const REQUEST_ISSUER = 'Staging IdP';
const OPERATIONS_TOKEN = 'staging-operations-token-0123456789';
const SP: TestSpDefinition = { name: 'staging', policy: { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' } };
const cleanups: Array<() => Promise<void> | void> = [];
t.teardown(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** A staging PKI under the pre-production policy arc, and a NemID simulator on its own port signing with it. */
async function stagingPki(vocesDer?: Buffer) {
  const port = await freePort();
  const pki = await generateDevPki({ baseUrl: `http://127.0.0.1:${port}`, rootKeyBits: 2048, policyEnvironment: 'preproduction' });
  await issueSimulatorUsers(pki, new Date());
  const simulator = createSimulator({
    origin: `http://127.0.0.1:${port}`,
    requestIssuer: REQUEST_ISSUER,
    pki: devPkiAdapter(pki, { createForgedPki: () => generateDevPki({ baseUrl: 'http://127.0.0.1:1', rootKeyBits: 2048 }), now: () => new Date() }),
    enrolledSps: [{ certificateDer: vocesDer ?? pki.user('voces-idp').certificateDer, requestIssuer: REQUEST_ISSUER }],
    clock: systemClock,
    log: { info: () => {}, warn: () => {}, error: () => {} },
  });
  const server = await startSimulatorServer(simulator.routes, { port });
  cleanups.push(() => server.close());
  return { pki, port, url: server.url };
}

function trustDirWith(...pkis: DevPki[]): string {
  const dir = tempDir('staging-trust-');
  pkis.forEach((pki, i) => {
    writeFileSync(join(dir, `root-${i}.cert.pem`), pki.root.certificatePem);
    writeFileSync(join(dir, `ca-${i}.cert.pem`), pki.issuingCa.certificatePem);
  });
  return dir;
}

const a = await stagingPki();
const aDir = tempDir('staging-pki-a-');
writeDevPki(aDir, a.pki);
const b = await stagingPki(a.pki.user('voces-idp').certificateDer);

function stagingEnv(trustDir: string, pins: string, extra: Record<string, string> = {}) {
  return productionEnv({
    NEMID_ENVIRONMENT: 'preproduction',
    IDP_BASE_URL: BASE,
    IDP_ENTITY_ID: BASE,
    NEMID_SP_KEY: join(aDir, 'users', 'voces-idp.key.pem'),
    NEMID_SP_CERT: join(aDir, 'users', 'voces-idp.cert.pem'),
    NEMID_REQUEST_ISSUER: REQUEST_ISSUER,
    OCES_TRUST_DIR: trustDir,
    OCES_ROOT_SHA256: pins,
    REVOCATION_HOSTS: `127.0.0.1:${a.port},127.0.0.1:${b.port}`,
    JOBS_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: '10000',
    METRICS_TOKEN: OPERATIONS_TOKEN,
    ...extra,
  });
}

async function startStaging(trustDir: string, pins: string) {
  const db = await createTestDatabase({ migrate: true, poolMax: 2 });
  cleanups.push(() => db.drop());
  const metadataDir = tempDir('staging-metadata-');
  writeTestSp(metadataDir, BASE, SP);
  const port = await freePort();
  const logs = captureLog();
  const service = await startService({ env: stagingEnv(trustDir, pins, { DATABASE_URL: db.url, METADATA_DIR: metadataDir, PORT: String(port) }), logDestination: logs.stream as never });
  cleanups.push(() => service.close());
  return { service, logs, local: `http://127.0.0.1:${port}` };
}

async function login(staging: Awaited<ReturnType<typeof startStaging>>, simulatorUrl: string, userId: string) {
  const browser = new TestBrowser();
  const sp = nodeSamlFor(BASE, staging.service.config.idp.signing.certPem, SP);
  // The IdP's public URL is https (behind a TLS proxy in staging); the test talks to its listener directly.
  const url = (await sp.getAuthorizeUrlAsync('', undefined, {})).replace(BASE, staging.local);
  const page = await browser.request(url);
  const answer = await loginWithSimulator(browser, { baseUrl: BASE, simulatorUrl }, page, userId);
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: samlPostForm(answer.text).SAMLResponse });
  lastCookies = [...browser.cookies(new URL(staging.local).host).keys()];
  return profile!;
}
let lastCookies: string[] = [];

t.test('preproduction with a generated PKI pinned by OCES_ROOT_SHA256: start, a full login, warning and readiness', async (t) => {
  const staging = await startStaging(trustDirWith(a.pki), a.pki.rootFingerprint256.match(/../g)!.join(':').toLowerCase());
  const profile = await login(staging, a.url, 'citizen');
  t.match(profile['urn:oid:0.9.2342.19200300.100.1.1'], /^PID:9999-2002-2-/, 'a POCES user of the staging root logs in');
  // Issue 16 item 10: behind https the path-/ cookies carry the __Host- prefix (and the login works with them).
  t.same(lastCookies.filter((name) => name.startsWith('nemid_idp_')), [], 'no unprefixed browser or session cookie');
  t.ok(lastCookies.includes('__Host-nemid_idp_browser') && lastCookies.includes('__Host-nemid_idp_session'), `cookies: ${lastCookies.join(', ')}`);
  t.match(staging.logs.text(), new RegExp(`"level":40[^\\n]*OCES_ROOT_SHA256[^\\n]*${a.pki.rootFingerprint256}`), 'the non-genuine pin is a warning at start');
  const ready = (await (await fetch(`${staging.local}/readyz`, { headers: { authorization: `Bearer ${OPERATIONS_TOKEN}` } })).json()) as { checks?: Record<string, { detail?: string }> };
  t.match(JSON.stringify(ready), new RegExp(a.pki.rootFingerprint256), '/readyz details name the pinned root');
});

t.test('rollover: two pinned roots side by side, a user of each logs in', async (t) => {
  const staging = await startStaging(trustDirWith(a.pki, b.pki), `${a.pki.rootFingerprint256},${b.pki.rootFingerprint256}`);
  t.match((await login(staging, a.url, 'citizen'))['urn:oid:0.9.2342.19200300.100.1.1'], /^PID:/, 'old root');
  t.match((await login(staging, b.url, 'employee'))['urn:oid:0.9.2342.19200300.100.1.1'], /^CVR:99990031-RID:90000001$/, 'new root');
});

t.test('an unpinned root in OCES_TRUST_DIR (or a pin without its root) exits 78 before the database is touched', async (t) => {
  // Nothing listens at this DATABASE_URL: reaching it would fail start-up with exit 1, not the configuration's 78.
  const closedDb = `postgres://postgres@127.0.0.1:${await freePort()}/none`;
  const run = async (env: Record<string, string | undefined>) => {
    let stderr = '';
    const code = await serveCommand([], { env, stdout: () => {}, stderr: (s: string) => (stderr += s) } as never);
    return { code, stderr };
  };
  const unpinned = await run(stagingEnv(trustDirWith(a.pki, b.pki), a.pki.rootFingerprint256, { DATABASE_URL: closedDb }));
  t.equal(unpinned.code, 78);
  for (const needle of ['OCES_TRUST_DIR', 'OCES_ROOT_SHA256', a.pki.rootFingerprint256, b.pki.rootFingerprint256]) t.match(unpinned.stderr, needle);
  const missing = await run(stagingEnv(trustDirWith(a.pki), `${a.pki.rootFingerprint256},${b.pki.rootFingerprint256}`, { DATABASE_URL: closedDb }));
  t.equal(missing.code, 78);
  t.match(missing.stderr, /pinned root\(s\) not found/);
  t.match(missing.stderr, b.pki.rootFingerprint256);
  const genuineDefault = await run(stagingEnv(trustDirWith(a.pki), '', { DATABASE_URL: closedDb }));
  t.equal(genuineDefault.code, 78, 'unset: the genuine pre-production root is pinned, the staging root is not');
});
