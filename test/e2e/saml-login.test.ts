import type { Test } from 'tap';
import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { loginTransactions } from '../../src/store/index.js';
import { loginWithSimulator, samlPostForm, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// Issue 3, end to end: SP-initiated login on Redirect and POST with signed requests, answered through the real
// login page and the NemID simulator, accepted by @node-saml/node-saml with signature and decryption checked.

const POLICY = { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' };
let e2e: E2eService;
t.before(async () => {
  e2e = await startE2eService([
    { name: 'shop', policy: POLICY },
    { name: 'bank', policy: { ...POLICY, attributeProfile: 'oiosaml3' } },
  ]);
});
t.teardown(() => e2e?.close());
t.afterEach(async (t) => {
  if (!t.passing()) for (const line of e2e.logs.lines.filter((l) => /"level":(40|50)/.test(l)).slice(-5)) t.comment(line.slice(0, 500));
});

async function spInitiated(browser: TestBrowser, sp: ReturnType<E2eService['sp']>, post: boolean, relayState: string) {
  if (!post) {
    const url = await sp.getAuthorizeUrlAsync(relayState, undefined, {});
    return browser.request(url);
  }
  const form = await sp.getAuthorizeFormAsync(relayState, undefined as never);
  const SAMLRequest = /name="SAMLRequest" value="([^"]+)"/.exec(form)?.[1] ?? '';
  return browser.request(`${e2e.baseUrl}/saml/sso`, { form: { SAMLRequest, RelayState: relayState } });
}

for (const binding of ['redirect', 'post'] as const) {
  t.test(`SP-initiated login on HTTP-${binding}: accepted by node-saml, attributes per profile`, async (t) => {
    const browser = new TestBrowser();
    const sp = e2e.sp('shop', { post: binding === 'post' });
    const loginPage = await spInitiated(browser, sp, binding === 'post', `rs-${binding}-ø`);
    t.equal(loginPage.status, 200);
    t.match(loginPage.url, /\/login\/[A-Za-z0-9_-]{22}/);
    const answer = await loginWithSimulator(browser, e2e, loginPage, 'citizen');
    t.equal(answer.status, 200);
    const form = samlPostForm(answer.text);
    t.equal(form.action, 'https://shop.sp.test/acs');
    t.equal(form.RelayState, `rs-${binding}-ø`, 'RelayState echoed byte for byte');
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse });
    t.ok(profile);
    t.match(profile!.nameID, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'pairwise persistent UUID');
    t.equal(profile!['dk:gov:saml:attribute:SpecVer'], 'DK-SAML-2.0');
    t.match(profile!['urn:oid:0.9.2342.19200300.100.1.1'], /^PID:9999-2002-2-/);
    t.equal(profile!['dk:gov:saml:attribute:AssuranceLevel'], '3');
    t.notOk(profile!['dk:gov:saml:attribute:CprNumberIdentifier'], 'no CPR for an SP that does not release it');
    const xml = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
    t.match(xml, /EncryptedAssertion/, 'assertion encrypted to the SP key');
  });
}

t.test('SSO: a second SP gets an assertion without a new NemID login; ForceAuthn forces one', async (t) => {
  const browser = new TestBrowser();
  const shop = e2e.sp('shop');
  const first = await loginWithSimulator(browser, e2e, await spInitiated(browser, shop, false, 'one'), 'citizen');
  const shopProfile = (await shop.validatePostResponseAsync({ SAMLResponse: samlPostForm(first.text).SAMLResponse })).profile!;

  const bank = e2e.sp('bank');
  const second = await spInitiated(browser, bank, false, 'two');
  t.equal(second.status, 200);
  const form = samlPostForm(second.text);
  t.equal(form.action, 'https://bank.sp.test/acs', 'answered at once from the session');
  const bankProfile = (await bank.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse })).profile!;
  t.match(bankProfile.nameID, /^https:\/\/data\.gov\.dk\/model\/core\/eid\/person\/uuid\//, 'oiosaml3 persistent form');
  t.not(bankProfile.nameID.slice(-36), shopProfile.nameID, 'pairwise: another SP, another ID');

  const forced = e2e.sp('bank', { forceAuthn: true });
  const forcedPage = await spInitiated(browser, forced, false, 'three');
  t.match(forcedPage.url, /\/login\//, 'ForceAuthn shows the login page again');
});

