import { certificateOf } from './key-cache.js';
import { constants, createCipheriv, publicEncrypt, randomBytes, type X509Certificate } from 'node:crypto';
import { appendElement } from './build.js';
import { NS } from './namespaces.js';

// XML Encryption of one element (saml-profile.md §3.4), written with node:crypto and the DOM. It does not use
// @authenio/xml-encryption because that library cannot produce xmlenc11 rsa-oaep (SHA-256 + MGF1-SHA-256) key
// transport and builds its output from string templates; decryption by SPs is checked against node-saml (which
// uses that library) in the tests.

export const AES256_GCM = 'http://www.w3.org/2009/xmlenc11#aes256-gcm';
export const AES256_CBC = 'http://www.w3.org/2001/04/xmlenc#aes256-cbc';
export const RSA_OAEP_MGF1P = 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p';
export const RSA_OAEP_XMLENC11 = 'http://www.w3.org/2009/xmlenc11#rsa-oaep';
export const MGF1_SHA256 = 'http://www.w3.org/2009/xmlenc11#mgf1sha256';
const ELEMENT_TYPE = 'http://www.w3.org/2001/04/xmlenc#Element';

export type ContentEncryption = typeof AES256_GCM | typeof AES256_CBC;
export type KeyTransport = typeof RSA_OAEP_MGF1P | typeof RSA_OAEP_XMLENC11;

export interface EncryptionOptions {
  /** The recipient's certificate (PEM), published in the EncryptedKey's KeyInfo. */
  recipientCertificate: string;
  content: ContentEncryption;
  keyTransport: KeyTransport;
}

function encryptContent(algorithm: ContentEncryption, key: Buffer, plaintext: Buffer): Buffer {
  if (algorithm === AES256_GCM) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  }
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final()]);
}

function encryptKey(transport: KeyTransport, certificate: X509Certificate, key: Buffer): Buffer {
  return publicEncrypt(
    { key: certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: transport === RSA_OAEP_MGF1P ? 'sha1' : 'sha256' },
    key,
  );
}

function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/**
 * Appends to `parent` an `xenc:EncryptedData` (Type Element) holding `plaintextXml` encrypted under a fresh
 * AES-256 key, which is itself RSA-OAEP encrypted to the recipient inside `ds:KeyInfo/xenc:EncryptedKey`.
 */
export function appendEncryptedData(parent: Element, plaintextXml: string, options: EncryptionOptions): Element {
  const certificate = certificateOf(options.recipientCertificate);
  const contentKey = randomBytes(32);
  const cipherValue = encryptContent(options.content, contentKey, Buffer.from(plaintextXml, 'utf8'));
  const encryptedKey = encryptKey(options.keyTransport, certificate, contentKey);

  const data = appendElement(parent, NS.xenc, 'xenc:EncryptedData', { Type: ELEMENT_TYPE });
  appendElement(data, NS.xenc, 'xenc:EncryptionMethod', { Algorithm: options.content });
  const keyInfo = appendElement(data, NS.ds, 'ds:KeyInfo');
  const keyElement = appendElement(keyInfo, NS.xenc, 'xenc:EncryptedKey');
  const method = appendElement(keyElement, NS.xenc, 'xenc:EncryptionMethod', { Algorithm: options.keyTransport });
  if (options.keyTransport === RSA_OAEP_MGF1P) {
    appendElement(method, NS.ds, 'ds:DigestMethod', { Algorithm: 'http://www.w3.org/2000/09/xmldsig#sha1' });
  } else {
    appendElement(method, NS.ds, 'ds:DigestMethod', { Algorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
    appendElement(method, NS.xenc11, 'xenc11:MGF', { Algorithm: MGF1_SHA256 });
  }
  const recipientKeyInfo = appendElement(keyElement, NS.ds, 'ds:KeyInfo');
  const x509Data = appendElement(recipientKeyInfo, NS.ds, 'ds:X509Data');
  appendElement(x509Data, NS.ds, 'ds:X509Certificate', {}, pemBody(options.recipientCertificate));
  const keyCipherData = appendElement(keyElement, NS.xenc, 'xenc:CipherData');
  appendElement(keyCipherData, NS.xenc, 'xenc:CipherValue', {}, encryptedKey.toString('base64'));
  const cipherData = appendElement(data, NS.xenc, 'xenc:CipherData');
  appendElement(cipherData, NS.xenc, 'xenc:CipherValue', {}, cipherValue.toString('base64'));
  return data;
}
