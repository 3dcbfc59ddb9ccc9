import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SettingName, SimulatorContext } from './config/index.js';
import { buildCertificate, derToPem, encodeName, generateDevPki, loadDevPki, newRsaKey, OID, writeDevPki, type DevPki } from './pki/index.js';
import { issueSimulatorUsers, SIMULATOR_PUBLIC_SPID, type DemoSpCredentials } from './simulator/index.js';

// The fresh-checkout environment: everything the simulator needs is generated once under DATA_DIR/simulator and
// reused on the next start. Nothing here is ever used outside NEMID_ENVIRONMENT=simulator, and every generated
// certificate and name says SIMULATOR.

export function simulatorDir(dataDir: string): string {
  return join(dataDir, 'simulator');
}

export function simulatorOrigin(simulatorPort: number): string {
  return `http://localhost:${simulatorPort}`;
}

// The configuration bootstrap and the simulator server both need the PKI during one start: load it once.
const loaded = new Map<string, Promise<DevPki>>();

/** Generates (first start) or loads (later starts) the simulator PKI under `<dataDir>/simulator/pki`. */
export function ensureDevPki(dataDir: string, simulatorPort: number): Promise<DevPki> {
  const dir = join(simulatorDir(dataDir), 'pki');
  let pki = loaded.get(dir);
  if (!pki) {
    pki = loadOrGenerate(dir, simulatorPort);
    loaded.set(dir, pki);
    pki.catch(() => loaded.delete(dir));
  }
  return pki;
}

async function loadOrGenerate(dir: string, simulatorPort: number): Promise<DevPki> {
  const origin = simulatorOrigin(simulatorPort);
  let pki = existsSync(join(dir, 'state.json')) ? loadDevPki(dir) : undefined;
  if (pki && pki.baseUrl !== origin) {
    // Its certificates name the CRL and OCSP URLs of the simulator origin they were made for: after a change of
    // SIMULATOR_PORT every revocation check would fail. Test material only, so it is made again for the new origin.
    rmSync(dir, { recursive: true, force: true });
    pki = undefined;
  }
  pki ??= await generateDevPki({ baseUrl: origin });
  const before = pki.users.size;
  await issueSimulatorUsers(pki, new Date());
  if (before !== pki.users.size || !existsSync(join(dir, 'state.json'))) writeDevPki(dir, pki);
  return pki;
}

/** A self-signed RSA-2048 key pair under `dir` (`<stem>.SIMULATOR.key.pem` / `.cert.pem`), made once. */
async function ensureSelfSignedCredential(dir: string, stem: string, commonName: string): Promise<{ keyPath: string; certPath: string }> {
  const keyPath = join(dir, `${stem}.SIMULATOR.key.pem`);
  const certPath = join(dir, `${stem}.SIMULATOR.cert.pem`);
  if (existsSync(keyPath) && existsSync(certPath)) return { keyPath, certPath };
  const key = await newRsaKey(2048);
  const name = encodeName([
    [{ oid: OID.country, value: 'DK', string: 'printable' }],
    [{ oid: OID.organization, value: 'nemid-idp SIMULATOR' }],
    [{ oid: OID.commonName, value: commonName }],
  ]);
  const now = Date.now();
  const der = buildCertificate({
    serialHex: `1${randomBytes(7).toString('hex')}`.toUpperCase(),
    issuer: name,
    subject: name,
    notBefore: new Date(now - 24 * 3600 * 1000),
    notAfter: new Date(now + 10 * 365 * 24 * 3600 * 1000),
    publicKey: createPublicKey(key),
    signingKey: key,
    extensions: [],
  });
  writeFileSync(keyPath, key.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  writeFileSync(certPath, derToPem(der));
  return { keyPath, certPath };
}

/** The TLS server key and certificate (self-signed, CN=localhost) of the simulated PID-CPR's mutual-TLS listener. */
export function pidCprTlsCredential(dataDir: string): Promise<{ keyPath: string; certPath: string }> {
  const dir = simulatorDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return ensureSelfSignedCredential(dir, 'pid-cpr-tls', 'localhost');
}

/** The demo SP's own signing and encryption keys (simulator only; generated on first start, like the IdP's). */
export async function ensureDemoSpCredentials(dataDir: string): Promise<DemoSpCredentials> {
  const dir = simulatorDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const signing = await ensureSelfSignedCredential(dir, 'demo-sp-signing', 'nemid-idp SIMULATOR demo SP signing');
  const encryption = await ensureSelfSignedCredential(dir, 'demo-sp-encryption', 'nemid-idp SIMULATOR demo SP encryption');
  return {
    signingKeyPem: readFileSync(signing.keyPath, 'utf8'),
    signingCertPem: readFileSync(signing.certPath, 'utf8'),
    encryptionKeyPem: readFileSync(encryption.keyPath, 'utf8'),
    encryptionCertPem: readFileSync(encryption.certPath, 'utf8'),
  };
}

/** Our private_key_jwt key towards the simulated broker (an EC P-256 key, generated once). */
function ensureMitidClientKey(dir: string): string {
  const path = join(dir, 'mitid-client.SIMULATOR.key.pem');
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  }
  return path;
}

