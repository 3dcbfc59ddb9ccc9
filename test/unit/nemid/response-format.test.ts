import t from 'tap';
import { createHash, createPublicKey, verify, constants } from 'node:crypto';
import { parseXml, childElements, NS, canonicalizeInclusive, readEnvelopingSignature, verifyEnvelopingSignature } from '../../../src/xml/index.js';
import { loginProperties, objectXml, serializeOcesResponse, signOcesResponse, type ResponseProperty } from '../../../src/nemid/index.js';
import { ppCertDer, ppKey, ppResponse, trustDer } from './pp-fixtures.js';

// The §9 golden test: fed a real response's certificates, properties and SignatureValue, the serialiser must write
// that response byte for byte. Inputs are read from the file through the DOM, never by copying its text.

function inputsOf(xml: Buffer) {
  const document = parseXml(xml, { maxBytes: 65536, errorCode: 'NEMID_RESPONSE_MALFORMED' });
  const signature = childElements(document.documentElement, NS.ds, 'Signature')[0] as Element;
  const parts = readEnvelopingSignature(document, signature, 'ToBeSigned', { malformed: 'NEMID_RESPONSE_MALFORMED', invalid: 'NEMID_SIGNATURE_INVALID' });
  const container = childElements(parts.object)[0] as Element;
  const properties: ResponseProperty[] = childElements(container).map((property) => {
    const [name, value] = childElements(property) as [Element, Element];
    const encoding = value.getAttribute('Encoding') as 'xml' | 'base64';
    const text = value.textContent ?? '';
    return {
      name: name.textContent ?? '',
      value: encoding === 'base64' ? Buffer.from(text, 'base64').toString('utf8') : text,
      encoding,
      visibleToSigner: value.getAttribute('VisibleToSigner') === 'yes',
    };
  });
  return { parts, properties };
}

for (const [file, client] of [
  ['XMLDSigMessage-POCES.xml', 'js'],
  ['XMLDSigMessage-POCES-encoding-base64.xml', 'js'],
  ['XMLDSigMessage-POCES-with-challenge.xml', 'js'],
  ['XMLDSigMessage-MOCES.xml', 'codefile'],
] as const) {
  t.test(`golden: ${file} is reproduced byte for byte`, async (t) => {
    const original = ppResponse(file);
    const { parts, properties } = inputsOf(original);
    const digestValue = createHash('sha256').update(objectXml(client, properties), 'utf8').digest();
    t.same(digestValue, parts.digestValue, 'the written Object is what was digested');
    const written = serializeOcesResponse({
      client,
      properties,
      digestValue,
      signatureValue: parts.signatureValue,
      certificates: parts.keyInfoCertificates,
    });
    t.equal(written, original.toString('utf8'));
  });
}

t.test('the written Object and SignedInfo are already in inclusive C14N form', async (t) => {
  const properties = loginProperties('js', {
    requestIssuer: 'Kommune <&> "Æblegård"',
    signProperties: [['challenge', '0123456789abcdef0123456789abcdef']],
    timestamp: { sent: 'MjAyMS0wNS0xMyAxMjowMDowMCswMDAw', encoding: 'base64' },
    identityAssuranceLevel: '2',
  });
  const xml = signOcesResponse({
    client: 'js',
    leafKey: ppKey('nemid-MOCES-employee-valid'),
    certificates: {
      leaf: ppCertDer('nemid-MOCES-employee-valid'),
      issuingCa: trustDer('TRUST2408-Systemtest-XXII-CA.cert.pem'),
      root: trustDer('TRUST2408-Systemtest-VII-Primary-CA.cert.pem'),
    },
    properties,
  });
  const document = parseXml(xml, { maxBytes: 65536, errorCode: 'NEMID_RESPONSE_MALFORMED' });
  const signature = childElements(document.documentElement, NS.ds, 'Signature')[0] as Element;
  const parts = readEnvelopingSignature(document, signature, 'ToBeSigned', { malformed: 'NEMID_RESPONSE_MALFORMED', invalid: 'NEMID_SIGNATURE_INVALID' });
  t.ok(xml.includes(canonicalizeInclusive(parts.object)), 'Object bytes equal their canonical form');
  t.ok(xml.includes(canonicalizeInclusive(parts.signedInfo)), 'SignedInfo bytes equal their canonical form');
  const leafKey = createPublicKey(ppKey('nemid-MOCES-employee-valid'));
  const verified = verifyEnvelopingSignature(parts, leafKey, { malformed: 'NEMID_RESPONSE_MALFORMED', invalid: 'NEMID_SIGNATURE_INVALID' });
  t.ok(verify('sha256', Buffer.from(canonicalizeInclusive(parts.signedInfo)), { key: leafKey, padding: constants.RSA_PKCS1_PADDING }, verified.signatureValue));
  t.same(parts.keyInfoCertificates[1], ppCertDer('nemid-MOCES-employee-valid'), 'JS order: CA, user, root');
  t.notOk(xml.endsWith('\n'), 'no final newline');
  t.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8" ?>\n'));
});

t.test('CodeFile layout: OpensignSignature, base64 action, SIGNTEXT, no TimeStamp, user first', async (t) => {
  const properties = loginProperties('codefile', { requestIssuer: 'Rently API', signtext: 'OpenLogon 5/11/21 9:30 PM' });
  t.same(properties.map((p) => `${p.name}:${p.encoding}`), ['RequestIssuer:base64', 'SIGNTEXT:base64', 'action:base64']);
  const xml = signOcesResponse({
    client: 'codefile',
    leafKey: ppKey('nemid-MOCES-employee-valid'),
    certificates: { leaf: ppCertDer('nemid-MOCES-employee-valid'), issuingCa: trustDer('TRUST2408-Systemtest-XXII-CA.cert.pem') },
    properties,
  });
  // The real CodeFile response was signed by this same leaf with these properties: PKCS#1 v1.5 is deterministic,
  // so the SignedInfo, SignatureValue and Object must equal the real ones.
  const real = ppResponse('XMLDSigMessage-MOCES.xml').toString('utf8');
  const signatureValue = (s: string) => /<ds:SignatureValue>\n([^<]+)\n<\/ds:SignatureValue>/.exec(s)?.[1];
  t.equal(signatureValue(xml), signatureValue(real));
  t.ok(xml.includes('Id="OpensignSignature"'));
});
