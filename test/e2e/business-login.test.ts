import t from 'tap';
import { createPool } from '../../src/store/index.js';
import { formAction, hiddenField, loginWithSimulator, samlPostForm, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// Issue 7 end to end: SPs played by @node-saml/node-saml, the whole service on the simulator with its role service.
// A person with two businesses chooses the second, or continues privately; a person without a business on a
// businessOnly SP gets a clear page and the SP AuthnFailed; an employee (MOCES) skips the choice; the role service
// down fails the login with nothing stored; a forged CVR is refused.

const CVR = 'dk:gov:saml:attribute:CvrNumberIdentifier';
const AUTHORIZED = 'dk:gov:saml:attribute:AuthorizedToRepresent';
const ORGANISATION = 'urn:oid:2.5.4.10';
const RID = 'dk:gov:saml:attribute:RidNumberIdentifier';
const PID = 'dk:gov:saml:attribute:PidNumberIdentifier';

const e2e: E2eService = await startE2eService([
  { name: 'business', policy: { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], businessLogin: true } },
  { name: 'business-only', policy: { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], businessLogin: true, businessOnly: true } },
  { name: 'oio3', policy: { sector: 'private', businessLogin: true, attributeProfile: 'oiosaml3' } },
]);
t.teardown(() => e2e.close());
const pool = createPool(e2e.databaseUrl, { applicationName: 'e2e-business-test' });
t.teardown(() => pool.end());

const errorCodeOf = (html: string) => /<code>([A-Z0-9_]+)<\/code>/.exec(html)?.[1];
const loginIdOf = (url: string) => /\/login\/([A-Za-z0-9_-]{22})/.exec(url)?.[1];

/** From the SP's AuthnRequest to the page NemID's result leads to (the business page, or the SAML POST page). */
async function logIn(browser: TestBrowser, spName: string, userId: string) {
  const sp = e2e.sp(spName);
  const authorizeUrl = await sp.getAuthorizeUrlAsync('relay-1', undefined, {});
  let page = await browser.request(authorizeUrl);
  if (!page.text.includes('nemid_parameters')) page = await browser.request(`${page.url.split('?')[0]}?method=codecard`);
  const afterNemid = await loginWithSimulator(browser, e2e, page, userId);
  return { sp, page: afterNemid, loginId: loginIdOf(page.url)! };
}

async function attributesOf(sp: ReturnType<E2eService['sp']>, html: string): Promise<Record<string, unknown>> {
  const form = samlPostForm(html);
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse, ...(form.RelayState ? { RelayState: form.RelayState } : {}) });
  if (!profile) throw new Error('no profile');
  return (profile.attributes ?? {}) as Record<string, unknown>;
}

function statusCodesOf(html: string): string[] {
  const xml = Buffer.from(samlPostForm(html).SAMLResponse, 'base64').toString('utf8');
  return [...xml.matchAll(/StatusCode Value="([^"]+)"/g)].map((m) => m[1]!);
}

async function auditedRoles(loginId: string) {
  const result = await pool.query<{ data: Record<string, unknown> }>(`SELECT data FROM audit_events WHERE login_id = $1 AND type = 'business_role_chosen'`, [loginId]);
  return result.rows.map((row) => row.data);
}

