import type { NamedKey } from './types.js';

// Secrets are lists so they can be rotated: the first entry is used for new values, every entry is accepted.

const MIN_SECRET_BYTES = 32;

export function decodeSecret(setting: string, text: string, problems: string[]): Buffer | null {
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (bytes.length < MIN_SECRET_BYTES) {
    problems.push(`${setting}: each secret must be base64 of at least ${MIN_SECRET_BYTES} random bytes`);
    return null;
  }
  return bytes;
}

export function parseCookieSecrets(values: string[], problems: string[]): string[] {
  if (values.some((v) => v.length < MIN_SECRET_BYTES)) {
    problems.push(`COOKIE_SECRETS: each secret must be at least ${MIN_SECRET_BYTES} characters`);
  }
  return values;
}

/** `id:base64key` items, AES-256 keys (32 bytes), unique ids. */
export function parseEncryptionKeys(setting: string, values: string[], problems: string[]): NamedKey[] {
  const keys: NamedKey[] = [];
  for (const value of values) {
    const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]+={0,2})$/.exec(value);
    const key = match ? Buffer.from(match[2]!, 'base64') : null;
    if (!match || !key || key.length !== 32) {
      problems.push(`${setting}: each entry must be <id>:<base64 of 32 random bytes>`);
      continue;
    }
    if (keys.some((k) => k.id === match[1])) problems.push(`${setting}: key id ${match[1]} appears twice`);
    keys.push({ id: match[1]!, key });
  }
  return keys;
}
