// signEnveloped with an InclusiveNamespaces PrefixList (how every assertion is signed): the PrefixList belongs only
// under the exclusive C14N Transform (xml-crypto's signer also put it under enveloped-signature), and the signature
// must verify with our own strict verifier and only with the right key.
import t from 'tap';
import { NS, appendElement, createDocument, parseXml, serializeXml, signEnveloped, verifyEnvelopedSignature } from '../../../src/xml/index.js';
import { idpSigning, otherKey } from '../saml/fixtures.js';

const codes = { missing: 'BAD_REQUEST', structure: 'BAD_REQUEST', algorithm: 'BAD_REQUEST', invalid: 'SAML_SIGNATURE_INVALID', malformed: 'BAD_REQUEST' } as const;

function signedAssertion(): string {
  const root = createDocument(NS.saml, 'saml:Assertion', { saml: NS.saml, xs: NS.xs, xsi: NS.xsi });
  root.setAttribute('ID', '_a1');
  appendElement(root, NS.saml, 'saml:Issuer', {}, 'https://idp.test');
  appendElement(root, NS.saml, 'saml:AttributeValue', { 'xsi:type': 'xs:string' }, 'Ø & <x>', { xsi: NS.xsi });
  return signEnveloped(serializeXml(root), { rootId: '_a1', after: { namespace: NS.saml, localName: 'Issuer' }, inclusivePrefixes: ['xs'], credentials: idpSigning });
}

t.test('PrefixList only under exclusive C14N, and the signature verifies (with the right key only)', async (t) => {
  const xml = signedAssertion();
  t.equal(xml.match(/InclusiveNamespaces/g)?.length, 1);
  t.match(xml, '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>');
  t.match(xml, /<ds:Transform Algorithm="http:\/\/www\.w3\.org\/2001\/10\/xml-exc-c14n#"><ec:InclusiveNamespaces PrefixList="xs" xmlns:ec="http:\/\/www\.w3\.org\/2001\/10\/xml-exc-c14n#"\/><\/ds:Transform>/);
  const verify = (certificate: string) =>
    verifyEnvelopedSignature(parseXml(xml, { maxBytes: 1 << 20, errorCode: 'BAD_REQUEST' }), xml, { trustedCertificates: [certificate], allowSha1: false, codes, maxBytes: 1 << 20 });
  t.equal(verify(idpSigning.cert).signedRoot.getAttribute('ID'), '_a1');
  t.throws(() => verify(otherKey.cert), { code: 'SAML_SIGNATURE_INVALID' });
});
