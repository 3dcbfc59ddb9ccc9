// Our XML Encryption output, decrypted by independent code: @authenio/xml-encryption (what node-saml uses) for the
// rsa-oaep-mgf1p forms; xmlenc11 rsa-oaep (SHA-256 + MGF1-SHA-256), which no available tool decrypts, by hand.
import t from 'tap';
import { constants, createDecipheriv, privateDecrypt } from 'node:crypto';
// @ts-expect-error -- the package ships no type declarations
import xmlenc from '@authenio/xml-encryption';
import { AES256_CBC, AES256_GCM, NS, RSA_OAEP_MGF1P, RSA_OAEP_XMLENC11, appendElement, appendEncryptedData, createDocument, serializeXml } from '../../../src/xml/index.js';
import { spEncryption } from '../saml/fixtures.js';

const plaintext = '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a">Tilde &amp; Ø</saml:Assertion>';

function encrypted(content: typeof AES256_GCM | typeof AES256_CBC, keyTransport: typeof RSA_OAEP_MGF1P | typeof RSA_OAEP_XMLENC11) {
  const root = createDocument(NS.saml, 'saml:EncryptedAssertion', { saml: NS.saml, xenc: NS.xenc, ds: NS.ds, xenc11: NS.xenc11 });
  appendEncryptedData(root, plaintext, { recipientCertificate: spEncryption.cert, content, keyTransport });
  return serializeXml(root);
}

const decryptWithLibrary = (xml: string) =>
  new Promise<string>((resolve, reject) =>
    xmlenc.decrypt(xml, { key: spEncryption.key, disallowDecryptionWithInsecureAlgorithm: false, warnInsecureAlgorithm: false }, (error: Error | null, result: string) =>
      error ? reject(error) : resolve(result),
    ),
  );

for (const content of [AES256_GCM, AES256_CBC] as const) {
  t.test(`${content} + rsa-oaep-mgf1p decrypts with @authenio/xml-encryption`, async (t) => {
    const xml = encrypted(content, RSA_OAEP_MGF1P);
    t.notMatch(xml, 'Tilde');
    t.equal(await decryptWithLibrary(xml), plaintext);
  });
}

// xmlsec1 1.2.37 (Debian 12) does not know xmlenc11#rsa-oaep and xml-encryption lacks it too, so this form is
// decrypted here by hand from the XML Encryption 1.1 definitions (OAEP with SHA-256 for digest and MGF1; GCM
// CipherValue = IV(12) ‖ ciphertext ‖ tag(16)).
t.test('xmlenc11 rsa-oaep (SHA-256, MGF1-SHA-256) + GCM decrypts per XML Encryption 1.1', async (t) => {
  const xml = encrypted(AES256_GCM, RSA_OAEP_XMLENC11);
  t.match(xml, '<xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#rsa-oaep"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><xenc11:MGF Algorithm="http://www.w3.org/2009/xmlenc11#mgf1sha256"/>');
  const [keyCipher, dataCipher] = [...xml.matchAll(/<xenc:CipherValue>([^<]+)<\/xenc:CipherValue>/g)].map((m) => Buffer.from(m[1] ?? '', 'base64'));
  const key = privateDecrypt({ key: spEncryption.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, keyCipher as Buffer);
  const data = dataCipher as Buffer;
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
  decipher.setAuthTag(data.subarray(data.length - 16));
  const clear = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]).toString('utf8');
  t.equal(clear, plaintext);
  t.throws(() => privateDecrypt({ key: spEncryption.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, keyCipher as Buffer), 'not SHA-1 OAEP');
});

t.test('the element can be appended into any parent', async (t) => {
  const root = createDocument(NS.samlp, 'samlp:Response', { samlp: NS.samlp, saml: NS.saml });
  const holder = appendElement(root, NS.saml, 'saml:EncryptedAssertion');
  const data = appendEncryptedData(holder, plaintext, { recipientCertificate: spEncryption.cert, content: AES256_GCM, keyTransport: RSA_OAEP_MGF1P });
  t.equal(data.parentNode, holder);
});
