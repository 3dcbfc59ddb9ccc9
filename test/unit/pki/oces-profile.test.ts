import t from 'tap';
import { parseCertificate, readOcesIdentity } from '../../../src/pki/index.js';
import { OID } from '../../../src/pki/oids.js';
import { ppCertificate, responseCertificates } from './fixtures.js';

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