interface SimulatorSecrets {
  cookie: string;
  pseudonym: string;
  cprKey: string;
  cprPidHmac: string;
}

function ensureSecrets(dir: string): SimulatorSecrets {
  const path = join(dir, 'secrets.SIMULATOR.json');
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as SimulatorSecrets;
  const fresh = () => randomBytes(32).toString('base64');
  const secrets: SimulatorSecrets = { cookie: fresh(), pseudonym: fresh(), cprKey: fresh(), cprPidHmac: fresh() };
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/** The `prepareSimulator` hook of loadConfig: generate what is missing, return defaults for unset settings. */
export async function prepareSimulator(context: SimulatorContext): Promise<Partial<Record<SettingName, string>>> {
  const dir = simulatorDir(context.dataDir);
  // DATA_DIR stays traversable: as root, the embedded PostgreSQL runs as the postgres user and lives beside us.
  mkdirSync(context.dataDir, { recursive: true, mode: 0o755 });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pki = await ensureDevPki(context.dataDir, context.simulatorPort);
  const signing = await ensureSelfSignedCredential(dir, 'idp-signing', 'nemid-idp SIMULATOR SAML signing');
  // The simulated PID-CPR's TLS server certificate, pinned by the IdP as PID_CPR_SERVER_CA (like Nets' service CA).
  const pidCprTls = await pidCprTlsCredential(context.dataDir);
  const secrets = ensureSecrets(dir);
  const pkiDir = join(dir, 'pki');
  const origin = simulatorOrigin(context.simulatorPort);
  const baseUrl = `http://localhost:${context.port}`;
  return {
    IDP_BASE_URL: baseUrl,
    IDP_ENTITY_ID: baseUrl,
    IDP_SIGNING_KEY: signing.keyPath,
    IDP_SIGNING_CERT: signing.certPath,
    IDP_DISPLAY_NAME_DA: 'nemid-idp (SIMULATOR)',
    IDP_DISPLAY_NAME_EN: 'nemid-idp (SIMULATOR)',
    IDP_ORGANIZATION_NAME: 'nemid-idp SIMULATOR',
    IDP_ORGANIZATION_URL: baseUrl,
    IDP_CONTACT_TECHNICAL: 'technical@simulator.invalid',
    IDP_CONTACT_SUPPORT: 'support@simulator.invalid',
    NEMID_SP_KEY: join(pkiDir, 'users', 'voces-idp.key.pem'),
    NEMID_SP_CERT: join(pkiDir, 'users', 'voces-idp.cert.pem'),
    NEMID_REQUEST_ISSUER: 'nemid-idp demo (SIMULATOR)',
    NEMID_CLIENT_ORIGIN: origin,
    NEMID_JS_CLIENT_URL: `${origin}/launcher/lmt`,
    NEMID_CODEFILE_URL: `${origin}/codefile/`,
    OCES_TRUST_DIR: join(pkiDir, 'trust'),
    REVOCATION_HOSTS: `localhost:${context.simulatorPort}`,
    PID_CPR_URL: `https://localhost:${context.simulatorPidCprPort}/pid_serviceprovider_server/pidxml/`,
    PID_CPR_SERVER_CA: pidCprTls.certPath,
    PID_CPR_SPID: SIMULATOR_PUBLIC_SPID,
    ROLES_URL: `${origin}/roles`,
    COOKIE_SECRETS: secrets.cookie,
    PSEUDONYM_SECRET: secrets.pseudonym,
    CPR_ENCRYPTION_KEYS: `sim1:${secrets.cprKey}`,
    CPR_PID_HMAC_SECRET: secrets.cprPidHmac,
    ...(context.mitidSimulator
      ? {
          // The MitID broker simulator on the simulator origin; a real broker is configuration only (README).
          MITID_ISSUER: `${origin}/mitid-simulator`,
          MITID_CLIENT_ID: 'nemid-idp-SIMULATOR',
          MITID_CLIENT_KEY: ensureMitidClientKey(dir),
        }
      : {}),
  };
}
