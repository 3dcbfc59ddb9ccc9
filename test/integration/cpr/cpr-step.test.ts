import { randomBytes } from 'node:crypto';
import t from 'tap';
import type { Config } from '../../../src/config/index.js';
import {
  bindingOf,
  createCprStep,
  createCprVault,
  LoginStep,
  newBrowserSecret,
  pidHmac,
  type CprStep,
  type LoginDeps,
  type LoginStepHandler,
  type StoredIdentity,
} from '../../../src/login/index.js';
import { createPidCprClient } from '../../../src/nemid/index.js';
import type { RegisteredSp, SpPolicy } from '../../../src/saml/index.js';
import { FixedClock, opaqueId, systemClock } from '../../../src/shared/index.js';
import { createSimulator, PID_XML_PATH, SIMULATOR_PUBLIC_SPID, TEST_USERS, type SimLog } from '../../../src/simulator/index.js';
import { auditEvents, cprMemory, loginTransactions, type LoginTransaction } from '../../../src/store/index.js';
import { withTestDatabase } from '../../helpers/database.js';
import { fixtureSimulatorPki } from '../../helpers/fixture-simulator-pki.js';
import { startSimulatorServer } from '../../helpers/simulator-server.js';

// The CPR step against real PostgreSQL and the simulator's PID-CPR service over HTTP. A step after it that always
// shows a page stands in for the rest of the login, so a match ends there instead of building an assertion.

