import { createHash, randomBytes } from 'node:crypto';
import t from 'tap';
import {
  auditEvents,
  cprMatchAttempts,
  cprMemory,
  crlCache,
  idpSessions,
  jobClaims,
  loginTransactions,
  nemidEvidence,
  participants,
  persistentIds,
  requestIds,
  responseDigests,
  withTransaction,
} from '../../../src/store/index.js';
import { withTestDatabase } from '../../helpers/database.js';

const T0 = new Date('2026-11-22T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function newLogin(id: string) {
  return {
    id,
    browserBinding: 'binding-hash',
    spEntityId: 'https://sp.example.dk',
    requestId: `_req-${id}`,
    acsUrl: 'https://sp.example.dk/acs',
    acsBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
    relayState: null,
    request: { forceAuthn: false, nameIdFormats: ['persistent'] },
    language: 'da',
    createdAt: T0,
    expiresAt: at(600),
  };
}

t.test('login transactions: create, get, compare-and-set transitions', async (t) => {
  const { pool } = await withTestDatabase(t);
  const created = await loginTransactions.create(pool, newLogin('L1'));
  t.equal(created.state, 'created');
  t.same(created.request, { forceAuthn: false, nameIdFormats: ['persistent'] }, 'jsonb arrays survive');
  t.equal(created.updatedAt.getTime(), T0.getTime());

  const started = await loginTransactions.transition(pool, 'L1', 'created', 'client_started', { nemidChallenge: 'c-1', nemidClient: 'js' }, at(5));
  t.equal(started?.state, 'client_started');
  t.equal(started?.nemidChallenge, 'c-1');
  t.equal(started?.updatedAt.getTime(), at(5).getTime());

  t.equal(await loginTransactions.transition(pool, 'L1', 'created', 'client_started', {}, at(6)), null, 'wrong expected state: no change');
  t.equal((await loginTransactions.get(pool, 'L1'))?.updatedAt.getTime(), at(5).getTime());
  t.equal(await loginTransactions.transition(pool, 'missing', 'created', 'failed', {}, at(6)), null);
  t.equal(await loginTransactions.get(pool, 'missing'), null);

  // Two racing completions: exactly one wins.
  const results = await Promise.all(
    Array.from({ length: 5 }, () =>
      loginTransactions.transition(pool, 'L1', 'client_started', 'authenticated', { identity: { pid: '9208-2002-2-751708631151' } }, at(10)),
    ),
  );
  t.equal(results.filter((r) => r !== null).length, 1, 'exactly one concurrent transition succeeds');

  const cpr = randomBytes(40);
  const withCpr = await loginTransactions.transition(pool, 'L1', 'authenticated', 'cpr', { cprCiphertext: cpr, cprKeyId: 'k1' }, at(11));
  t.ok(withCpr?.cprCiphertext?.equals(cpr));
  await t.rejects(
    loginTransactions.transition(pool, 'L1', 'cpr', 'cpr', { cprCiphertext: randomBytes(4), cprKeyId: null }, at(12)),
    { code: 'DB_QUERY_FAILED' },
    'ciphertext without key id is refused by a CHECK',
  );
  await t.rejects(loginTransactions.transition(pool, 'L1', 'cpr', 'cpr', { state: 'completed' } as never, at(12)), TypeError, 'state cannot be patched');
});

t.test('login transactions: the challenge is taken exactly once, CPR attempts are capped atomically', async (t) => {
  const { pool } = await withTestDatabase(t, { poolMax: 10 });
  await loginTransactions.create(pool, newLogin('L2'));
  await loginTransactions.transition(pool, 'L2', 'created', 'client_started', { nemidChallenge: 'secret-challenge' }, at(1));
  const taken = await Promise.all(Array.from({ length: 8 }, () => loginTransactions.takeChallenge(pool, 'L2', 'client_started', at(2))));
  t.same(taken.filter((c) => c !== null), ['secret-challenge']);
  t.equal((await loginTransactions.get(pool, 'L2'))?.nemidChallenge, null);

  await loginTransactions.transition(pool, 'L2', 'client_started', 'cpr', {}, at(3));
  const counts = await Promise.all(Array.from({ length: 8 }, () => loginTransactions.countCprAttempt(pool, 'L2', 'cpr', 3, at(4))));
  t.same(counts.filter((c) => c !== null).sort(), [1, 2, 3]);
  t.equal((await loginTransactions.get(pool, 'L2'))?.cprAttempts, 3);
});

t.test('request IDs: 10 concurrent records of one ID → exactly one true', async (t) => {
  const { pool } = await withTestDatabase(t, { poolMax: 10 });
  const results = await Promise.all(Array.from({ length: 10 }, () => requestIds.record(pool, 'https://sp.example.dk', '_abc', at(300))));
  t.equal(results.filter(Boolean).length, 1);
  t.equal(await requestIds.record(pool, 'https://other.example.dk', '_abc', at(300)), true, 'the same ID at another SP is not a replay');
});

