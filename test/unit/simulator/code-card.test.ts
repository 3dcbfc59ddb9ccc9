import t from 'tap';
import { cardKeys, codeFor, KEYS_PER_CARD } from '../../../src/simulator/users/code-card.js';

t.test('codeFor: first 6 decimal digits of HMAC-SHA256(card, key) as a big-endian integer', async (t) => {
  // Vectors computed independently with Python: str(int.from_bytes(hmac.new(card, key, sha256).digest(), 'big'))[:6]
  t.equal(codeFor('G123456789', '0421'), '502462');
  t.equal(codeFor('G000000001', '9999'), '675039');
  t.not(codeFor('G123456789', '0422'), codeFor('G123456789', '0421'), 'the key matters');
  t.match(codeFor('G100000001', '0000'), /^[0-9]{6}$/);
});

t.test('codeFor refuses malformed card numbers and keys', async (t) => {
  t.throws(() => codeFor('123456789', '0421'));
  t.throws(() => codeFor('G12345678', '0421'));
  t.throws(() => codeFor('G123456789', '421'));
  t.throws(() => codeFor('G123456789', '04210'));
});

t.test('a card holds 148 distinct 4-digit keys, the same every time', async (t) => {
  const keys = cardKeys('G100000001');
  t.equal(keys.length, KEYS_PER_CARD);
  t.equal(new Set(keys).size, KEYS_PER_CARD);
  t.ok(keys.every((key) => /^[0-9]{4}$/.test(key)));
  t.same(cardKeys('G100000001'), keys);
  t.notSame(cardKeys('G100000002'), keys);
});
