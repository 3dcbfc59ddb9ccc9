import { constants, createDecipheriv, privateDecrypt } from 'node:crypto';
import { IdpError, type ErrorCode } from '../errors/index.js';
import { decodeBase64IgnoringWhitespace } from '../shared/index.js';
import { AES256_CBC, AES256_GCM, MGF1_SHA256, RSA_OAEP_MGF1P, RSA_OAEP_XMLENC11 } from './encrypt.js';
import { NS } from './namespaces.js';
import { childElements, singleText } from './parse.js';

// Decryption of one XML Encryption element (an saml:EncryptedAssertion's xenc:EncryptedData) with node:crypto, for
// the simulator's demo SP. Only the forms encrypt.ts writes are known: AES-256-GCM or AES-256-CBC content, RSA-OAEP
// key transport (rsa-oaep-mgf1p, or xmlenc11 rsa-oaep with matching digest and MGF1 hash); rsa-1_5 never. The
// plaintext is NOT trusted: it is returned as text for the one parser and a signature check.

export interface DecryptOptions {
  /** The recipient's RSA private key (PEM). */
  privateKey: string;
  /** The catalogue code for every refusal (one code: the reason is not told to the sender). */
  errorCode: ErrorCode;
}

const ELEMENT_TYPE = 'http://www.w3.org/2001/04/xmlenc#Element';
const MGF1_SHA1 = 'http://www.w3.org/2009/xmlenc11#mgf1sha1';

/** DigestMethod URIs for OAEP and the MGF1 URI that uses the same hash (node:crypto has one hash for both). */
const OAEP_DIGESTS: Readonly<Record<string, { hash: string; mgf: string }>> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': { hash: 'sha1', mgf: MGF1_SHA1 },
  'http://www.w3.org/2001/04/xmlenc#sha256': { hash: 'sha256', mgf: MGF1_SHA256 },
  'http://www.w3.org/2001/04/xmldsig-more#sha384': { hash: 'sha384', mgf: 'http://www.w3.org/2009/xmlenc11#mgf1sha384' },
  'http://www.w3.org/2001/04/xmlenc#sha512': { hash: 'sha512', mgf: 'http://www.w3.org/2009/xmlenc11#mgf1sha512' },
};
const SHA1_DIGEST = 'http://www.w3.org/2000/09/xmldsig#sha1';

function refuse(code: ErrorCode, reason: string, cause?: unknown): never {
  throw new IdpError(code, `encrypted element refused: ${reason}`, cause === undefined ? undefined : { cause });
}

function one(elements: Element[], code: ErrorCode, what: string): Element {
  const [first] = elements;
  if (elements.length !== 1 || !first) refuse(code, `expected exactly one ${what}`);
  return first;
}

function cipherValue(parent: Element, code: ErrorCode): Buffer {
  const children = childElements(parent);
  const cipherData = one(childElements(parent, NS.xenc, 'CipherData'), code, 'CipherData');
  if (children[children.length - 1] !== cipherData) refuse(code, 'CipherData must come last');
  const value = one(childElements(cipherData), code, 'CipherValue (CipherReference is not supported)');
  if (value.namespaceURI !== NS.xenc || value.localName !== 'CipherValue') refuse(code, 'CipherReference is not supported');
  const bytes = decodeBase64IgnoringWhitespace(singleText(value, code));
  if (!bytes) refuse(code, 'CipherValue is not base64');
  return bytes;
}

/** The OAEP hash named by an EncryptedKey's EncryptionMethod; anything but OAEP with one hash is refused. */
function oaepHash(method: Element, code: ErrorCode): string {
  const algorithm = method.getAttribute('Algorithm');
  const parameters = childElements(method);
  const digests = childElements(method, NS.ds, 'DigestMethod');
  const mgfs = childElements(method, NS.xenc11, 'MGF');
  if (digests.length > 1 || mgfs.length > 1 || parameters.length !== digests.length + mgfs.length) {
    refuse(code, 'unexpected key transport parameters (OAEPparams are not supported)');
  }
  const digestUri = digests[0]?.getAttribute('Algorithm') ?? SHA1_DIGEST;
  const digest = Object.hasOwn(OAEP_DIGESTS, digestUri) ? OAEP_DIGESTS[digestUri] : undefined;
  if (!digest) refuse(code, 'OAEP digest not allowed');
  if (algorithm === RSA_OAEP_MGF1P) {
    // rsa-oaep-mgf1p fixes MGF1 with SHA-1; only the SHA-1 digest makes it one hash.
    if (mgfs.length > 0 || digest.hash !== 'sha1') refuse(code, 'rsa-oaep-mgf1p takes only the SHA-1 digest');
    return 'sha1';
  }
  if (algorithm === RSA_OAEP_XMLENC11) {
    const mgfUri = mgfs[0]?.getAttribute('Algorithm') ?? MGF1_SHA1;
    if (mgfUri !== digest.mgf) refuse(code, 'OAEP digest and MGF1 hash differ');
    return digest.hash;
  }
  return refuse(code, 'key transport algorithm not allowed');
}

