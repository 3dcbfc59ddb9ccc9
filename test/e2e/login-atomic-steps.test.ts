import t from 'tap';
import { createPool, type Pool } from '../../src/store/index.js';
import { formAction, hiddenField, loginWithSimulator, samlPostForm, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// Issues 12.3 and 13.1: each HTTP step of a login is one database transaction. A double post of one NemID response
// gives exactly one answer; a failure in the middle of the NemID step (a trigger refusing one of its inserts) leaves
// nothing behind, and the same response then logs in when posted again, or the user goes back to the SP.

const POLICY = { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' };
let e2e: E2eService;
let pool: Pool;
t.before(async () => {
  e2e = await startE2eService([{ name: 'shop', policy: POLICY }]);
  pool = createPool(e2e.databaseUrl, { max: 2 });
});
t.teardown(async () => {
  await pool?.end();
  await e2e?.close();
});
t.afterEach(async (t) => {
  if (!t.passing()) for (const line of e2e.logs.lines.filter((l) => /"level":(40|50)/.test(l)).slice(-5)) t.comment(line.slice(0, 800));
});

/** The NemID page of a fresh login at the shop (the code card chosen when there is a choice). */
async function nemidPage(browser: TestBrowser, relayState: string) {
  const sp = e2e.sp('shop');
  let page = await browser.request(await sp.getAuthorizeUrlAsync(relayState, undefined, {}));
  const chooser = /href="(\/login\/[^"]+method=codecard[^"]*)"/.exec(page.text)?.[1];
  if (chooser) page = await browser.request(new URL(chooser.replace(/&amp;/g, '&'), page.url).toString());
  const loginId = /\/login\/([A-Za-z0-9_-]{22})/.exec(page.url)![1]!;
  return { page, loginId, sp };
}

/** Everything a login step may have written for `loginId`, in one row of counts. */
async function rowsOf(loginId: string) {
  const one = async (sql: string) => Number((await pool.query(sql, [loginId])).rows[0].n);
  const tx = (await pool.query('SELECT state, nemid_challenge, idp_session_id FROM login_transactions WHERE id = $1', [loginId])).rows[0];
  return {
    state: tx.state as string,
    challengeOpen: tx.nemid_challenge !== null,
    digests: await one('SELECT count(*) AS n FROM nemid_response_digests WHERE login_id = $1'),
    evidence: await one('SELECT count(*) AS n FROM nemid_evidence WHERE login_id = $1'),
    sessions: tx.idp_session_id === null ? 0 : await one('SELECT count(*) AS n FROM idp_sessions WHERE id = (SELECT idp_session_id FROM login_transactions WHERE id = $1)'),
    participants: await one('SELECT count(*) AS n FROM idp_session_participants p JOIN login_transactions l ON l.idp_session_id = p.session_id WHERE l.id = $1'),
    audited: (await pool.query<{ type: string }>('SELECT type FROM audit_events WHERE login_id = $1 ORDER BY id', [loginId])).rows.map((r) => r.type),
  };
}

t.test('a double post of the NemID response: exactly one answer, the other a local conflict page', async (t) => {
  const browser = new TestBrowser();
  const { page, loginId, sp } = await nemidPage(browser, 'double');
  const action = new URL(formAction(page.text.slice(page.text.indexOf('id="postBackForm"') - 200))!, page.url).toString();
  const csrf = hiddenField(page.text, 'csrf')!;
  let other: Promise<{ status: number; text: string }> | undefined;
  const first = await loginWithSimulator(browser, e2e, page, 'citizen', {
    // The second post leaves at the same moment as the helper's own.
    beforePost: async (content) => {
      other = browser.request(action, { form: { response: content, csrf } });
    },
  });
  const second = await other!;
  const answers = [first, second].filter((r) => r.text.includes('name="SAMLResponse"'));
  t.equal(answers.length, 1, 'one SAML answer');
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: samlPostForm(answers[0]!.text).SAMLResponse });
  t.ok(profile, 'the answer is accepted by the SP');
  const loser = [first, second].find((r) => !r.text.includes('name="SAMLResponse"'))!;
  t.equal(loser.status, 409, 'the lost race is a local page');
  t.match(loser.text, 'LOGIN_STATE_CONFLICT');
  const rows = await rowsOf(loginId);
  t.match(rows, { state: 'completed', challengeOpen: false, digests: 1, evidence: 1, sessions: 1, participants: 1 });
  t.same(rows.audited.filter((type) => type === 'response_sent'), ['response_sent'], 'answered once');
});

