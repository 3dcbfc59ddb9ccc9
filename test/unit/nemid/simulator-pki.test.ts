import t from 'tap';
import {
  buildAuthorities,
  createCertificateValidator,
  createStaticCrlSource,
  createTrustStore,
} from '../../../src/pki/index.js';
import { checkCertificatePolicy, loginProperties, signOcesResponse, verifyNemidResponse } from '../../../src/nemid/index.js';
import { codeOf, codeOfAsync } from './codes.js';

// The checklist against the simulator's generated PKI (dev-pki): a youth certificate logs in only under an `allow`
// policy, and the simulator's pseudonym and employee certificates verify like the real ones. One PKI per file.
const now = new Date('2026-01-15T12:00:00Z');
const pki = await buildAuthorities({ baseUrl: 'http://localhost:8081', now, rootKeyBits: 2048, keyBits: 2048 });
const youth = await pki.issueUserCertificate({
  name: 'youth', type: 'POCES', cn: 'Ulla Ung', pidOrRid: '9999-2002-2-000000000004', youth: true,
  notBefore: new Date(now.getTime() - 86400_000), notAfter: new Date(now.getTime() + 86400_000 * 365),
});
const adult = await pki.issueUserCertificate({
  name: 'adult', type: 'POCES', cn: 'Pseudonym', pidOrRid: '9999-2002-2-000000000005',
  notBefore: new Date(now.getTime() - 86400_000), notAfter: new Date(now.getTime() + 86400_000 * 365),
});
const validator = createCertificateValidator({
  trustStore: createTrustStore('simulator', pki.trustCertificates(), { pinnedRootSha256: pki.rootFingerprint256 }),
  revocation: createStaticCrlSource([pki.buildCrl('ca', { thisUpdate: now }), pki.buildCrl('root', { thisUpdate: now })]),
});
const expected = { challenge: 'c0ffee00c0ffee00c0ffee00c0ffee00', requestIssuer: 'Demo SP', timestamp: 'MjAyNi0wMS0xNSAxMjowMDowMCswMDAw', client: 'js' as const };
const respond = (user: typeof youth) =>
  signOcesResponse({
    client: 'js',
    leafKey: user.privateKey,
    certificates: { leaf: user.certificateDer, issuingCa: pki.issuingCa.certificateDer, root: pki.root.certificateDer },
    properties: loginProperties('js', {
      requestIssuer: expected.requestIssuer,
      signProperties: [['challenge', expected.challenge]],
      timestamp: { sent: expected.timestamp, encoding: 'base64' },
      identityAssuranceLevel: '2',
    }),
  });

t.test('a youth certificate on a deny policy fails NEMID_YOUTH_DENIED; allowed otherwise', async (t) => {
  const verified = await verifyNemidResponse(respond(youth), { validator, at: now, expected });
  t.equal(verified.identity.youth, true);
  t.equal(codeOf(() => checkCertificatePolicy(verified.identity, { allowedCertificates: ['POCES'], youthCertificates: 'deny' })), 'NEMID_YOUTH_DENIED');
  t.equal(codeOf(() => checkCertificatePolicy(verified.identity, { allowedCertificates: ['POCES'], youthCertificates: 'allow' })), 'NO_ERROR');
  t.equal(codeOf(() => checkCertificatePolicy(verified.identity, { allowedCertificates: ['MOCES'], youthCertificates: 'allow' })), 'NEMID_CERT_TYPE_NOT_ALLOWED');
});

t.test('an adult pseudonym passes a deny policy', async (t) => {
  const verified = await verifyNemidResponse(respond(adult), { validator, at: now, expected });
  t.equal(verified.identity.youth, false);
  t.equal(verified.identity.pseudonym, true);
  t.equal(codeOf(() => checkCertificatePolicy(verified.identity, { allowedCertificates: ['POCES'], youthCertificates: 'deny' })), 'NO_ERROR');
});

t.test('after revocation the same response fails NEMID_CERT_REVOKED', async (t) => {
  pki.revoke(adult.certificate.serialHex, { revokedAt: new Date(now.getTime() - 60_000), reason: 'keyCompromise' });
  const revokedValidator = createCertificateValidator({
    trustStore: createTrustStore('simulator', pki.trustCertificates(), { pinnedRootSha256: pki.rootFingerprint256 }),
    revocation: createStaticCrlSource([pki.buildCrl('ca', { thisUpdate: now }), pki.buildCrl('root', { thisUpdate: now })]),
  });
  t.equal(await codeOfAsync(() => verifyNemidResponse(respond(adult), { validator: revokedValidator, at: now, expected })), 'NEMID_CERT_REVOKED');
});
