// issue 4 "Must show" on a generated PKI (dev-pki): every verdict, CRL refusals and OCSP answers judged offline.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import {
  buildAuthorities,
  buildOcspRequest,
  buildCrl,
  createCertificateValidator,
  createStaticCrlSource,
  createTrustStore,
  generateDevPki,
  judgeOcspResponse,
  loadTrustStore,
  ocspCertId,
  parseCertificate,
  readOcesIdentity,
  type DevPki,
} from '../../../src/pki/index.js';
import { ALL_CRLS_AT, TRUST_DIR, ppCertificate } from './fixtures.js';

const NOW = new Date('2026-03-01T10:00:00Z');
const HOUR = 3600_000;

let pki: DevPki;
let impostor: DevPki; // same names, other keys
t.before(async () => {
  // The look-alike needs only its authorities and one user; both are generated in parallel (key generation runs
  // on the thread pool).
  const lookAlike = async () => {
    const authorities = await buildAuthorities({ baseUrl: 'http://127.0.0.1:8081', rootKeyBits: 2048, now: NOW });
    await authorities.issueUserCertificate({ name: 'poces-valid', type: 'POCES', cn: 'Signe Simulator', pidOrRid: '9999-2002-2-000000000001', notBefore: new Date(NOW.getTime() - HOUR) });
    return authorities;
  };
  [pki, impostor] = await Promise.all([generateDevPki({ baseUrl: 'http://127.0.0.1:8081', rootKeyBits: 2048, now: NOW }), lookAlike()]);
});

/** A separate PKI for a test that changes revocation state; it reuses the shared keys, so it costs no key generation. */
async function separatePki(): Promise<DevPki> {
  const local = await buildAuthorities({
    baseUrl: 'http://127.0.0.1:8081',
    now: NOW,
    rootKey: pki.root.privateKey,
    caKey: pki.issuingCa.privateKey,
    responderKey: pki.ocspResponder.privateKey,
  });
  await local.issueUserCertificate({ name: 'poces-valid', type: 'POCES', cn: 'Local', pidOrRid: '9999-2002-2-000000000009', privateKey: pki.user('poces-valid').privateKey, notBefore: new Date(NOW.getTime() - HOUR) });
  return local;
}

const storeOf = (p: DevPki) => createTrustStore('simulator', p.trustCertificates(), { pinnedRootSha256: p.rootFingerprint256 });
const validatorWith = (crls: Buffer[], graceMs = 0) =>
  createCertificateValidator({ trustStore: storeOf(pki), revocation: createStaticCrlSource(crls, { graceMs }) });
const freshCrls = () => [pki.buildCrl('ca', { thisUpdate: new Date(NOW.getTime() - HOUR) }), pki.buildCrl('root', { thisUpdate: new Date(NOW.getTime() - HOUR) })];

t.test('the standard users get the expected verdicts, with the CA step checked against the root CRL', async (t) => {
  const validator = validatorWith(freshCrls());
  const expected: Record<string, string> = {
    'voces-idp': 'VALID',
    'poces-valid': 'VALID',
    'poces-revoked': 'REVOKED',
    'poces-expired': 'EXPIRED',
    'poces-youth': 'VALID',
    'poces-pseudonym': 'VALID',
    'moces-valid': 'VALID',
    'moces-revoked': 'REVOKED',
  };
  for (const [name, status] of Object.entries(expected)) {
    const verdict = await validator.validate(pki.user(name).certificateDer, [], { at: NOW });
    t.equal(verdict.status, status, name);
    if (status === 'VALID') t.same(verdict.chain.map((c) => c.revocation), ['GOOD', 'GOOD', 'NOT_CHECKED'], `${name} chain`);
  }
  const youth = await validator.validate(pki.user('poces-youth').certificateDer, [], { at: NOW });
  t.match(youth.identity, { type: 'POCES', youth: true, pseudonym: false, pid: '9999-2002-2-000000000004' });
  const pseudonym = await validator.validate(pki.user('poces-pseudonym').certificateDer, [], { at: NOW });
  t.match(pseudonym.identity, { pseudonym: true, commonName: 'Pseudonym' });
  const employee = await validator.validate(pki.user('moces-valid').certificateDer, [], { at: NOW });
  t.match(employee.identity, { type: 'MOCES', cvr: '99000002', rid: '20000001', email: 'morten@simulator.invalid', organizationNameWithoutCvr: 'Simulator Firma ApS' });
  t.equal((await validator.validate(pki.user('voces-idp').certificateDer, [], { at: NOW })).type, 'VOCES');
});

