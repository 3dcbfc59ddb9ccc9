// One named fixture per security rule of saml-profile.md §9 (issue 3 "Must show"), each asserting the catalogue
// code. Every refusal here is thrown before the ACS is verified, so nothing can be sent to any ACS: the only
// outcome of receiveAuthnRequest is a thrown IdpError (local error page) or a VerifiedAuthnRequest.
import t from 'tap';
import { FixedClock } from '../../../src/shared/index.js';
import { loadSpRegistry, receiveAuthnRequest, type SamlContext } from '../../../src/saml/index.js';
import { IDP, VALID_REGISTRY_DIR, fixture } from './fixtures.js';

const manifest = JSON.parse(fixture('requests/manifest.json')) as { madeAt: string; validRequestId: string };
const { registry } = await loadSpRegistry({ dir: VALID_REGISTRY_DIR, environment: 'production', idp: IDP });
const context = (offsetSeconds = 0): SamlContext => {
  const clock = new FixedClock(manifest.madeAt);
  clock.advance(offsetSeconds * 1000);
  return { registry, idp: IDP, clock, skewSeconds: 180 };
};
const post = (name: string) => ({ binding: 'post' as const, form: { SAMLRequest: Buffer.from(fixture(`requests/${name}`)).toString('base64') } });
const redirect = (name: string) => ({ binding: 'redirect' as const, rawQueryString: fixture(`requests/${name}`) });

t.test('legitimate node-saml requests are accepted (the baseline every attack is derived from)', async (t) => {
  const viaPost = await receiveAuthnRequest(post('authn-request.post.valid.xml'), context());
  t.equal(viaPost.requestId, manifest.validRequestId);
  t.equal(viaPost.acs.url, 'https://sp.test/acs');
  t.equal(viaPost.deferredError, undefined);
  const viaRedirect = await receiveAuthnRequest(redirect('authn-request.redirect.valid.query'), context());
  t.equal(viaRedirect.relayState, 'relay-1');
  t.equal(viaRedirect.requestBinding, 'redirect');
  t.equal(viaRedirect.deferredError, undefined);
  const eighty = await receiveAuthnRequest(redirect('authn-request.redirect.relay-state-80-bytes.query'), context());
  t.equal(eighty.relayState, 'r'.repeat(80));
});

const cases: [string, () => ReturnType<typeof receiveAuthnRequest>, string][] = [
  ['unknown issuer', () => receiveAuthnRequest(post('authn-request.post.unknown-issuer.xml'), context()), 'SAML_ISSUER_UNKNOWN'],
  ['ACS not in metadata (no POST to it: thrown before the ACS is verified)', () => receiveAuthnRequest(post('authn-request.post.acs-not-in-metadata.xml'), context()), 'SAML_ACS_UNKNOWN'],
  ['IssueInstant too old (181 s)', () => receiveAuthnRequest(post('authn-request.post.valid.xml'), context(181)), 'SAML_ISSUE_INSTANT_INVALID'],
  ['IssueInstant in the future (181 s)', () => receiveAuthnRequest(post('authn-request.post.valid.xml'), context(-181)), 'SAML_ISSUE_INSTANT_INVALID'],
  ['unsigned POST request', () => receiveAuthnRequest(post('authn-request.post.unsigned.xml'), context()), 'SAML_SIGNATURE_MISSING'],
  ['unsigned Redirect request', () => receiveAuthnRequest(redirect('authn-request.redirect.unsigned.query'), context()), 'SAML_SIGNATURE_MISSING'],
  ['SHA-1 POST signature (allowSha1 false)', () => receiveAuthnRequest(post('authn-request.post.sha1-signature.xml'), context()), 'SAML_SIGNATURE_ALGORITHM_REFUSED'],
  ['SHA-1 Redirect signature (allowSha1 false)', () => receiveAuthnRequest(redirect('authn-request.redirect.sha1-signature.query'), context()), 'SAML_SIGNATURE_ALGORITHM_REFUSED'],
  ['POST signature by a key not in metadata', () => receiveAuthnRequest(post('authn-request.post.key-not-in-metadata.xml'), context()), 'SAML_SIGNATURE_INVALID'],
  ['Redirect signature by a key not in metadata', () => receiveAuthnRequest(redirect('authn-request.redirect.key-not-in-metadata.query'), context()), 'SAML_SIGNATURE_INVALID'],
  ['Redirect RelayState changed after signing', () => receiveAuthnRequest(redirect('authn-request.redirect.tampered-relay-state.query'), context()), 'SAML_SIGNATURE_INVALID'],
  ['wrapping: signed request moved under Extensions of a new root', () => receiveAuthnRequest(post('authn-request.post.wrapped-under-extensions.xml'), context()), 'SAML_SCHEMA_INVALID'],
  ['wrapping: second Signature', () => receiveAuthnRequest(post('authn-request.post.wrapped-second-signature.xml'), context()), 'SAML_SIGNATURE_STRUCTURE_INVALID'],
  ['wrapping: Reference to a non-root ID', () => receiveAuthnRequest(post('authn-request.post.reference-to-non-root.xml'), context()), 'SAML_SIGNATURE_STRUCTURE_INVALID'],
  ['comment injected into the Issuer', () => receiveAuthnRequest(post('authn-request.post.comment-in-issuer.xml'), context()), 'SAML_XML_FORBIDDEN'],
  ['DOCTYPE with an entity', () => receiveAuthnRequest(post('authn-request.post.doctype-entity.xml'), context()), 'SAML_XML_FORBIDDEN'],
  ['Redirect payload inflating to 10 MiB', () => receiveAuthnRequest(redirect('authn-request.redirect.deflate-bomb-10mib.query'), context()), 'SAML_REQUEST_TOO_LARGE'],
  ['RelayState of 81 bytes', () => receiveAuthnRequest(redirect('authn-request.redirect.relay-state-81-bytes.query'), context()), 'SAML_RELAY_STATE_INVALID'],
];

