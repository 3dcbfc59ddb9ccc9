import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { readKeyPair, readText } from './files.js';
import { settingsSchema, type Settings, type SettingName } from './schema.js';
import { decodeSecret, parseCookieSecrets, parseEncryptionKeys } from './secrets.js';
import type { Config, Environment, MitidClientAuth } from './types.js';

/**
 * Thrown when configuration is invalid; `problems` lists every fault, one line each, naming its setting. A plain
 * Error with the catalogue code CONFIG_INVALID: config/ sits below errors/ in the module table.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID' as const;
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`Configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

export interface SimulatorContext {
  readonly dataDir: string;
  readonly port: number;
  readonly simulatorPort: number;
  /** MITID_SIMULATOR (default true): the simulator environment configures its own MitID broker simulator. */
  readonly mitidSimulator: boolean;
  /** The simulated PID-CPR's mutual-TLS port. */
  readonly simulatorPidCprPort: number;
}

export interface LoadConfigOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /**
   * Only called in the `simulator` environment: generates what the simulator needs (keys, test PKI, secrets)
   * and returns defaults for the settings left unset. Injected so that config/ knows nothing of the simulator.
   */
  readonly prepareSimulator?: (context: SimulatorContext) => Promise<Partial<Record<SettingName, string>>>;
}

// Settings with no default outside the simulator: every key, trust anchor and endpoint must be named explicitly.
export const REQUIRED_OUTSIDE_SIMULATOR: readonly SettingName[] = [
  'IDP_BASE_URL', 'IDP_ENTITY_ID', 'IDP_SIGNING_KEY', 'IDP_SIGNING_CERT', 'DATABASE_URL',
  'IDP_DISPLAY_NAME_DA', 'IDP_DISPLAY_NAME_EN', 'IDP_ORGANIZATION_NAME', 'IDP_ORGANIZATION_URL',
  'IDP_CONTACT_TECHNICAL', 'IDP_CONTACT_SUPPORT',
  'NEMID_SP_KEY', 'NEMID_SP_CERT', 'NEMID_REQUEST_ISSUER', 'NEMID_CLIENT_ORIGIN', 'NEMID_JS_CLIENT_URL',
  'OCES_TRUST_DIR', 'REVOCATION_HOSTS', 'COOKIE_SECRETS', 'PSEUDONYM_SECRET', 'CPR_ENCRYPTION_KEYS', 'CPR_PID_HMAC_SECRET',
];

function pickKnown(env: LoadConfigOptions['env']): Record<string, string> {
  const known: Record<string, string> = {};
  for (const name of Object.keys(settingsSchema.shape)) {
    const value = env[name];
    if (value !== undefined && value !== '') known[name] = value;
  }
  return known;
}

function validate(raw: Record<string, string>, problems: string[]): Settings | null {
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const name = issue.path.join('.');
    const given = raw[name];
    const shown = given !== undefined && !/SECRET|KEYS$|TOKEN$/.test(name) ? ` (got ${JSON.stringify(given)})` : '';
    problems.push(`${name}: ${issue.message}${shown}`);
  }
  return null;
}