t.test('a failing insert in the NemID step leaves no partial state; the same response then logs in', async (t) => {
  await pool.query(`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
  await pool.query(`CREATE TRIGGER test_refuse_nemid_audit BEFORE INSERT ON audit_events
    FOR EACH ROW WHEN (NEW.type = 'nemid_authenticated') EXECUTE FUNCTION test_refuse_audit()`);
  const dropTrigger = async () => {
    await pool.query('DROP TRIGGER IF EXISTS test_refuse_nemid_audit ON audit_events');
    await pool.query('DROP FUNCTION IF EXISTS test_refuse_audit()');
  };
  t.teardown(dropTrigger);

  const browser = new TestBrowser();
  const { page, loginId, sp } = await nemidPage(browser, 'retry');
  const action = new URL(formAction(page.text.slice(page.text.indexOf('id="postBackForm"') - 200))!, page.url).toString();
  const csrf = hiddenField(page.text, 'csrf')!;
  let response = '';
  const failed = await loginWithSimulator(browser, e2e, page, 'citizen', { beforePost: async (content) => void (response = content) });
  t.equal(failed.status, 500, 'a clean error page');
  t.match(failed.text, 'DB_QUERY_FAILED');
  t.notMatch(failed.text, 'SAMLResponse');
  const after = await rowsOf(loginId);
  t.same(after, { state: 'client_started', challengeOpen: true, digests: 0, evidence: 0, sessions: 0, participants: 0, audited: ['authn_request_received'] }, 'nothing of the step was written');

  await dropTrigger();
  const retried = await browser.request(action, { form: { response, csrf } });
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: samlPostForm(retried.text).SAMLResponse });
  t.ok(profile, 'the retry logged in with the same NemID response');
  t.match(await rowsOf(loginId), { state: 'completed', digests: 1, evidence: 1, sessions: 1, participants: 1, audited: ['authn_request_received', 'nemid_authenticated', 'response_sent'] });
});

t.test('a failing insert in the last step: the error page\'s "back to the service" answers the SP', async (t) => {
  await pool.query(`CREATE FUNCTION test_refuse_session() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
  await pool.query('CREATE TRIGGER test_refuse_session BEFORE INSERT ON idp_sessions FOR EACH ROW EXECUTE FUNCTION test_refuse_session()');
  t.teardown(async () => {
    await pool.query('DROP TRIGGER IF EXISTS test_refuse_session ON idp_sessions');
    await pool.query('DROP FUNCTION IF EXISTS test_refuse_session()');
  });
  const browser = new TestBrowser();
  const { page, loginId, sp } = await nemidPage(browser, 'back');
  const failed = await loginWithSimulator(browser, e2e, page, 'citizen');
  t.equal(failed.status, 500);
  t.match(await rowsOf(loginId), { state: 'client_started', challengeOpen: true, digests: 0, evidence: 0, sessions: 0, participants: 0 });
  t.equal(formAction(failed.text), `/login/${loginId}/abort`, 'the error page has the way back');

  const back = await browser.request(new URL(formAction(failed.text)!, e2e.baseUrl).toString(), { form: { csrf: hiddenField(failed.text, 'csrf')! } });
  const form = samlPostForm(back.text);
  t.equal(form.RelayState, 'back');
  const xml = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
  t.match(xml, /status:Responder/);
  t.match(xml, /NEMID_USER_CANCELLED/);
  await t.rejects(sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse }), /Responder|AuthnFailed/, 'the SP reads it as a failed login');
  t.equal((await rowsOf(loginId)).state, 'failed');
});

t.test('issue 16.7: the evidence row equals the signed object, not the received bytes', async (t) => {
  const { canonicalizeInclusive, parseXml, NS } = await import('../../src/xml/index.js');
  const part = (xml: string, localName: string) =>
    canonicalizeInclusive(Array.from(parseXml(xml, { maxBytes: 1 << 20, errorCode: 'NEMID_RESPONSE_MALFORMED' }).getElementsByTagNameNS(NS.ds, localName))[0] as Element);
  const browser = new TestBrowser();
  const { page, loginId, sp } = await nemidPage(browser, 'evidence');
  const action = new URL(formAction(page.text.slice(page.text.indexOf('id="postBackForm"') - 200))!, page.url).toString();
  const csrf = hiddenField(page.text, 'csrf')!;
  let received = '';
  let answer: { text: string } | undefined;
  await loginWithSimulator(browser, e2e, page, 'citizen', {
    // Unsigned bytes added on the way: an attribute on the root. The document still verifies (they are not signed).
    beforePost: async (content) => {
      received = Buffer.from(content, 'base64').toString('utf8').replace('<openoces:signature ', '<openoces:signature added="on-the-way" ');
      answer = await browser.request(action, { form: { response: Buffer.from(received, 'utf8').toString('base64'), csrf } });
    },
  });
  t.ok((await sp.validatePostResponseAsync({ SAMLResponse: samlPostForm(answer!.text).SAMLResponse })).profile, 'logged in');
  const row = (await pool.query<{ signed_xml: string }>('SELECT signed_xml FROM nemid_evidence WHERE login_id = $1', [loginId])).rows[0]!;
  t.notMatch(row.signed_xml, 'on-the-way', 'the unsigned addition is not evidence');
  t.equal(part(row.signed_xml, 'Object'), part(received, 'Object'), 'the signed Object, byte for byte');
  t.equal(part(row.signed_xml, 'SignedInfo'), part(received, 'SignedInfo'), 'the signed SignedInfo, byte for byte');
});