for (const [name, attempt, code] of cases) {
  t.test(name, async (t) => {
    await t.rejects(attempt(), { name: 'IdpError', code });
  });
}

t.test('the Extensions-wrapped shape is refused by our own signature checks too, not only by the schema', async (t) => {
  const { parseXml, verifyEnvelopedSignature } = await import('../../../src/xml/index.js');
  const xml = fixture('requests/authn-request.post.wrapped-under-extensions.xml');
  const document = parseXml(xml, { maxBytes: 1 << 20, errorCode: 'SAML_XML_FORBIDDEN' });
  const sp = registry.byEntityId('https://sp.test/metadata');
  t.throws(
    () =>
      verifyEnvelopedSignature(document, xml, {
        trustedCertificates: sp?.signingCertificates ?? [],
        allowSha1: false,
        maxBytes: 1 << 20,
        codes: { missing: 'SAML_SIGNATURE_MISSING', structure: 'SAML_SIGNATURE_STRUCTURE_INVALID', algorithm: 'SAML_SIGNATURE_ALGORITHM_REFUSED', invalid: 'SAML_SIGNATURE_INVALID', malformed: 'SAML_XML_FORBIDDEN' },
      }),
    { code: 'SAML_SIGNATURE_STRUCTURE_INVALID' },
  );
});

t.test('issuer compared exactly (issue 16 item 8): white space around a registered entityID is refused with its own code', async (t) => {
  const valid = fixture('requests/authn-request.post.valid.xml');
  const padded = valid.replace(/(<saml:Issuer[^>]*>)([^<]+)(<\/saml:Issuer>)/, '$1 $2\n$3');
  t.not(padded, valid, 'fixture rewritten');
  const form = { SAMLRequest: Buffer.from(padded).toString('base64') };
  await t.rejects(receiveAuthnRequest({ binding: 'post', form }, context()), { code: 'SAML_ISSUER_NOT_EXACT' });
  const other = valid.replace(/(<saml:Issuer[^>]*>)([^<]+)(<\/saml:Issuer>)/, '$1 https://nobody.test/metadata $3');
  await t.rejects(receiveAuthnRequest({ binding: 'post', form: { SAMLRequest: Buffer.from(other).toString('base64') } }, context()), { code: 'SAML_ISSUER_UNKNOWN' });
});

t.test('cheap checks first (issue 16 item 9): issuer and signature presence are judged before the schema', async (t) => {
  const valid = fixture('requests/authn-request.post.valid.xml');
  const unsigned = valid.replace(/<Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#">[\s\S]*<\/Signature>/, '');
  t.not(unsigned, valid, 'signature removed');
  // Schema-invalid as well: an element the protocol schema does not know, right inside the root.
  const invalid = unsigned.replace(/(<saml:Issuer[^>]*>[^<]*<\/saml:Issuer>)/, '$1<bogus xmlns="urn:x"/>');
  const post = (xml: string) => receiveAuthnRequest({ binding: 'post', form: { SAMLRequest: Buffer.from(xml).toString('base64') } }, context());
  await t.rejects(post(invalid.replace(/https:\/\/sp\.test\/metadata/, 'https://nobody.test/metadata')), { code: 'SAML_ISSUER_UNKNOWN' }, 'an unknown issuer, before the schema');
  await t.rejects(post(invalid), { code: 'SAML_SIGNATURE_MISSING' }, 'no signature, before the schema');
  const signedButInvalid = valid.replace(/(<\/Signature>)/, '$1<bogus xmlns="urn:x"/>');
  await t.rejects(post(signedButInvalid), { code: 'SAML_SCHEMA_INVALID' }, 'schema before the signature is verified');
});
