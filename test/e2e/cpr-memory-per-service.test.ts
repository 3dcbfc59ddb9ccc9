import t from 'tap';
import { TEST_USERS } from '../../src/simulator/index.js';
import { formAction, hiddenField, loginWithSimulator, samlPostForm, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// Issue 16, finding 1: a CPR number remembered at service A was released to service C (another match SP) on an
// IsPassive request with no page shown. Memory is now per service: C never gets what the user agreed to remember
// for A; it asks (active) or answers NoPassive (passive), and A still gets it.

const CPR_ATTRIBUTE = 'dk:gov:saml:attribute:CprNumberIdentifier';
const MATCH = { allowedCertificates: ['POCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent', releaseCpr: true, sector: 'private', cpr: 'match' };
const cpr = TEST_USERS.find((u) => u.userId === 'owner')!.cpr!;
let e2e: E2eService;
t.before(async () => {
  e2e = await startE2eService([
    { name: 'service-a', policy: MATCH },
    { name: 'service-c', policy: MATCH },
  ]);
});
t.teardown(() => e2e?.close());
t.afterEach(async (t) => {
  if (!t.passing()) for (const line of e2e.logs.lines.filter((l) => /"level":(40|50)/.test(l)).slice(-5)) t.comment(line.slice(0, 500));
});

const statusOf = (answer: { text: string }) => Buffer.from(samlPostForm(answer.text).SAMLResponse, 'base64').toString('utf8');

t.test('remembered at A: C (passive) gets NoPassive, C (active) asks, A still gets it without a page', async (t) => {
  const browser = new TestBrowser();
  const a = e2e.sp('service-a');
  const cprPage = await loginWithSimulator(browser, e2e, await browser.request(await a.getAuthorizeUrlAsync('a1', undefined, {})), 'owner');
  t.match(cprPage.text, /name="cpr"/, 'A asks the first time');
  const remembered = await browser.request(new URL(formAction(cprPage.text)!, cprPage.url).toString(), {
    form: { csrf: hiddenField(cprPage.text, 'csrf')!, cpr, remember: 'on' },
  });
  t.equal((await a.validatePostResponseAsync({ SAMLResponse: samlPostForm(remembered.text).SAMLResponse })).profile![CPR_ATTRIBUTE], cpr);

  // The same browser, with its IdP session: the finding's request.
  const passiveC = e2e.sp('service-c', { passive: true });
  const passive = await browser.request(await passiveC.getAuthorizeUrlAsync('c1', undefined, {}));
  const passiveXml = statusOf(passive);
  t.match(passiveXml, /status:NoPassive/, 'C passive: NoPassive');
  t.notOk(passiveXml.includes('CprNumberIdentifier'), 'no CPR attribute');
  t.notOk(passive.text.includes(cpr) || passiveXml.includes(cpr), 'the number is nowhere in the answer');

  const activeC = e2e.sp('service-c');
  const asked = await browser.request(await activeC.getAuthorizeUrlAsync('c2', undefined, {}));
  t.match(asked.text, /name="cpr"/, 'C active: the CPR page');
  t.notOk(asked.text.includes(cpr), 'not prefilled');

  const passiveA = e2e.sp('service-a', { passive: true });
  const again = await browser.request(await passiveA.getAuthorizeUrlAsync('a2', undefined, {}));
  t.equal((await passiveA.validatePostResponseAsync({ SAMLResponse: samlPostForm(again.text).SAMLResponse })).profile![CPR_ATTRIBUTE], cpr, 'A: from memory, passive');
});

t.test('remembered at A: a new NemID login at C is asked for the number', async (t) => {
  const browser = new TestBrowser();
  const c = e2e.sp('service-c');
  const page = await loginWithSimulator(browser, e2e, await browser.request(await c.getAuthorizeUrlAsync('c3', undefined, {})), 'owner');
  t.match(page.text, /name="cpr"/);
  t.notMatch(page.text, /SAMLResponse/);
});
