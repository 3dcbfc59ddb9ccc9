import t from 'tap';
import * as validator from '@authenio/samlify-node-xmllint';
import * as samlify from 'samlify';
import { loginWithSimulator, samlPostForm, SP_KEYS, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// Issue 11 item 6: samlify (2.13, with its node-xmllint schema validator) as a third independent SP library beside
// node-saml and python3-saml: login over HTTP-Redirect with a signed request and an encrypted assertion, then SLO
// with samlify's default LogoutRequest (no NameQualifier, no SPNameQualifier). docs/sp/samlify.md follows this test.

samlify.setSchemaValidator(validator);
const { binding, format: nameid } = samlify.Constants.namespace;
const ENTITY_ID = 'https://samlify.sp.test/metadata';

function samlifySp() {
  return samlify.ServiceProvider({
    entityID: ENTITY_ID,
    authnRequestsSigned: true,
    wantAssertionsSigned: true,
    wantLogoutResponseSigned: true,
    isAssertionEncrypted: true,
    privateKey: SP_KEYS.signingKey,
    signingCert: SP_KEYS.signingCert,
    encPrivateKey: SP_KEYS.encryptionKey,
    encryptCert: SP_KEYS.encryptionCert,
    requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    nameIDFormat: [nameid.persistent],
    // samlify sends AllowCreate="false" by default: a first login would then get InvalidNameIDPolicy (SAML core §3.4.1.1).
    allowCreate: true,
    assertionConsumerService: [{ Binding: binding.post, Location: 'https://samlify.sp.test/acs' }],
    singleLogoutService: [{ Binding: binding.redirect, Location: 'https://samlify.sp.test/slo' }],
  });
}

/**
 * samlify writes NameIDFormat before SingleLogoutService, which saml-schema-metadata-2.0 does not allow (the IdP's
 * registry refuses the file); the elements are moved into schema order, as docs/sp/samlify.md tells SP developers.
 */
export function schemaOrderedSamlifyMetadata(xml: string): string {
  const formats = xml.match(/<(?:md:)?NameIDFormat>[^<]*<\/(?:md:)?NameIDFormat>/g) ?? [];
  let out = xml;
  for (const format of formats) out = out.replace(format, '');
  return out.replace(/(<(?:md:)?AssertionConsumerService\b)/, `${formats.join('')}$1`);
}

let e2e: E2eService;
t.before(async () => {
  e2e = await startE2eService([], {}, [
    {
      name: 'samlify',
      metadataXml: schemaOrderedSamlifyMetadata(samlifySp().getMetadata()),
      policy: { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], attributeProfile: 'oiosaml3', nameIdFormat: 'persistent' },
    },
  ]);
});
t.teardown(() => e2e?.close());

async function idpEntity() {
  // Our metadata, imported unchanged; samlify decrypts only when the IdP entity says assertions are encrypted.
  const metadata = await (await fetch(`${e2e.baseUrl}/saml/metadata`)).text();
  return samlify.IdentityProvider({ metadata, isAssertionEncrypted: true, wantLogoutRequestSigned: true });
}

/** The raw query of a Redirect-binding URL, as samlify's redirect parser wants it (octetString). */
function redirectRequest(url: string) {
  const parsed = new URL(url);
  const raw = parsed.search.slice(1);
  const parts = Object.fromEntries(raw.split('&').map((pair) => pair.split('=') as [string, string]));
  const octetString = ['SAMLResponse', 'RelayState', 'SigAlg'].filter((k) => parts[k] !== undefined).map((k) => `${k}=${parts[k]}`).join('&');
  return { query: Object.fromEntries(parsed.searchParams), octetString };
}

t.test('samlify: SP-initiated login (Redirect, signed) and SLO with its default LogoutRequest', async (t) => {
  const sp = samlifySp();
  const idp = await idpEntity();
  const browser = new TestBrowser();
  const { context: loginUrl } = sp.createLoginRequest(idp, 'redirect') as { context: string };
  const page = await browser.request(loginUrl);
  t.equal(page.status, 200);
  const answer = await loginWithSimulator(browser, e2e, page, 'employee');
  const form = samlPostForm(answer.text);
  t.equal(form.action, 'https://samlify.sp.test/acs');
  t.match(Buffer.from(form.SAMLResponse, 'base64').toString('utf8'), /EncryptedAssertion/);
  const login = await sp.parseLoginResponse(idp, 'post', { body: { SAMLResponse: form.SAMLResponse } });
  const extract = login.extract as { nameID: string; sessionIndex: { sessionIndex: string }; attributes: Record<string, string> };
  t.match(extract.nameID, /^https:\/\/data\.gov\.dk\/model\/core\/eid\/professional\/uuid\//, 'oiosaml3 persistent NameID for an employee');
  t.equal(extract.attributes['https://data.gov.dk/model/core/eid/professional/cvr'], '99990031');
  t.ok(extract.sessionIndex.sessionIndex, 'a SessionIndex');

  const { context: logoutUrl } = sp.createLogoutRequest(idp, 'redirect', { logoutNameID: extract.nameID, sessionIndex: extract.sessionIndex.sessionIndex }) as { context: string };
  const logoutXml = (await import('node:zlib')).inflateRawSync(Buffer.from(new URL(logoutUrl).searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  t.notMatch(logoutXml, /NameQualifier/, "samlify's default LogoutRequest carries no qualifiers");
  const back = await browser.request(logoutUrl);
  t.match(back.url, /^https:\/\/samlify\.sp\.test\/slo\?SAMLResponse=/, 'the LogoutResponse goes to the SP on Redirect');
  const logout = await sp.parseLogoutResponse(idp, 'redirect', redirectRequest(back.url));
  // samlify verifies the Redirect signature against our metadata and throws on any status but Success.
  t.match(logout.samlContent, /<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2\.0:status:Success"\/>/, 'samlify accepted a signed Success');
  t.equal(logout.sigAlg, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
  t.notOk(browser.cookies(new URL(e2e.baseUrl).host).has('nemid_idp_session'), 'the IdP session ended');
});
