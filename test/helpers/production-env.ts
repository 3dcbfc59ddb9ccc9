import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { makeTestKeyPair } from './keys.js';

// A complete production configuration for tests: fresh test keys, fresh secrets, the real production trust store.

const ROOT = resolve(import.meta.dirname, '../..');
const secret = () => randomBytes(32).toString('base64');

export function productionEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const idp = makeTestKeyPair('idp');
  const voces = makeTestKeyPair('voces');
  return {
    NEMID_ENVIRONMENT: 'production',
    IDP_BASE_URL: 'https://idp.example.dk',
    IDP_ENTITY_ID: 'https://idp.example.dk',
    IDP_SIGNING_KEY: idp.keyPath,
    IDP_SIGNING_CERT: idp.certPath,
    DATABASE_URL: 'postgres://idp@db.example.dk:5432/idp',
    IDP_DISPLAY_NAME_DA: 'Eksempel-IdP',
    IDP_DISPLAY_NAME_EN: 'Example IdP',
    IDP_ORGANIZATION_NAME: 'Eksempel A/S',
    IDP_ORGANIZATION_URL: 'https://example.dk',
    IDP_CONTACT_TECHNICAL: 'drift@example.dk',
    IDP_CONTACT_SUPPORT: 'support@example.dk',
    NEMID_SP_KEY: voces.keyPath,
    NEMID_SP_CERT: voces.certPath,
    NEMID_REQUEST_ISSUER: 'Eksempel',
    NEMID_CLIENT_ORIGIN: 'https://applet.danid.dk',
    NEMID_JS_CLIENT_URL: 'https://applet.danid.dk/launcher/lmt',
    OCES_TRUST_DIR: resolve(ROOT, 'trust/production'),
    REVOCATION_HOSTS: 'crl.*.trust2408.com',
    COOKIE_SECRETS: `${secret()},${secret()}`,
    PSEUDONYM_SECRET: secret(),
    CPR_ENCRYPTION_KEYS: `k2:${secret()},k1:${secret()}`,
    CPR_PID_HMAC_SECRET: secret(),
    ...overrides,
  };
}

/** The key files of a production environment, for tests that swap one. */
export function keyPathsOf(env: Record<string, string | undefined>) {
  return { idpKey: env['IDP_SIGNING_KEY']!, vocesKey: env['NEMID_SP_KEY']! };
}