t.test('the layout follows TRUST2408: policy arc, multi-valued RDN, key usage, two DPs with a partition, AIA', async (t) => {
  const certificate = pki.user('poces-valid').certificate;
  t.same(certificate.policies, ['2.25.110800106791975592792077135146400605594.1.1']);
  t.equal(certificate.subjectName[2]!.length, 2, 'CN + serialNumber in one RDN');
  t.ok(certificate.keyUsageCritical);
  t.same(certificate.crlDistributionPoints[0]!.uris, ['http://127.0.0.1:8081/crl/ca1.crl']);
  const partition = certificate.crlDistributionPoints[1]!.directoryNames[0]!;
  t.equal(partition[partition.length - 1]![0]!.value, `CRL${Number(BigInt(`0x${certificate.serialHex}`) % 16n) + 1}`);
  t.same(certificate.ocspUrls, ['http://127.0.0.1:8081/ocsp']);
  t.same(pki.issuingCa.certificate.crlDistributionPoints[0]!.uris, ['http://127.0.0.1:8081/crl/root.crl']);
  t.same(pki.ocspResponder.certificate.extendedKeyUsage, ['1.3.6.1.5.5.7.3.9']);
  t.ok(pki.ocspResponder.certificate.ocspNoCheck);
  t.match(readOcesIdentity(certificate, 'preproduction'), { ok: false }, 'the simulator arc is not a PP one');
});

t.test('an additional user certificate can be issued on demand', async (t) => {
  const extra = await pki.issueUserCertificate({ name: 'extra-foces', type: 'FOCES', cn: 'Simulator function', pidOrRid: '777', cvr: '99000003', privateKey: pki.user('poces-valid').privateKey });
  const verdict = await validatorWith(freshCrls()).validate(extra.certificateDer, [], { at: NOW });
  t.match(verdict, { status: 'VALID', type: 'FOCES', identity: { fid: '777', cvr: '99000003' } });
  await t.rejects(pki.issueUserCertificate({ name: 'x', type: 'MOCES', cn: 'x', pidOrRid: '1' }), 'MOCES needs a CVR');
});

t.test('a revoked issuing CA on the root CRL makes its users REVOKED', async (t) => {
  const local = await separatePki();
  local.revoke(local.issuingCa.certificate.serialHex, { list: 'root', revokedAt: new Date(NOW.getTime() - HOUR) });
  const validator = createCertificateValidator({
    trustStore: storeOf(local),
    revocation: createStaticCrlSource([local.buildCrl('ca', { thisUpdate: NOW }), local.buildCrl('root', { thisUpdate: NOW })]),
  });
  const verdict = await validator.validate(local.user('poces-valid').certificateDer, [], { at: NOW });
  t.equal(verdict.status, 'REVOKED');
  t.same(verdict.chain.map((c) => c.revocation), ['GOOD', 'REVOKED', 'NOT_CHECKED']);
});

