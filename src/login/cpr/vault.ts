import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { NamedKey } from '../../config/index.js';
import { IdpError } from '../../errors/index.js';
import type { CprVault } from '../deps.js';
import { isValidCpr } from './cpr-number.js';

// CPR numbers at rest (the login transaction row and cpr_memory): AES-256-GCM under a named key. The first
// configured key seals, every configured key opens, so keys rotate without a flag day. The sealed form is
// version byte ‖ 12-byte nonce ‖ ciphertext ‖ 16-byte tag; the version byte and the key id are bound in as AAD, so a
// row cannot be relabelled to another key id or format without failing authentication.

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function aadFor(keyId: string): Buffer {
  return Buffer.concat([Buffer.from([VERSION]), Buffer.from(`nemid-idp:cpr:${keyId}`, 'utf8')]);
}

export interface CprKeyRing extends CprVault {
  /** The id new seals use (the first configured key). */
  readonly currentKeyId: string;
}

export function createCprVault(keys: readonly NamedKey[]): CprKeyRing {
  const first = keys[0];
  if (!first) throw new IdpError('CONFIG_INVALID', 'CPR_ENCRYPTION_KEYS: at least one key is needed to store CPR numbers');
  for (const key of keys) {
    if (key.key.length !== 32) throw new IdpError('CONFIG_INVALID', `CPR_ENCRYPTION_KEYS: key ${key.id} is not 32 bytes`);
  }
  const byId = new Map(keys.map((key) => [key.id, key.key]));
  return {
    currentKeyId: first.id,
    seal(cpr) {
      if (!isValidCpr(cpr)) throw new IdpError('INTERNAL_ERROR', 'refusing to seal something that is not a CPR number');
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', first.key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aadFor(first.id));
      const body = Buffer.concat([cipher.update(cpr, 'utf8'), cipher.final()]);
      return { ciphertext: Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]), keyId: first.id };
    },
    open(ciphertext, keyId) {
      const key = byId.get(keyId);
      if (!key) throw new IdpError('INTERNAL_ERROR', 'CPR sealed under a key that is no longer configured', { detail: { keyId } });
      if (ciphertext.length < 1 + NONCE_BYTES + TAG_BYTES + 1 || ciphertext[0] !== VERSION) {
        throw new IdpError('INTERNAL_ERROR', 'sealed CPR has an unknown format', { detail: { keyId } });
      }
      const nonce = ciphertext.subarray(1, 1 + NONCE_BYTES);
      const tag = ciphertext.subarray(ciphertext.length - TAG_BYTES);
      const body = ciphertext.subarray(1 + NONCE_BYTES, ciphertext.length - TAG_BYTES);
      let cpr: string;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
        decipher.setAAD(aadFor(keyId));
        decipher.setAuthTag(tag);
        cpr = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new IdpError('INTERNAL_ERROR', 'sealed CPR failed authentication', { cause, detail: { keyId } });
      }
      if (!isValidCpr(cpr)) throw new IdpError('INTERNAL_ERROR', 'sealed CPR does not hold a CPR number', { detail: { keyId } });
      return cpr;
    },
  };
}
