import t from 'tap';
import { inflateRawSync } from 'node:zlib';
import type { Profile } from '@node-saml/node-saml';
import { signSamlPost } from '@node-saml/node-saml/lib/saml-post-signing.js';
import { TEST_USERS } from '../../src/simulator/index.js';
import { createPool } from '../../src/store/index.js';
import { formAction, hiddenField, loginWithSimulator, samlPostForm, SP_KEYS, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// Issue 3 item 7, end to end: single logout across SPs played by @node-saml/node-saml. SP-initiated (Redirect and
// POST participants, the initiator answered on its own binding), the session ended first, NameID and SessionIndex
// matched to this browser's session, replay refused, and the user's own "log out everywhere".

const POLICY = { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' };
let e2e: E2eService;
let host: string;
t.before(async () => {
  e2e = await startE2eService([
    { name: 'shop', policy: POLICY, sloBindings: ['redirect', 'post'] },
    { name: 'bank', policy: { ...POLICY, attributeProfile: 'oiosaml3', nameIdFormat: 'transient' } },
    { name: 'blog', policy: POLICY, sloBindings: [] },
  ]);
  host = new URL(e2e.baseUrl).host;
});
t.teardown(() => e2e?.close());
t.afterEach(async (t) => {
  if (!t.passing()) for (const line of e2e.logs.lines.filter((l) => /"level":(40|50)/.test(l)).slice(-5)) t.comment(line.slice(0, 500));
});

type Sp = ReturnType<E2eService['sp']>;

/** SP-initiated login through NemID; the profile node-saml accepted. */
async function login(browser: TestBrowser, sp: Sp): Promise<Profile> {
  const page = await browser.request(await sp.getAuthorizeUrlAsync('in', undefined, {}));
  const answer = await loginWithSimulator(browser, e2e, page, 'citizen');
  return (await sp.validatePostResponseAsync({ SAMLResponse: samlPostForm(answer.text).SAMLResponse })).profile!;
}

/** SSO from the live session: answered at once, without the login page. */
async function sso(browser: TestBrowser, sp: Sp): Promise<Profile> {
  const answer = await browser.request(await sp.getAuthorizeUrlAsync('sso', undefined, {}));
  return (await sp.validatePostResponseAsync({ SAMLResponse: samlPostForm(answer.text).SAMLResponse })).profile!;
}

/** What a Redirect-binding URL to an SP carries, as node-saml's validateRedirectAsync takes it. */
function redirectParts(url: string) {
  const parsed = new URL(url);
  return { query: Object.fromEntries(parsed.searchParams) as Record<string, string>, original: parsed.search.slice(1), target: `${parsed.origin}${parsed.pathname}` };
}

function inflated(base64: string): string {
  return inflateRawSync(Buffer.from(base64, 'base64')).toString('utf8');
}

const errorCode = (html: string) => /<code>([A-Z0-9_]+)<\/code>/.exec(html)?.[1];

t.test('SP-initiated SLO across two SPs: session ended, the other SP logged out, the initiator answered Success', async (t) => {
  const browser = new TestBrowser();
  const shop = e2e.sp('shop');
  const bank = e2e.sp('bank');
  const shopProfile = await login(browser, shop);
  const bankProfile = await sso(browser, bank);
  t.ok(browser.cookies(host).has('nemid_idp_session'));

  const toBank = await browser.request(await shop.getLogoutUrlAsync(shopProfile, 'bye-ø', {}));
  t.notOk(browser.cookies(host).has('nemid_idp_session'), 'session cookie cleared before the chain goes on');
  t.equal(toBank.status, 200);
  t.equal(formAction(toBank.text), 'https://bank.sp.test/slo', 'bank has only HTTP-POST: the LogoutRequest is posted');
  const bankRequest = (await bank.validatePostRequestAsync({ SAMLRequest: hiddenField(toBank.text, 'SAMLRequest')! })).profile!;
  t.equal(bankRequest.nameID, bankProfile.nameID, 'bank gets the transient NameID we issued to it');
  t.equal(bankRequest.sessionIndex, bankProfile.sessionIndex, 'and its SessionIndex');
  const requestXml = Buffer.from(hiddenField(toBank.text, 'SAMLRequest')!, 'base64').toString('utf8');
  t.match(requestXml, /Reason="urn:oasis:names:tc:SAML:2\.0:logout:user"/);
  t.match(requestXml, /NotOnOrAfter="/);

  const toShop = await browser.request(await bank.getLogoutResponseUrlAsync(bankRequest, '', {}, true));
  t.equal(toShop.status, 302);
  const { query, original, target } = redirectParts(toShop.url);
  t.equal(target, 'https://shop.sp.test/slo', 'the answer goes to the initiator on the Redirect binding its request used');
  t.ok(query['Signature'] && query['SigAlg'], 'signed');
  t.equal(query['RelayState'], 'bye-ø', 'RelayState echoed');
  const result = await shop.validateRedirectAsync(query, original);
  t.equal(result.loggedOut, true, 'node-saml accepts the LogoutResponse (signature, InResponseTo, Success)');
  t.notMatch(inflated(query['SAMLResponse']!), /PartialLogout/);

  const again = await browser.request(await shop.getAuthorizeUrlAsync('again', undefined, {}));
  t.match(again.url, /\/login\/[A-Za-z0-9_-]{22}$/, 'a new AuthnRequest needs NemID again');
  const bankAgain = await browser.request(await e2e.sp('bank').getAuthorizeUrlAsync('again', undefined, {}));
  t.match(bankAgain.url, /\/login\//, 'for the other SP too');

  const pool = createPool(e2e.databaseUrl, { max: 1 });
  t.teardown(() => pool.end());
  const events = await pool.query<{ sp_entity_id: string | null; data: Record<string, unknown> }>("SELECT sp_entity_id, data FROM audit_events WHERE type = 'logout' ORDER BY id");
  const phases = events.rows.map((row) => row.data['phase']);
  t.ok(['started', 'request_sent', 'response_received', 'finished'].every((phase) => phases.includes(phase)), 'audited: started, request sent, response received, finished');
  const cpr = TEST_USERS.find((user) => user.userId === 'citizen')!.cpr!;
  t.notOk(JSON.stringify(events.rows).includes(cpr) || JSON.stringify(events.rows).includes(`${cpr.slice(0, 6)}-${cpr.slice(6)}`), 'no CPR in the logout audit');
  t.ok(events.rows.every((row) => typeof row.data['nameIdHash'] === 'string' || row.data['phase'] === 'finished'), 'NameIDs only as hashes');
});

t.test('a participant without SingleLogoutService makes the answer PartialLogout', async (t) => {
  const browser = new TestBrowser();
  const shop = e2e.sp('shop');
  const shopProfile = await login(browser, shop);
  await sso(browser, e2e.sp('blog'));
  const toShop = await browser.request(await shop.getLogoutUrlAsync(shopProfile, '', {}));
  const { query, original } = redirectParts(toShop.url);
  const xml = inflated(query['SAMLResponse']!);
  t.match(xml, /status:Success"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2\.0:status:PartialLogout"/);
  const result = await shop.validateRedirectAsync(query, original);
  t.equal(result.loggedOut, true, 'node-saml accepts it: top-level Success');
});

t.test('a LogoutRequest with a NameID or SessionIndex not issued in this session ends nothing', async (t) => {
  const browser = new TestBrowser();
  const shop = e2e.sp('shop');
  const shopProfile = await login(browser, shop);
  for (const forged of [{ ...shopProfile, nameID: '0b6f3e1c-5a2d-8c4e-9f10-1234567890ab' }, { ...shopProfile, sessionIndex: '_not-this-session' }]) {
    const answer = await browser.request(await shop.getLogoutUrlAsync(forged, '', {}));
    const { query, original, target } = redirectParts(answer.url);
    t.equal(target, 'https://shop.sp.test/slo', 'answered to the verified SP');
    t.match(inflated(query['SAMLResponse']!), /status:Requester"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2\.0:status:UnknownPrincipal"/);
    await t.rejects(shop.validateRedirectAsync(query, original), /Bad status code/);
  }
  t.ok(browser.cookies(host).has('nemid_idp_session'), 'session cookie kept');
  const bank = await browser.request(await e2e.sp('bank').getAuthorizeUrlAsync('still', undefined, {}));
  t.equal(samlPostForm(bank.text).action, 'https://bank.sp.test/acs', 'the session still answers SSO');
  const refusals = e2e.logs.lines.filter((line) => /"level":30/.test(line) && /UnknownPrincipal/.test(line)).map((line) => JSON.parse(line) as Record<string, unknown>);
  t.same(refusals.slice(-2).map((r) => [r['sp'], r['reason']]), [['https://shop.sp.test/metadata', 'nameid_value'], ['https://shop.sp.test/metadata', 'session_index']], 'logged at info with the SP and the reason');
  t.notOk(refusals.some((r) => JSON.stringify(r).includes(shopProfile.nameID)), 'never the NameID value');
});

t.test('SAML core §8.3.7: a LogoutRequest without NameQualifier and SPNameQualifier logs out (implied values)', async (t) => {
  const browser = new TestBrowser();
  const shop = e2e.sp('shop');
  const shopProfile = await login(browser, shop);
  const { nameQualifier: _nq, spNameQualifier: _spnq, ...bare } = shopProfile;
  const requestUrl = await shop.getLogoutUrlAsync(bare as typeof shopProfile, '', {});
  t.notMatch(inflated(new URL(requestUrl).searchParams.get('SAMLRequest')!), /NameQualifier/, 'the request really omits both');
  const answer = await browser.request(requestUrl);
  const { query, original } = redirectParts(answer.url);
  t.match(inflated(query['SAMLResponse']!), /status:Success/);
  t.equal((await shop.validateRedirectAsync(query, original)).loggedOut, true);
  t.notOk(browser.cookies(host).has('nemid_idp_session'), 'session ended');
});

t.test('control characters in a LogoutRequest RelayState (issue 16 item 3): 400 with a code, nothing recorded, a clean retry logs out', async (t) => {
  const browser = new TestBrowser();
  const shop = e2e.sp('shop');
  const shopProfile = await login(browser, shop);
  for (const relayState of ['x\u0000y', 'x\u0007y']) {
    const refused = await browser.request(await shop.getLogoutUrlAsync(shopProfile, relayState, {}));
    t.equal(refused.status, 400);
    t.equal(errorCode(refused.text), 'SAML_CONTROL_CHARACTER');
    t.ok(browser.cookies(host).has('nemid_idp_session'), 'the session is untouched');
  }
  const answer = await browser.request(await shop.getLogoutUrlAsync(shopProfile, 'clean', {}));
  const { query, original } = redirectParts(answer.url);
  t.match(inflated(query['SAMLResponse']!), /status:Success/);
  t.equal(query['RelayState'], 'clean');
  t.equal((await shop.validateRedirectAsync(query, original)).loggedOut, true, 'the clean retry logs out');
  t.notOk(browser.cookies(host).has('nemid_idp_session'), 'session ended');
});

t.test('a replayed LogoutRequest is refused locally and gets no second answer', async (t) => {
  const browser = new TestBrowser();
  const shop = e2e.sp('shop');
  const url = await shop.getLogoutUrlAsync(await login(browser, shop), '', {});
  const first = await browser.request(url);
  t.equal(first.status, 302);
  t.equal(redirectParts(first.url).target, 'https://shop.sp.test/slo');
  const replay = await browser.request(url);
  t.equal(replay.status, 400);
  t.equal(errorCode(replay.text), 'SAML_REQUEST_REPLAYED');
  t.notMatch(replay.text, /shop\.sp\.test/, 'nothing sent to the SP');
});

t.test('no live session: the LogoutRequest is answered Success (logout is idempotent)', async (t) => {
  const other = new TestBrowser();
  const shop = e2e.sp('shop');
  const profile = await login(other, shop);
  const answer = await new TestBrowser().request(await shop.getLogoutUrlAsync(profile, '', {}));
  const { query, original } = redirectParts(answer.url);
  t.equal((await shop.validateRedirectAsync(query, original)).loggedOut, true);
  t.ok(other.cookies(host).has('nemid_idp_session'));
  const stillThere = await other.request(await e2e.sp('bank').getAuthorizeUrlAsync('x', undefined, {}));
  t.equal(samlPostForm(stillThere.text).action, 'https://bank.sp.test/acs', "another browser's session is untouched");
});

t.test('a LogoutResponse that answers no request of ours is refused locally', async (t) => {
  const bank = e2e.sp('bank');
  const url = await bank.getLogoutResponseUrlAsync({ ID: '_never-sent', issuer: 'x', nameID: 'x', nameIDFormat: 'x' } as Profile, '', {}, true);
  const answer = await new TestBrowser().request(url);
  t.equal(answer.status, 400);
  t.equal(errorCode(answer.text), 'SAML_LOGOUT_RESPONSE_INVALID');
});

t.test('IdP-initiated logout: CSRF bound to the session, every participant visited, our own "logged out" page', async (t) => {
  const browser = new TestBrowser();
  const shop = e2e.sp('shop');
  const bank = e2e.sp('bank');
  const shopProfile = await login(browser, shop);
  const bankProfile = await sso(browser, bank);
  await sso(browser, e2e.sp('blog'));

  const confirm = await browser.request(`${e2e.baseUrl}/saml/slo/init`);
  t.equal(confirm.status, 200);
  t.equal(formAction(confirm.text), '/saml/slo/init');
  const csrf = hiddenField(confirm.text, 'csrf')!;
  t.ok(csrf);

  const forged = await browser.request(`${e2e.baseUrl}/saml/slo/init`, { form: { csrf: `${csrf.slice(0, -2)}AA` } });
  t.equal(forged.status, 403);
  t.equal(errorCode(forged.text), 'CSRF_INVALID');
  const elsewhere = await new TestBrowser().request(`${e2e.baseUrl}/saml/slo/init`, { form: { csrf } });
  t.match(elsewhere.text, /data-logout="no-session"/, 'the token alone logs nobody out');
  t.ok(browser.cookies(host).has('nemid_idp_session'), 'still logged in');

  const toShop = await browser.request(`${e2e.baseUrl}/saml/slo/init`, { form: { csrf } });
  t.notOk(browser.cookies(host).has('nemid_idp_session'));
  t.equal(toShop.status, 302, 'shop has HTTP-Redirect: preferred');
  const shopParts = redirectParts(toShop.url);
  const shopRequest = (await shop.validateRedirectAsync(shopParts.query, shopParts.original)).profile!;
  t.equal(shopRequest.nameID, shopProfile.nameID);

  const toBank = await browser.request(await shop.getLogoutResponseUrlAsync(shopRequest, '', {}, true));
  t.equal(formAction(toBank.text), 'https://bank.sp.test/slo');
  const bankRequest = (await bank.validatePostRequestAsync({ SAMLRequest: hiddenField(toBank.text, 'SAMLRequest')! })).profile!;
  t.equal(bankRequest.nameID, bankProfile.nameID);

  const done = await browser.request(await bank.getLogoutResponseUrlAsync(bankRequest, '', {}, true));
  t.equal(done.status, 200);
  t.match(done.text, /data-logout="partial"/, 'blog has no SingleLogoutService: the user is told to close the browser');
  const after = await browser.request(`${e2e.baseUrl}/saml/slo/init`);
  t.match(after.text, /data-logout="no-session"/);
  const late = await browser.request(await bank.getLogoutResponseUrlAsync(bankRequest, '', {}, true));
  t.equal(errorCode(late.text), 'SAML_LOGOUT_RESPONSE_INVALID', 'a second answer from the same SP is refused');
});

t.test('an unsigned LogoutRequest, or one with a tampered signature, ends on the local error page and ends nothing', async (t) => {
  const browser = new TestBrowser();
  const shop = e2e.sp('shop');
  const signed = new URL(await shop.getLogoutUrlAsync(await login(browser, shop), '', {}));
  const unsigned = new URL(signed);
  unsigned.searchParams.delete('Signature');
  unsigned.searchParams.delete('SigAlg');
  const refused = await browser.request(unsigned.toString());
  t.equal(refused.status, 400);
  t.equal(errorCode(refused.text), 'SAML_SIGNATURE_MISSING');
  const tampered = new URL(signed);
  tampered.searchParams.set('RelayState', 'added');
  const forged = await browser.request(tampered.toString());
  t.match(errorCode(forged.text) ?? '', /^SAML_SIGNATURE_/);
  t.notMatch(refused.text + forged.text, /shop\.sp\.test/, 'nothing sent to the SP');
  const still = await browser.request(await e2e.sp('bank').getAuthorizeUrlAsync('x', undefined, {}));
  t.equal(samlPostForm(still.text).action, 'https://bank.sp.test/acs', 'the session lives on');
});

t.test('SP-initiated SLO on HTTP-POST: a LogoutRequest signed by node-saml is answered on POST', async (t) => {
  const browser = new TestBrowser();
  const shop = e2e.sp('shop');
  const profile = await login(browser, shop);
  const unsignedXml = await shop._generateLogoutRequest(profile);
  const signedXml = signSamlPost(unsignedXml, '/*[local-name(.)="LogoutRequest" and namespace-uri(.)="urn:oasis:names:tc:SAML:2.0:protocol"]', {
    privateKey: SP_KEYS.signingKey,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
  });
  const requestId = /ID="([^"]+)"/.exec(signedXml)![1]!;
  const answer = await browser.request(`${e2e.baseUrl}/saml/slo`, { form: { SAMLRequest: Buffer.from(signedXml).toString('base64'), RelayState: 'post-rs' } });
  t.equal(answer.status, 200);
  const form = samlPostForm(answer.text);
  t.equal(form.action, 'https://shop.sp.test/slo', 'answered on the binding the request used');
  t.equal(form.RelayState, 'post-rs');
  const xml = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
  t.match(xml, new RegExp(`InResponseTo="${requestId}"`));
  t.match(xml, /<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2\.0:status:Success"\/>/);
  // node-saml looks for InResponseTo only on a samlp:Response, so on POST it checks a LogoutResponse's signature
  // with an instance that does not insist on one (InResponseTo is asserted above).
  const verifier = e2e.sp('shop', { idpInitiated: true });
  t.equal((await verifier.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse })).loggedOut, true, 'node-saml verifies the signed LogoutResponse');
  t.notOk(browser.cookies(host).has('nemid_idp_session'));
});
