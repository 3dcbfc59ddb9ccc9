import { randomBytes } from 'node:crypto';
import t from 'tap';
import { createCprVault, pidHmac } from '../../../src/login/index.js';

const oldKey = { id: 'k2024', key: randomBytes(32) };
const newKey = { id: 'k2025', key: randomBytes(32) };
const CPR = '7203851234';

t.test('seals under the first key; the sealed bytes do not contain the CPR', async (t) => {
  const vault = createCprVault([newKey, oldKey]);
  const sealed = vault.seal(CPR);
  t.equal(sealed.keyId, 'k2025');
  t.equal(vault.currentKeyId, 'k2025');
  t.equal(sealed.ciphertext[0], 1, 'version byte');
  t.notOk(sealed.ciphertext.includes(Buffer.from(CPR)), 'no plaintext');
  t.notOk(sealed.ciphertext.toString('latin1').includes('720385'));
  t.equal(vault.open(sealed.ciphertext, sealed.keyId), CPR);
  t.not(vault.seal(CPR).ciphertext.toString('hex'), sealed.ciphertext.toString('hex'), 'fresh nonce each time');
});

t.test('rotation: rows sealed under an older configured key still open', async (t) => {
  const before = createCprVault([oldKey]).seal(CPR);
  const after = createCprVault([newKey, oldKey]);
  t.equal(after.open(before.ciphertext, before.keyId), CPR);
  t.throws(() => createCprVault([newKey]).open(before.ciphertext, before.keyId), { code: 'INTERNAL_ERROR' }, 'a retired key no longer opens');
});

t.test('the key id and version are authenticated; tampering fails', async (t) => {
  const sameBytes = { id: 'relabelled', key: newKey.key };
  const vault = createCprVault([newKey, sameBytes]);
  const sealed = vault.seal(CPR);
  t.throws(() => vault.open(sealed.ciphertext, 'relabelled'), { code: 'INTERNAL_ERROR' }, 'same key bytes under another id');
  const flipped = Buffer.from(sealed.ciphertext);
  flipped[flipped.length - 20]! ^= 1;
  t.throws(() => vault.open(flipped, sealed.keyId), { code: 'INTERNAL_ERROR' });
  const version = Buffer.from(sealed.ciphertext);
  version[0] = 2;
  t.throws(() => vault.open(version, sealed.keyId), { code: 'INTERNAL_ERROR' });
  t.throws(() => vault.open(sealed.ciphertext.subarray(0, 20), sealed.keyId), { code: 'INTERNAL_ERROR' });
});

t.test('refuses to run without keys, and refuses to seal what is not a CPR', async (t) => {
  t.throws(() => createCprVault([]), { code: 'CONFIG_INVALID' });
  t.throws(() => createCprVault([{ id: 'short', key: randomBytes(16) }]), { code: 'CONFIG_INVALID' });
  t.throws(() => createCprVault([newKey]).seal('not a cpr'), { code: 'INTERNAL_ERROR' });
  t.throws(() => createCprVault([newKey]).seal('3102851234'), { code: 'INTERNAL_ERROR' });
});

t.test('PID HMAC: keyed, stable, prefix-insensitive', async (t) => {
  const secret = randomBytes(32);
  const a = pidHmac(secret, '9999-2002-2-100000000001');
  t.equal(a.length, 32);
  t.same(pidHmac(secret, 'PID:9999-2002-2-100000000001'), a);
  t.notSame(pidHmac(randomBytes(32), '9999-2002-2-100000000001'), a);
  t.notSame(pidHmac(secret, '9999-2002-2-100000000002'), a);
});
