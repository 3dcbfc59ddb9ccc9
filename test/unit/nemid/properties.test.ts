import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { parseXml, childElements, NS, readEnvelopingSignature, verifyEnvelopingSignature } from '../../../src/xml/index.js';
import {
  checkAction,
  checkChallenge,
  checkRequestIssuer,
  checkTimestamp,
  loginProperties,
  signOcesResponse,
  verifyNemidResponse,
  type ResponseProperty,
} from '../../../src/nemid/index.js';
import { readSignedProperties } from '../../../src/nemid/response/properties.js';
import { codeOf, codeOfAsync } from './codes.js';
import { ppCertDer, ppKey, ppResponse, trustDer } from './pp-fixtures.js';
import { ppValidator } from './pp-validator.js';

// Steps 8–12 on the verified Object only (unit level), then the same through the whole pipeline.
const CODES = { malformed: 'NEMID_RESPONSE_MALFORMED', invalid: 'NEMID_SIGNATURE_INVALID' } as const;
const leafName = 'nemid-MOCES-employee-valid';
const XXII = trustDer('TRUST2408-Systemtest-XXII-CA.cert.pem');
const ROOT = trustDer('TRUST2408-Systemtest-VII-Primary-CA.cert.pem');

function verifiedProperties(xml: string | Buffer) {
  const document = parseXml(xml, { maxBytes: 65536, errorCode: 'NEMID_RESPONSE_MALFORMED' });
  const signature = childElements(document.documentElement, NS.ds, 'Signature')[0] as Element;
  const parts = readEnvelopingSignature(document, signature, 'ToBeSigned', CODES);
  const leaf = parts.keyInfoCertificates.find((der) => der.equals(ppCertDer(leafName))) ?? parts.keyInfoCertificates[1];
  const { signedObject } = verifyEnvelopingSignature(parts, new X509Certificate(leaf as Buffer).publicKey, CODES);
  return readSignedProperties(signedObject);
}
const sign = (properties: ResponseProperty[]) =>
  signOcesResponse({ client: 'js', leafKey: ppKey(leafName), certificates: { leaf: ppCertDer(leafName), issuingCa: XXII, root: ROOT }, properties });

t.test('Nobly properties: exact challenge and issuer pass, anything else fails', async (t) => {
  const properties = (() => {
    const document = parseXml(ppResponse('XMLDSigMessage-POCES-with-challenge.xml'), { maxBytes: 65536, errorCode: 'NEMID_RESPONSE_MALFORMED' });
    const signature = childElements(document.documentElement, NS.ds, 'Signature')[0] as Element;
    const parts = readEnvelopingSignature(document, signature, 'ToBeSigned', CODES);
    const leaf = parts.keyInfoCertificates.find((der) => !new X509Certificate(der).ca) as Buffer;
    return readSignedProperties(verifyEnvelopingSignature(parts, new X509Certificate(leaf).publicKey, CODES).signedObject);
  })();
  t.same(properties.map((p) => p.name), ['RequestIssuer', 'challenge', 'TimeStamp', 'action']);
  t.equal(codeOf(() => checkChallenge(properties, '2993001065895448039')), 'NO_ERROR');
  t.equal(codeOf(() => checkChallenge(properties, '2993001065895448039 ')), 'NEMID_CHALLENGE_MISMATCH');
  t.equal(codeOf(() => checkChallenge(properties, '')), 'NEMID_CHALLENGE_MISMATCH');
  t.equal(codeOf(() => checkRequestIssuer(properties, 'Nobly')), 'NO_ERROR');
  t.equal(codeOf(() => checkRequestIssuer(properties, 'Nobly ApS')), 'NEMID_REQUEST_ISSUER_MISMATCH');
  t.equal(codeOf(() => checkTimestamp(properties, 'MjAxOS0wMi0xNCAxNDozMzoxOCswMDAw')), 'NO_ERROR');
  t.equal(codeOf(() => checkTimestamp(properties, '2019-02-14 14:33:18+0000')), 'NO_ERROR');
  t.equal(codeOf(() => checkTimestamp(properties, '2019-02-14 14:33:19+0000')), 'NEMID_TIMESTAMP_MISMATCH');
  t.equal(codeOf(() => checkAction(properties)), 'NO_ERROR');
});