/** Reads, validates and freezes the configuration, or throws a ConfigError listing every problem at once. */
export async function loadConfig(options: LoadConfigOptions): Promise<Config> {
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];
  let raw = pickKnown(options.env);
  let settings = validate(raw, problems);
  if (!settings) throw new ConfigError(problems);

  const environment: Environment = settings.NEMID_ENVIRONMENT;
  const path = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));

  if (environment === 'simulator') {
    if (!options.prepareSimulator) throw new ConfigError(['NEMID_ENVIRONMENT: simulator needs the simulator bootstrap']);
    const defaults = await options.prepareSimulator({
      dataDir: path(settings.DATA_DIR),
      port: settings.PORT,
      simulatorPort: settings.SIMULATOR_PORT,
      mitidSimulator: settings.MITID_SIMULATOR && settings.MITID_ISSUER === undefined,
      simulatorPidCprPort: settings.SIMULATOR_PID_CPR_PORT ?? settings.SIMULATOR_PORT + 1,
    });
    raw = { ...defaults, ...raw } as Record<string, string>;
    settings = validate(raw, problems);
    if (!settings) throw new ConfigError(problems);
  } else {
    for (const name of REQUIRED_OUTSIDE_SIMULATOR) {
      if (raw[name] === undefined) problems.push(`${name}: required when NEMID_ENVIRONMENT=${environment}`);
    }
  }
  const s = settings;
  if ((s.IDP_NEXT_SIGNING_KEY === undefined) !== (s.IDP_NEXT_SIGNING_CERT === undefined)) {
    problems.push('IDP_NEXT_SIGNING_KEY/IDP_NEXT_SIGNING_CERT: set both or neither');
  }
  if ((s.PID_CPR_URL === undefined) !== (s.PID_CPR_SPID === undefined)) {
    problems.push('PID_CPR_URL/PID_CPR_SPID: set both or neither');
  }
  if (s.METRICS_PORT !== undefined && s.METRICS_PORT === s.PORT) problems.push('METRICS_PORT: must differ from PORT (leave it unset to serve /metrics on the service port)');
  if (environment !== 'simulator') {
    for (const [name, value] of [['IDP_BASE_URL', s.IDP_BASE_URL], ['NEMID_CLIENT_ORIGIN', s.NEMID_CLIENT_ORIGIN], ['PID_CPR_URL', s.PID_CPR_URL], ['ROLES_URL', s.ROLES_URL]] as const) {
      if (value?.startsWith('http:')) problems.push(`${name}: must use https outside the simulator environment`);
    }
  }

  const mitid = mitidSettings(s, environment, path, problems);

  const signing = s.IDP_SIGNING_KEY && s.IDP_SIGNING_CERT
    ? readKeyPair('IDP_SIGNING_KEY', path(s.IDP_SIGNING_KEY), 'IDP_SIGNING_CERT', path(s.IDP_SIGNING_CERT), problems)
    : null;
  const nextSigning = s.IDP_NEXT_SIGNING_KEY && s.IDP_NEXT_SIGNING_CERT
    ? readKeyPair('IDP_NEXT_SIGNING_KEY', path(s.IDP_NEXT_SIGNING_KEY), 'IDP_NEXT_SIGNING_CERT', path(s.IDP_NEXT_SIGNING_CERT), problems)
    : null;
  const nemidSp = s.NEMID_SP_KEY && s.NEMID_SP_CERT
    ? readKeyPair('NEMID_SP_KEY', path(s.NEMID_SP_KEY), 'NEMID_SP_CERT', path(s.NEMID_SP_CERT), problems)
    : null;

  const cookie = parseCookieSecrets(s.COOKIE_SECRETS ?? [], problems);
  const pseudonym = (s.PSEUDONYM_SECRET ?? []).map((v) => decodeSecret('PSEUDONYM_SECRET', v, problems));
  const cprEncryption = parseEncryptionKeys('CPR_ENCRYPTION_KEYS', s.CPR_ENCRYPTION_KEYS ?? [], problems);
  const cprPidHmac = s.CPR_PID_HMAC_SECRET ? decodeSecret('CPR_PID_HMAC_SECRET', s.CPR_PID_HMAC_SECRET, problems) : null;

  if (problems.length > 0 || !signing || !nemidSp || !cprPidHmac || pseudonym.some((p) => p === null)) {
    throw new ConfigError(problems.length > 0 ? problems : ['internal: incomplete configuration']);
  }

  const baseUrl = s.IDP_BASE_URL!;
  const config: Config = {
    environment,
    dataDir: path(s.DATA_DIR),
    http: {
      host: s.HOST,
      port: s.PORT,
      simulatorPort: s.SIMULATOR_PORT,
      simulatorListen: s.SIMULATOR_LISTEN,
      simulatorPidCprPort: s.SIMULATOR_PID_CPR_PORT ?? s.SIMULATOR_PORT + 1,
      trustProxy: s.TRUST_PROXY,
      rateLimitPerMinute: s.RATE_LIMIT_PER_MINUTE,
      bodyLimitBytes: s.BODY_LIMIT_BYTES,
      shutdownTimeoutMs: s.SHUTDOWN_TIMEOUT_MS,
      shutdownDrainMs: s.SHUTDOWN_DRAIN_MS,
      servedByHeader: s.SERVED_BY_HEADER,
    },
    instanceId: s.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    operations: operationsListener(environment, s),
    database: {
      poolMax: s.DB_POOL_MAX,
      statementTimeoutMs: s.DB_STATEMENT_TIMEOUT_MS,
      queueLimit: s.DB_QUEUE_LIMIT,
      connectTimeoutMs: s.DB_CONNECT_TIMEOUT_MS,
    },
    idp: {
      baseUrl,
      entityId: s.IDP_ENTITY_ID!,
      signing,
      nextSigning,
      displayName: { da: s.IDP_DISPLAY_NAME_DA!, en: s.IDP_DISPLAY_NAME_EN! },
      organization: { name: s.IDP_ORGANIZATION_NAME!, displayName: s.IDP_ORGANIZATION_NAME!, url: s.IDP_ORGANIZATION_URL! },
      contacts: { technical: s.IDP_CONTACT_TECHNICAL!, support: s.IDP_CONTACT_SUPPORT! },
      links: { help: s.HELP_URL ?? null, contact: s.CONTACT_URL ?? null, privacy: s.PRIVACY_URL ?? null },
      clockSkewSeconds: s.CLOCK_SKEW_SECONDS,
      loginTransactionTtlSeconds: s.LOGIN_TRANSACTION_TTL_SECONDS,
      sessionTtlSeconds: s.IDP_SESSION_TTL_SECONDS,
    },
    databaseUrl: s.DATABASE_URL ?? null,
    metadataDir: path(s.METADATA_DIR),
    nemid: {
      sp: nemidSp,
      requestIssuer: s.NEMID_REQUEST_ISSUER!,
      clientOrigin: s.NEMID_CLIENT_ORIGIN!,
      jsClientUrl: s.NEMID_JS_CLIENT_URL!,
      codeFileUrl: s.NEMID_CODEFILE_URL ?? null,
      evidenceRetentionDays: s.NEMID_EVIDENCE_RETENTION_DAYS,
    },
    oces: {
      trustDir: path(s.OCES_TRUST_DIR!),
      rootSha256: s.OCES_ROOT_SHA256 ? s.OCES_ROOT_SHA256.map((pin) => pin.replace(/:/g, '').toUpperCase()) : null,
      revocationMode: s.REVOCATION_MODE,
      revocationTimeoutMs: s.REVOCATION_TIMEOUT_MS,
      revocationGraceSeconds: s.REVOCATION_GRACE_SECONDS,
      revocationHosts: s.REVOCATION_HOSTS ?? [],
      crlMaxBytes: s.CRL_MAX_BYTES,
    },
    pidCpr: {
      url: s.PID_CPR_URL ?? null,
      spid: s.PID_CPR_SPID ?? null,
      serverCaPath: s.PID_CPR_SERVER_CA ? path(s.PID_CPR_SERVER_CA) : null,
      timeoutMs: s.PID_CPR_TIMEOUT_MS,
    },
    roles: {
      url: s.ROLES_URL ?? null,
      serverCaPath: s.ROLES_SERVER_CA ? path(s.ROLES_SERVER_CA) : null,
      useClientCertificate: s.ROLES_CLIENT_CERTIFICATE,
      timeoutMs: s.ROLES_TIMEOUT_MS,
    },
    secrets: {
      cookie,
      pseudonym: pseudonym as Buffer[],
      cprEncryption,
      cprPidHmac,
    },
    cprMemoryRetention: s.CPR_MEMORY_RETENTION,
    jobs: {
      enabled: s.JOBS_ENABLED,
      timezone: s.JOBS_TIMEZONE,
      sweepSchedule: s.SWEEP_SCHEDULE,
      cprPurgeSchedule: s.CPR_PURGE_SCHEDULE,
      crlRefreshSchedule: s.CRL_REFRESH_SCHEDULE,
    },
    mitid,
    logLevel: s.LOG_LEVEL,
  };
  return deepFreeze(config);
}