t.test('refused CRLs: tampered signature, wrong issuer, stale, not yet valid, partition', async (t) => {
  const leaf = pki.user('poces-valid').certificateDer;
  const [caCrl, rootCrl] = freshCrls() as [Buffer, Buffer];
  const tampered = Buffer.from(caCrl);
  tampered[tampered.length - 5] = tampered[tampered.length - 5]! ^ 0x01;
  t.equal((await validatorWith([tampered, rootCrl]).validate(leaf, [], { at: NOW })).status, 'REVOCATION_UNAVAILABLE', 'tampered signature');
  const tamperedBody = Buffer.from(caCrl);
  const at = tamperedBody.indexOf(Buffer.from(pki.user('poces-revoked').certificate.serialHex, 'hex'));
  tamperedBody[at] = tamperedBody[at]! ^ 0x01; // the revoked serial no longer matches: unsigned change
  t.equal((await validatorWith([tamperedBody, rootCrl]).validate(pki.user('poces-revoked').certificateDer, [], { at: NOW })).status, 'REVOCATION_UNAVAILABLE', 'tampered entry');
  const foreign = impostor.buildCrl('ca', { thisUpdate: NOW }); // same issuer name, another key
  t.equal((await validatorWith([foreign, rootCrl]).validate(leaf, [], { at: NOW })).status, 'REVOCATION_UNAVAILABLE', 'CRL from the wrong issuer');
  t.equal((await validatorWith([rootCrl, rootCrl]).validate(leaf, [], { at: NOW })).status, 'REVOCATION_UNAVAILABLE', 'only the root CRL');
  const stale = pki.buildCrl('ca', { thisUpdate: new Date(NOW.getTime() - 13 * HOUR) });
  t.equal((await validatorWith([stale, rootCrl]).validate(leaf, [], { at: NOW })).status, 'REVOCATION_UNAVAILABLE', 'stale');
  t.equal((await validatorWith([stale, rootCrl], 2 * HOUR).validate(leaf, [], { at: NOW })).status, 'VALID', 'stale within the grace period');
  const future = pki.buildCrl('ca', { thisUpdate: new Date(NOW.getTime() + HOUR) });
  t.equal((await validatorWith([future, rootCrl]).validate(leaf, [], { at: NOW })).status, 'REVOCATION_UNAVAILABLE', 'not yet valid');
  const partition = buildCrl({
    issuer: pki.issuingCa.certificate.subjectDer,
    signingKey: pki.issuingCa.privateKey,
    authorityKeyId: Buffer.from(pki.issuingCa.certificate.subjectKeyIdHex!, 'hex'),
    thisUpdate: NOW,
    nextUpdate: new Date(NOW.getTime() + 12 * HOUR),
    crlNumber: 9,
    entries: [],
    partition: pki.issuingCa.certificate.subjectDer,
  });
  t.equal((await validatorWith([partition, rootCrl]).validate(leaf, [], { at: NOW })).status, 'REVOCATION_UNAVAILABLE', 'a partition CRL is not a full CRL');
  t.equal((await validatorWith([Buffer.from('not a crl'), caCrl, rootCrl]).validate(leaf, [], { at: NOW })).status, 'VALID', 'an unreadable extra file does not matter');
  // An older CRL given next to a newer one does not hide a later revocation.
  const local = await separatePki();
  const before = local.buildCrl('ca', { thisUpdate: new Date(NOW.getTime() - 2 * HOUR) });
  local.revoke(local.user('poces-valid').certificate.serialHex, { revokedAt: new Date(NOW.getTime() - HOUR) });
  const after = local.buildCrl('ca', { thisUpdate: new Date(NOW.getTime() - HOUR) });
  const localValidator = createCertificateValidator({
    trustStore: storeOf(local),
    revocation: createStaticCrlSource([before, after, local.buildCrl('root', { thisUpdate: NOW })]),
  });
  t.equal((await localValidator.validate(local.user('poces-valid').certificateDer, [], { at: NOW })).status, 'REVOKED', 'newest CRL wins');
});