t.test('a user with two businesses chooses the second: the assertion carries that CVR', async (t) => {
  const browser = new TestBrowser();
  const { sp, page, loginId } = await logIn(browser, 'business', 'owner2');
  t.equal(page.status, 200);
  t.match(page.text, /Simulator Bageri I\/S/);
  t.match(page.text, /99990022/);
  t.match(page.text, /value="private"/, 'continuing privately is offered');
  t.equal(formAction(page.text), `/login/${loginId}/business`);
  const csrf = hiddenField(page.text, 'csrf')!;
  const english = await browser.request(new URL(`/login/${loginId}/business?lang=en`, e2e.baseUrl).toString());
  t.match(english.text, /Choose who you log in as/, 'the page again, in English, from what was offered');
  t.equal(hiddenField(english.text, 'csrf'), csrf);

  const answered = await browser.request(new URL(`/login/${loginId}/business`, e2e.baseUrl).toString(), { form: { csrf, role: '99990022' } });
  const attributes = await attributesOf(sp, answered.text);
  t.equal(attributes[CVR], '99990022');
  t.equal(attributes[AUTHORIZED], '99990022');
  t.equal(attributes[ORGANISATION], 'Simulator Konsulent ApS');
  t.ok(attributes[PID], 'the person attributes are there too');

  const replayed = await browser.request(new URL(`/login/${loginId}/business`, e2e.baseUrl).toString(), { form: { csrf, role: '99990021' } });
  // Issue 14: a finished login is no dead end; this SP takes no unsolicited response, so a page with the way back.
  t.match(replayed.text, /data-login="completed"/, 'replaying the form cannot change the choice: the login is done');
  t.notMatch(replayed.text, /name="SAMLResponse"/);
  t.same(await auditedRoles(loginId), [{ role: 'businessOwner', cvr: '99990022', how: 'chosen', offered: 2 }]);
  const audited = await pool.query(`SELECT data::text AS data FROM audit_events WHERE login_id = $1`, [loginId]);
  t.notOk(audited.rows.some((row) => String(row.data).includes('7409684567')), 'no CPR in the audit trail');
});

t.test('the same user continues as a private person: no CVR; an SSO login asks again', async (t) => {
  const browser = new TestBrowser();
  const { sp, page, loginId } = await logIn(browser, 'business', 'owner2');
  const answered = await browser.request(new URL(`/login/${loginId}/business`, e2e.baseUrl).toString(), { form: { csrf: hiddenField(page.text, 'csrf')!, role: 'private' } });
  const attributes = await attributesOf(sp, answered.text);
  t.notOk(CVR in attributes);
  t.notOk(AUTHORIZED in attributes);
  t.equal(attributes[ORGANISATION], 'Ingen organisatorisk tilknytning');
  t.same(await auditedRoles(loginId), [{ role: 'private', how: 'chosen', offered: 2 }]);

  // A second SP in the same browser: the session answers without NemID, and the choice is asked again.
  const oio3 = e2e.sp('oio3');
  const again = await browser.request(await oio3.getAuthorizeUrlAsync('relay-2', undefined, {}));
  t.match(again.text, /name="role" value="99990021"/, 'the SSO login shows the choice');
  const ssoLoginId = formAction(again.text)!.split('/')[2]!;
  const ssoAnswer = await browser.request(new URL(`/login/${ssoLoginId}/business`, e2e.baseUrl).toString(), { form: { csrf: hiddenField(again.text, 'csrf')!, role: '99990021' } });
  const oio3Attributes = await attributesOf(oio3, ssoAnswer.text);
  t.equal(oio3Attributes['https://data.gov.dk/model/core/eid/professional/cvr'], '99990021');
  t.equal(oio3Attributes['https://data.gov.dk/model/core/eid/professional/authorizedToRepresent'], '99990021');
  t.equal(oio3Attributes['https://data.gov.dk/model/core/eid/professional/orgName'], 'Simulator Bageri I/S');
});

t.test('two submits at once: exactly one answer reaches the SP, the other is a state conflict', async (t) => {
  const browser = new TestBrowser();
  const { page, loginId } = await logIn(browser, 'business', 'owner2');
  const csrf = hiddenField(page.text, 'csrf')!;
  const url = new URL(`/login/${loginId}/business`, e2e.baseUrl).toString();
  const answers = await Promise.all([browser.request(url, { form: { csrf, role: '99990021' } }), browser.request(url, { form: { csrf, role: '99990022' } })]);
  const posted = answers.filter((answer) => answer.text.includes('name="SAMLResponse"'));
  t.equal(posted.length, 1);
  // The loser either lost the compare-and-set (a state conflict) or came after the winner (the login is done).
  const other = answers.filter((answer) => !posted.includes(answer))[0]!;
  t.ok(errorCodeOf(other.text) === 'LOGIN_STATE_CONFLICT' || other.text.includes('data-login="completed"'), 'the other: a conflict or the finished-login page');
  t.equal((await auditedRoles(loginId)).length, 1, 'one choice recorded');
});