/** The one xenc:EncryptedKey: inside the EncryptedData's KeyInfo or, as SAML also allows, its sibling. */
function findEncryptedKey(holder: Element, encryptedData: Element, code: ErrorCode): Element {
  const keyInfos = childElements(encryptedData, NS.ds, 'KeyInfo');
  if (keyInfos.length > 1) refuse(code, 'more than one KeyInfo');
  const inside = keyInfos.flatMap((keyInfo) => childElements(keyInfo, NS.xenc, 'EncryptedKey'));
  const beside = childElements(holder, NS.xenc, 'EncryptedKey');
  return one([...inside, ...beside], code, 'EncryptedKey');
}

function unwrapContentKey(encryptedKey: Element, privateKey: string, code: ErrorCode): Buffer {
  const method = one(childElements(encryptedKey, NS.xenc, 'EncryptionMethod'), code, 'EncryptedKey EncryptionMethod');
  const hash = oaepHash(method, code);
  const wrapped = cipherValue(encryptedKey, code);
  let key: Buffer;
  try {
    key = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, wrapped);
  } catch (error) {
    return refuse(code, 'content key does not decrypt', error);
  }
  if (key.length !== 32) refuse(code, 'content key is not 256 bits');
  return key;
}

function decryptContent(algorithm: string, key: Buffer, data: Buffer, code: ErrorCode): Buffer {
  try {
    if (algorithm === AES256_GCM) {
      if (data.length < 12 + 16) refuse(code, 'GCM data too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12), { authTagLength: 16 });
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
    }
    if (algorithm === AES256_CBC) {
      if (data.length < 32 || data.length % 16 !== 0) refuse(code, 'CBC data length');
      const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16));
      // XML Encryption padding: the last octet counts the padding octets, whose other values are arbitrary.
      decipher.setAutoPadding(false);
      const padded = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
      const padding = padded[padded.length - 1] ?? 0;
      if (padding < 1 || padding > 16) refuse(code, 'CBC padding');
      return padded.subarray(0, padded.length - padding);
    }
  } catch (error) {
    if (error instanceof IdpError) throw error;
    return refuse(code, 'content does not decrypt', error);
  }
  return refuse(code, 'content encryption algorithm not allowed');
}

/**
 * Decrypts the one `xenc:EncryptedData` child of `holder` (e.g. `saml:EncryptedAssertion`) and returns the
 * plaintext XML as text, still unverified. Every refusal throws IdpError(options.errorCode).
 */
export function decryptEncryptedData(holder: Element, options: DecryptOptions): string {
  const code = options.errorCode;
  const others = childElements(holder).filter((child) => !(child.namespaceURI === NS.xenc && child.localName === 'EncryptedKey'));
  const encryptedData = one(others, code, 'EncryptedData');
  if (encryptedData.namespaceURI !== NS.xenc || encryptedData.localName !== 'EncryptedData') refuse(code, 'expected xenc:EncryptedData');
  if (encryptedData.hasAttribute('Type') && encryptedData.getAttribute('Type') !== ELEMENT_TYPE) refuse(code, 'only Type Element is supported');
  const method = one(childElements(encryptedData, NS.xenc, 'EncryptionMethod'), code, 'EncryptionMethod');
  if (childElements(encryptedData)[0] !== method) refuse(code, 'EncryptionMethod must come first');
  if (childElements(method).length > 0) refuse(code, 'content EncryptionMethod parameters not allowed');
  const algorithm = method.getAttribute('Algorithm') ?? '';

  const contentKey = unwrapContentKey(findEncryptedKey(holder, encryptedData, code), options.privateKey, code);
  const plaintext = decryptContent(algorithm, contentKey, cipherValue(encryptedData, code), code);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch (error) {
    return refuse(code, 'plaintext is not UTF-8', error);
  }
}
