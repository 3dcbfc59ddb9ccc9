import { randomBytes } from 'node:crypto';
import t from 'tap';
import type { Config } from '../../../src/config/index.js';
import { bindingOf, createCprStep, createCprVault, newBrowserSecret, pidHmac, type LoginDeps, type StoredIdentity } from '../../../src/login/index.js';
import { createPidCprClient, type PidCprClient } from '../../../src/nemid/index.js';
import type { RegisteredSp, SpPolicy } from '../../../src/saml/index.js';
import { FixedClock, opaqueId, systemClock } from '../../../src/shared/index.js';
import { createSimulator, PID_XML_PATH, SIMULATOR_PUBLIC_SPID, TEST_USERS, type SimLog } from '../../../src/simulator/index.js';
import { loginTransactions, silentLog } from '../../../src/store/index.js';
import { withTestDatabase } from '../../helpers/database.js';
import { fixtureSimulatorPki } from '../../helpers/fixture-simulator-pki.js';
import { startSimulatorServer } from '../../helpers/simulator-server.js';

// Issue 16, finding 2: 10 concurrent logins of one PID each submitting a CPR recorded 7 tries in the hour (limit 5),
// because count, check and insert were separate statements. Now one transaction under a per-PID advisory lock
// reserves the try before PID-CPR is asked: at most the limit is recorded, and at most the limit reaches PID-CPR.

const silent: SimLog = { info: () => {}, warn: () => {}, error: () => {} };
const simulator = createSimulator({ pidCprClients: 'any-caller', origin: 'http://127.0.0.1:1', requestIssuer: 'test', pki: fixtureSimulatorPki(), clock: systemClock, log: silent, timeoutMs: 2000 });
const simServer = await startSimulatorServer([...simulator.routes, ...simulator.pidCprRoutes]);
t.teardown(() => simServer.close());
const real = createPidCprClient({ url: `${simServer.url}${PID_XML_PATH}`, spid: SIMULATOR_PUBLIC_SPID, timeoutMs: 2000 });
let matchCalls = 0;
/** The real PID-CPR client, counting the match questions that reach the service. */
const pidCpr: PidCprClient = { lookup: (pid) => real.lookup(pid), match: async (pid, cpr) => (matchCalls++, real.match(pid, cpr)) };

const user = TEST_USERS.find((u) => u.userId === 'citizen')!;
const other = TEST_USERS.find((u) => u.userId === 'owner')!;
const identity: StoredIdentity = {
  type: 'POCES', subjectSerialNumber: `PID:${user.certificate.pid}`, pid: user.certificate.pid!, commonName: user.certificate.commonName,
  organizationName: 'Ingen organisatorisk tilknytning', organizationNameWithoutCvr: 'Ingen organisatorisk tilknytning', youth: false, pseudonym: false,
  certificateSerialHex: '01', issuerDn: 'CN=test', certificateDerBase64: 'AA==', x509Subject: { c: 'DK', o: 'x', cn: 'x', serialNumber: 'x' },
};
const SP = {
  name: 'bank', entityId: 'https://bank.sp.test/metadata',
  policy: { sector: 'private', cpr: 'match', allowedCertificates: ['POCES'], youthCertificates: 'allow', businessLogin: false, releaseCpr: true } as unknown as SpPolicy,
  acsEndpoints: [{ binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', location: 'https://bank.sp.test/acs', index: 0 }],
  sloEndpoints: [], signingCertificates: [], encryptionMethods: [], displayNames: {}, warnings: [],
} as unknown as RegisteredSp;

t.test('10 parallel CPR tries for one PID: at most the hourly limit recorded and sent to PID-CPR', async (t) => {
  const db = await withTestDatabase(t);
  const clock = new FixedClock('2026-03-01T10:00:00Z');
  const hmacSecret = randomBytes(32);
  const step = createCprStep({ pidCpr, pidHmacSecret: hmacSecret, maxAttemptsPerPidPerHour: 5 });
  const deps: LoginDeps = {
    pool: db.pool, clock, config: {} as Config, registry: () => ({ byEntityId: () => SP, all: () => [SP] }) as never,
    validator: {} as LoginDeps['validator'], log: silentLog, steps: [step], cprVault: createCprVault([{ id: 'k1', key: randomBytes(32) }]),
  };
  const logins = await Promise.all(Array.from({ length: 10 }, async () => {
    const secret = newBrowserSecret();
    const created = await loginTransactions.create(db.pool, {
      id: opaqueId(), browserBinding: bindingOf(secret), spEntityId: SP.entityId, requestId: '_r', acsUrl: 'https://bank.sp.test/acs',
      acsBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', relayState: null, language: 'da', createdAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + 3600_000),
      request: { nameIdFormat: 'x', allowCreate: true, authnContextClassRef: 'x', forceAuthn: false, isPassive: false, idpInitiated: false },
    });
    await loginTransactions.transition(db.pool, created.id, 'created', 'cpr', { identity: identity as unknown as Record<string, unknown> }, clock.now());
    return { id: created.id, secret };
  }));

  // Someone else's CPR: every try that is let through is a mismatch, so none ends a login early.
  const outcomes = await Promise.allSettled(logins.map((login) => step.submit(deps, login.id, login.secret, { cpr: other.cpr! })));
  const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code);
  const answered = outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<{ outcome: { view?: { error?: string } } }>).value.outcome.view?.error);
  const recorded = await db.pool.query('SELECT count(*)::int AS n FROM cpr_match_attempts WHERE pid_hmac = $1', [pidHmac(hmacSecret, user.certificate.pid!)]);
  t.equal(recorded.rows[0].n, 5, 'exactly the limit recorded');
  t.equal(matchCalls, 5, 'exactly the limit asked of PID-CPR');
  t.same(answered, Array(5).fill('CPR_MISMATCH'), 'the tries let through were answered');
  t.same(refused, Array(5).fill('CPR_RATE_LIMITED'), 'the others refused with the limit code');
  const attempts = await db.pool.query<{ n: number }>('SELECT sum(cpr_attempts)::int AS n FROM login_transactions');
  t.equal(attempts.rows[0]!.n, 5, 'refused tries are not counted against their logins');
});