const silent: SimLog = { info: () => {}, warn: () => {}, error: () => {} };
const simulator = createSimulator({ pidCprClients: 'any-caller', origin: 'http://127.0.0.1:1', requestIssuer: 'test', pki: fixtureSimulatorPki(), clock: systemClock, log: silent, timeoutMs: 2000 });
const simServer = await startSimulatorServer([...simulator.routes, ...simulator.pidCprRoutes]);
t.teardown(() => simServer.close());
const pidCpr = createPidCprClient({ url: `${simServer.url}${PID_XML_PATH}`, spid: SIMULATOR_PUBLIC_SPID, timeoutMs: 500 });
const setSwitch = (value: string) => fetch(`${simServer.url}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pidCpr: value }) });

const user = (id: string) => TEST_USERS.find((u) => u.userId === id)!;
const TEST_CPRS = TEST_USERS.flatMap((u) => (u.cpr ? [u.cpr, `${u.cpr.slice(0, 6)}-${u.cpr.slice(6)}`] : []));

function identityOf(userId: string, type: 'POCES' | 'MOCES' = 'POCES'): StoredIdentity {
  const u = user(userId);
  return {
    type,
    subjectSerialNumber: type === 'POCES' ? `PID:${u.certificate.pid}` : 'CVR:99000001-RID:1234',
    ...(type === 'POCES' ? { pid: u.certificate.pid! } : { cvr: '99000001', rid: '1234' }),
    commonName: u.certificate.commonName,
    organizationName: 'Ingen organisatorisk tilknytning',
    organizationNameWithoutCvr: 'Ingen organisatorisk tilknytning',
    youth: false,
    pseudonym: false,
    certificateSerialHex: '01',
    issuerDn: 'CN=test',
    certificateDerBase64: 'AA==',
    x509Subject: { c: 'DK', o: 'x', cn: 'x', serialNumber: 'x' },
  };
}

function spWith(name: string, policy: Partial<SpPolicy>): RegisteredSp {
  return {
    name,
    entityId: `https://${name}.sp.test/metadata`,
    policy: {
      sector: 'private', cpr: 'none', allowedCertificates: ['POCES', 'MOCES'], youthCertificates: 'allow', businessLogin: false, businessOnly: false,
      attributeProfile: 'oiosaml2', nameIdFormat: 'persistent', signResponse: false, encryptAssertion: 'aes256-gcm', allowSha1: false,
      allowIdpInitiated: false, releaseCpr: true, ...policy,
    } as SpPolicy,
    acsEndpoints: [{ binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', location: `https://${name}.sp.test/acs`, index: 0 }],
    sloEndpoints: [],
    signingCertificates: [],
    encryptionMethods: [],
    displayNames: {},
    warnings: [],
  };
}
const SPS = [spWith('municipality', { sector: 'public', cpr: 'lookup' }), spWith('bank', { cpr: 'match' }), spWith('shop', { cpr: 'none', releaseCpr: false }), spWith('quiet', { cpr: 'match' })];
const spNamed = (name: string) => SPS.find((sp) => sp.name === name)!;

const afterCpr: LoginStepHandler = { name: 'business', enter: async () => ({ kind: 'page', view: { kind: 'after-cpr' } }) };

t.test('the CPR step', async (t) => {
  const db = await withTestDatabase(t);
  const clock = new FixedClock('2026-03-01T10:00:00Z');
  const logLines: string[] = [];
  const log = { info: (f: object, m?: string) => logLines.push(JSON.stringify(f) + (m ?? '')), warn: (f: object, m?: string) => logLines.push(JSON.stringify(f) + (m ?? '')), error: (f: object, m?: string) => logLines.push(JSON.stringify(f) + (m ?? '')) };
  const vault = createCprVault([{ id: 'k1', key: randomBytes(32) }]);
  const hmacSecret = randomBytes(32);
  const makeDeps = (step: CprStep): LoginDeps => ({
    pool: db.pool,
    clock,
    config: {} as Config,
    registry: () => ({ byEntityId: (id: string) => SPS.find((sp) => sp.entityId === id), all: () => SPS }),
    validator: {} as LoginDeps['validator'],
    log,
    steps: [step, afterCpr],
    cprVault: vault,
  });
  const step = createCprStep({ pidCpr, pidHmacSecret: hmacSecret, offerRemember: (sp) => sp.name !== 'quiet' });
  const deps = makeDeps(step);

  async function authenticated(userId: string, spName: string, options: { type?: 'POCES' | 'MOCES'; passive?: boolean } = {}): Promise<{ tx: LoginTransaction; secret: string }> {
    const secret = newBrowserSecret();
    const sp = spNamed(spName);
    const created = await loginTransactions.create(db.pool, {
      id: opaqueId(), browserBinding: bindingOf(secret), spEntityId: sp.entityId, requestId: '_r', acsUrl: sp.acsEndpoints[0]!.location,
      acsBinding: sp.acsEndpoints[0]!.binding, relayState: null, language: 'da', createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 3600_000),
      request: { nameIdFormat: 'x', allowCreate: true, authnContextClassRef: 'x', forceAuthn: false, isPassive: options.passive ?? false, idpInitiated: false },
    });
    const tx = await loginTransactions.transition(db.pool, created.id, 'created', 'authenticated', { identity: identityOf(userId, options.type) as unknown as Record<string, unknown> }, clock.now());
    return { tx: tx!, secret };
  }
  // As advanceLogin does: the handler records into the HTTP step's LoginStep, which is committed (without the
  // handler's `done` patch, which advanceLogin would carry on to the next handler).
  const enter = async (tx: LoginTransaction, s: CprStep = step) => {
    const loginStep = LoginStep.of(makeDeps(s), tx);
    const result = await s.enter({ deps: makeDeps(s), tx, sp: spNamed(SPS.find((sp) => sp.entityId === tx.spEntityId)!.name), identity: tx.identity as unknown as StoredIdentity, fromSession: false, step: loginStep });
    await loginStep.commit();
    return result;
  };
  const reload = async (tx: LoginTransaction) => (await loginTransactions.get(db.pool, tx.id))!;

  t.beforeEach(async () => {
    simulator.state.reset();
  });

  t.test('lookup for a public SP: no page, the CPR sealed in the transaction, audited without the number', async (t) => {
    const { tx } = await authenticated('citizen', 'municipality');
    const result = await enter(tx);
    t.equal(result.kind, 'done');
    const patch = (result as { patch: { cprCiphertext: Buffer; cprKeyId: string; cprSource: string } }).patch;
    t.equal(patch.cprSource, 'lookup');
    t.equal(vault.open(patch.cprCiphertext, patch.cprKeyId), user('citizen').cpr);
    const events = await auditEvents.listForLogin(db.pool, tx.id);
    t.same(events.map((e) => e.type), ['cpr_looked_up']);
    await t.rejects(enter((await authenticated('no-cpr', 'municipality')).tx), { code: 'CPR_NO_PID' });
  });

  t.test('no CPR step for an SP without one; an employee skips the step of an SP that has one', async (t) => {
    t.same(await enter((await authenticated('citizen', 'shop')).tx), { kind: 'done' });
    const employee = await authenticated('employee', 'bank', { type: 'MOCES' });
    t.same(await enter(employee.tx), { kind: 'done' }, 'no CPR page for MOCES on a match SP');
    t.notOk((await reload(employee.tx)).cprCiphertext, 'and no CPR in the transaction');
    t.same(await enter((await authenticated('employee', 'shop', { type: 'MOCES' })).tx), { kind: 'done' });
  });

  t.test('match: the page, a bad date, a mismatch, then a match that is remembered; the next login skips the page', async (t) => {
    const { tx, secret } = await authenticated('citizen', 'bank');
    const page = await enter(tx);
    t.same(page, { kind: 'page', view: { kind: 'cpr', loginId: tx.id, spName: 'bank', offerRemember: true, attemptsLeft: 3 } });
    t.equal((await reload(tx)).state, 'cpr');
    t.same(await enter(await reload(tx)), page, 'entering again (page reload) is idempotent');

    const bad = await step.submit(deps, tx.id, secret, { cpr: '310285-1234' });
    t.match(bad.outcome, { type: 'page', view: { error: 'CPR_FORMAT_INVALID', attemptsLeft: 3 } }, 'no try used for a non-date');
    const wrong = await step.submit(deps, tx.id, secret, { cpr: user('youth').cpr! });
    t.match(wrong.outcome, { type: 'page', view: { error: 'CPR_MISMATCH', attemptsLeft: 2 } });
    t.notMatch(JSON.stringify(wrong.outcome), user('youth').cpr!, 'the typed number is not echoed');
    const right = await step.submit(deps, tx.id, secret, { cpr: `${user('citizen').cpr!.slice(0, 6)}-${user('citizen').cpr!.slice(6)}`, remember: 'on' });
    t.same(right.outcome, { type: 'page', view: { kind: 'after-cpr' } }, 'the login went on to the next step');
    const matched = await reload(tx);
    t.equal(matched.cprSource, 'match');
    t.equal(vault.open(matched.cprCiphertext!, matched.cprKeyId!), user('citizen').cpr);
    const memory = await cprMemory.get(db.pool, pidHmac(hmacSecret, user('citizen').certificate.pid!), spNamed('bank').entityId);
    t.ok(memory, 'remembered');
    t.same((await auditEvents.listForLogin(db.pool, tx.id)).map((e) => e.type).sort(), ['cpr_matched', 'cpr_remembered']);

    clock.advance(24 * 3600_000);
    const second = await authenticated('citizen', 'bank');
    const skipped = await enter(second.tx);
    t.equal(skipped.kind, 'done', 'no page the second time');
    t.match(skipped, { patch: { cprSource: 'memory' } });
    t.same((await cprMemory.get(db.pool, pidHmac(hmacSecret, user('citizen').certificate.pid!), spNamed('bank').entityId))!.lastUsedAt, clock.now(), 'last_used_at moved');
  });

  t.test('forgetting from the CPR page deletes the row at once', async (t) => {
    const pid = user('owner').certificate.pid!;
    await cprMemory.put(db.pool, { spEntityId: spNamed('bank').entityId, pidHmac: pidHmac(hmacSecret, pid), ...vault.seal(user('owner').cpr!), now: clock.now() });
    const { tx, secret } = await authenticated('owner', 'bank');
    await loginTransactions.transition(db.pool, tx.id, 'authenticated', 'cpr', {}, clock.now());
    const forgotten = await step.forget(deps, tx.id, secret);
    t.match(forgotten, { type: 'page', view: { kind: 'cpr', forgotten: true } });
    t.equal(await cprMemory.get(db.pool, pidHmac(hmacSecret, pid), spNamed('bank').entityId), null);
    t.match(await step.forget(deps, tx.id, secret), { view: { forgotten: false } });
    t.equal((await enter((await authenticated('owner', 'bank')).tx)).kind, 'page', 'asked again next time');
  });

  t.test('"remember" is ignored where the SP does not offer it', async (t) => {
    const { tx, secret } = await authenticated('pseudonym', 'quiet');
    t.match(await enter(tx), { view: { offerRemember: false } });
    await step.submit(deps, tx.id, secret, { cpr: user('pseudonym').cpr!, remember: 'on' });
    t.equal(await cprMemory.get(db.pool, pidHmac(hmacSecret, user('pseudonym').certificate.pid!), spNamed('quiet').entityId), null);
  });

  t.test('three mismatches end the login; a fourth post is refused too', async (t) => {
    const { tx, secret } = await authenticated('revoked', 'bank');
    await enter(tx);
    await step.submit(deps, tx.id, secret, { cpr: user('citizen').cpr! });
    await step.submit(deps, tx.id, secret, { cpr: user('citizen').cpr! });
    await t.rejects(step.submit(deps, tx.id, secret, { cpr: user('citizen').cpr! }), { code: 'CPR_ATTEMPTS_EXCEEDED' });
    await t.rejects(step.submit(deps, tx.id, secret, { cpr: user('revoked').cpr! }), { code: 'CPR_ATTEMPTS_EXCEEDED' });
    t.equal((await reload(tx)).cprCiphertext, null);
  });

  t.test('the per-PID hourly limit spans logins', async (t) => {
    const strict = createCprStep({ pidCpr, pidHmacSecret: hmacSecret, maxAttemptsPerPidPerHour: 2 });
    const strictDeps = makeDeps(strict);
    const first = await authenticated('expired', 'bank');
    await enter(first.tx, strict);
    await strict.submit(strictDeps, first.tx.id, first.secret, { cpr: user('citizen').cpr! });
    await strict.submit(strictDeps, first.tx.id, first.secret, { cpr: user('citizen').cpr! });
    const second = await authenticated('expired', 'bank');
    await enter(second.tx, strict);
    await t.rejects(strict.submit(strictDeps, second.tx.id, second.secret, { cpr: user('expired').cpr! }), { code: 'CPR_RATE_LIMITED' });
    clock.advance(3600_000 + 1000);
    const third = await authenticated('expired', 'bank');
    await enter(third.tx, strict);
    t.match((await strict.submit(strictDeps, third.tx.id, third.secret, { cpr: user('expired').cpr! })).outcome, { view: { kind: 'after-cpr' } }, 'an hour later it is allowed again');
  });

  t.test('status 16, service down and timeout: the login fails with their codes and nothing is stored', async (t) => {
    for (const [mode, code] of [['16', 'CPR_BRUTE_FORCE'], ['unavailable', 'CPR_SERVICE_UNAVAILABLE'], ['timeout', 'CPR_SERVICE_UNAVAILABLE'], ['16384', 'CPR_SERVICE_INTERNAL_ERROR']] as const) {
      await setSwitch(mode);
      const { tx, secret } = await authenticated('fault', 'bank');
      await enter(tx);
      await t.rejects(step.submit(deps, tx.id, secret, { cpr: user('fault').cpr!, remember: 'on' }), { code }, mode);
      t.equal((await reload(tx)).cprCiphertext, null, `${mode}: no CPR in the transaction`);
      t.equal(await cprMemory.get(db.pool, pidHmac(hmacSecret, user('fault').certificate.pid!), spNamed('bank').entityId), null, `${mode}: nothing remembered`);
      const lookup = await authenticated('citizen', 'municipality');
      await t.rejects(enter(lookup.tx), { code }, `${mode}: lookup`);
      simulator.state.reset();
    }
  });

  t.test('a passive request cannot show the page: the state stays authenticated', async (t) => {
    const { tx } = await authenticated('youth', 'bank', { passive: true });
    t.equal((await enter(tx)).kind, 'page');
    t.equal((await reload(tx)).state, 'authenticated');
  });

  t.test('no test CPR in the log, the audit trail or any table in clear text', async (t) => {
    const logText = logLines.join('\n');
    const tables = (await db.pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename);
    let dump = '';
    for (const table of tables) {
      const rows = await db.pool.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`);
      dump += rows.rows.map((r) => r.row).join('\n');
    }
    t.ok(dump.includes('cpr_matched'), 'the dump holds the audit rows');
    for (const cpr of TEST_CPRS) {
      t.notOk(logText.includes(cpr), `log: ${cpr.length}`);
      t.notOk(dump.includes(cpr), 'tables (text)');
      t.notOk(dump.includes(Buffer.from(cpr).toString('hex')), 'tables (bytea)');
    }
  });
});