t.test('rememberUseridToken is kept as signed; identityAssuranceLevel read', async (t) => {
  const properties = loginProperties('js', {
    requestIssuer: 'nemid-idp test SP',
    signProperties: [['challenge', 'c0ffee00c0ffee00c0ffee00c0ffee00']],
    timestamp: { sent: 'MjAyMS0wNS0xMyAxMjowMDowMCswMDAw', encoding: 'base64' },
    identityAssuranceLevel: '2',
    rememberUseridToken: '/+7dzA==',
  });
  const verified = await verifyNemidResponse(sign(properties), {
    validator: ppValidator(),
    at: new Date('2021-05-13T13:00:00Z'),
    expected: { challenge: 'c0ffee00c0ffee00c0ffee00c0ffee00', requestIssuer: 'nemid-idp test SP', timestamp: 'MjAyMS0wNS0xMyAxMjowMDowMCswMDAw', client: 'js' },
  });
  t.equal(verified.rememberUseridToken, '/+7dzA==', 'kept as signed even when its bytes are not UTF-8');
  t.equal(verified.identityAssuranceLevel, '2');
  t.equal(verified.identity.rid, '45490598');
  t.equal(verified.signedProperties.TimeStamp, '2021-05-13 12:00:00+0000');
});

t.test('malformed property sets are refused after a valid signature', async (t) => {
  const base: ResponseProperty[] = [
    { name: 'RequestIssuer', value: 'X', encoding: 'base64', visibleToSigner: true },
    { name: 'action', value: 'logon', encoding: 'xml', visibleToSigner: false },
  ];
  t.equal(codeOf(() => verifiedProperties(sign(base))), 'NO_ERROR');
  const cases: [string, ResponseProperty[]][] = [
    ['duplicate name', [...base, { name: 'action', value: 'logon', encoding: 'xml', visibleToSigner: false }]],
    ['duplicate ignoring case', [...base, { name: 'Action', value: 'sign', encoding: 'xml', visibleToSigner: false }]],
    ['unknown encoding', [...base, { name: 'x', value: 'y', encoding: 'hex' as 'xml', visibleToSigner: false }]],
    ['empty name', [...base, { name: '', value: 'y', encoding: 'xml', visibleToSigner: false }]],
  ];
  for (const [label, properties] of cases) t.equal(codeOf(() => verifiedProperties(sign(properties))), 'NEMID_RESPONSE_MALFORMED', label);

  // Values that are not base64 or not UTF-8 cannot be produced by the serialiser: edit the signed text and re-sign.
  const notBase64 = sign(base).replace('>WA==<', '>W A==<');
  t.equal(codeOf(() => verifiedProperties(notBase64)), 'NEMID_SIGNATURE_INVALID', 'an edit after signing is a digest mismatch first');
});

t.test('action must be logon', async (t) => {
  const props = (value: string, encoding: 'xml' | 'base64') =>
    [{ name: 'action', value, encoding, rawValue: encoding === 'base64' ? Buffer.from(value).toString('base64') : value }] as never;
  t.equal(codeOf(() => checkAction(props('logon', 'base64'))), 'NO_ERROR');
  t.equal(codeOf(() => checkAction(props('sign', 'xml'))), 'NEMID_ACTION_INVALID');
  t.equal(codeOf(() => checkAction(props('Logon', 'xml'))), 'NEMID_ACTION_INVALID');
  t.equal(codeOf(() => checkAction([])), 'NEMID_ACTION_INVALID');
});

t.test('logonto (OCES I) never passes the RequestIssuer check', async (t) => {
  const props = [
    { name: 'logonto', value: 'Nobly', encoding: 'xml', rawValue: 'Nobly' },
    { name: 'RequestIssuer', value: 'Nobly', encoding: 'xml', rawValue: 'Nobly' },
  ] as never;
  t.equal(codeOf(() => checkRequestIssuer(props, 'Nobly')), 'NEMID_REQUEST_ISSUER_MISMATCH');
});

t.test('CodeFile transactions may lack TimeStamp, JS ones may not', async (t) => {
  t.equal(codeOf(() => checkTimestamp([], 'MjAy', 'codefile')), 'NO_ERROR');
  t.equal(codeOf(() => checkTimestamp([], 'MjAy', 'js')), 'NEMID_TIMESTAMP_MISMATCH');
  t.equal(codeOf(() => checkTimestamp([], 'MjAy')), 'NEMID_TIMESTAMP_MISMATCH');
  t.equal(
    await codeOfAsync(async () => checkTimestamp([{ name: 'TimeStamp', value: 'a', encoding: 'xml', rawValue: 'a' }], 'b', 'codefile')),
    'NEMID_TIMESTAMP_MISMATCH',
    'present in a CodeFile response: must equal',
  );
});