t.test('response digests and evidence', async (t) => {
  const { pool } = await withTestDatabase(t, { poolMax: 10 });
  const digest = createHash('sha256').update('signature value').digest();
  const results = await Promise.all(Array.from({ length: 6 }, () => responseDigests.record(pool, digest, 'L1', T0, at(3600))));
  t.equal(results.filter(Boolean).length, 1);
  await t.rejects(responseDigests.record(pool, Buffer.alloc(5), 'L1', T0, at(1)));

  await nemidEvidence.put(pool, { loginId: 'L1', signedXml: '<openoces:signature/>', createdAt: T0, expiresAt: at(86400) });
  t.equal((await nemidEvidence.get(pool, 'L1'))?.signedXml, '<openoces:signature/>');
  await t.rejects(nemidEvidence.put(pool, { loginId: 'L1', signedXml: 'x', createdAt: T0, expiresAt: at(1) }), { code: 'DB_CONFLICT' });
});

t.test('IdP sessions and participants', async (t) => {
  const { pool } = await withTestDatabase(t);
  await idpSessions.create(pool, {
    id: 'S1', browserBinding: 'b', subject: { pid: 'PID:1' }, certificateType: 'POCES', youth: false,
    authnInstant: T0, createdAt: T0, expiresAt: at(3600),
  });
  t.equal((await idpSessions.getActive(pool, 'S1', at(10)))?.id, 'S1');
  t.equal(await idpSessions.getActive(pool, 'S1', at(3600)), null, 'expired at expires_at');

  const base = { sessionId: 'S1', nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', nameQualifier: 'idp', spNameQualifier: null };
  await participants.upsert(pool, { ...base, spEntityId: 'sp-a', nameId: 'n-a', sessionIndex: 'i-a', createdAt: at(1) });
  await participants.upsert(pool, { ...base, spEntityId: 'sp-b', nameId: 'n-b', sessionIndex: 'i-b', createdAt: at(2) });
  const again = await participants.upsert(pool, { ...base, spEntityId: 'sp-a', nameId: 'n-a2', sessionIndex: 'i-a2', createdAt: at(3) });
  t.equal(again.nameId, 'n-a2');
  t.same((await participants.list(pool, 'S1')).map((p) => p.spEntityId), ['sp-b', 'sp-a']);
  t.equal(await participants.setLogoutState(pool, 'S1', 'sp-b', null, 'sent', '_lr1'), true);
  t.equal(await participants.setLogoutState(pool, 'S1', 'sp-b', null, 'sent', '_lr2'), false, 'CAS on logout state');
  t.equal((await participants.get(pool, 'S1', 'sp-b'))?.logoutRequestId, '_lr1');
  await t.rejects(
    participants.upsert(pool, { ...base, sessionId: 'nope', spEntityId: 'x', nameId: 'n', sessionIndex: 'i', createdAt: T0 }),
    { code: 'DB_CONFLICT' },
    'foreign key violation maps to DB_CONFLICT',
  );

  const ended = await Promise.all([idpSessions.end(pool, 'S1', at(20), { step: 1 }), idpSessions.end(pool, 'S1', at(21))]);
  t.equal(ended.filter((e) => e !== null).length, 1, 'a session ends once');
  t.equal(await idpSessions.getActive(pool, 'S1', at(30)), null);
  t.ok(await idpSessions.setLogout(pool, 'S1', { step: 2 }));
  t.same((await idpSessions.get(pool, 'S1'))?.logout, { step: 2 });
});

t.test('CPR memory and match attempts', async (t) => {
  const { pool } = await withTestDatabase(t);
  const pid = randomBytes(32);
  t.equal(await cprMemory.get(pool, pid, 'https://sp.test/metadata'), null);
  await cprMemory.put(pool, { spEntityId: 'https://sp.test/metadata', pidHmac: pid, ciphertext: Buffer.from('c1'), keyId: 'k1', now: T0 });
  await cprMemory.put(pool, { spEntityId: 'https://sp.test/metadata', pidHmac: pid, ciphertext: Buffer.from('c2'), keyId: 'k2', now: at(10) });
  const entry = await cprMemory.get(pool, pid, 'https://sp.test/metadata');
  t.equal(entry?.keyId, 'k2');
  t.equal(entry?.createdAt.getTime(), T0.getTime(), 'created_at kept on replace');
  t.ok(await cprMemory.touch(pool, pid, 'https://sp.test/metadata', at(100)));
  t.ok(await cprMemory.touch(pool, pid, 'https://sp.test/metadata', at(50)), 'an older touch does not move last use back');
  t.equal((await cprMemory.get(pool, pid, 'https://sp.test/metadata'))?.lastUsedAt.getTime(), at(100).getTime());

  const other = randomBytes(32);
  await cprMemory.put(pool, { spEntityId: 'https://sp.test/metadata', pidHmac: other, ciphertext: Buffer.from('x'), keyId: 'k1', now: T0 });
  t.equal(await cprMemory.purgeOlderThan(pool, at(60), { dryRun: true }), 1);
  t.ok(await cprMemory.get(pool, other, 'https://sp.test/metadata'), 'dry run deletes nothing');
  t.equal(await cprMemory.purgeOlderThan(pool, at(60)), 1);
  t.equal(await cprMemory.get(pool, other, 'https://sp.test/metadata'), null);
  t.ok(await cprMemory.forget(pool, pid));
  t.notOk(await cprMemory.forget(pool, pid));

  await cprMatchAttempts.record(pool, pid, at(0));
  await cprMatchAttempts.record(pool, pid, at(1800));
  await cprMatchAttempts.record(pool, other, at(1800));
  t.equal(await cprMatchAttempts.countSince(pool, pid, at(1)), 1);
  t.equal(await cprMatchAttempts.countSince(pool, pid, at(0)), 2);
});

t.test('persistent IDs: the first already-issued candidate wins', async (t) => {
  const { pool } = await withTestDatabase(t);
  t.equal(await persistentIds.findIssued(pool, 'sp', ['a', 'b']), null);
  t.ok(await persistentIds.record(pool, 'sp', 'b', T0));
  t.notOk(await persistentIds.record(pool, 'sp', 'b', T0));
  t.equal(await persistentIds.findIssued(pool, 'sp', ['a', 'b']), 'b');
  t.equal(await persistentIds.findIssued(pool, 'other-sp', ['a', 'b']), null);
  t.equal(await persistentIds.findIssued(pool, 'sp', []), null);
});

t.test('audit events are append-only', async (t) => {
  const { pool } = await withTestDatabase(t);
  const id = await auditEvents.append(pool, { occurredAt: T0, type: 'login.completed', loginId: 'L9', data: { sp: 'x' } });
  t.match(id, /^\d+$/);
  t.equal((await auditEvents.listForLogin(pool, 'L9'))[0]?.type, 'login.completed');
  await t.rejects(pool.query("UPDATE audit_events SET type = 'x'"), { code: '42501' }, 'UPDATE refused');
  await t.rejects(pool.query('DELETE FROM audit_events'), { code: '42501' }, 'DELETE refused');
  await t.rejects(pool.query('TRUNCATE audit_events'), { code: '42501' }, 'TRUNCATE refused');
  t.equal((await auditEvents.listForLogin(pool, 'L9')).length, 1);
});

t.test('CRL cache: put, get, an older CRL never replaces a newer one', async (t) => {
  const { pool } = await withTestDatabase(t);
  const url = 'http://crl.ica02.trust2408.com/ica02.crl';
  const newer = { der: Buffer.from([0x30, 0x01]), issuer: 'CN=CA', thisUpdate: at(3600), nextUpdate: at(3600 * 13), entries: 4 };
  t.ok(await crlCache.put(pool, url, newer, at(3601)));
  t.notOk(await crlCache.put(pool, url, { ...newer, der: Buffer.from([0x30, 0x00]), thisUpdate: T0 }, at(3602)));
  const got = await crlCache.get(pool, url);
  t.ok(got?.der.equals(newer.der));
  t.equal(got?.entries, 4);
  t.same((await crlCache.list(pool)).map((c) => c.url), [url]);
  t.equal(await crlCache.get(pool, 'http://nope'), null);
});

t.test('job claims: one winner per slot; only the claimant finishes, once', async (t) => {
  const { pool } = await withTestDatabase(t, { poolMax: 10 });
  const claims = await Promise.all(['a', 'b', 'c'].map((who) => jobClaims.claim(pool, 'sweep', T0, who, T0)));
  t.equal(claims.filter(Boolean).length, 1);
  const winner = ['a', 'b', 'c'][claims.indexOf(true)]!;
  const loser = ['a', 'b', 'c'].find((w) => w !== winner)!;
  t.notOk(await jobClaims.finish(pool, 'sweep', T0, loser, at(1), { status: 'succeeded' }));
  t.ok(await jobClaims.finish(pool, 'sweep', T0, winner, at(1), { status: 'succeeded', result: { n: [1] } }));
  t.notOk(await jobClaims.finish(pool, 'sweep', T0, winner, at(2), { status: 'succeeded' }));
  t.same((await jobClaims.list(pool, 'sweep'))[0]?.outcome, { status: 'succeeded', result: { n: [1] } });
});

t.test('withTransaction commits, and rolls back on any error', async (t) => {
  const { pool } = await withTestDatabase(t);
  await withTransaction(pool, async (client) => {
    await requestIds.record(client, 'sp', '_committed', at(60));
  });
  await t.rejects(
    withTransaction(pool, async (client) => {
      await requestIds.record(client, 'sp', '_rolled-back', at(60));
      throw new RangeError('application failure');
    }),
    RangeError,
    'application errors pass through unchanged',
  );
  await t.rejects(
    withTransaction(pool, async (client) => {
      await requestIds.record(client, 'sp', '_rolled-back-2', at(60));
      await client.query('SELECT 1/0');
    }),
    { code: 'DB_QUERY_FAILED' },
    'driver errors are mapped',
  );
  t.equal(await requestIds.record(pool, 'sp', '_committed', at(60)), false);
  t.equal(await requestIds.record(pool, 'sp', '_rolled-back', at(60)), true);
  t.equal(await requestIds.record(pool, 'sp', '_rolled-back-2', at(60)), true);
});
