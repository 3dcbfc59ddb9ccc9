import t from 'tap';
import { logoutChainForStorage, nameIdMismatch, newLogoutChain, nextLogoutStep, readLogoutChain, sameNameId, sessionIndexMatches } from '../../../src/login/logout-chain.js';
import type { LogoutState, Participant } from '../../../src/store/index.js';

// The single-logout chain as data (saml-profile.md §6): visit order, skipping, waiting, the partial verdict, the
// stored chain read back fail-closed, and the exact NameID / SessionIndex match.

const participant = (sp: string, logoutState: LogoutState | null, extra: Partial<Participant> = {}): Participant => ({
  sessionId: 'session',
  spEntityId: `https://${sp}.sp.test/metadata`,
  nameId: `name-${sp}`,
  nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  nameQualifier: 'http://localhost:8080',
  spNameQualifier: `https://${sp}.sp.test/metadata`,
  sessionIndex: `_index-${sp}`,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  logoutState,
  logoutRequestId: logoutState === 'sent' ? '_request' : null,
  ...extra,
});
const reachable = (...names: string[]) => (entityId: string) => names.some((name) => entityId === `https://${name}.sp.test/metadata`);

t.test('participants are visited one at a time, in the order they joined', async (t) => {
  const list = [participant('a', 'succeeded'), participant('b', null), participant('c', null)];
  const step = nextLogoutStep(list, reachable('a', 'b', 'c'));
  t.equal(step.kind, 'send');
  t.equal(step.kind === 'send' && step.participant.spEntityId, 'https://b.sp.test/metadata');
});

t.test('an SP without SingleLogoutService (or no longer registered) is skipped', async (t) => {
  const step = nextLogoutStep([participant('a', 'succeeded'), participant('b', null)], reachable('a'));
  t.equal(step.kind, 'skip');
});

t.test('a request still out means waiting, never a second request', async (t) => {
  const step = nextLogoutStep([participant('a', 'sent'), participant('b', null)], reachable('a', 'b'));
  t.equal(step.kind, 'waiting');
});

t.test('done: Success only when every participant confirmed', async (t) => {
  t.same(nextLogoutStep([participant('a', 'succeeded'), participant('b', 'succeeded')], reachable()), { kind: 'done', partial: false });
  t.same(nextLogoutStep([participant('a', 'succeeded'), participant('b', 'failed')], reachable()), { kind: 'done', partial: true });
  t.same(nextLogoutStep([participant('a', 'succeeded'), participant('b', 'skipped')], reachable()), { kind: 'done', partial: true });
  t.same(nextLogoutStep([], reachable()), { kind: 'done', partial: false });
});

t.test('the stored chain reads back; anything else is no chain', async (t) => {
  const now = new Date('2026-01-01T00:00:00Z');
  const sp = newLogoutChain({ kind: 'sp', spEntityId: 'https://a.sp.test/metadata', requestId: '_r', binding: 'post', relayState: 'rs' }, now);
  t.same(readLogoutChain(JSON.parse(JSON.stringify(logoutChainForStorage(sp)))), sp);
  t.notMatch(JSON.stringify(logoutChainForStorage(sp)), /"relayState"/, 'RelayState stored as base64 only');
  t.same(readLogoutChain(JSON.parse(JSON.stringify(sp))), sp, 'rows written before still read');
  const odd = newLogoutChain({ kind: 'sp', spEntityId: 'x', requestId: '_r', binding: 'redirect', relayState: 'a\u0001ø' }, now);
  t.same(readLogoutChain(JSON.parse(JSON.stringify(logoutChainForStorage(odd)))), odd, 'any text round-trips');
  const idp = newLogoutChain({ kind: 'idp' }, now);
  t.same(readLogoutChain(JSON.parse(JSON.stringify(idp))), idp);
  for (const bad of [null, 'x', {}, { ...sp, version: 2 }, { ...sp, initiator: { ...sp.initiator, binding: 'artifact' } }, { ...sp, initiator: { kind: 'sp', binding: 'post' } }, { ...sp, initiator: { kind: 'admin' } }]) {
    t.equal(readLogoutChain(bad), null, JSON.stringify(bad));
  }
});

t.test('the NameID must be the one issued: value and Format exactly, absent qualifiers take their implied values (SAML core §8.3.7)', async (t) => {
  const p = participant('a', null);
  const implied = { idpEntityId: 'http://localhost:8080', spEntityId: p.spEntityId };
  const issued = { value: p.nameId, format: p.nameIdFormat, nameQualifier: p.nameQualifier!, spNameQualifier: p.spNameQualifier! };
  t.ok(sameNameId(p, issued, implied));
  t.equal(nameIdMismatch(p, { ...issued, value: `${p.nameId} ` }, implied), 'value');
  t.equal(nameIdMismatch(p, { ...issued, format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' }, implied), 'format');
  const { format: _format, ...withoutFormat } = issued;
  t.equal(nameIdMismatch(p, withoutFormat, implied), 'format', 'an absent Format is unspecified, not ours');
  const { spNameQualifier: _sp, nameQualifier: _nq, ...withoutQualifiers } = issued;
  t.ok(sameNameId(p, withoutQualifiers, implied), 'both qualifiers omitted (samlify’s default): the implied IdP and SP match');
  const { spNameQualifier: _sp2, ...withoutSpQualifier } = issued;
  t.ok(sameNameId(p, withoutSpQualifier, implied), 'SPNameQualifier omitted: the requesting SP');
  t.equal(nameIdMismatch(p, withoutSpQualifier, { ...implied, spEntityId: 'https://b.sp.test/metadata' }), 'spNameQualifier', 'implied from another SP it does not match');
  t.equal(nameIdMismatch(p, { ...issued, nameQualifier: 'https://other-idp' }, implied), 'nameQualifier');
  t.equal(nameIdMismatch(p, { ...issued, spNameQualifier: 'https://b.sp.test/metadata' }, implied), 'spNameQualifier');
  const x509 = participant('x', null, { nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName', nameQualifier: null, spNameQualifier: null });
  const x509Implied = { idpEntityId: 'http://localhost:8080', spEntityId: x509.spEntityId };
  t.ok(sameNameId(x509, { value: x509.nameId, format: x509.nameIdFormat }, x509Implied), 'no qualifiers issued, none given');
  t.ok(sameNameId(x509, { value: x509.nameId, format: x509.nameIdFormat, nameQualifier: 'http://localhost:8080' }, x509Implied), 'the implied value given explicitly');
  t.equal(nameIdMismatch(x509, { value: x509.nameId, format: x509.nameIdFormat, nameQualifier: 'x' }, x509Implied), 'nameQualifier');
});

t.test('a SessionIndex, when listed, must include the participant’s', async (t) => {
  const p = participant('a', null);
  t.ok(sessionIndexMatches(p, []));
  t.ok(sessionIndexMatches(p, ['_other', p.sessionIndex]));
  t.notOk(sessionIndexMatches(p, ['_other']));
});
