import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loginWithSimulator, samlPostForm, SP_KEYS, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// A second independent SP library: OneLogin's python3-saml (Debian python3-onelogin-saml2), in strict mode with
// signed requests and signed, encrypted assertions required. It writes its own metadata, signs its own Redirect
// AuthnRequest, and must accept what we answer.

const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(import.meta.dirname, '../helpers/python3-saml-sp.py');
const probe = () => {
  try {
    execFileSync(PYTHON, ['-c', 'import onelogin.saml2'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
if (!existsSync(PYTHON) || !probe()) throw new Error('python3-onelogin-saml2 is missing: .ci/run installs it from Debian');

const ENTITY = 'https://pyshop.sp.test/metadata';
const ACS = 'https://pyshop.sp.test/acs';

function python<T>(command: Record<string, unknown>): T {
  return JSON.parse(execFileSync(PYTHON, [SCRIPT], { input: JSON.stringify(command), encoding: 'utf8' })) as T;
}

function settings(idp: { entityId: string; sso: string; cert: string }) {
  return {
    strict: true,
    debug: false,
    sp: {
      entityId: ENTITY,
      assertionConsumerService: { url: ACS, binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST' },
      NameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      x509cert: SP_KEYS.encryptionCert,
      privateKey: SP_KEYS.encryptionKey,
    },
    idp: { entityId: idp.entityId, singleSignOnService: { url: idp.sso, binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect' }, x509cert: idp.cert },
    security: {
      authnRequestsSigned: true,
      wantAssertionsSigned: true,
      wantAssertionsEncrypted: true,
      wantMessagesSigned: false,
      wantNameId: true,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      requestedAuthnContext: ['urn:oasis:names:tc:SAML:2.0:ac:classes:X509'],
    },
  };
}

let e2e: E2eService;
t.before(async () => {
  const metadata = python<{ metadata: string }>({ mode: 'metadata', settings: settings({ entityId: 'https://idp.invalid', sso: 'https://idp.invalid/sso', cert: SP_KEYS.signingCert }) }).metadata;
  e2e = await startE2eService([], {}, [
    { name: 'pyshop', metadataXml: metadata, policy: { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' } },
  ]);
});
t.teardown(() => e2e?.close());

t.test('python3-saml (strict) accepts our signed, encrypted assertion for its own signed request', async (t) => {
  const idp = { entityId: e2e.service.config.idp.entityId, sso: `${e2e.baseUrl}/saml/sso`, cert: e2e.service.config.idp.signing.certPem };
  const login = python<{ url: string; requestId: string }>({ mode: 'login', settings: settings(idp), relayState: 'py-relay' });
  const browser = new TestBrowser();
  const loginPage = await browser.request(login.url);
  t.match(loginPage.url, /\/login\//, 'its signed Redirect request was accepted');
  const answer = await loginWithSimulator(browser, e2e, loginPage, 'citizen');
  const form = samlPostForm(answer.text);
  t.equal(form.action, ACS);
  const result = python<{ ok: boolean; errors: string[]; reason: string | null; nameId: string; attributes: Record<string, string[]> }>({
    mode: 'acs',
    settings: settings(idp),
    requestId: login.requestId,
    acsHost: 'pyshop.sp.test',
    acsPath: '/acs',
    post: { SAMLResponse: form.SAMLResponse, RelayState: form.RelayState ?? '' },
  });
  t.same(result.errors, [], result.reason ?? 'no errors');
  t.ok(result.ok, 'authenticated');
  t.match(result.nameId, /^[0-9a-f-]{36}$/);
  t.match(result.attributes['urn:oid:0.9.2342.19200300.100.1.1']?.[0], /^PID:9999-2002-2-/);
  t.equal(result.attributes['dk:gov:saml:attribute:SpecVer']?.[0], 'DK-SAML-2.0');
});
