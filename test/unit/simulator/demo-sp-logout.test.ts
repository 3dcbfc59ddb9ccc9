// Single Logout between the demo SP and the real IdP message layer (src/saml): our LogoutRequest is accepted by the
// IdP and its LogoutResponse by us; a LogoutRequest from the IdP ends the demo session and is answered with a signed
// LogoutResponse the IdP accepts; messages signed by another key or not answering our request are refused.
import t from 'tap';
import { buildLogoutRequest, buildLogoutResponse, receiveLogoutRequest, receiveLogoutResponse } from '../../../src/saml/index.js';
import { idpSigning, otherKey } from '../saml/fixtures.js';
import { bodyText, files, newDemoSp, refusalCode, registry } from './demo-sp-fixture.js';

const demoSpRegistration = () => {
  const sp = registry.byEntityId(files.spEntityId);
  if (!sp) throw new Error('demo SP not registered');
  return sp;
};

async function loggedIn() {
  const sp = newDemoSp();
  const { request, relayState } = await sp.startLogin();
  const response = await sp.postAcs(sp.loginResponse(request.requestId), relayState);
  if (response.status !== 303) throw new Error(`login failed: ${refusalCode(response)}`);
  return sp;
}

const rawQuery = (url: string) => url.slice(url.indexOf('?') + 1);
const pathAndQuery = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

t.test('SP-initiated: our LogoutRequest verifies at the IdP; its LogoutResponse ends on a logged-out page', async (t) => {
  const sp = await loggedIn();
  const logout = await sp.call('GET', '/demo/logout');
  t.equal(logout.status, 302);
  const location = logout.headers['location'] ?? '';
  t.ok(location.startsWith(`${sp.options.idpSloUrl}?SAMLRequest=`));
  const received = await receiveLogoutRequest({ binding: 'redirect', rawQueryString: rawQuery(location) }, sp.context);
  t.equal(received.sp.entityId, files.spEntityId);
  t.equal(received.nameId.format, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
  t.equal(received.nameId.spNameQualifier, files.spEntityId);
  t.equal(received.sessionIndexes.length, 1, 'SessionIndex from the assertion');
  t.notMatch(bodyText(await sp.call('GET', '/demo?lang=en')), 'You are logged in', 'the local login ends at once');

  const answer = buildLogoutResponse({
    sp: demoSpRegistration(),
    issuer: sp.context.idp.entityId,
    inResponseTo: received.requestId,
    status: 'Success',
    signing: idpSigning,
    clock: sp.clock,
    binding: 'redirect',
  });
  if (answer.binding !== 'redirect') throw new Error('expected redirect');
  const back = await sp.call('GET', pathAndQuery(answer.url));
  t.equal(back.status, 303);
  const page = bodyText(await sp.call('GET', '/demo?lang=en'));
  t.match(page, 'You are logged out');
  t.match(page, 'urn:oasis:names:tc:SAML:2.0:status:Success');

  t.equal(refusalCode(await sp.call('GET', pathAndQuery(answer.url))), 'DEMO_SP_NOT_REQUESTED', 'a second LogoutResponse answers nothing');
});

t.test('a LogoutResponse signed by another key is refused', async (t) => {
  const sp = await loggedIn();
  const location = (await sp.call('GET', '/demo/logout')).headers['location'] ?? '';
  const received = await receiveLogoutRequest({ binding: 'redirect', rawQueryString: rawQuery(location) }, sp.context);
  const forged = buildLogoutResponse({
    sp: demoSpRegistration(),
    issuer: sp.context.idp.entityId,
    inResponseTo: received.requestId,
    status: 'Success',
    signing: otherKey,
    clock: sp.clock,
    binding: 'redirect',
  });
  if (forged.binding !== 'redirect') throw new Error('expected redirect');
  t.equal(refusalCode(await sp.call('GET', pathAndQuery(forged.url))), 'DEMO_SP_SIGNATURE_INVALID');
});

for (const binding of ['redirect', 'post'] as const) {
  t.test(`IdP-initiated (${binding}): the session ends and a signed LogoutResponse goes back to the IdP`, async (t) => {
    const sp = await loggedIn();
    const shown = bodyText(await sp.call('GET', '/demo?lang=en'));
    const nameId = /<dt>NameID<\/dt><dd><code>([^<]+)<\/code>/.exec(shown)?.[1] ?? '';
    const sessionIndex = /<dt>SessionIndex<\/dt><dd><code>([^<]+)<\/code>/.exec(shown)?.[1] ?? '';
    const request = buildLogoutRequest({
      sp: demoSpRegistration(),
      issuer: sp.context.idp.entityId,
      nameId: { format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', value: nameId, nameQualifier: sp.context.idp.entityId, spNameQualifier: files.spEntityId },
      sessionIndex,
      signing: idpSigning,
      clock: sp.clock,
      binding,
    });
    const answer =
      request.binding === 'redirect' ? await sp.call('GET', pathAndQuery(request.url)) : await sp.call('POST', '/demo/slo', request.fields as Record<string, string>);
    t.equal(answer.status, 302);
    const location = answer.headers['location'] ?? '';
    const verified = await receiveLogoutResponse({ binding: 'redirect', rawQueryString: rawQuery(location) }, sp.context);
    t.equal(verified.inResponseTo, request.requestId);
    t.equal(verified.success, true);
    t.equal(verified.sp.entityId, files.spEntityId);
    const page = bodyText(await sp.call('GET', '/demo?lang=en'));
    t.notMatch(page, 'You are logged in');
    t.match(page, 'The IdP has ended your login');

    const replay =
      request.binding === 'redirect' ? await sp.call('GET', pathAndQuery(request.url)) : await sp.call('POST', '/demo/slo', request.fields as Record<string, string>);
    t.equal(refusalCode(replay), 'DEMO_SP_LOGOUT_INVALID', 'a replayed LogoutRequest is refused');
  });
}

t.test('a LogoutRequest signed by another key leaves the session alone', async (t) => {
  const sp = await loggedIn();
  const forged = buildLogoutRequest({
    sp: demoSpRegistration(),
    issuer: sp.context.idp.entityId,
    nameId: { value: 'anything' },
    signing: otherKey,
    clock: sp.clock,
  });
  if (forged.binding !== 'redirect') throw new Error('expected redirect');
  t.equal(refusalCode(await sp.call('GET', pathAndQuery(forged.url))), 'DEMO_SP_SIGNATURE_INVALID');
  t.match(bodyText(await sp.call('GET', '/demo?lang=en')), 'You are logged in');
});

t.test('logout without a session goes back to the page', async (t) => {
  const sp = newDemoSp();
  const response = await sp.call('GET', '/demo/logout');
  t.equal(response.status, 303);
  t.equal(response.headers['location'], '/demo');
});
