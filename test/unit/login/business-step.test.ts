import t from 'tap';
import { IdpError } from '../../../src/errors/index.js';
import { createBusinessStep, offersBusinessChoice, type LoginDeps, type StoredIdentity } from '../../../src/login/index.js';
import { readBusinessRecord } from '../../../src/login/business/choice-record.js';
import { businessView } from '../../../src/login/business/business-step.js';
import type { BusinessRole, RolesClient } from '../../../src/nemid/index.js';
import type { RegisteredSp } from '../../../src/saml/index.js';
import { spPolicySchema } from '../../../src/saml/registry/policy.js';
import type { LoginTransaction } from '../../../src/store/index.js';
import { codeOfAsync } from '../nemid/codes.js';

// The step's decisions that need no database: who gets the choice, what a recorded choice means, and that a failed
// role lookup throws before anything could be stored (deps.pool is absent here, so any write would be a TypeError).

const sp = (policy: Record<string, unknown>): RegisteredSp =>
  ({ name: 'shop', entityId: 'https://shop.example/sp', displayNames: {}, policy: spPolicySchema.parse({ sector: 'private', allowedCertificates: ['POCES', 'MOCES'], ...policy }) }) as unknown as RegisteredSp;
const person: StoredIdentity = {
  type: 'POCES',
  subjectSerialNumber: 'PID:9999-2002-2-000000000005',
  pid: '9999-2002-2-000000000005',
  commonName: 'Otto Simulator Ejer',
  organizationName: 'Ingen organisatorisk tilknytning',
  organizationNameWithoutCvr: 'Ingen organisatorisk tilknytning',
  youth: false,
  pseudonym: false,
  certificateSerialHex: '0a',
  issuerDn: 'CN=Test',
  certificateDerBase64: '',
  x509Subject: { c: 'DK', o: 'Ingen organisatorisk tilknytning', cn: 'Otto Simulator Ejer', serialNumber: 'PID:9999-2002-2-000000000005' },
};
const employee: StoredIdentity = { ...person, type: 'MOCES', pid: undefined as never, cvr: '99990031', rid: '90000001', subjectSerialNumber: 'CVR:99990031-RID:90000001' };
const tx = (fields: Partial<LoginTransaction> = {}): LoginTransaction =>
  ({ id: 'AAAAAAAAAAAAAAAAAAAAAA', state: 'authenticated', businessChoice: null, request: { isPassive: false }, spEntityId: 'https://shop.example/sp', ...fields }) as LoginTransaction;
const noDatabase = {} as LoginDeps;
const two: BusinessRole[] = [
  { cvr: '99990021', name: 'Simulator Bageri I/S' },
  { cvr: '99990022', name: 'Simulator Konsulent ApS' },
];

/** A role service answering from a fixed list, counting calls. */
function roles(answer: BusinessRole[] | IdpError): RolesClient & { calls: number } {
  const client = {
    calls: 0,
    async businessesOf() {
      client.calls++;
      if (answer instanceof IdpError) throw answer;
      return answer;
    },
  };
  return client;
}

t.test('only POCES logins on businessLogin SPs get the choice', async (t) => {
  t.ok(offersBusinessChoice(sp({ businessLogin: true }), person));
  t.notOk(offersBusinessChoice(sp({ businessLogin: true, businessOnly: true }), employee), 'MOCES: CVR/RID from the certificate');
  t.notOk(offersBusinessChoice(sp({}), person));
  const service = roles(two);
  const step = createBusinessStep({ roles: service });
  t.same(await step.enter({ deps: noDatabase, tx: tx(), sp: sp({ businessLogin: true, businessOnly: true }), identity: employee, fromSession: false }), { kind: 'done' });
  t.same(await step.enter({ deps: noDatabase, tx: tx(), sp: sp({}), identity: person, fromSession: false }), { kind: 'done' });
  t.equal(service.calls, 0, 'the role service is not asked');
});

