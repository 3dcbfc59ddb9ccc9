import t from 'tap';
import { parseCrl } from '../../src/pki/index.js';
import { hiddenField, loginWithSimulator, samlPostForm, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// Issue 17, API test: an SP's test suite creates its own test users through the simulator's JSON API (a MOCES
// employee and a business owner), both log in through the IdP; one is revoked, its next login is refused as revoked
// and the simulator's CRL lists it. The IdP caches revocation answers as it would in production (a CRL until its
// nextUpdate, 12 h; a good OCSP answer until its nextUpdate, one minute at the simulator), so the test runs
// REVOCATION_MODE=crl+ocsp on a clock it moves two minutes on after the revocation (inside the IdP's clock skew
// for the SP's AuthnRequest); the simulator's CRL is fetched here directly.

const RID = 'dk:gov:saml:attribute:RidNumberIdentifier';
const CVR = 'dk:gov:saml:attribute:CvrNumberIdentifier';

let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
const e2e: E2eService = await startE2eService(
  [{ name: 'business', policy: { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], businessLogin: true } }],
  { REVOCATION_MODE: 'crl+ocsp' },
  [],
  { clock },
);
t.teardown(() => e2e.close());

interface CreatedUser {
  userId: string;
  cardNumber: string;
  pid?: string;
  rid?: string;
  cvr?: string;
  certificate: { serial: string };
  revoked: boolean;
}

async function api(path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${e2e.simulatorUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body ?? {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function logIn(userId: string, password: string, cardNumber: string) {
  const browser = new TestBrowser();
  const sp = e2e.sp('business');
  let page = await browser.request(await sp.getAuthorizeUrlAsync('relay-api', undefined, {}));
  if (!page.text.includes('nemid_parameters')) page = await browser.request(`${page.url.split('?')[0]}?method=codecard`);
  const loginId = /\/login\/([A-Za-z0-9_-]{22})/.exec(page.url)?.[1] ?? '';
  const after = await loginWithSimulator(browser, e2e, page, userId, { credentials: { password, cardNumber } });
  return { browser, sp, page: after, loginId };
}

async function attributes(sp: ReturnType<E2eService['sp']>, html: string) {
  const form = samlPostForm(html);
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse, ...(form.RelayState ? { RelayState: form.RelayState } : {}) });
  return (profile?.attributes ?? {}) as Record<string, unknown>;
}

t.test('create a MOCES user and a business owner, both log in; the revoked one is refused and on the CRL', async (t) => {
  const employee = await api('/developers/api/users', { userId: 'Api-Employee', password: 'Secret-one', type: 'moces', name: 'Maja Api', company: 'Api Testfirma ApS', cvr: '99997777' });
  t.equal(employee.status, 201, 'MOCES user created');
  const moces = employee.body as unknown as CreatedUser;
  t.equal(moces.userId, 'api-employee', 'user ids are case-insensitive, kept in lower case');
  t.equal(moces.cvr, '99997777');
  t.match(moces.rid, /^[0-9]{1,8}$/, 'a RID was generated');
  t.match(moces.certificate.serial, /^[0-9A-F]+$/, 'the CA issued its certificate at once');

  const ownerCreated = await api('/developers/api/users', {
    userId: 'api-owner',
    password: 'Secret-two',
    type: 'owner',
    name: 'Otto Api',
    cpr: '6105801234',
    businesses: [{ cvr: '99996666', name: 'Api Ejer ApS' }],
  });
  t.equal(ownerCreated.status, 201, 'business owner created');
  const owner = ownerCreated.body as unknown as CreatedUser;
  t.match(owner.pid, /^PID:9999-2002-2-[0-9]{12}$/);
  t.equal((ownerCreated.body as { cpr?: string }).cpr, '6105801234', 'the chosen CPR');

  t.equal((await api('/developers/api/users', { userId: 'api-owner', password: 'x1234', type: 'poces', name: 'Other' })).status, 409, 'a taken user id');
  t.same((await api('/developers/api/users', { userId: 'bad-cpr', password: 'x1234', type: 'poces', name: 'Bad', cpr: '3213901234' })).body, { error: 'invalid', field: 'cpr' });
  t.equal((await api('/developers/api/users', { userId: 'cross-site', password: 'x1234', type: 'poces', name: 'X' }, { origin: 'https://evil.example' })).status, 403, 'a foreign Origin is refused');

  const mocesLogin = await logIn('api-employee', 'Secret-one', moces.cardNumber);
  const mocesAttributes = await attributes(mocesLogin.sp, mocesLogin.page.text);
  t.equal(mocesAttributes[RID], moces.rid, 'the employee logged in with its RID');

  const ownerLogin = await logIn('API-OWNER', 'Secret-two', owner.cardNumber);
  t.match(ownerLogin.page.text, /Api Ejer ApS/, 'the business choice shows the owned business from the registry');
  const csrf = hiddenField(ownerLogin.page.text, 'csrf') ?? '';
  const chosen = await ownerLogin.browser.request(new URL(`/login/${ownerLogin.loginId}/business`, e2e.baseUrl).toString(), { form: { csrf, role: '99996666' } });
  t.equal((await attributes(ownerLogin.sp, chosen.text))[CVR], '99996666', 'the owner logged in as its business');

  const revoked = await api(`/developers/api/users/api-employee/revoke`);
  t.equal(revoked.status, 200);
  t.equal((revoked.body as unknown as CreatedUser).revoked, true);
  const crl = parseCrl(Buffer.from(await (await fetch(`${e2e.simulatorUrl}/crl/ca1.crl`)).arrayBuffer()));
  t.ok(crl.isRevoked(moces.certificate.serial), "the simulator's CRL lists the revoked certificate");
  t.notOk(crl.isRevoked(owner.certificate.serial), 'and not the other');

  offsetMs = 2 * 60_000;
  const refused = await logIn('api-employee', 'Secret-one', moces.cardNumber);
  const answer = refused.page.text.includes('SAMLResponse') ? Buffer.from(samlPostForm(refused.page.text).SAMLResponse, 'base64').toString('utf8') : refused.page.text;
  t.match(answer, /NEMID_CERT_REVOKED/, 'the next login is refused as revoked');

  const log = await fetch(`${e2e.simulatorUrl}/developers/api/users/api-employee/log`);
  const events = ((await log.json()) as { events: Array<{ step: string; outcome: string; service: string }> }).events;
  t.equal(events.filter((event) => event.step === 'result' && event.outcome === 'signed-response').length, 2, 'both sessions are in the transaction log');
  t.ok(events.every((event) => event.service.length > 0), 'each names its service');
  t.notOk(JSON.stringify(events).includes('Secret-one'), 'never the password');
});
