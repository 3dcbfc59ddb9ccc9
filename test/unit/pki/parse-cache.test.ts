import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIssuedBy, parseCertificate } from '../../../src/pki/index.js';
import { isParsedFromDer } from '../../../src/pki/certificate.js';
import { PP_FIXTURES } from '../../helpers/fixture-simulator-pki.js';

// Certificates are parsed once per DER and shared, so the cache must never let one caller change what another reads,
// and a cached "issued by" verdict must never answer for a certificate that is not the one that was verified.

const der = (path: string) => Buffer.from(new X509Certificate(readFileSync(`${PP_FIXTURES}/${path}`)).raw);
const leafDer = der('certs/nemid-MOCES-employee-valid.cert.pem');
const caDer = der('trust/TRUST2408-Systemtest-XXII-CA.cert.pem');
const forgedCaDer = der('certs/self-signed-intermediate.cert.pem');

t.test('the same DER gives the same frozen object; another DER another object', async (t) => {
  const first = parseCertificate(leafDer);
  t.equal(parseCertificate(Buffer.from(leafDer)), first, 'a copy of the bytes hits the cache');
  t.ok(Object.isFrozen(first) && Object.isFrozen(first.keyUsage) && Object.isFrozen(first.policies), 'frozen, with its lists');
  t.ok(isParsedFromDer(first));
  t.not(parseCertificate(caDer), first);
});

t.test('malformed DER is refused every time, and never cached', async (t) => {
  const broken = Buffer.from(leafDer.subarray(0, leafDer.length - 10));
  for (let i = 0; i < 2; i++) t.throws(() => parseCertificate(broken, { errorCode: 'NEMID_RESPONSE_MALFORMED' }));
});

t.test('a cached link verdict answers only for the certificates that were verified', async (t) => {
  const leaf = parseCertificate(leafDer);
  const ca = parseCertificate(caDer);
  t.equal(isIssuedBy(leaf, ca), true, 'the genuine link verifies (and is cached)');
  t.equal(isIssuedBy(leaf, ca), true);
  // Same fingerprint, another key: an object assembled outside parseCertificate is verified afresh.
  const impostor = { ...ca, publicKey: parseCertificate(forgedCaDer).publicKey };
  t.notOk(isParsedFromDer(impostor));
  t.equal(isIssuedBy(leaf, impostor), false, 'the altered issuer does not inherit the cached verdict');
  const tampered = { ...leaf, signature: Buffer.alloc(leaf.signature.length, 1) };
  t.equal(isIssuedBy(tampered, ca), false, 'nor does an altered signature');
});
