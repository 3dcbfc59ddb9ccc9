import t from 'tap';
import { loadConfig } from '../../../src/config/index.js';
import { failLogin, type LoginDeps } from '../../../src/login/index.js';
import { runSweep } from '../../../src/jobs/index.js';
import type { RegisteredSp, SpPolicy } from '../../../src/saml/index.js';
import { FixedClock } from '../../../src/shared/index.js';
import { auditEvents, loginTransactions, silentLog, type LoginTransaction } from '../../../src/store/index.js';
import { withTestDatabase } from '../../helpers/database.js';
import { productionEnv } from '../../helpers/production-env.js';

// Issue 13 problem 2: the failure answer is derived from the committed state. failLogin with a login read in an
// older state (the step moved it on meanwhile) still ends it and answers the SP, once; and the sweep ends logins
// stuck in a step past their expiry.

const config = await loadConfig({ env: productionEnv(), cwd: process.cwd() });
const SP: RegisteredSp = {
  name: 'shop',
  entityId: 'https://shop.sp.test/metadata',
  policy: { sector: 'private', cpr: 'none', allowedCertificates: ['POCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent', encryptAssertion: 'aes256-gcm' } as unknown as SpPolicy,
  acsEndpoints: [{ binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', location: 'https://shop.sp.test/acs', index: 0 }],
  sloEndpoints: [],
  signingCertificates: [],
  encryptionMethods: [],
  displayNames: {},
  warnings: [],
} as unknown as RegisteredSp;

t.test('failLogin', async (t) => {
  const db = await withTestDatabase(t);
  const clock = new FixedClock('2026-06-01T10:00:00Z');
  const deps: LoginDeps = {
    pool: db.pool, clock, config, registry: () => ({ byEntityId: (id: string) => (id === SP.entityId ? SP : undefined), all: () => [SP] }) as never,
    validator: {} as LoginDeps['validator'], log: silentLog, steps: [],
  };
  let n = 0;
  const open = async (): Promise<LoginTransaction> =>
    loginTransactions.create(db.pool, {
      id: `L${String(++n).padStart(21, '0')}`, browserBinding: 'b', spEntityId: SP.entityId, requestId: `_req${n}`, acsUrl: 'https://shop.sp.test/acs',
      acsBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', relayState: 'rs', request: {}, language: 'da', createdAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + 600_000),
    });

  t.test('after the state moved on, the SP still gets its error Response, once', async (t) => {
    const stale = await open();
    // Another request moved the login on after `stale` was read.
    await loginTransactions.transition(db.pool, stale.id, 'created', 'client_started', { nemidChallenge: 'c' }, clock.now());
    await loginTransactions.transition(db.pool, stale.id, 'client_started', 'authenticated', { identity: { type: 'POCES' } }, clock.now());
    const outcome = await failLogin(deps, stale, 'NEMID_USER_CANCELLED', 'trace-1');
    t.ok(outcome, 'answered');
    t.equal(outcome!.action, 'https://shop.sp.test/acs');
    t.equal(outcome!.fields['RelayState'], 'rs');
    const xml = Buffer.from(outcome!.fields['SAMLResponse']!, 'base64').toString('utf8');
    t.match(xml, `InResponseTo="_req${n}"`);
    t.match(xml, /status:Responder/);
    const row = (await loginTransactions.get(db.pool, stale.id))!;
    t.match(row, { state: 'failed', errorCode: 'NEMID_USER_CANCELLED', nemidChallenge: null });
    t.equal(await failLogin(deps, stale, 'NEMID_USER_CANCELLED'), null, 'a second failure answers nothing');
    const sent = (await auditEvents.listForLogin(db.pool, stale.id)).filter((e) => e.type === 'response_sent');
    t.equal(sent.length, 1, 'answered once');
    t.match(sent[0]!.data, { code: 'NEMID_USER_CANCELLED', status: 'Responder' });
  });

  t.test('a completed login is never failed afterwards', async (t) => {
    const tx = await open();
    await loginTransactions.transition(db.pool, tx.id, 'created', 'completed', { completedAt: clock.now() }, clock.now());
    t.equal(await failLogin(deps, tx, 'NEMID_USER_CANCELLED'), null);
    t.equal((await loginTransactions.get(db.pool, tx.id))!.state, 'completed');
  });

  t.test('a code that is not answered still ends the login', async (t) => {
    const tx = await open();
    t.equal(await failLogin(deps, tx, 'LOGIN_BROWSER_MISMATCH'), null, 'local page');
    t.equal((await loginTransactions.get(db.pool, tx.id))!.state, 'failed');
  });

  t.test('the sweep ends logins stuck past their expiry, audited, and deletes them after the retention', async (t) => {
    const stuck = await open();
    await loginTransactions.transition(db.pool, stuck.id, 'created', 'client_started', { nemidChallenge: 'c' }, clock.now());
    const done = await open();
    await loginTransactions.transition(db.pool, done.id, 'created', 'completed', { completedAt: clock.now() }, clock.now());
    const fresh = await open();
    await loginTransactions.transition(db.pool, fresh.id, 'created', 'created', { expiresAt: new Date(clock.now().getTime() + 3 * 3600_000) }, clock.now());
    const later = new FixedClock(new Date(clock.now().getTime() + 3600_000));
    await runSweep({ pool: db.pool, clock: later, retention: { expiredLoginsMs: 3600_000 } });
    t.match(await loginTransactions.get(db.pool, stuck.id), { state: 'failed', errorCode: 'LOGIN_EXPIRED', nemidChallenge: null });
    t.equal((await loginTransactions.get(db.pool, done.id))!.state, 'completed', 'a completed login stays completed');
    t.equal((await loginTransactions.get(db.pool, fresh.id))!.state, 'created', 'a login within its time is left alone');
    t.match((await auditEvents.listForLogin(db.pool, stuck.id)).map((e) => [e.type, e.data]), [['login_expired', { code: 'LOGIN_EXPIRED', stuckIn: 'client_started' }]]);
    const stillStuck = await db.pool.query("SELECT count(*)::int AS n FROM login_transactions WHERE state NOT IN ('completed', 'failed') AND expires_at <= $1", [later.now()]);
    t.equal(stillStuck.rows[0].n, 0, 'no login left half done past its expiry');
    await runSweep({ pool: db.pool, clock: new FixedClock(new Date(later.now().getTime() + 2 * 3600_000)), retention: { expiredLoginsMs: 3600_000 } });
    t.equal(await loginTransactions.get(db.pool, stuck.id), null, 'deleted after the retention');
  });
});
