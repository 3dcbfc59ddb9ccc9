import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SealedCpr } from './model.js';

// Test users' CPR numbers at rest, sealed like the IdP seals real ones: AES-256-GCM, version byte ‖ 12-byte nonce ‖
// ciphertext ‖ 16-byte tag, the version and key id bound in as AAD. The simulator's keys are derived (HKDF-SHA256)
// from the configured CPR_ENCRYPTION_KEYS, so every instance sharing the configuration opens every row and the
// IdP's own keys are never used directly for a second purpose. The first key seals, every key opens.

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const CPR = /^[0-9]{10}$/;

export interface CprSealer {
  seal(cpr: string): SealedCpr;
  open(sealed: SealedCpr): string;
}

const aadFor = (keyId: string) => Buffer.concat([Buffer.from([VERSION]), Buffer.from(`nemid-idp:simulator-cpr:${keyId}`, 'utf8')]);

export function createCprSealer(keys: ReadonlyArray<{ id: string; key: Buffer }>): CprSealer {
  const derived = keys.map(({ id, key }) => ({
    id,
    key: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), Buffer.from('nemid-idp simulator test-user CPR', 'utf8'), 32)),
  }));
  const first = derived[0];
  if (!first) throw new RangeError('the simulator needs a CPR key to store test users');
  const byId = new Map(derived.map((entry) => [entry.id, entry.key]));
  return {
    seal(cpr) {
      if (!CPR.test(cpr)) throw new RangeError('refusing to seal something that is not a CPR number');
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', first.key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aadFor(first.id));
      const body = Buffer.concat([cipher.update(cpr, 'utf8'), cipher.final()]);
      return { ciphertext: Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]), keyId: first.id };
    },
    open({ ciphertext, keyId }) {
      const key = byId.get(keyId);
      if (!key || ciphertext.length < 1 + NONCE_BYTES + TAG_BYTES + 1 || ciphertext[0] !== VERSION) throw new RangeError('sealed CPR cannot be opened');
      const decipher = createDecipheriv('aes-256-gcm', key, ciphertext.subarray(1, 1 + NONCE_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(aadFor(keyId));
      decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES));
      const cpr = Buffer.concat([decipher.update(ciphertext.subarray(1 + NONCE_BYTES, ciphertext.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      if (!CPR.test(cpr)) throw new RangeError('sealed CPR does not hold a CPR number');
      return cpr;
    },
  };
}

/** Constant-time comparison of two CPR numbers (ten ASCII digits each). */
export function sameCpr(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