t.test('a forged form choosing a CVR not in the list is refused', async (t) => {
  const browser = new TestBrowser();
  const { page, loginId } = await logIn(browser, 'business', 'owner2');
  const forged = await browser.request(new URL(`/login/${loginId}/business`, e2e.baseUrl).toString(), { form: { csrf: hiddenField(page.text, 'csrf')!, role: '99990011' } });
  t.equal(forged.status, 400);
  t.equal(errorCodeOf(forged.text), 'BUSINESS_CHOICE_INVALID');
  const row = await pool.query(`SELECT state, business_choice FROM login_transactions WHERE id = $1`, [loginId]);
  t.not(row.rows[0].business_choice?.cvr, '99990011', 'the forged CVR was not recorded');
  t.same(await auditedRoles(loginId), []);
});

t.test('no business on a businessOnly SP: a clear page, and the SP gets AuthnFailed', async (t) => {
  const browser = new TestBrowser();
  const { page, loginId } = await logIn(browser, 'business-only', 'citizen');
  t.equal(page.status, 200);
  t.match(page.text, /role="alert"/);
  t.notMatch(page.text, /value="private"/);
  t.equal(formAction(page.text), `/login/${loginId}/business/abort`);
  const back = await browser.request(new URL(`/login/${loginId}/business/abort`, e2e.baseUrl).toString(), { form: { csrf: hiddenField(page.text, 'csrf')! } });
  t.same(statusCodesOf(back.text), ['urn:oasis:names:tc:SAML:2.0:status:Responder', 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed']);
  const row = await pool.query(`SELECT state, error_code FROM login_transactions WHERE id = $1`, [loginId]);
  t.same(row.rows[0], { state: 'failed', error_code: 'BUSINESS_NO_ROLE' });
});

t.test('a user without a business on a businessLogin SP continues privately without a page', async (t) => {
  const browser = new TestBrowser();
  const { sp, page, loginId } = await logIn(browser, 'business', 'citizen');
  const attributes = await attributesOf(sp, page.text);
  t.notOk(CVR in attributes);
  t.same(await auditedRoles(loginId), [{ role: 'private', how: 'no-business', offered: 0 }]);
});

t.test('a MOCES user skips the choice: CVR and RID come from the certificate', async (t) => {
  const browser = new TestBrowser();
  const { sp, page, loginId } = await logIn(browser, 'business-only', 'employee');
  const attributes = await attributesOf(sp, page.text);
  t.equal(attributes[CVR], '99990031');
  t.equal(attributes[RID], '90000001');
  t.notOk(AUTHORIZED in attributes);
  t.same(await auditedRoles(loginId), []);
});

t.test('the role service down: a clear error to the SP, nothing stored', async (t) => {
  const control = (body: Record<string, string>) => fetch(`${e2e.simulatorUrl}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  t.equal((await control({ roles: 'unavailable' })).status, 200);
  t.teardown(async () => void (await fetch(`${e2e.simulatorUrl}/control`, { method: 'DELETE' })));
  const browser = new TestBrowser();
  const { page, loginId } = await logIn(browser, 'business', 'owner2');
  t.same(statusCodesOf(page.text), ['urn:oasis:names:tc:SAML:2.0:status:Responder']);
  t.match(Buffer.from(samlPostForm(page.text).SAMLResponse, 'base64').toString('utf8'), /BUSINESS_ROLES_UNAVAILABLE/);
  const row = await pool.query(`SELECT state, business_choice, error_code FROM login_transactions WHERE id = $1`, [loginId]);
  t.same(row.rows[0], { state: 'failed', business_choice: null, error_code: 'BUSINESS_ROLES_UNAVAILABLE' });
  t.same(await auditedRoles(loginId), []);
});
