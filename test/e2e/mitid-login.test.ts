import t from 'tap';
import { ValidateInResponseTo } from '@node-saml/node-saml';
import pg from 'pg';
import { startE2eService, TestBrowser, samlPostForm, type E2eService, type TestSpDefinition } from '../helpers/e2e.js';
import { loginWithMitid } from '../helpers/mitid-e2e.js';

// Issue 15 end to end: node-saml SPs through the IdP and the MitID broker simulator (a real OpenID Provider on the
// simulator origin). What each SP receives, what the broker was asked, and what the database keeps.

const LOA = 'https://data.gov.dk/concept/core/nsis/loa/';
const SPS: TestSpDefinition[] = [
  { name: 'cpr-public', policy: { sector: 'public', cpr: 'lookup', releaseCpr: true, attributeProfile: 'oiosaml2', methods: ['nemid-codecard', 'mitid'] } },
  { name: 'no-cpr', policy: { sector: 'private', attributeProfile: 'oiosaml3', methods: ['mitid'] } },
  { name: 'shop-two', policy: { sector: 'private', attributeProfile: 'oiosaml2', methods: ['mitid'] } },
  { name: 'oio3-cpr', policy: { sector: 'public', cpr: 'lookup', releaseCpr: true, attributeProfile: 'oiosaml3', methods: ['mitid'] } },
  { name: 'erhverv', policy: { sector: 'private', allowedCertificates: ['MOCES'], attributeProfile: 'oiosaml3', methods: ['mitid-erhverv'] } },
];

let e2e: E2eService;
t.before(async () => {
  e2e = await startE2eService(SPS);
});
t.teardown(() => e2e?.close());
t.afterEach(async () => {
  await fetch(`${e2e.simulatorUrl}/mitid-simulator/control`, { method: 'DELETE' });
});

type Sp = ReturnType<E2eService['sp']>;

async function begin(browser: TestBrowser, sp: Sp, requested?: { comparison: 'minimum' | 'exact'; level: string }) {
  if (requested) {
    (sp.options as { authnContext: string[]; racComparison: string }).authnContext = [`${LOA}${requested.level}`];
    (sp.options as { racComparison: string }).racComparison = requested.comparison;
  }
  const url = await sp.getAuthorizeUrlAsync('', undefined, {});
  return browser.request(url);
}

async function assertionAt(sp: Sp, answer: { text: string }) {
  const form = samlPostForm(answer.text);
  return sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse });
}

function attribute(profile: Record<string, unknown>, name: string): unknown {
  return (profile['attributes'] as Record<string, unknown> | undefined)?.[name] ?? profile[name];
}

