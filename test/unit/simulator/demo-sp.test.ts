// The demo SP against the real IdP message layer (src/saml) and the real demo SP registration in metadata/: its
// requests verify (recomputed with node:crypto and accepted by the IdP), a genuine response logs in and shows the
// attributes, and tampered, unrequested, replayed, foreign-signed and expired responses are refused with their codes.
import t from 'tap';
import { createVerify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { buildErrorResponse, receiveAuthnRequest } from '../../../src/saml/index.js';
import { NS, appendEncryptedData, decryptEncryptedData, parseXml, serializeXml, childElements, RSA_OAEP_MGF1P, AES256_GCM } from '../../../src/xml/index.js';
import { samlId } from '../../../src/shared/index.js';
import { idpSigning, otherKey, privateSubject } from '../saml/fixtures.js';
import { IDP, bodyText, encryptionCert, files, newDemoSp, refusalCode, registry, spSigningCert } from './demo-sp-fixture.js';

t.test('GET /demo/login: a Redirect AuthnRequest whose signature covers the exact query octets', async (t) => {
  const sp = newDemoSp();
  const response = await sp.call('GET', '/demo/login');
  t.equal(response.status, 302);
  t.match(response.headers['set-cookie'], /^demo_sp_session=[A-Za-z0-9_-]{22}; Path=\/demo; HttpOnly; SameSite=Lax$/);
  const location = response.headers['location'] ?? '';
  t.ok(location.startsWith(`${IDP.baseUrl}/saml/sso?SAMLRequest=`), 'to the IdP SSO endpoint');
  const query = location.slice(location.indexOf('?') + 1);
  const [signed, signature] = query.split('&Signature=');
  t.match(signed, /^SAMLRequest=[^&]+&RelayState=[0-9a-f]{32}&SigAlg=http%3A%2F%2Fwww\.w3\.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256$/);
  const verifier = createVerify('RSA-SHA256');
  verifier.update(signed ?? '');
  t.ok(verifier.verify(spSigningCert, Buffer.from(decodeURIComponent(signature ?? ''), 'base64')), 'RSA-SHA256 over the octets as sent');

  const xml = inflateRawSync(Buffer.from(decodeURIComponent(/SAMLRequest=([^&]+)/.exec(query)?.[1] ?? ''), 'base64')).toString('utf8');
  const root = parseXml(xml, { maxBytes: 1 << 16, errorCode: 'BAD_REQUEST' }).documentElement as Element;
  t.equal(root.localName, 'AuthnRequest');
  t.equal(root.getAttribute('Destination'), `${IDP.baseUrl}/saml/sso`);
  t.equal(root.getAttribute('AssertionConsumerServiceURL'), files.acsUrl);
  t.equal(root.getAttribute('ProtocolBinding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
  t.equal(root.getAttribute('IssueInstant'), '2026-01-15T10:00:00Z');
  t.match(root.getAttribute('ID'), /^_[0-9a-f]{32}$/);
  t.notOk(root.hasAttribute('ForceAuthn'));
  const policy = childElements(root, NS.samlp, 'NameIDPolicy')[0];
  t.equal(policy?.getAttribute('Format'), 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
  t.equal(policy?.getAttribute('AllowCreate'), 'true');
  const context = childElements(root, NS.samlp, 'RequestedAuthnContext')[0];
  t.equal(context?.getAttribute('Comparison'), 'exact');
  t.match(xml, '<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:X509</saml:AuthnContextClassRef>');
});

t.test('the IdP accepts both request bindings, with ForceAuthn and IsPassive passed through', async (t) => {
  const sp = newDemoSp();
  const redirect = await sp.startLogin('?force=1');
  t.equal(redirect.request.sp.entityId, files.spEntityId);
  t.equal(redirect.request.deferredError, undefined);
  t.equal(redirect.request.acs.url, files.acsUrl);
  t.equal(redirect.request.forceAuthn, true);
  t.equal(redirect.request.relayState, redirect.relayState);

  const page = await sp.call('GET', '/demo/login?binding=post&passive=1');
  t.equal(page.status, 200);
  t.match(page.headers['content-security-policy'], /script-src 'nonce-[^']+'/);
  t.match(page.headers['content-security-policy'], /form-action 'self'/);
  const html = bodyText(page);
  t.match(html, `action="${IDP.baseUrl}/saml/sso"`);
  t.notMatch(html, /\son[a-z]+=/, 'no inline handlers');
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';
  const request = await receiveAuthnRequest({ binding: 'post', form: { SAMLRequest: field('SAMLRequest'), RelayState: field('RelayState') } }, sp.context);
  t.equal(request.requestBinding, 'post');
  t.equal(request.isPassive, true);
  t.equal(request.deferredError, undefined);
  const signedXml = Buffer.from(field('SAMLRequest'), 'base64').toString('utf8');
  t.match(signedXml, /<saml:Issuer>[^<]+<\/saml:Issuer><ds:Signature/, 'Signature right after Issuer');
});

t.test('a genuine response logs in; the page shows NameID and every attribute; a replay is refused', async (t) => {
  const sp = newDemoSp();
  const { request, relayState } = await sp.startLogin();
  const before = sp.cookie();
  const xml = sp.loginResponse(request.requestId);
  const accepted = await sp.postAcs(xml, relayState);
  t.equal(accepted.status, 303);
  t.equal(accepted.headers['location'], '/demo');
  t.not(sp.cookie(), before, 'session id rotated at login');

  const page = bodyText(await sp.call('GET', '/demo?lang=en'));
  t.match(page, 'You are logged in');
  t.match(page, 'SIMULATOR');
  t.match(page, '<code>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</code>');
  t.match(page, `<code>${IDP.entityId}</code>`, 'NameQualifier');
  for (const name of ['dk:gov:saml:attribute:SpecVer', 'urn:oid:2.5.4.3', 'dk:gov:saml:attribute:CprNumberIdentifier', 'dk:gov:saml:attribute:PidNumberIdentifier']) {
    t.match(page, `<code>${name}</code>`, `attribute ${name}`);
  }
  t.match(page, `<code>${privateSubject.commonName}</code>`);
  t.match(page, `<code>${privateSubject.cpr}</code>`, 'CPR released in the encrypted assertion');
  t.match(page, 'href="http://localhost:8081/developers/"');
  t.match(page, 'id="logout"');
  t.notMatch(JSON.stringify(sp.logs), privateSubject.cpr ?? 'x', 'no CPR in the log');

  const replay = await sp.postAcs(xml, relayState);
  t.equal(replay.status, 400);
  t.equal(refusalCode(replay), 'DEMO_SP_NOT_REQUESTED');
  sp.setCookie(undefined);
  t.equal(refusalCode(await sp.postAcs(xml, relayState)), 'DEMO_SP_NOT_REQUESTED', 'from another browser too');
});

t.test('Danish is the default language', async (t) => {
  const sp = newDemoSp();
  const page = bodyText(await sp.call('GET', '/demo'));
  t.match(page, '<html lang="da">');
  t.match(page, 'Log på med NemID');
  t.match(page, 'href="/demo?lang=en"');
});

t.test('refused: wrong InResponseTo, another browser, wrong RelayState, wrong Destination', async (t) => {
  const sp = newDemoSp();
  const { request, relayState } = await sp.startLogin();
  t.equal(refusalCode(await sp.postAcs(sp.loginResponse(samlId()), relayState)), 'DEMO_SP_NOT_REQUESTED');
  const good = sp.loginResponse(request.requestId);
  const mine = sp.cookie();
  sp.setCookie(undefined);
  t.equal(refusalCode(await sp.postAcs(good, relayState)), 'DEMO_SP_NOT_REQUESTED', 'cookie-less browser');
  sp.setCookie(mine);

  const second = await sp.startLogin();
  t.equal(refusalCode(await sp.postAcs(sp.loginResponse(second.request.requestId), 'other')), 'DEMO_SP_NOT_REQUESTED');

  const third = await sp.startLogin();
  const wrongDestination = sp.loginResponse(third.request.requestId).replace(`Destination="${files.acsUrl}"`, 'Destination="http://localhost:8080/other/acs"');
  t.equal(refusalCode(await sp.postAcs(wrongDestination, third.relayState)), 'DEMO_SP_DESTINATION_INVALID');
});

/** Replaces the EncryptedAssertion of `responseXml` by `assertionXml` encrypted to the demo SP. */
function reencrypt(responseXml: string, edit: (assertion: string) => string): string {
  const document = parseXml(responseXml, { maxBytes: 1 << 20, errorCode: 'BAD_REQUEST' });
  const holder = childElements(document.documentElement as Element, NS.saml, 'EncryptedAssertion')[0] as Element;
  const assertion = decryptEncryptedData(holder, { privateKey: files.encryptionKeyPem, errorCode: 'BAD_REQUEST' });
  while (holder.firstChild) holder.removeChild(holder.firstChild);
  appendEncryptedData(holder, edit(assertion), { recipientCertificate: encryptionCert, content: AES256_GCM, keyTransport: RSA_OAEP_MGF1P });
  return serializeXml(document.documentElement as Element);
}

t.test('refused: tampered assertion, tampered ciphertext, another signing key, a plain assertion', async (t) => {
  const sp = newDemoSp();
  let login = await sp.startLogin();
  const tampered = reencrypt(sp.loginResponse(login.request.requestId), (a) => a.replace(privateSubject.commonName, 'Mallory'));
  t.equal(refusalCode(await sp.postAcs(tampered, login.relayState)), 'DEMO_SP_SIGNATURE_INVALID');

  login = await sp.startLogin();
  const xml = sp.loginResponse(login.request.requestId);
  const values = [...xml.matchAll(/<xenc:CipherValue>([^<]+)<\/xenc:CipherValue>/g)].map((m) => m[1] ?? '');
  const data = Buffer.from(values[1] ?? '', 'base64');
  data[40] = (data[40] ?? 0) ^ 1;
  t.equal(refusalCode(await sp.postAcs(xml.replace(values[1] ?? '', data.toString('base64')), login.relayState)), 'DEMO_SP_DECRYPTION_FAILED');

  login = await sp.startLogin();
  t.equal(refusalCode(await sp.postAcs(sp.loginResponse(login.request.requestId, otherKey), login.relayState)), 'DEMO_SP_SIGNATURE_INVALID');

  login = await sp.startLogin();
  const assertion = decryptEncryptedData(
    childElements(parseXml(sp.loginResponse(login.request.requestId), { maxBytes: 1 << 20, errorCode: 'BAD_REQUEST' }).documentElement as Element, NS.saml, 'EncryptedAssertion')[0] as Element,
    { privateKey: files.encryptionKeyPem, errorCode: 'BAD_REQUEST' },
  );
  const plain = sp.loginResponse(login.request.requestId).replace(/<saml:EncryptedAssertion>[\s\S]*<\/saml:EncryptedAssertion>/, assertion.replace(/^<\?xml[^>]*>/, ''));
  t.equal(refusalCode(await sp.postAcs(plain, login.relayState)), 'DEMO_SP_ASSERTION_INVALID', 'no downgrade to a plain assertion');

  login = await sp.startLogin();
  const audience = reencrypt(sp.loginResponse(login.request.requestId), (a) => a.replace(`<saml:Audience>${files.spEntityId}</saml:Audience>`, '<saml:Audience>https://other.example/</saml:Audience>'));
  t.equal(refusalCode(await sp.postAcs(audience, login.relayState)), 'DEMO_SP_SIGNATURE_INVALID', 'an edited audience breaks the signature first');
  t.equal(sp.logs.filter((entry) => entry.fields['event'] === 'demo_sp.refused').length, 5);
});

t.test('refused: an assertion past NotOnOrAfter + 60 s; accepted just inside the skew', async (t) => {
  const sp = newDemoSp();
  let login = await sp.startLogin();
  let xml = sp.loginResponse(login.request.requestId);
  sp.clock.advance(6 * 60_000 + 1_000);
  t.equal(refusalCode(await sp.postAcs(xml, login.relayState)), 'DEMO_SP_ASSERTION_INVALID');

  login = await sp.startLogin();
  xml = sp.loginResponse(login.request.requestId);
  sp.clock.advance(5 * 60_000 + 59_000);
  t.equal((await sp.postAcs(xml, login.relayState)).status, 303);
});

t.test('an error Response shows its status codes and StatusMessage; an unsigned one is refused', async (t) => {
  const sp = newDemoSp();
  const { request, relayState } = await sp.startLogin();
  const sp0 = registry.byEntityId(files.spEntityId);
  if (!sp0) throw new Error('not registered');
  const { xml } = buildErrorResponse({
    sp: sp0,
    acs: request.acs,
    issuer: IDP.entityId,
    inResponseTo: request.requestId,
    code: 'NEMID_USER_CANCELLED',
    signing: idpSigning,
    clock: sp.clock,
  });
  const response = await sp.postAcs(xml, relayState);
  t.equal(response.status, 303);
  const page = bodyText(await sp.call('GET', '/demo?lang=en'));
  t.match(page, 'You were not logged in');
  t.match(page, '<code>urn:oasis:names:tc:SAML:2.0:status:Responder</code> / <code>urn:oasis:names:tc:SAML:2.0:status:AuthnFailed</code>');
  t.match(page, '<code>NEMID_USER_CANCELLED</code>');
  t.notMatch(bodyText(await sp.call('GET', '/demo?lang=en')), 'did not give access', 'the notice is shown once');

  const second = await sp.startLogin();
  const unsigned = buildErrorResponse({ sp: sp0, acs: second.request.acs, issuer: IDP.entityId, inResponseTo: second.request.requestId, code: 'NEMID_USER_CANCELLED', signing: idpSigning, clock: sp.clock })
    .xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
  t.equal(refusalCode(await sp.postAcs(unsigned, second.relayState)), 'DEMO_SP_SIGNATURE_INVALID');
});

t.test('IdP-initiated: accepted once, the replay refused; refused when unsolicited responses are off', async (t) => {
  const sp = newDemoSp();
  const xml = sp.loginResponse(undefined);
  t.equal((await sp.postAcs(xml)).status, 303);
  t.match(bodyText(await sp.call('GET', '/demo?lang=en')), '— (IdP-initiated)');
  t.equal(refusalCode(await sp.postAcs(xml)), 'DEMO_SP_ASSERTION_REPLAYED');

  const strict = newDemoSp({ acceptUnsolicited: false });
  t.equal(refusalCode(await strict.postAcs(strict.loginResponse(undefined))), 'DEMO_SP_NOT_REQUESTED');
});

t.test('malformed input ends on a clear page with its code', async (t) => {
  const sp = newDemoSp();
  t.equal(refusalCode(await sp.call('POST', '/demo/acs', {})), 'DEMO_SP_MESSAGE_MALFORMED');
  t.equal(refusalCode(await sp.call('POST', '/demo/acs', { SAMLResponse: '%%%' })), 'DEMO_SP_MESSAGE_MALFORMED');
  const doctype = '<!DOCTYPE x [<!ENTITY a "b">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>';
  t.equal(refusalCode(await sp.postAcs(doctype)), 'DEMO_SP_MESSAGE_MALFORMED');
  const page = await sp.postAcs('<x/>');
  t.equal(page.status, 400);
  t.match(page.headers['content-security-policy'], "frame-ancestors 'none'");
  t.equal(refusalCode(page), 'DEMO_SP_MESSAGE_MALFORMED');
});
