import { createHmac, randomInt } from 'node:crypto';

// Simulated NemID code cards. A card number is `G` + 9 digits; the card answers a 4-digit key with a 6-digit code
// that tests can compute from the card number alone (nemid-protocol.md §10 item 3).

export const CARD_NUMBER_PATTERN = /^G[0-9]{9}$/;
export const KEY_PATTERN = /^[0-9]{4}$/;
/** A real code card had 148 key/code pairs. */
export const KEYS_PER_CARD = 148;

/**
 * The code printed next to `key` on card `cardNumber`.
 * Precisely: mac = HMAC-SHA256(secret = UTF-8 bytes of the card number, e.g. "G123456789"; message = UTF-8 bytes of
 * the 4-digit key, e.g. "0421"); read the 32 bytes as one unsigned big-endian integer; write it in decimal without
 * leading zeros; the code is its first 6 characters (left-padded with "0" in the astronomically rare case of fewer
 * than 6 digits).
 */
export function codeFor(cardNumber: string, key: string): string {
  if (!CARD_NUMBER_PATTERN.test(cardNumber)) throw new RangeError('card number must be G + 9 digits');
  if (!KEY_PATTERN.test(key)) throw new RangeError('key must be 4 digits');
  const mac = createHmac('sha256', Buffer.from(cardNumber, 'utf8')).update(Buffer.from(key, 'utf8')).digest();
  const decimal = BigInt(`0x${mac.toString('hex')}`).toString(10);
  return decimal.slice(0, 6).padStart(6, '0');
}

/**
 * The keys printed on a card, in card order: for i = 0, 1, …, the 4-digit key
 * HMAC-SHA256(card number, "key-" + i) read as above, first 4 decimal digits; repeats are skipped until the card
 * holds KEYS_PER_CARD distinct keys.
 */
export function cardKeys(cardNumber: string): string[] {
  if (!CARD_NUMBER_PATTERN.test(cardNumber)) throw new RangeError('card number must be G + 9 digits');
  const keys = new Set<string>();
  for (let i = 0; keys.size < KEYS_PER_CARD; i += 1) {
    const mac = createHmac('sha256', Buffer.from(cardNumber, 'utf8')).update(`key-${i}`).digest();
    keys.add(BigInt(`0x${mac.toString('hex')}`).toString(10).slice(0, 4).padStart(4, '0'));
  }
  return [...keys];
}

/** A key from the card, chosen by the CSPRNG, to ask for in one login. */
export function pickChallengeKey(cardNumber: string): string {
  const keys = cardKeys(cardNumber);
  return keys[randomInt(keys.length)] as string;
}
