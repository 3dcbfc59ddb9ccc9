import t from 'tap';
import { isIssuedBy, loadTrustStore, parseCertificate, readOcesIdentity } from '../../../src/pki/index.js';
import { OID } from '../../../src/pki/oids.js';
import { TRUST_DIR, ppCertificate, responseCertificates } from './fixtures.js';

t.test('MOCES: the multi-valued RDN is read by OID; CVR and RID from the serialNumber', async (t) => {
  const certificate = parseCertificate(ppCertificate('nemid-MOCES-employee-valid.cert.pem'));
  const subjectRdn = certificate.subjectName[2]!;
  t.same(subjectRdn.map((a) => a.oid).sort(), [OID.commonName, OID.serialNumber].sort(), 'CN and serialNumber share one RDN');
  const result = readOcesIdentity(certificate, 'preproduction');
  t.ok(result.ok);
  if (!result.ok) return;
  t.match(result.identity, {
    type: 'MOCES',
    subjectSerialNumber: 'CVR:30808460-RID:45490598',
    cvr: '30808460',
    rid: '45490598',
    commonName: 'TU GENEREL MOCES gyldig',
    organizationName: 'NETS DANID A/S // CVR:30808460',
    organizationNameWithoutCvr: 'NETS DANID A/S',
    youth: false,
    pseudonym: false,
    certificateSerialHex: '5BAD3735',
    issuerDn: 'CN=TRUST2408 Systemtest XXII CA,O=TRUST2408,C=DK',
    subjectDnForX509SubjectName: { c: 'DK', o: 'NETS DANID A/S // CVR:30808460', cn: 'TU GENEREL MOCES gyldig', serialNumber: 'CVR:30808460-RID:45490598' },
    policyOid: '1.3.6.1.4.1.31313.2.4.6.2.6',
  });
  t.equal(result.identity.pid, undefined);
});

t.test('POCES: PID, policy, key usage and both distribution points', async (t) => {
  const certificate = parseCertificate(ppCertificate('nemid-POCES-personal-valid.cert.der'));
  const result = readOcesIdentity(certificate, 'preproduction');
  t.ok(result.ok);
  if (!result.ok) return;
  t.equal(result.identity.type, 'POCES');
  t.equal(result.identity.pid, '9208-2002-2-175183276275');
  t.equal(result.identity.organizationName, 'Ingen organisatorisk tilknytning');
  t.equal(result.identity.certificateSerialHex, '5F9C4CFD');
  t.same(certificate.keyUsage, ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement']);
  t.ok(certificate.keyUsageCritical);
  t.notOk(certificate.isCa);
  t.equal(certificate.crlDistributionPoints.length, 2);
  t.same(certificate.crlDistributionPoints[0]!.uris, ['http://crl.systemtest34.trust2408.com/systemtest34.crl']);
  const partition = certificate.crlDistributionPoints[1]!.directoryNames[0]!;
  t.equal(partition[partition.length - 1]![0]!.value, 'CRL152');
  t.ok(certificate.ocspUrls[0]?.startsWith('http://ocsp.systemtest34.trust2408.com/'));
});

t.test('VOCES and the TU SP certificate: UID form', async (t) => {
  const result = readOcesIdentity(parseCertificate(ppCertificate('sp-test.cert.pem')), 'preproduction');
  t.match(result, { ok: true, identity: { type: 'VOCES', cvr: '30808460', uid: '25351738' } });
});

t.test('the profile is per environment: PP policies are not production ones', async (t) => {
  const certificate = parseCertificate(ppCertificate('nemid-MOCES-employee-valid.cert.pem'));
  t.match(readOcesIdentity(certificate, 'production'), { ok: false });
  t.match(readOcesIdentity(certificate, 'simulator'), { ok: false });
});

t.test('the responses’ leaves are found structurally and read', async (t) => {
  const expected: Record<string, [string, string]> = {
    'XMLDSigMessage-POCES.xml': ['PID:9208-2002-2-751708631151', '5F9C3687'],
    'XMLDSigMessage-POCES-encoding-base64.xml': ['PID:9208-2002-2-751953802340', '5F9C6546'],
    'XMLDSigMessage-POCES-with-challenge.xml': ['PID:9208-2002-2-153572258956', '5BAB04A8'],
    'XMLDSigMessage-MOCES.xml': ['CVR:30808460-RID:45490598', '5BAD3735'],
  };
  for (const [file, [serialNumber, serialHex]] of Object.entries(expected)) {
    const result = readOcesIdentity(parseCertificate(responseCertificates(file).leaf), 'preproduction');
    t.match(result, { ok: true, identity: { subjectSerialNumber: serialNumber, certificateSerialHex: serialHex } }, file);
  }
});

t.test('malformed certificates end in the given catalogue code', async (t) => {
  const der = ppCertificate('sp-test.cert.pem');
  t.throws(() => parseCertificate(der.subarray(0, 100)), { code: 'NEMID_RESPONSE_MALFORMED' });
  t.throws(() => parseCertificate(Buffer.from('garbage')), { code: 'NEMID_RESPONSE_MALFORMED' });
  t.throws(() => parseCertificate(der.subarray(1), { errorCode: 'CONFIG_INVALID' }), { code: 'CONFIG_INVALID' });
});

t.test('fuzz: mutated certificates parse or end in the catalogue code, never another exception', async (t) => {
  const original = ppCertificate('nemid-MOCES-employee-valid.cert.pem');
  let seed = 0x1234567;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 0x1_0000_0000;
  };
  const issuer = loadTrustStore('preproduction', TRUST_DIR('preproduction')).issuingCas.find((ca) => ca.subject.startsWith('CN=TRUST2408 Systemtest XXII CA'))!;
  const originalTbs = parseCertificate(original).tbsDer;
  let parsed = 0;
  let refused = 0;
  let other = 0;
  let stillSigned = 0;
  for (let i = 0; i < 2000; i++) {
    const copy = Buffer.from(original);
    const position = Math.floor(random() * copy.length);
    copy[position] = copy[position]! ^ (1 + Math.floor(random() * 255));
    try {
      const certificate = parseCertificate(copy);
      parsed++;
      // A change inside the signed bytes must break the issuer's signature.
      if (!certificate.tbsDer.equals(originalTbs) && isIssuedBy(certificate, issuer)) stillSigned++;
    } catch (error) {
      if ((error as { code?: string }).code === 'NEMID_RESPONSE_MALFORMED') refused++;
      else other++;
    }
  }
  t.equal(other, 0, 'no foreign exception');
  t.equal(stillSigned, 0, 'no changed TBSCertificate still verifies');
  t.ok(parsed > 0 && refused > 0, `${parsed} parsed, ${refused} refused`);
});