/** Path segment of the broker simulator's issuer: a production deployment pointing there is a mistake. */
export const MITID_SIMULATOR_PATH = '/mitid-simulator';

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127\./.test(hostname);
}

function mitidSettings(s: Settings, environment: Environment, path: (p: string) => string, problems: string[]): Config['mitid'] {
  const given = (['MITID_CLIENT_ID', 'MITID_CLIENT_KEY', 'MITID_CLIENT_SECRET', 'MITID_CLAIMS_MAP'] as const).filter((name) => s[name] !== undefined);
  if (s.MITID_ISSUER === undefined) {
    for (const name of given) problems.push(`${name}: set without MITID_ISSUER (MitID is offered only when MITID_ISSUER is set)`);
    return null;
  }
  const issuer = new URL(s.MITID_ISSUER);
  if (environment !== 'simulator') {
    if (issuer.protocol !== 'https:') problems.push('MITID_ISSUER: must use https outside the simulator environment');
    if (isLoopbackHost(issuer.hostname) || issuer.pathname.includes(MITID_SIMULATOR_PATH)) {
      problems.push(`MITID_ISSUER: ${s.MITID_ISSUER} is the MitID broker simulator; NEMID_ENVIRONMENT=${environment} needs a real MitID broker`);
    }
  }
  if (s.MITID_CLIENT_ID === undefined) problems.push('MITID_CLIENT_ID: required when MITID_ISSUER is set');
  if ((s.MITID_CLIENT_KEY === undefined) === (s.MITID_CLIENT_SECRET === undefined)) {
    problems.push('MITID_CLIENT_KEY/MITID_CLIENT_SECRET: set exactly one (private_key_jwt or client_secret_basic)');
  }
  let claimsMap: Record<string, unknown> = {};
  if (s.MITID_CLAIMS_MAP !== undefined) {
    try {
      const parsed: unknown = JSON.parse(s.MITID_CLAIMS_MAP);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) problems.push('MITID_CLAIMS_MAP: must be a JSON object');
      else claimsMap = parsed as Record<string, unknown>;
    } catch {
      problems.push('MITID_CLAIMS_MAP: is not valid JSON');
    }
  }
  let clientAuth: MitidClientAuth | null = null;
  if (s.MITID_CLIENT_KEY !== undefined && s.MITID_CLIENT_SECRET === undefined) {
    const keyPem = readText('MITID_CLIENT_KEY', path(s.MITID_CLIENT_KEY), problems);
    if (keyPem !== null) {
      try {
        const key = createPrivateKey(keyPem);
        if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') problems.push('MITID_CLIENT_KEY: must be an RSA or EC private key');
        else if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) problems.push('MITID_CLIENT_KEY: RSA keys need at least 2048 bits');
        else clientAuth = { method: 'private_key_jwt', keyPem, keyId: s.MITID_CLIENT_KEY_ID ?? null };
      } catch {
        problems.push(`MITID_CLIENT_KEY: ${path(s.MITID_CLIENT_KEY)} is not a readable PEM private key`);
      }
    }
  } else if (s.MITID_CLIENT_SECRET !== undefined && s.MITID_CLIENT_KEY === undefined) {
    clientAuth = { method: 'client_secret_basic', secret: s.MITID_CLIENT_SECRET };
  }
  if (!clientAuth || s.MITID_CLIENT_ID === undefined) return null;
  return {
    issuer: s.MITID_ISSUER,
    clientId: s.MITID_CLIENT_ID,
    clientAuth,
    preset: s.MITID_BROKER_PRESET,
    claimsMap,
    timeoutMs: s.MITID_TIMEOUT_MS,
    erhverv: s.MITID_ERHVERV,
    allowInsecureHttp: environment === 'simulator' && issuer.protocol === 'http:',
  };
}