t.test('IsPassive without a session answers NoPassive', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('shop', { passive: true });
  let answer = await spInitiated(browser, sp, false, 'passive');
  // With MitID configured (the simulator default), a passive request asks the broker with prompt=none first; it has
  // no session either and answers login_required, which becomes the same NoPassive.
  for (let hop = 0; hop < 3 && !answer.text.includes('SAMLResponse') && /^https?:/.test(answer.url); hop++) answer = await browser.request(answer.url);
  const form = samlPostForm(answer.text);
  const xml = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
  t.match(xml, /status:Requester/);
  t.match(xml, /status:NoPassive/);
  await t.rejects(sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse }), /NoPassive|Requester/);
});

t.test('a replayed login page post cannot log in twice', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('shop');
  const loginPage = await spInitiated(browser, sp, false, 'replay');
  const id = /\/login\/([A-Za-z0-9_-]{22})/.exec(loginPage.url)![1]!;
  await loginWithSimulator(browser, e2e, loginPage, 'citizen');
  const { createPool } = await import('../../src/store/index.js');
  const pool = createPool(e2e.databaseUrl, { max: 1 });
  t.teardown(() => pool.end());
  const tx = await loginTransactions.get(pool, id);
  t.equal(tx?.state, 'completed');
});

// Over HTTP, every refusal before the ACS is verified is a local error page with its code and a trace id: no SAML
// message is ever sent to an unverified ACS.
async function refusedLocally(t: Test, response: { status: number; text: string; headers: Headers }, code: string) {
  t.ok(response.status >= 400 && response.status < 500, `${code}: status ${response.status}`);
  t.match(response.text, code, `${code} on the page`);
  t.match(response.text, String(response.headers.get('x-trace-id')), 'trace id on the page');
  t.notMatch(response.text, /SAMLResponse|<form[^>]+action="https?:/, 'nothing posted anywhere');
}

t.test('refusals before the ACS is verified stay on our page', async (t) => {
  const browser = new TestBrowser();
  const good = e2e.sp('shop');
  const url = await good.getAuthorizeUrlAsync('relay', undefined, {});
  await browser.request(url);
  await refusedLocally(t, await browser.request(url), 'SAML_REQUEST_REPLAYED');

  const { SAML } = await import('@node-saml/node-saml');
  const base = { entryPoint: `${e2e.baseUrl}/saml/sso`, idpCert: 'x', signatureAlgorithm: 'sha256' as const, digestAlgorithm: 'sha256' as const, authnContext: ['urn:oasis:names:tc:SAML:2.0:ac:classes:X509'], identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' };
  const keys = (await import('../helpers/e2e.js')).SP_KEYS;
  const unknown = new SAML({ ...base, issuer: 'https://unknown.sp.test/metadata', callbackUrl: 'https://unknown.sp.test/acs', privateKey: keys.signingKey });
  await refusedLocally(t, await browser.request(await unknown.getAuthorizeUrlAsync('r', undefined, {})), 'SAML_ISSUER_UNKNOWN');
  const rogueAcs = new SAML({ ...base, issuer: 'https://shop.sp.test/metadata', callbackUrl: 'https://attacker.test/acs', privateKey: keys.signingKey });
  await refusedLocally(t, await browser.request(await rogueAcs.getAuthorizeUrlAsync('r', undefined, {})), 'SAML_ACS_UNKNOWN');
  const unsigned = new SAML({ ...base, issuer: 'https://shop.sp.test/metadata', callbackUrl: 'https://shop.sp.test/acs' });
  await refusedLocally(t, await browser.request(await unsigned.getAuthorizeUrlAsync('r', undefined, {})), 'SAML_SIGNATURE_MISSING');
  await refusedLocally(t, await browser.request(await good.getAuthorizeUrlAsync('x'.repeat(81), undefined, {})), 'SAML_RELAY_STATE_INVALID');
});

t.test('control characters in RelayState (issue 16 item 3): 400 with a code on both bindings, no request ID spent', async (t) => {
  const { inflateRawSync } = await import('node:zlib');
  const { createPool, requestIds } = await import('../../src/store/index.js');
  const pool = createPool(e2e.databaseUrl, { max: 1 });
  t.teardown(() => pool.end());
  const idOf = (xml: string) => /ID="([^"]+)"/.exec(xml)![1]!;
  for (const relayState of ['a\u0000b', 'x\u0001y', 'tab\tok\u001f']) {
    const browser = new TestBrowser();
    const url = await e2e.sp('shop').getAuthorizeUrlAsync(relayState, undefined, {});
    const requestId = idOf(inflateRawSync(Buffer.from(new URL(url).searchParams.get('SAMLRequest')!, 'base64')).toString('utf8'));
    await refusedLocally(t, await browser.request(url), 'SAML_CONTROL_CHARACTER');
    const form = await e2e.sp('shop', { post: true }).getAuthorizeFormAsync('', undefined as never);
    const SAMLRequest = /name="SAMLRequest" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const postId = idOf(Buffer.from(SAMLRequest, 'base64').toString('utf8'));
    await refusedLocally(t, await browser.request(`${e2e.baseUrl}/saml/sso`, { form: { SAMLRequest, RelayState: relayState } }), 'SAML_CONTROL_CHARACTER');
    const expires = new Date(Date.now() + 600_000);
    t.ok(await requestIds.record(pool, 'https://shop.sp.test/metadata', requestId, expires), 'Redirect: the request ID was not recorded');
    t.ok(await requestIds.record(pool, 'https://shop.sp.test/metadata', postId, expires), 'POST: the request ID was not recorded');
  }
  const clean = await new TestBrowser().request(await e2e.sp('shop').getAuthorizeUrlAsync('tab\tand\r\nnewline', undefined, {}));
  t.equal(clean.status, 200, 'tab, CR and LF are allowed');
});

