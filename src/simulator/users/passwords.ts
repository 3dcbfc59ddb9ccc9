import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// Test users' passwords at rest: scrypt (RFC 7914) with a per-user salt, as `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`
// (base64). The shipped users' passwords are published on /developers/, so they get a cheap cost; created ones the
// usual interactive cost.

const KEY_BYTES = 32;
export const CREATED_USER_COST = 14;
export const SHIPPED_USER_COST = 10;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string, log2N = CREATED_USER_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, { N: 2 ** log2N, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${log2N}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether `password` matches `stored`; false for any hash it cannot read (fail closed). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![log2N, r, p].every(Number.isInteger) || log2N < 1 || log2N > 20 || r < 1 || r > 32 || p < 1 || p > 4) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length < 8 || expected.length !== KEY_BYTES) return false;
  const key = await scrypt(password, salt, { N: 2 ** log2N, r, p, maxmem: 128 * r * 2 ** log2N * 2 + 1024 * 1024 });
  return timingSafeEqual(key, expected);
}
