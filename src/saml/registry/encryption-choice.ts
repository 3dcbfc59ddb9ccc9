import { AES256_CBC, AES256_GCM, RSA_OAEP_MGF1P, RSA_OAEP_XMLENC11, MGF1_SHA256, type ContentEncryption, type KeyTransport } from '../../xml/index.js';
import type { SpPolicy } from './policy.js';
import type { KeyDescriptorFacts } from './sp-metadata.js';

// Chooses the content and key-transport algorithms for an SP (saml-profile.md §3.4) and reports the registration
// problems of §8.2 that depend on the listed EncryptionMethods. Content and key-transport methods are judged
// separately: SPs commonly list only content algorithms (node-saml, OIOSAML.Java do), which says nothing against
// the default key transport; only a list that names key transports and none of ours is a contradiction.

const SHA256_DIGEST = 'http://www.w3.org/2001/04/xmlenc#sha256';
const KEY_TRANSPORT_URIS = new Set([
  RSA_OAEP_MGF1P,
  RSA_OAEP_XMLENC11,
  'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
  'http://www.w3.org/2001/04/xmlenc#kw-aes128',
  'http://www.w3.org/2001/04/xmlenc#kw-aes256',
]);

export function chooseEncryption(
  policy: SpPolicy,
  key: KeyDescriptorFacts | undefined,
): { content?: ContentEncryption; keyTransport?: KeyTransport; problems: string[] } {
  if (!key || policy.encryptAssertion === 'never') return { problems: [] };
  const content: ContentEncryption = policy.encryptAssertion === 'aes256-cbc' ? AES256_CBC : AES256_GCM;
  const listed = key.encryptionMethods;
  if (listed.length === 0) return { content, keyTransport: RSA_OAEP_MGF1P, problems: [] };
  const problems: string[] = [];
  if (!listed.some((method) => method.algorithm === content)) {
    problems.push(`encryptAssertion "${policy.encryptAssertion}" (${content}) is not among the EncryptionMethods the SP lists`);
  }
  const oaep11 = listed.some(
    (method) => method.algorithm === RSA_OAEP_XMLENC11 && method.mgf === MGF1_SHA256 && (method.digest === undefined || method.digest === SHA256_DIGEST),
  );
  const oaepMgf1p = listed.some((method) => method.algorithm === RSA_OAEP_MGF1P);
  const listsKeyTransports = listed.some((method) => KEY_TRANSPORT_URIS.has(method.algorithm));
  const keyTransport = oaep11 ? RSA_OAEP_XMLENC11 : oaepMgf1p || !listsKeyTransports ? RSA_OAEP_MGF1P : undefined;
  if (!keyTransport) problems.push('the SP lists key-transport EncryptionMethods but none of our RSA-OAEP ones');
  return { content, ...(keyTransport ? { keyTransport } : {}), problems };
}