t.test('a NemID response whose signature was seen before is refused (NEMID_RESPONSE_REPLAYED), even with the right challenge', async (t) => {
  const { createHash } = await import('node:crypto');
  const { createPool, responseDigests } = await import('../../src/store/index.js');
  const pool = createPool(e2e.databaseUrl, { max: 1 });
  t.teardown(() => pool.end());
  const browser = new TestBrowser();
  const sp = e2e.sp('shop');
  const loginPage = await spInitiated(browser, sp, false, 'replayed-response');
  const answer = await loginWithSimulator(browser, e2e, loginPage, 'citizen', {
    // Another instance already took this very response: its SignatureValue digest is in the replay table.
    beforePost: async (clientResult) => {
      const xml = Buffer.from(clientResult, 'base64').toString('utf8');
      const signatureValue = /<ds:SignatureValue>([\s\S]*?)<\/ds:SignatureValue>/.exec(xml)![1]!.replace(/\s+/g, '');
      const digest = createHash('sha256').update(Buffer.from(signatureValue, 'base64')).digest();
      const now = new Date();
      t.ok(await responseDigests.record(pool, digest, 'other-login', now, new Date(now.getTime() + 3600_000)));
    },
  });
  const xml = Buffer.from(samlPostForm(answer.text).SAMLResponse, 'base64').toString('utf8');
  t.match(xml, /status:AuthnFailed/);
  t.match(xml, /NEMID_RESPONSE_REPLAYED/);
});

t.test("our pages' CSP allows form posts to the registered ACS origins", async (t) => {
  const response = await fetch(`${e2e.baseUrl}/saml/metadata`);
  const csp = response.headers.get('content-security-policy') ?? '';
  t.match(csp, /form-action 'self'[^;]* https:\/\/shop\.sp\.test/);
  t.match(csp, /form-action[^;]* https:\/\/bank\.sp\.test/);
});

t.test('a revoked user certificate: AuthnFailed at the SP, and the log names the revoked serial, its issuer and the CRL reason (issue 11 item 5)', async (t) => {
  const browser = new TestBrowser();
  const sp = e2e.sp('shop');
  let leafSerial = '';
  const answer = await loginWithSimulator(browser, e2e, await spInitiated(browser, sp, false, 'revoked'), 'revoked', {
    beforePost: async (clientResult) => {
      const xml = Buffer.from(clientResult, 'base64').toString('utf8');
      for (const [, b64] of xml.matchAll(/<(?:ds:)?X509Certificate>([^<]+)</g)) {
        const certificate = new X509Certificate(Buffer.from(b64!.replace(/\s+/g, ''), 'base64'));
        if (!certificate.ca) leafSerial = certificate.serialNumber.replace(/^0+/, '');
      }
    },
  });
  t.match(Buffer.from(samlPostForm(answer.text).SAMLResponse, 'base64').toString('utf8'), /NEMID_CERT_REVOKED/);
  t.ok(leafSerial, 'the leaf serial was read from the client response');
  const line = e2e.logs.lines.find((l) => l.includes('certificate not valid') && l.includes('REVOKED'));
  t.ok(line, 'the refusal is logged');
  t.match(line, `the user certificate is revoked: serial ${leafSerial} issued by CN=`);
  t.match(line, /reason keyCompromise/);
  t.match(line, /revoked \d{4}-\d{2}-\d{2}T/);
});