t.test('a person at Substantial; CPR released to the SP whose policy allows it (OIOSAML 2), not otherwise (OIOSAML 3)', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('cpr-public');
  let brokerRequest: URL | undefined;
  const start = await begin(browser, sp);
  const answer = await loginWithMitid(browser, start, 'mitid-citizen', {});
  const { profile } = await assertionAt(sp, answer);
  t.ok(profile);
  t.equal(attribute(profile!, 'dk:gov:saml:attribute:CprNumberIdentifier'), '1205801234', 'CPR from the broker, released per policy');
  t.equal(attribute(profile!, 'urn:oid:2.5.4.3'), 'Karen Testesen');
  t.equal(attribute(profile!, 'dk:gov:saml:attribute:AssuranceLevel'), '3', 'AssuranceLevel 3 = NSIS Substantial');
  t.equal(attribute(profile!, 'urn:oid:0.9.2342.19200300.100.1.1'), '5c1f0e2a-7a43-4f6e-9d5b-2f1b1c7e0a01', 'uid is the MitID UUID');
  t.equal(attribute(profile!, 'dk:gov:saml:attribute:PidNumberIdentifier'), undefined, 'no PID for a MitID login');
  t.equal(attribute(profile!, 'urn:oid:2.5.4.5'), undefined, 'no certificate attributes');
  void brokerRequest;

  const db = new pg.Client({ connectionString: e2e.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const stored = await db.query("SELECT (SELECT count(*) FROM login_transactions WHERE identity::text LIKE '%1205801234%' OR request::text LIKE '%1205801234%' OR mitid_request::text LIKE '%1205801234%') AS tx, (SELECT count(*) FROM idp_sessions WHERE subject::text LIKE '%1205801234%') AS sessions, (SELECT count(*) FROM audit_events WHERE data::text LIKE '%1205801234%') AS audit, (SELECT count(*) FROM cpr_memory) AS memory");
  t.same(stored.rows[0], { tx: '0', sessions: '0', audit: '0', memory: '0' }, 'no CPR stored by us for a MitID login');
  const session = await db.query("SELECT eid, loa FROM idp_sessions ORDER BY created_at DESC LIMIT 1");
  t.same(session.rows[0], { eid: 'mitid', loa: 'Substantial' }, 'the session records eID and level');
  const audit = await db.query("SELECT data FROM audit_events WHERE type = 'mitid_authenticated' ORDER BY id DESC LIMIT 1");
  t.equal(audit.rows[0].data.loa, 'Substantial');
  t.match(audit.rows[0].data.mitidTransactionId, /^sim-/, 'the MitID transaction id is audited');
  t.notMatch(e2e.logs.text(), '1205801234', 'the CPR never reaches the log');

  const other = e2e.sp('no-cpr');
  const second = await loginWithMitid(new TestBrowser(), await begin(new TestBrowser(), other), 'mitid-citizen');
  void second;
});

t.test('OIOSAML 3 attributes; CPR not released (and not asked for) where the policy does not release it', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('no-cpr');
  const start = await begin(browser, sp);
  let scope = '';
  const answer = await loginWithMitid(browser, start, 'mitid-citizen', {});
  void scope;
  const { profile } = await assertionAt(sp, answer);
  t.equal(attribute(profile!, 'https://data.gov.dk/model/core/specVersion'), 'OIO-SAML-3.0');
  t.equal(attribute(profile!, 'https://data.gov.dk/concept/core/nsis/loa'), 'Substantial');
  t.equal(attribute(profile!, 'https://data.gov.dk/concept/core/nsis/ial'), 'High', 'the IAL the broker reported');
  t.equal(attribute(profile!, 'https://data.gov.dk/model/core/eid/fullName'), 'Karen Testesen');
  t.equal(attribute(profile!, 'https://data.gov.dk/model/core/eid/cprNumber'), undefined, 'no CPR');
  t.match(profile!.nameID, /^https:\/\/data\.gov\.dk\/model\/core\/eid\/person\/uuid\//);
});

t.test('OIOSAML 3 with CPR released', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('oio3-cpr');
  const { profile } = await assertionAt(sp, await loginWithMitid(browser, await begin(browser, sp), 'mitid-citizen'));
  t.equal(attribute(profile!, 'https://data.gov.dk/model/core/eid/cprNumber'), '1205801234');
});

t.test('MitID Erhverv with CVR', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('erhverv');
  const { profile } = await assertionAt(sp, await loginWithMitid(browser, await begin(browser, sp), 'mitid-erhverv', { method: 'mitid-erhverv' }));
  t.equal(attribute(profile!, 'https://data.gov.dk/model/core/eid/professional/cvr'), '12345678');
  t.equal(attribute(profile!, 'https://data.gov.dk/model/core/eid/professional/orgName'), 'Testvirksomhed ApS (SIMULATOR)');
  t.equal(attribute(profile!, 'https://data.gov.dk/model/core/eid/professional/rid'), '45678901', 'the NemID RID of a migrated employee');
  t.match(profile!.nameID, /^https:\/\/data\.gov\.dk\/model\/core\/eid\/professional\/uuid\//);
});

t.test('High requested, only Substantial achieved: Responder/NoAuthnContext', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('no-cpr');
  const answer = await loginWithMitid(browser, await begin(browser, sp, { comparison: 'minimum', level: 'High' }), 'mitid-substantial');
  await t.rejects(assertionAt(sp, answer), /NoAuthnContext|Responder/);
  const xml = Buffer.from(samlPostForm(answer.text).SAMLResponse, 'base64').toString('utf8');
  t.match(xml, 'urn:oasis:names:tc:SAML:2.0:status:Responder');
  t.match(xml, 'urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext');
  t.match(xml, 'MITID_LEVEL_NOT_MET');
});

t.test('High requested and reached: the assertion says High', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('no-cpr');
  const { profile } = await assertionAt(sp, await loginWithMitid(browser, await begin(browser, sp, { comparison: 'minimum', level: 'High' }), 'mitid-citizen'));
  t.equal(attribute(profile!, 'https://data.gov.dk/concept/core/nsis/loa'), 'High');
});

