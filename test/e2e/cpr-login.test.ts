import t from 'tap';
import { TEST_USERS } from '../../src/simulator/index.js';
import { createPool } from '../../src/store/index.js';
import { formAction, hiddenField, loginWithSimulator, samlPostForm, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// Issue 6, end to end: CPR lookup for a public SP and match for a private SP through the SAML flow, the CPR read by
// @node-saml/node-saml from the decrypted assertion; mismatches, status 16, a service outage; remembered CPR numbers;
// and no test CPR in any log line, audit row or table.

const CPR_ATTRIBUTE = 'dk:gov:saml:attribute:CprNumberIdentifier';
const BASE = { allowedCertificates: ['POCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent', releaseCpr: true };
const cprOf = (userId: string) => TEST_USERS.find((u) => u.userId === userId)!.cpr!;
let e2e: E2eService;
t.before(async () => {
  e2e = await startE2eService([
    { name: 'municipality', policy: { ...BASE, sector: 'public', cpr: 'lookup' } },
    { name: 'bank', policy: { ...BASE, sector: 'private', cpr: 'match' } },
    { name: 'kommune', policy: { ...BASE, sector: 'public', cpr: 'lookup', allowedCertificates: ['POCES', 'MOCES'], attributeProfile: 'oiosaml3' } },
  ]);
});
t.teardown(() => e2e?.close());
t.afterEach(async (t) => {
  await fetch(`${e2e.simulatorUrl}/control`, { method: 'DELETE' });
  if (!t.passing()) for (const line of e2e.logs.lines.filter((l) => /"level":(40|50)/.test(l)).slice(-5)) t.comment(line.slice(0, 500));
});

async function toCprPage(browser: TestBrowser, userId: string) {
  const sp = e2e.sp('bank');
  const page = await loginWithSimulator(browser, e2e, await browser.request(await sp.getAuthorizeUrlAsync('rs', undefined, {})), userId);
  return { sp, page };
}

async function submitCpr(browser: TestBrowser, page: { url: string; text: string }, cpr: string, remember = false) {
  const action = new URL(formAction(page.text)!, page.url).toString();
  return browser.request(action, { form: { csrf: hiddenField(page.text, 'csrf')!, cpr, ...(remember ? { remember: 'on' } : {}) } });
}

t.test('lookup for a public SP: the CPR in the encrypted assertion, no page', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('municipality');
  const answer = await loginWithSimulator(browser, e2e, await browser.request(await sp.getAuthorizeUrlAsync('rs', undefined, {})), 'citizen');
  const form = samlPostForm(answer.text);
  t.match(Buffer.from(form.SAMLResponse, 'base64').toString('utf8'), /EncryptedAssertion/);
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse });
  t.equal(profile![CPR_ATTRIBUTE], cprOf('citizen'));
});

t.test('an employee on a `cpr: lookup` SP: no CPR page, CVR and RID, no CPR attribute (issue 11 item 2)', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('kommune');
  const answer = await loginWithSimulator(browser, e2e, await browser.request(await sp.getAuthorizeUrlAsync('rs', undefined, {})), 'employee');
  t.equal(answer.status, 200);
  t.doesNotThrow(() => samlPostForm(answer.text), 'the answer is the SAML POST page, not a CPR page');
  t.notMatch(answer.text, /name="cpr"/);
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: samlPostForm(answer.text).SAMLResponse });
  t.equal(profile!['https://data.gov.dk/model/core/eid/professional/cvr'], '99990031');
  t.equal(profile!['https://data.gov.dk/model/core/eid/professional/rid'], '90000001');
  t.notOk(profile!['https://data.gov.dk/model/core/eid/cprNumber'], 'no CPR attribute');
  t.notOk(Object.keys(profile!).some((name) => /cpr/i.test(name)), 'no attribute named for a CPR at all');
});

t.test('match for a private SP: a mismatch, then a match with the dash; remembered, so the next login skips the page', async (t) => {
  const browser = new TestBrowser();
  const { sp, page } = await toCprPage(browser, 'owner');
  t.match(page.url, /\/login\/[A-Za-z0-9_-]{22}/);
  t.match(page.text, /name="cpr"/);
  t.match(page.text, /type="checkbox" name="remember" value="on"(?![^>]*checked)/, 'remember box unchecked by default');
  const wrong = await submitCpr(browser, page, cprOf('citizen'));
  t.equal(wrong.status, 400);
  t.match(wrong.text, /id="cpr-error"/);
  t.notOk(wrong.text.includes(cprOf('citizen')), 'the typed number is not sent back');
  const right = await submitCpr(browser, wrong, `${cprOf('owner').slice(0, 6)}-${cprOf('owner').slice(6)}`, true);
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: samlPostForm(right.text).SAMLResponse });
  t.equal(profile![CPR_ATTRIBUTE], cprOf('owner'));

  const second = new TestBrowser();
  const again = await toCprPage(second, 'owner');
  const remembered = await again.sp.validatePostResponseAsync({ SAMLResponse: samlPostForm(again.page.text).SAMLResponse });
  t.equal(remembered.profile![CPR_ATTRIBUTE], cprOf('owner'), 'no CPR page the second time');
});

t.test('three mismatches end the login with AuthnFailed', async (t) => {
  const browser = new TestBrowser();
  let { sp, page } = await toCprPage(browser, 'pseudonym');
  for (let i = 0; i < 2; i++) page = await submitCpr(browser, page, cprOf('citizen'));
  const ended = await submitCpr(browser, page, cprOf('citizen'));
  const xml = Buffer.from(samlPostForm(ended.text).SAMLResponse, 'base64').toString('utf8');
  t.match(xml, /urn:oasis:names:tc:SAML:2.0:status:AuthnFailed/);
  t.match(xml, /CPR_ATTEMPTS_EXCEEDED/);
  await t.rejects(sp.validatePostResponseAsync({ SAMLResponse: samlPostForm(ended.text).SAMLResponse }));
});

for (const [mode, code] of [['16', 'CPR_BRUTE_FORCE'], ['unavailable', 'CPR_SERVICE_UNAVAILABLE']] as const) {
  t.test(`PID-CPR ${mode}: a SAML error response with ${code}, nothing remembered`, async (t) => {
    const browser = new TestBrowser();
    const { page } = await toCprPage(browser, 'youth');
    await fetch(`${e2e.simulatorUrl}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pidCpr: mode }) });
    const ended = await submitCpr(browser, page, cprOf('youth'), true);
    t.match(Buffer.from(samlPostForm(ended.text).SAMLResponse, 'base64').toString('utf8'), new RegExp(code));
  });
}

t.test('no test CPR in any log line, audit row or table', async (t) => {
  const logText = e2e.logs.text();
  const client = createPool(e2e.databaseUrl, { max: 1, applicationName: 'cpr-e2e-scan' });
  t.teardown(() => client.end());
  const tables = (await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename);
  let dump = '';
  for (const table of tables) dump += (await client.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`)).rows.map((r) => r.row).join('\n');
  t.match(dump, /cpr_matched/);
  for (const user of TEST_USERS.filter((u) => u.cpr)) {
    t.notOk(logText.includes(user.cpr!), `log (${user.userId})`);
    t.notOk(dump.includes(user.cpr!) || dump.includes(Buffer.from(user.cpr!).toString('hex')), `database (${user.userId})`);
  }
});
