import cron from 'node-cron';
import { z } from 'zod';

// Every setting as it arrives (a string in the environment), with its rule. Keys, certificates and secrets are
// checked in a second pass (files.ts) so that one start-up reports every problem together.

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const list = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0));

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}, 'must be an origin: scheme://host[:port], no path and no trailing slash');

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL');

const baseUrl = httpUrl.refine((value) => !value.endsWith('/'), 'must not end with a slash');

const databaseUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}, 'must be a URL like postgres://user:password@host:5432/database');

const cronExpression = z.string().refine((value) => cron.validate(value), 'is not a valid cron expression');

const timezone = z.string().refine((value) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}, 'is not a known IANA time zone');

/** ISO-8601 duration in months and/or days, e.g. P3M, P90D, P1M15D. */
const monthsAndDays = z
  .string()
  .regex(/^P(?:(\d+)M)?(?:(\d+)D)?$/, 'must be an ISO-8601 duration of months and days, e.g. P3M')
  .refine((v) => v !== 'P', 'must not be empty')
  .transform((value) => {
    const match = /^P(?:(\d+)M)?(?:(\d+)D)?$/.exec(value)!;
    return { months: Number(match[1] ?? 0), days: Number(match[2] ?? 0) };
  });

export const environmentSchema = z.enum(['simulator', 'preproduction', 'production']);

