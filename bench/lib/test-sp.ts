import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Test SPs played by an independent SAML library (@node-saml/node-saml) with the repository's TEST-ONLY keys: how
// they are registered at the IdP (metadata written by node-saml + a policy file) and the node-saml instance that
// signs their AuthnRequests and verifies the answers. Shared by the e2e tests and the load driver.

const FIXTURES = resolve(import.meta.dirname, '../../test/fixtures/saml');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

export const SP_KEYS = {
  signingKey: read('sp-signing.TEST-ONLY.key.pem'),
  signingCert: read('sp-signing.TEST-ONLY.cert.pem'),
  encryptionKey: read('sp-encryption.TEST-ONLY.key.pem'),
  encryptionCert: read('sp-encryption.TEST-ONLY.cert.pem'),
};

export interface TestSpDefinition {
  /** File name in METADATA_DIR and the SP's path on its fake host: https://<name>.sp.test/ */
  readonly name: string;
  /** Policy JSON (saml-profile.md §8.2). */
  readonly policy: Record<string, unknown>;
  readonly encrypt?: boolean;
  /** SingleLogoutService bindings in its metadata (node-saml writes HTTP-POST; default ['post']). */
  readonly sloBindings?: readonly ('redirect' | 'post')[];
}

export interface NodeSamlOptions {
  readonly post?: boolean;
  readonly forceAuthn?: boolean;
  readonly passive?: boolean;
  readonly identifierFormat?: string | null;
  readonly idpInitiated?: boolean;
}

export function spEntityId(name: string): string {
  return `https://${name}.sp.test/metadata`;
}

/** A node-saml SP for a test SP definition, against the IdP at `baseUrl` whose signing certificate is `idpCert`. */
export function nodeSamlFor(baseUrl: string, idpCert: string, def: TestSpDefinition, options: NodeSamlOptions = {}): SAML {
  return new SAML({
    entryPoint: `${baseUrl}/saml/sso`,
    logoutUrl: `${baseUrl}/saml/slo`,
    issuer: spEntityId(def.name),
    audience: spEntityId(def.name),
    callbackUrl: `https://${def.name}.sp.test/acs`,
    logoutCallbackUrl: `https://${def.name}.sp.test/slo`,
    idpCert,
    idpIssuer: baseUrl,
    privateKey: SP_KEYS.signingKey,
    ...(def.encrypt === false ? {} : { decryptionPvk: SP_KEYS.encryptionKey }),
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    identifierFormat: options.identifierFormat === undefined ? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' : options.identifierFormat,
    authnContext: ['urn:oasis:names:tc:SAML:2.0:ac:classes:X509'],
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    // An IdP-initiated response answers no request: the SP must accept it without InResponseTo.
    validateInResponseTo: options.idpInitiated ? ValidateInResponseTo.never : ValidateInResponseTo.always,
    forceAuthn: options.forceAuthn ?? false,
    passive: options.passive ?? false,
    acceptedClockSkewMs: 5000,
    ...(options.post ? { authnRequestBinding: 'HTTP-POST', skipRequestCompression: true } : {}),
  });
}

const SLO_BINDING_URI = { redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST' };

/** Replaces node-saml's one HTTP-POST SingleLogoutService with the bindings the test SP asks for (same Location). */
function withSloBindings(metadata: string, def: TestSpDefinition): string {
  if (!def.sloBindings) return metadata;
  const existing = /<SingleLogoutService Binding="[^"]+" Location="([^"]+)"\/>/.exec(metadata);
  if (!existing) throw new Error('node-saml metadata has no SingleLogoutService');
  const services = def.sloBindings.map((binding) => `<SingleLogoutService Binding="${SLO_BINDING_URI[binding]}" Location="${existing[1]}"/>`).join('');
  return metadata.replace(existing[0], services);
}

/** Registers a test SP in `metadataDir`: node-saml writes its metadata with its own keys; the policy beside it. */
export function writeTestSp(metadataDir: string, baseUrl: string, def: TestSpDefinition): void {
  const saml = nodeSamlFor(baseUrl, 'unused', def);
  const xml = withSloBindings(saml.generateServiceProviderMetadata(def.encrypt === false ? null : SP_KEYS.encryptionCert, SP_KEYS.signingCert), def);
  writeFileSync(join(metadataDir, `${def.name}.xml`), xml);
  writeFileSync(join(metadataDir, `${def.name}.json`), JSON.stringify(def.policy, null, 2));
}

/** The SP the load driver logs in to by default: private sector, POCES, persistent NameID, encrypted assertion. */
export const LOAD_TEST_SP: TestSpDefinition = {
  name: 'loadtest',
  policy: { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' },
};
