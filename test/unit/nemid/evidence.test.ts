import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { verifyResponseCommand } from '../../../src/cli/verify-response.js';
import { verifyNemidResponse } from '../../../src/nemid/index.js';
import { canonicalizeInclusive, parseXml, NS } from '../../../src/xml/index.js';
import { PP_DIR, ppResponse } from './pp-fixtures.js';
import { ppValidator } from './pp-validator.js';

// Issue 16.7: the evidence a login keeps is what was signed — SignedInfo and the Object as signed, the SignatureValue
// and the certificate chain of the verdict — not the received document with whatever unsigned bytes it carried.
// It is a NemID document itself: verify-response --at verifies it offline like the original.

const validator = ppValidator();
const AT = new Date('2021-05-13T13:00:00Z');

function part(xml: string | Buffer, localName: string): string {
  const document = parseXml(xml, { maxBytes: 1 << 20, errorCode: 'NEMID_RESPONSE_MALFORMED' });
  const element = Array.from(document.getElementsByTagNameNS(NS.ds, localName))[0] as Element;
  return canonicalizeInclusive(element);
}

/** The received document with bytes the signature does not cover: an attribute on the root, whitespace. */
function withUnsignedAdditions(xml: Buffer): string {
  return xml.toString('utf8').replace('<openoces:signature ', '<openoces:signature injected="not-signed-by-anyone" ').replace('<ds:KeyInfo>', '<ds:KeyInfo>\n\n   ');
}

t.test('evidence row equals the signed object: SignedInfo and Object byte for byte, nothing unsigned', async (t) => {
  const received = ppResponse('XMLDSigMessage-POCES.xml');
  const tampered = withUnsignedAdditions(received);
  const verified = await verifyNemidResponse(tampered, { validator, at: AT, expected: {} });
  t.equal(part(verified.evidenceXml, 'Object'), part(received, 'Object'), 'the signed Object');
  t.equal(part(verified.evidenceXml, 'SignedInfo'), part(received, 'SignedInfo'), 'the signed SignedInfo');
  t.notMatch(verified.evidenceXml, 'not-signed-by-anyone', 'the unsigned attribute is not evidence');
  t.not(verified.evidenceXml, tampered);
  const again = await verifyNemidResponse(received, { validator, at: AT, expected: {} });
  t.equal(again.evidenceXml, verified.evidenceXml, 'the same evidence whatever unsigned bytes came with it');
  const certificates = verified.evidenceXml.match(/<ds:X509Certificate>/g) ?? [];
  t.equal(certificates.length, verified.certificateStatus.chain.length, 'KeyInfo holds the chain the verdict rests on');
});

t.test('verify-response --at verifies the stored evidence of every real PP response', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nemid-idp-evidence-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const crls = readdirSync(fileURLToPath(new URL('crl/', PP_DIR))).filter((name) => name.endsWith('.crl')).flatMap((name) => ['--crl', fileURLToPath(new URL(`crl/${name}`, PP_DIR))]);
  for (const name of ['XMLDSigMessage-POCES.xml', 'XMLDSigMessage-POCES-encoding-base64.xml', 'XMLDSigMessage-MOCES.xml']) {
    const verified = await verifyNemidResponse(ppResponse(name), { validator, at: AT, expected: {} });
    const file = join(dir, `${name}.evidence.xml`);
    writeFileSync(file, verified.evidenceXml);
    const out: string[] = [];
    const code = await verifyResponseCommand([file, '--environment', 'preproduction', '--at', AT.toISOString(), ...crls, '--json'], { stdout: (s) => out.push(s), stderr: (s) => out.push(s) });
    t.equal(code, 0, `${name}: ${out.join(' ').slice(0, 300)}`);
    const json = JSON.parse(out.join(''));
    t.equal(json.valid, true);
    t.equal(json.signatureValueSha256, verified.signatureValueDigest.toString('hex'), `${name}: the same signature`);
  }
});
