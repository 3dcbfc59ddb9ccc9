// issue 4 "Must show", on the genuine NemID pre-production artifacts at 2021-05-13T13:00:00Z with crl/.
import t from 'tap';
import {
  createCertificateValidator,
  createStaticCrlSource,
  loadTrustStore,
  verdictErrorCode,
  type CertificateValidator,
} from '../../../src/pki/index.js';
import { ALL_CRLS_AT, FORGED_AT, TRUST_DIR, allPpCrls, ppCertificate, responseCertificates } from './fixtures.js';

const crls = allPpCrls();
const validatorFor = (environment: 'production' | 'preproduction'): CertificateValidator =>
  createCertificateValidator({ trustStore: loadTrustStore(environment, TRUST_DIR(environment)), revocation: createStaticCrlSource(crls) });
const pp = validatorFor('preproduction');
const production = validatorFor('production');

t.test('the user certificates of the 2021 responses are VALID (leaf GOOD, CA step NOT_CHECKED: no root CRL)', async (t) => {
  for (const file of ['XMLDSigMessage-POCES.xml', 'XMLDSigMessage-POCES-encoding-base64.xml', 'XMLDSigMessage-MOCES.xml']) {
    const { leaf, bag } = responseCertificates(file);
    const verdict = await pp.validate(leaf, bag, { at: ALL_CRLS_AT });
    t.equal(verdict.status, 'VALID', file);
    t.equal(verdict.revocation, 'GOOD', `${file}: leaf checked against its CRL`);
    t.same(verdict.chain.map((c) => c.revocation), ['GOOD', 'NOT_CHECKED', 'NOT_CHECKED'], `${file}: chain`);
    t.equal(verdictErrorCode(verdict), undefined);
  }
});

t.test('the order of the KeyInfo certificates does not matter, and the root in the message is not the anchor', async (t) => {
  const { leaf, bag } = responseCertificates('XMLDSigMessage-POCES.xml');
  const reversed = await pp.validate(leaf, [...bag].reverse(), { at: ALL_CRLS_AT });
  t.equal(reversed.status, 'VALID');
  const leafOnly = await pp.validate(leaf, [], { at: ALL_CRLS_AT });
  t.equal(leafOnly.status, 'VALID', 'issuing CAs come from the trust store');
});

t.test('the Nobly response’s leaf 5BAB04A8 is REVOKED', async (t) => {
  const { leaf, bag } = responseCertificates('XMLDSigMessage-POCES-with-challenge.xml');
  const verdict = await pp.validate(leaf, bag, { at: ALL_CRLS_AT });
  t.equal(verdict.status, 'REVOKED');
  t.equal(verdict.identity?.certificateSerialHex, '5BAB04A8');
  t.equal(verdictErrorCode(verdict), 'NEMID_CERT_REVOKED');
  const atItsDate = await pp.validate(leaf, bag, { at: new Date('2019-02-14T14:34:00Z'), revocation: 'skip' });
  t.equal(atItsDate.status, 'VALID', 'valid at its own date with revocation not checked');
  t.equal(atItsDate.revocation, 'NOT_CHECKED');
});

t.test('the blocked MOCES and VOCES certificates are REVOKED', async (t) => {
  for (const file of ['nemid-MOCES-employee-blocked.cert.pem', 'nemid-VOCES-business-blocked.cert.pem']) {
    const verdict = await pp.validate(ppCertificate(file), [], { at: ALL_CRLS_AT });
    t.equal(verdict.status, 'REVOKED', file);
  }
});

t.test('the other test certificates are VALID', async (t) => {
  for (const file of ['nemid-MOCES-employee-valid.cert.pem', 'nemid-MOCES-employee-valid-with-cpr.cert.pem', 'nemid-POCES-personal-valid.cert.pem', 'nemid-VOCES-business-valid.cert.pem']) {
    const verdict = await pp.validate(ppCertificate(file), [], { at: ALL_CRLS_AT });
    t.equal(verdict.status, 'VALID', file);
  }
});

t.test('the expired certificates are EXPIRED', async (t) => {
  for (const file of ['nemid-MOCES-employee-expired.cert.pem', 'nemid-VOCES-business-expired.cert.pem']) {
    const verdict = await pp.validate(ppCertificate(file), [], { at: ALL_CRLS_AT });
    t.equal(verdict.status, 'EXPIRED', file);
    t.equal(verdictErrorCode(verdict), 'NEMID_CERT_EXPIRED');
  }
  const { leaf, bag } = responseCertificates('XMLDSigMessage-MOCES-expired.xml');
  t.equal((await pp.validate(leaf, bag, { at: ALL_CRLS_AT })).status, 'EXPIRED', 'the expired chain in MOCES-expired.xml');
  const early = await pp.validate(ppCertificate('nemid-MOCES-employee-valid.cert.pem'), [], { at: new Date('2019-01-01T00:00:00Z') });
  t.equal(early.status, 'NOT_YET_VALID');
});

t.test('the forged self-signed chain is UNTRUSTED in every environment', async (t) => {
  const bag = ['self-signed-ca.cert.pem', 'self-signed-intermediate.cert.pem'].map(ppCertificate);
  for (const [name, validator] of [['preproduction', pp], ['production', production]] as const) {
    const verdict = await validator.validate(ppCertificate('self-signed-user.cert.pem'), bag, { at: FORGED_AT });
    t.equal(verdict.status, 'UNTRUSTED', name);
    t.equal(verdictErrorCode(verdict), 'NEMID_CERT_UNTRUSTED');
  }
});

t.test('every pre-production certificate is UNTRUSTED under production', async (t) => {
  const files = ['nemid-MOCES-employee-valid.cert.pem', 'nemid-POCES-personal-valid.cert.pem', 'nemid-MOCES-employee-blocked.cert.pem', 'nemid-MOCES-employee-expired.cert.pem', 'sp-test.cert.pem'];
  for (const file of files) t.equal((await production.validate(ppCertificate(file), [], { at: ALL_CRLS_AT })).status, 'UNTRUSTED', file);
  for (const file of ['XMLDSigMessage-POCES.xml', 'XMLDSigMessage-MOCES.xml']) {
    const { leaf, bag } = responseCertificates(file);
    t.equal((await production.validate(leaf, bag, { at: ALL_CRLS_AT })).status, 'UNTRUSTED', file);
  }
});

t.test('revocation data is required for the leaf: without its CRL, or outside its window, REVOCATION_UNAVAILABLE', async (t) => {
  const store = loadTrustStore('preproduction', TRUST_DIR('preproduction'));
  const noCrl = createCertificateValidator({ trustStore: store, revocation: createStaticCrlSource([]) });
  const { leaf, bag } = responseCertificates('XMLDSigMessage-MOCES.xml');
  const verdict = await noCrl.validate(leaf, bag, { at: ALL_CRLS_AT });
  t.equal(verdict.status, 'REVOCATION_UNAVAILABLE');
  t.equal(verdictErrorCode(verdict), 'NEMID_REVOCATION_UNAVAILABLE');
  t.equal((await pp.validate(leaf, bag, { at: new Date('2021-05-13T23:00:00Z') })).status, 'REVOCATION_UNAVAILABLE', 'after nextUpdate');
  t.equal((await pp.validate(leaf, bag, { at: new Date('2021-05-13T10:00:00Z') })).status, 'REVOCATION_UNAVAILABLE', 'before thisUpdate');
  const skipped = await noCrl.validate(leaf, bag, { at: ALL_CRLS_AT, revocation: 'skip' });
  t.equal(skipped.status, 'VALID');
  t.equal(skipped.revocation, 'NOT_CHECKED');
});
