import t from 'tap';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  NS,
  canonicalizeInclusive,
  childElements,
  parseXml,
  readEnvelopingSignature,
  verifyEnvelopingSignature,
} from '../../../src/xml/index.js';
import { isIdpError } from '../../../src/errors/index.js';

const CODES = { malformed: 'NEMID_RESPONSE_MALFORMED', invalid: 'NEMID_SIGNATURE_INVALID' } as const;
const PP = new URL('../../fixtures/nemid-preproduction/', import.meta.url);
const real = readFileSync(new URL('responses/XMLDSigMessage-POCES.xml', PP), 'utf8');

const code = (fn: () => unknown) => {
  try {
    fn();
    return 'NO_ERROR';
  } catch (error) {
    return isIdpError(error) ? error.code : 'NOT_AN_IDP_ERROR';
  }
};
const read = (xml: string) => {
  const document = parseXml(xml, { maxBytes: 65536, errorCode: 'NEMID_RESPONSE_MALFORMED' });
  const signature = childElements(document.documentElement, NS.ds, 'Signature')[0] as Element;
  return readEnvelopingSignature(document, signature, 'ToBeSigned', CODES);
};
const leafKey = (parts: ReturnType<typeof read>) =>
  parts.keyInfoCertificates.map((der) => new X509Certificate(der)).find((c) => !c.ca)!.publicKey;

t.test('inclusive C14N renders the namespaces a subtree inherits, declarations first, sorted', async (t) => {
  const document = parseXml('<r xmlns:b="urn:b" xmlns:a="urn:a" xmlns="urn:d"><x:o xmlns:x="urn:x" Id="1" A="2"><a:c/><!-- gone --></x:o></r>', {
    maxBytes: 4096,
    errorCode: 'NEMID_RESPONSE_MALFORMED',
  });
  const o = childElements(document.documentElement)[0] as Element;
  t.equal(canonicalizeInclusive(o), '<x:o xmlns="urn:d" xmlns:a="urn:a" xmlns:b="urn:b" xmlns:x="urn:x" A="2" Id="1"><a:c></a:c></x:o>');
});

t.test('a real NemID response verifies and yields the Object bytes that were digested', async (t) => {
  const parts = read(real);
  t.equal(parts.keyInfoCertificates.length, 3);
  const verified = verifyEnvelopingSignature(parts, leafKey(parts), CODES);
  t.equal(verified.signedObject, parts.object);
  t.ok(real.includes(verified.signedObjectBytes.toString('utf8')), 'the canonical Object is the Object as sent');
  t.equal(verified.signatureValue.length, 256);
});

t.test('only explicit success passes: other keys fail closed', async (t) => {
  const parts = read(real);
  const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  t.equal(code(() => verifyEnvelopingSignature(parts, otherRsa, CODES)), 'NEMID_SIGNATURE_INVALID');
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  t.equal(code(() => verifyEnvelopingSignature(parts, ec, CODES)), 'NEMID_SIGNATURE_INVALID');
  const caKey = new X509Certificate(parts.keyInfoCertificates[0] as Buffer).publicKey;
  t.equal(code(() => verifyEnvelopingSignature(parts, caKey, CODES)), 'NEMID_SIGNATURE_INVALID', 'a CA key from KeyInfo');
  const tampered = read(real.replace('>logon<', '>logon <'));
  t.equal(code(() => verifyEnvelopingSignature(tampered, leafKey(tampered), CODES)), 'NEMID_SIGNATURE_INVALID', 'digest');
  const badSignedInfo = read(real.replace('<ds:Reference URI="#ToBeSigned">\n', '<ds:Reference URI="#ToBeSigned">\n\n'));
  t.equal(code(() => verifyEnvelopingSignature(badSignedInfo, leafKey(badSignedInfo), CODES)), 'NEMID_SIGNATURE_INVALID', 'SignedInfo whitespace is signed');
});

t.test('structure outside the profile is refused before any crypto', async (t) => {
  const edits: [string, string, string][] = [
    ['exclusive C14N', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    ['C14N with comments', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments'],
    ['rsa-sha1', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'],
    ['Reference URI', 'URI="#ToBeSigned"', 'URI="#signature"'],
    ['Reference Type attribute', 'URI="#ToBeSigned"', 'URI="#ToBeSigned" Type="http://www.w3.org/2000/09/xmldsig#Object"'],
    ['Transforms', '<ds:DigestMethod', '<ds:Transforms></ds:Transforms><ds:DigestMethod'],
    ['short DigestValue', 'DCjvshBRcVOEBKFZPynaqZ/ptK0Gjc+cIh7xcZMvrbs=', 'DCjvshBRcVOE'],
    ['wsu:Id duplicate', '<ds:KeyInfo>', '<ds:KeyInfo xmlns:wsu="urn:wsu" wsu:Id="ToBeSigned">'],
    ['ID duplicate', '<ds:KeyInfo>', '<ds:KeyInfo ID="ToBeSigned">'],
    ['Object Id renamed', ' Id="ToBeSigned"><ds:SignatureProperties>', ' ID="ToBeSigned"><ds:SignatureProperties>'],
    ['KeyName in KeyInfo', '<ds:KeyInfo>', '<ds:KeyInfo><ds:KeyName>x</ds:KeyName>'],
    ['comment in SignatureValue', '<ds:SignatureValue>\n', '<ds:SignatureValue><!--x-->\n'],
    ['text in SignedInfo', '</ds:Reference>\n', '</ds:Reference>\nx'],
    ['Object before KeyInfo', '<ds:KeyInfo>', '<ds:Object></ds:Object><ds:KeyInfo>'],
    ['second SignatureValue', '</ds:SignatureValue>\n', '</ds:SignatureValue>\n<ds:SignatureValue>AAAA</ds:SignatureValue>\n'],
  ];
  for (const [label, from, to] of edits) {
    const edited = real.replace(from, to);
    t.not(edited, real, `${label}: edit applies`);
    t.equal(code(() => read(edited)), 'NEMID_RESPONSE_MALFORMED', label);
  }
});