t.test('a recorded choice is final: the step is done without asking again', async (t) => {
  const service = roles(two);
  const step = createBusinessStep({ roles: service });
  for (const businessChoice of [{ cvr: '99990022', name: 'Simulator Konsulent ApS' }, { private: true }]) {
    t.same(await step.enter({ deps: noDatabase, tx: tx({ businessChoice }), sp: sp({ businessLogin: true }), identity: person, fromSession: true }), { kind: 'done' });
  }
  t.equal(service.calls, 0);
});

t.test('waiting in state business: the page again from the offered list, no second lookup', async (t) => {
  const service = roles([]);
  const step = createBusinessStep({ roles: service });
  const waiting = tx({ state: 'business', businessChoice: { offered: two } });
  const result = await step.enter({ deps: noDatabase, tx: waiting, sp: sp({ businessLogin: true, businessOnly: true }), identity: person, fromSession: false });
  t.same(result, {
    kind: 'page',
    view: { kind: 'business-choice', loginId: waiting.id, spName: 'shop', personName: 'Otto Simulator Ejer', businesses: two, allowPrivate: false, releasesCpr: false },
  });
  t.equal(service.calls, 0);
});

t.test('the role service failing fails the step before anything is stored', async (t) => {
  for (const code of ['BUSINESS_ROLES_UNAVAILABLE', 'BUSINESS_ROLES_INVALID'] as const) {
    const step = createBusinessStep({ roles: roles(new IdpError(code)) });
    t.equal(await codeOfAsync(() => step.enter({ deps: noDatabase, tx: tx(), sp: sp({ businessLogin: true }), identity: person, fromSession: false })), code);
  }
  const unconfigured = createBusinessStep({ roles: null });
  t.equal(
    await codeOfAsync(() => unconfigured.enter({ deps: noDatabase, tx: tx(), sp: sp({ businessLogin: true }), identity: person, fromSession: false })),
    'BUSINESS_ROLES_UNAVAILABLE',
    'no role service configured',
  );
});

t.test('no business on a businessOnly SP: a passive request fails with BUSINESS_NO_ROLE; a passive request needing the page is left untouched', async (t) => {
  const passive = tx({ request: { isPassive: true } });
  t.equal(
    await codeOfAsync(() => createBusinessStep({ roles: roles([]) }).enter({ deps: noDatabase, tx: passive, sp: sp({ businessLogin: true, businessOnly: true }), identity: person, fromSession: true })),
    'BUSINESS_NO_ROLE',
  );
  const result = await createBusinessStep({ roles: roles(two) }).enter({ deps: noDatabase, tx: passive, sp: sp({ businessLogin: true }), identity: person, fromSession: true });
  t.equal(result.kind, 'page', 'advanceLogin turns this into NoPassive; nothing was written (no database here)');
});

t.test('the stored record is read strictly', async (t) => {
  t.same(readBusinessRecord(null), { kind: 'none' });
  t.same(readBusinessRecord({ private: true }), { kind: 'private' });
  t.same(readBusinessRecord({ private: 'yes' }), { kind: 'none' });
  t.same(readBusinessRecord({ private: true, cvr: '12345678', name: 'A' }), { kind: 'business', business: { cvr: '12345678', name: 'A' } }, 'a CVR row is a business choice, never private');
  t.same(readBusinessRecord({ cvr: '12345678', name: 'A' }), { kind: 'business', business: { cvr: '12345678', name: 'A' } });
  t.same(readBusinessRecord({ cvr: '1234', name: 'A' }), { kind: 'none' });
  t.same(readBusinessRecord({ offered: two }), { kind: 'offered', businesses: two });
  t.same(readBusinessRecord({ offered: [{ cvr: 'x', name: 'A' }] }), { kind: 'none' });
  t.same(readBusinessRecord({ offered: [] }), { kind: 'offered', businesses: [] });
});

t.test('the view: the no-role page for an empty list, "continue as yourself" unless businessOnly', async (t) => {
  t.same(businessView(tx(), sp({ businessLogin: true, businessOnly: true }), person, []), {
    kind: 'business-no-role',
    loginId: 'AAAAAAAAAAAAAAAAAAAAAA',
    spName: 'shop',
    personName: 'Otto Simulator Ejer',
  });
  t.equal((businessView(tx(), sp({ businessLogin: true }), person, two) as { allowPrivate: boolean }).allowPrivate, true);
});