t.test('trust: environments never mix, a look-alike chain is untrusted, a root in the bag is ignored', async (t) => {
  const simulator = validatorWith(freshCrls());
  const impostorUser = impostor.user('poces-valid');
  t.equal((await simulator.validate(impostorUser.certificateDer, impostor.trustCertificates(), { at: NOW })).status, 'UNTRUSTED', 'same names, other keys');
  t.equal((await simulator.validate(ppCertificate('nemid-MOCES-employee-valid.cert.pem'), [], { at: ALL_CRLS_AT })).status, 'UNTRUSTED', 'a PP certificate');
  for (const environment of ['production', 'preproduction'] as const) {
    const real = createCertificateValidator({ trustStore: loadTrustStore(environment, TRUST_DIR(environment)), revocation: createStaticCrlSource(freshCrls()) });
    t.equal((await real.validate(pki.user('poces-valid').certificateDer, pki.trustCertificates(), { at: NOW })).status, 'UNTRUSTED', `simulator certificate under ${environment}`);
  }
  t.equal((await simulator.validate(pki.issuingCa.certificateDer, [], { at: NOW })).status, 'UNTRUSTED', 'a CA is not a leaf');
  t.equal((await simulator.validate(Buffer.from('junk'), [], { at: NOW })).status, 'UNTRUSTED', 'garbage');
});

t.test('OCSP answers are judged strictly (builder and checker, no network)', async (t) => {
  const issuer = pki.issuingCa.certificate;
  const ask = (name: string, options: Parameters<DevPki['ocspRespond']>[1] = {}, hash: 'SHA-1' | 'SHA-256' = 'SHA-1') => {
    const certId = ocspCertId(pki.user(name).certificate, issuer, hash);
    const nonce = randomBytes(16);
    const response = pki.ocspRespond(buildOcspRequest(certId, nonce), { now: NOW, ...options });
    return { certId, nonce, response };
  };
  const judge = (q: ReturnType<typeof ask>, at = NOW) => {
    try {
      return judgeOcspResponse(q.response, { certId: q.certId, nonce: q.nonce, issuer, at }).certStatus;
    } catch {
      return 'refused';
    }
  };
  t.equal(judge(ask('poces-valid')), 'good');
  t.equal(judge(ask('poces-valid', {}, 'SHA-256')), 'good', 'SHA-256 CertID');
  t.equal(judge(ask('poces-revoked')), 'revoked');
  t.equal(judge(ask('poces-valid', { status: 'unknown' })), 'unknown');
  const unknown = ask('poces-valid', { status: 'unknown' });
  t.match(judgeOcspResponse(unknown.response, { ...unknown, issuer, at: NOW }), { status: 'REVOKED' }, 'unknown counts as revoked');
  const good = ask('poces-valid');
  t.equal(judge({ ...good, nonce: randomBytes(16) }), 'refused', 'another nonce');
  t.equal(judge(good, new Date(NOW.getTime() + HOUR)), 'refused', 'past nextUpdate');
  t.equal(judge(good, new Date(NOW.getTime() - 5 * 60_000)), 'refused', 'thisUpdate in the future');
  const tampered = Buffer.from(good.response);
  tampered[tampered.length - 300] = tampered[tampered.length - 300]! ^ 0x01;
  t.equal(judge({ ...good, response: tampered }), 'refused', 'tampered');
  t.equal(judge({ ...good, certId: ocspCertId(pki.user('moces-valid').certificate, issuer, 'SHA-1') }), 'refused', 'answer for another certificate');
  t.equal(judge({ ...good, response: Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x01]) }), 'refused', 'malformedRequest status');
  // A responder delegated by another CA (the look-alike PKI) is refused.
  const foreign = impostor.ocspRespond(buildOcspRequest(good.certId, good.nonce), { now: NOW });
  t.equal(judge({ ...good, response: foreign }), 'refused', 'responder not issued by the issuing CA');
  t.ok(parseCertificate(pki.ocspResponder.certificateDer).ocspNoCheck);
});