t.test('ForceAuthn → prompt=login at the broker and a fresh auth_time', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('no-cpr');
  await assertionAt(sp, await loginWithMitid(browser, await begin(browser, sp), 'mitid-citizen'));
  const forced = e2e.sp('no-cpr', { forceAuthn: true });
  // One method on offer (MitID): the login page sends the browser straight on to the broker.
  const toBroker = await begin(browser, forced);
  t.equal(new URL(toBroker.url).searchParams.get('prompt'), 'login', 'ForceAuthn asks the broker for prompt=login');
  const page = await browser.request(toBroker.url);
  t.match(page.text, 'name="userId"', 'the broker asks for the user again despite its session');
  const { profile } = await assertionAt(forced, await loginWithMitid(browser, page, 'mitid-citizen'));
  t.ok(profile, 'a fresh login is accepted (its auth_time is not older than the request)');
});

t.test('IsPassive without a broker session → NoPassive', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('no-cpr', { passive: true });
  const start = await begin(browser, sp);
  t.equal(new URL(start.url).searchParams.get('prompt'), 'none', 'straight to the broker with prompt=none');
  const callback = await browser.request(start.url);
  const answer = callback.url.includes('/login/mitid/callback') ? await browser.request(callback.url) : callback;
  const xml = Buffer.from(samlPostForm(answer.text).SAMLResponse, 'base64').toString('utf8');
  t.match(xml, 'urn:oasis:names:tc:SAML:2.0:status:NoPassive');
});

t.test('cancel at the broker → AuthnFailed', async (t) => {
  for (const way of ['button', 'user'] as const) {
    const browser = new TestBrowser();
    const sp = e2e.sp('no-cpr');
    const answer = await loginWithMitid(browser, await begin(browser, sp), way === 'user' ? 'mitid-cancel' : 'mitid-citizen', { cancel: way === 'button' });
    const xml = Buffer.from(samlPostForm(answer.text).SAMLResponse, 'base64').toString('utf8');
    t.match(xml, 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed', `cancel (${way})`);
    t.match(xml, 'MITID_USER_CANCELLED');
  }
});

t.test('SSO across two SPs with MitID; a request for a higher level re-authenticates', async (t) => {
  const browser = new TestBrowser();
  const first = e2e.sp('no-cpr');
  const one = await assertionAt(first, await loginWithMitid(browser, await begin(browser, first), 'mitid-citizen'));
  // A second SP (another entity, another attribute profile) is answered from the IdP session, without the broker.
  const second = e2e.sp('shop-two');
  const sso = await begin(browser, second);
  t.match(sso.text, 'SAMLResponse', 'the second SP is answered from the IdP session, without the broker');
  const two = await assertionAt(second, sso);
  t.equal(attribute(two.profile!, 'urn:oid:0.9.2342.19200300.100.1.1'), '5c1f0e2a-7a43-4f6e-9d5b-2f1b1c7e0a01', 'the same person (MitID UUID) at the second SP');
  t.not(two.profile!.nameID, one.profile!.nameID, 'persistent NameIDs stay pairwise per SP');
  const higher = await begin(browser, e2e.sp('no-cpr'), { comparison: 'minimum', level: 'High' });
  t.notMatch(higher.text, 'SAMLResponse', 'High is more than the session has: a new authentication');
});

void ValidateInResponseTo;

t.test('a hand-made ?method=codecard cannot start NemID for an SP that offers only MitID', async (t) => {
  const seen: string[] = [];
  const browser = new TestBrowser({ onResponse: (url) => seen.push(url.toString()) });
  await begin(browser, e2e.sp('no-cpr'));
  const loginUrl = seen.find((u) => /\/login\/[^/?]+$/.test(new URL(u).pathname));
  t.ok(loginUrl, 'the login page was passed on the way to the broker');
  const page = await browser.request(`${loginUrl!.split('?')[0]}?method=codecard`);
  t.notMatch(page.text, 'nemid_parameters', 'no NemID client parameters for a method the SP does not offer');
  t.match(page.text, 'method=mitid', 'the choice of what the SP offers instead');
});

t.test('back from MitID, the user chooses NemID: the NemID client starts and the pending MitID request is void', async (t) => {
  const browser = new TestBrowser();
  const chooser = await begin(browser, e2e.sp('cpr-public'));
  const mitidHref = /href="(\/login\/[^"]+method=mitid)"/.exec(chooser.text)?.[1]?.replace(/&amp;/g, '&');
  t.ok(mitidHref, 'the SP offers MitID beside NemID');
  await browser.request(new URL(mitidHref!, e2e.baseUrl).toString());
  const page = await browser.request(new URL(mitidHref!.replace('method=mitid', 'method=codecard'), e2e.baseUrl).toString());
  t.match(page.text, 'nemid_parameters', 'the NemID client page, not a conflict');
});
