import t from 'tap';
import { formAction, hiddenField, loginWithSimulator, samlPostForm, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// IdP-initiated SSO (saml-profile.md §2.7), end to end: only for an SP whose policy allows it, never with a
// RelayState, always behind our "continue to <SP>" page (POST + CSRF), answered at the SP's default HTTP-POST ACS
// without InResponseTo, and accepted by @node-saml/node-saml configured to expect no InResponseTo.

const POLICY = { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' };
let e2e: E2eService;
t.before(async () => {
  e2e = await startE2eService([
    // No encryption key: the assertion stays readable, so the test can see there is no InResponseTo anywhere.
    { name: 'portal', policy: { ...POLICY, allowIdpInitiated: true }, encrypt: false },
    { name: 'shop', policy: POLICY },
  ]);
});
t.teardown(() => e2e?.close());
t.afterEach(async (t) => {
  if (!t.passing()) for (const line of e2e.logs.lines.filter((l) => /"level":(40|50)/.test(l)).slice(-5)) t.comment(line.slice(0, 500));
});

const PORTAL = 'https://portal.sp.test/metadata';
const initUrl = (sp: string, extra = '') => `${e2e.baseUrl}/saml/sso/init?sp=${encodeURIComponent(sp)}${extra}`;
const errorCode = (html: string) => /<code>([A-Z0-9_]+)<\/code>/.exec(html)?.[1];

async function confirmAndContinue(browser: TestBrowser) {
  const confirm = await browser.request(initUrl(PORTAL));
  if (confirm.status !== 200 || formAction(confirm.text) !== '/saml/sso/init') throw new Error(`no confirmation page: ${confirm.text.slice(0, 300)}`);
  return { confirm, next: await browser.request(`${e2e.baseUrl}/saml/sso/init`, { form: { sp: hiddenField(confirm.text, 'sp')!, csrf: hiddenField(confirm.text, 'csrf')! } }) };
}

t.test('IdP-initiated SSO: confirmation page, NemID, a response without InResponseTo that node-saml accepts', async (t) => {
  const browser = new TestBrowser();
  const { confirm, next: loginPage } = await confirmAndContinue(browser);
  t.match(confirm.text, /portal/, 'the page names the SP');
  t.match(loginPage.url, /\/login\/[A-Za-z0-9_-]{22}$/, 'no session: NemID first');
  const answer = await loginWithSimulator(browser, e2e, loginPage, 'citizen');
  const form = samlPostForm(answer.text);
  t.equal(form.action, 'https://portal.sp.test/acs', 'the default HTTP-POST ACS');
  t.notOk(form.RelayState, 'no RelayState');
  const xml = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
  t.match(xml, /<saml:Assertion /, 'a plain signed assertion');
  t.notMatch(xml, /InResponseTo/, 'no InResponseTo anywhere: not on the Response, not on SubjectConfirmationData');
  const portal = e2e.sp('portal', { idpInitiated: true });
  const { profile } = await portal.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse });
  t.ok(profile?.nameID, 'node-saml accepts the unsolicited response');
  t.notOk(profile?.inResponseTo);
  t.match(profile!['urn:oid:0.9.2342.19200300.100.1.1'], /^PID:/);
  await t.rejects(e2e.sp('portal').validatePostResponseAsync({ SAMLResponse: form.SAMLResponse }), /InResponseTo/, 'an SP expecting a request of its own refuses it');

  // With a live session the confirmation page still comes first; continuing answers from the session.
  const again = await confirmAndContinue(browser);
  t.equal(again.confirm.status, 200);
  const direct = samlPostForm(again.next.text);
  t.equal(direct.action, 'https://portal.sp.test/acs', 'answered from the session after the confirmation');
  const second = await e2e.sp('portal', { idpInitiated: true }).validatePostResponseAsync({ SAMLResponse: direct.SAMLResponse });
  t.equal(second.profile?.nameID, profile?.nameID);
});

t.test('refused locally: an SP without allowIdpInitiated, an unknown SP, a RelayState, a missing or foreign CSRF token', async (t) => {
  const browser = new TestBrowser();
  const refused = await browser.request(initUrl('https://shop.sp.test/metadata'));
  t.equal(refused.status, 403);
  t.equal(errorCode(refused.text), 'SAML_IDP_INITIATED_REFUSED');
  t.notMatch(refused.text, /shop\.sp\.test\/acs/, 'nothing sent to the SP');

  const unknown = await browser.request(initUrl('https://nobody.sp.test/metadata'));
  t.equal(errorCode(unknown.text), 'SAML_SP_UNKNOWN');

  const relay = await browser.request(initUrl(PORTAL, '&RelayState=https%3A%2F%2Fevil.example%2F'));
  t.equal(errorCode(relay.text), 'SAML_IDP_INITIATED_REFUSED', 'a RelayState is refused, never followed');

  const twice = await browser.request(initUrl(PORTAL, `&sp=${encodeURIComponent('https://shop.sp.test/metadata')}`));
  t.equal(errorCode(twice.text), 'SAML_IDP_INITIATED_REFUSED');

  const noToken = await browser.request(`${e2e.baseUrl}/saml/sso/init`, { form: { sp: PORTAL } });
  t.equal(errorCode(noToken.text), 'CSRF_INVALID', 'a third-party page cannot post the confirmation');
  const confirm = await browser.request(initUrl(PORTAL));
  const csrf = hiddenField(confirm.text, 'csrf')!;
  const otherBrowser = await new TestBrowser().request(`${e2e.baseUrl}/saml/sso/init`, { form: { sp: PORTAL, csrf } });
  t.equal(errorCode(otherBrowser.text), 'CSRF_INVALID', "another browser's token is useless");
  const shopWithPortalToken = await browser.request(`${e2e.baseUrl}/saml/sso/init`, { form: { sp: 'https://shop.sp.test/metadata', csrf } });
  t.equal(errorCode(shopWithPortalToken.text), 'CSRF_INVALID', 'the token is bound to the SP it was shown for');
});
