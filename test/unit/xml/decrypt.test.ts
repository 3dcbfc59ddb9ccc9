// decryptEncryptedData against the IdP's own encryptor (encrypt.ts): round trips for both content algorithms and both
// key transports, and refusals for a wrong key, tampered ciphertext, rsa-1_5 and mismatched OAEP hashes.
import t from 'tap';
import { constants, publicEncrypt, randomBytes, createCipheriv, X509Certificate } from 'node:crypto';
import { isIdpError } from '../../../src/errors/index.js';
import {
  AES256_CBC,
  AES256_GCM,
  NS,
  RSA_OAEP_MGF1P,
  RSA_OAEP_XMLENC11,
  appendEncryptedData,
  createDocument,
  decryptEncryptedData,
  parseXml,
  serializeXml,
} from '../../../src/xml/index.js';
import { otherKey, spEncryption } from '../saml/fixtures.js';

const plaintext = '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a">Tilde &amp; Ø</saml:Assertion>';
const CODE = 'DEMO_SP_DECRYPTION_FAILED' as const;

function encryptedXml(content: typeof AES256_GCM | typeof AES256_CBC, keyTransport: typeof RSA_OAEP_MGF1P | typeof RSA_OAEP_XMLENC11): string {
  const root = createDocument(NS.saml, 'saml:EncryptedAssertion', { saml: NS.saml, xenc: NS.xenc, ds: NS.ds, xenc11: NS.xenc11 });
  appendEncryptedData(root, plaintext, { recipientCertificate: spEncryption.cert, content, keyTransport });
  return serializeXml(root);
}

const holderOf = (xml: string) => parseXml(xml, { maxBytes: 1 << 20, errorCode: 'BAD_REQUEST' }).documentElement as Element;
const decrypt = (xml: string, privateKey = spEncryption.key) => decryptEncryptedData(holderOf(xml), { privateKey, errorCode: CODE });

/** The catalogue code `fn` is refused with; 'accepted' when it is not refused, 'foreign' for other errors. */
function refusal(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return isIdpError(error) ? error.code : 'foreign';
  }
}

for (const content of [AES256_GCM, AES256_CBC] as const) {
  for (const transport of [RSA_OAEP_MGF1P, RSA_OAEP_XMLENC11] as const) {
    t.test(`round trip ${content.split('#')[1]} + ${transport}`, async (t) => {
      const xml = encryptedXml(content, transport);
      t.notMatch(xml, 'Tilde');
      t.equal(decrypt(xml), plaintext);
      t.equal(refusal(() => decrypt(xml, otherKey.key)), CODE);
    });
  }
}

t.test('a flipped ciphertext bit is refused (GCM tag; CBC garbage or padding)', async (t) => {
  for (const content of [AES256_GCM, AES256_CBC] as const) {
    const xml = encryptedXml(content, RSA_OAEP_MGF1P);
    const values = [...xml.matchAll(/<xenc:CipherValue>([^<]+)<\/xenc:CipherValue>/g)].map((m) => m[1] ?? '');
    const data = Buffer.from(values[1] ?? '', 'base64');
    data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0x01;
    const tampered = xml.replace(values[1] ?? '', data.toString('base64'));
    if (content === AES256_GCM) t.equal(refusal(() => decrypt(tampered)), CODE);
    else {
      // CBC has no integrity: a flip either breaks the padding or yields other text, never the plaintext.
      let result: string | undefined;
      try {
        result = decrypt(tampered);
      } catch (error) {
        t.equal((error as { code?: string }).code, CODE);
      }
      t.not(result, plaintext);
    }
  }
});

t.test('rsa-1_5, a foreign algorithm and mismatched OAEP hashes are refused', async (t) => {
  const xml = encryptedXml(AES256_GCM, RSA_OAEP_XMLENC11);
  t.equal(refusal(() => decrypt(xml.replace(RSA_OAEP_XMLENC11, 'http://www.w3.org/2001/04/xmlenc#rsa-1_5'))), CODE);
  t.equal(refusal(() => decrypt(xml.replace('http://www.w3.org/2009/xmlenc11#mgf1sha256', 'http://www.w3.org/2009/xmlenc11#mgf1sha1'))), CODE);
  t.equal(refusal(() => decrypt(xml.replace(AES256_GCM, 'http://www.w3.org/2001/04/xmlenc#aes128-cbc'))), CODE);
  const mgf1p = encryptedXml(AES256_GCM, RSA_OAEP_MGF1P);
  t.equal(refusal(() => decrypt(mgf1p.replace('http://www.w3.org/2000/09/xmldsig#sha1', 'http://www.w3.org/2001/04/xmlenc#sha256'))), CODE);
});

t.test('structure: no EncryptedData, two EncryptedKeys, a CipherReference are refused', async (t) => {
  t.equal(refusal(() => decrypt('<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"/>')), CODE);
  const xml = encryptedXml(AES256_GCM, RSA_OAEP_MGF1P);
  const key = /<xenc:EncryptedKey>[\s\S]*<\/xenc:EncryptedKey>/.exec(xml)?.[0] ?? '';
  t.equal(refusal(() => decrypt(xml.replace('</xenc:EncryptedData>', `</xenc:EncryptedData>${key}`))), CODE);
  t.equal(refusal(() => decrypt(xml.replace(/<xenc:CipherValue>[^<]+<\/xenc:CipherValue><\/xenc:CipherData><\/xenc:EncryptedData>/, '<xenc:CipherReference URI="http://x"/></xenc:CipherData></xenc:EncryptedData>'))), CODE);
});

t.test('an EncryptedKey beside the EncryptedData (SAML §2.5.1.3 layout) is found', async (t) => {
  const xml = encryptedXml(AES256_CBC, RSA_OAEP_MGF1P);
  const key = /<xenc:EncryptedKey>[\s\S]*<\/xenc:EncryptedKey>/.exec(xml)?.[0] ?? '';
  const moved = xml.replace(key, '').replace('</xenc:EncryptedData>', `</xenc:EncryptedData>${key}`);
  t.equal(decrypt(moved), plaintext);
});

t.test('independently produced XML Encryption (hand-made with node:crypto, XML Enc padding) decrypts', async (t) => {
  const contentKey = randomBytes(32);
  const iv = randomBytes(16);
  const body = Buffer.from(plaintext, 'utf8');
  // XML Encryption padding with arbitrary filler octets: only the last octet (the count) is meaningful.
  const padLength = 16 - (body.length % 16);
  const padded = Buffer.concat([body, randomBytes(padLength - 1), Buffer.from([padLength])]);
  const cipher = createCipheriv('aes-256-cbc', contentKey, iv).setAutoPadding(false);
  const data = Buffer.concat([iv, cipher.update(padded), cipher.final()]);
  const publicKey = new X509Certificate(spEncryption.cert).publicKey;
  const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, contentKey);
  const xml = `<saml:EncryptedAssertion xmlns:saml="${NS.saml}"><xenc:EncryptedData xmlns:xenc="${NS.xenc}" Type="http://www.w3.org/2001/04/xmlenc#Element">
<xenc:EncryptionMethod Algorithm="${AES256_CBC}"/><ds:KeyInfo xmlns:ds="${NS.ds}"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="${RSA_OAEP_MGF1P}"/>
<xenc:CipherData><xenc:CipherValue>${wrapped.toString('base64').replace(/(.{64})/g, '$1\n')}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>
<xenc:CipherData><xenc:CipherValue>${data.toString('base64')}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>`;
  t.equal(decrypt(xml), plaintext);
});