/** The default port of the separate operations listener outside the simulator (Prometheus exporters' range). */
export const DEFAULT_METRICS_PORT = 9464;

// An explicit METRICS_PORT always means a second listener; a token alone protects them on the public port; with
// neither, the simulator keeps them on its one port for convenience and every other environment separates them.
function operationsListener(environment: Environment, s: Settings): Config['operations'] {
  const token = s.METRICS_TOKEN ?? null;
  if (s.METRICS_PORT !== undefined) return { listener: 'separate', port: s.METRICS_PORT, token };
  if (token !== null || environment === 'simulator') return { listener: 'public', port: null, token };
  return { listener: 'separate', port: DEFAULT_METRICS_PORT, token };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !Buffer.isBuffer(value) && !(value.constructor?.name === 'KeyObject') && !(value.constructor?.name === 'X509Certificate')) {
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Just what database commands (`migrate`, `sweep`, `purge-cpr`) need, so they run without keys and secrets. */
export function loadDatabaseSettings(env: LoadConfigOptions['env'], cwd = process.cwd()): { databaseUrl: string | null; dataDir: string } {
  const problems: string[] = [];
  const raw = pickKnown(env);
  const parsed = settingsSchema.pick({ DATABASE_URL: true, DATA_DIR: true, NEMID_ENVIRONMENT: true }).safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const dataDir = isAbsolute(parsed.data.DATA_DIR) ? parsed.data.DATA_DIR : resolve(cwd, parsed.data.DATA_DIR);
  return { databaseUrl: parsed.data.DATABASE_URL ?? null, dataDir };
}