export const settingsSchema = z.object({
  NEMID_ENVIRONMENT: environmentSchema.default('simulator'),
  DATA_DIR: z.string().min(1).default('.data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  SIMULATOR_PORT: port.default(8081),
  SIMULATOR_LISTEN: bool.default('true'),
  /** The simulated PID-CPR's own mutual-TLS listener (simulator only); default SIMULATOR_PORT + 1. */
  SIMULATOR_PID_CPR_PORT: port.optional(),
  TRUST_PROXY: bool.default('false'),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(300),
  BODY_LIMIT_BYTES: positiveInt.max(1024 * 1024).default(256 * 1024),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  SHUTDOWN_DRAIN_MS: nonNegativeInt.max(300_000).default(5000),
  INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1-100 of A-Z a-z 0-9 . _ : -').optional(),
  SERVED_BY_HEADER: bool.default('true'),
  METRICS_PORT: port.optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  IDP_BASE_URL: baseUrl.optional(),
  IDP_ENTITY_ID: z.string().min(1).optional(),
  IDP_SIGNING_KEY: z.string().min(1).optional(),
  IDP_SIGNING_CERT: z.string().min(1).optional(),
  IDP_NEXT_SIGNING_KEY: z.string().min(1).optional(),
  IDP_NEXT_SIGNING_CERT: z.string().min(1).optional(),
  IDP_DISPLAY_NAME_DA: z.string().min(1).optional(),
  IDP_DISPLAY_NAME_EN: z.string().min(1).optional(),
  IDP_ORGANIZATION_NAME: z.string().min(1).optional(),
  IDP_ORGANIZATION_URL: httpUrl.optional(),
  IDP_CONTACT_TECHNICAL: z.string().email().optional(),
  IDP_CONTACT_SUPPORT: z.string().email().optional(),
  // Links in the footer of every page (issue 14 item 7); each is left out when unset.
  HELP_URL: httpUrl.optional(),
  CONTACT_URL: httpUrl.optional(),
  PRIVACY_URL: httpUrl.optional(),
  CLOCK_SKEW_SECONDS: nonNegativeInt.max(600).default(180),
  LOGIN_TRANSACTION_TTL_SECONDS: positiveInt.max(3600).default(900),
  IDP_SESSION_TTL_SECONDS: positiveInt.default(8 * 3600),

  DATABASE_URL: databaseUrl.optional(),
  DB_POOL_MAX: positiveInt.max(1000).default(10),
  DB_STATEMENT_TIMEOUT_MS: nonNegativeInt.max(600_000).default(10_000),
  DB_QUEUE_LIMIT: nonNegativeInt.max(100_000).default(50),
  DB_CONNECT_TIMEOUT_MS: positiveInt.max(120_000).default(5000),
  METADATA_DIR: z.string().min(1).default('metadata'),

  NEMID_SP_KEY: z.string().min(1).optional(),
  NEMID_SP_CERT: z.string().min(1).optional(),
  NEMID_REQUEST_ISSUER: z.string().min(1).optional(),
  NEMID_CLIENT_ORIGIN: origin.optional(),
  NEMID_JS_CLIENT_URL: httpUrl.optional(),
  NEMID_CODEFILE_URL: httpUrl.optional(),
  NEMID_EVIDENCE_RETENTION_DAYS: positiveInt.default(365),

  OCES_TRUST_DIR: z.string().min(1).optional(),
  // SHA-256 of each root's DER allowed in OCES_TRUST_DIR (rollover: several); default the environment's genuine root.
  OCES_ROOT_SHA256: list
    .refine((pins) => pins.every((pin) => /^[0-9A-Fa-f]{64}$/.test(pin.replace(/:/g, ''))), 'each entry must be a SHA-256 fingerprint (64 hex digits, colons optional)')
    .optional(),
  REVOCATION_MODE: z.enum(['crl', 'ocsp', 'crl+ocsp']).default('crl'),
  REVOCATION_TIMEOUT_MS: positiveInt.max(120_000).default(5000),
  REVOCATION_GRACE_SECONDS: nonNegativeInt.default(0),
  REVOCATION_HOSTS: list.optional(),
  CRL_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),

  PID_CPR_URL: httpUrl.optional(),
  PID_CPR_SPID: z.string().regex(/^[0-9]+$/, 'must be the numeric SPID Nets issued').optional(),
  PID_CPR_SERVER_CA: z.string().min(1).optional(),
  PID_CPR_TIMEOUT_MS: positiveInt.max(120_000).default(10_000),

  ROLES_URL: httpUrl.optional(),
  ROLES_SERVER_CA: z.string().min(1).optional(),
  ROLES_CLIENT_CERTIFICATE: bool.default('false'),
  ROLES_TIMEOUT_MS: positiveInt.max(120_000).default(5000),

  COOKIE_SECRETS: list.optional(),
  PSEUDONYM_SECRET: list.optional(),
  CPR_ENCRYPTION_KEYS: list.optional(),
  CPR_PID_HMAC_SECRET: z.string().optional(),
  CPR_MEMORY_RETENTION: monthsAndDays.default('P3M'),

  JOBS_ENABLED: bool.default('true'),
  JOBS_TIMEZONE: timezone.default('Europe/Copenhagen'),
  SWEEP_SCHEDULE: cronExpression.default('*/10 * * * *'),
  CPR_PURGE_SCHEDULE: cronExpression.default('0 3 * * *'),
  CRL_REFRESH_SCHEDULE: cronExpression.default('*/15 * * * *'),

  // MitID through an OIDC broker (mitid.md): offered only when MITID_ISSUER is set.
  MITID_ISSUER: httpUrl.refine((value) => !value.endsWith('/'), 'must not end with a slash').optional(),
  MITID_CLIENT_ID: z.string().min(1).optional(),
  MITID_CLIENT_KEY: z.string().min(1).optional(),
  MITID_CLIENT_KEY_ID: z.string().min(1).optional(),
  MITID_CLIENT_SECRET: z.string().min(1).optional(),
  MITID_BROKER_PRESET: z.enum(['signicat']).default('signicat'),
  MITID_CLAIMS_MAP: z.string().min(1).optional(),
  MITID_TIMEOUT_MS: positiveInt.max(60_000).default(10_000),
  MITID_ERHVERV: bool.default('true'),
  MITID_SIMULATOR: bool.default('true'),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingName = keyof Settings;
