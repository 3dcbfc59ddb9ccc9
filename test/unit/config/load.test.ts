import t from 'tap';
import { loadConfig, ConfigError } from '../../../src/config/index.js';
import { keyPathsOf, productionEnv } from '../../helpers/production-env.js';

const base = productionEnv();
const productionEnvWith = (overrides: Record<string, string | undefined> = {}) => ({ ...base, ...overrides });
const { vocesKey } = keyPathsOf(base);

async function problemsOf(env: Record<string, string | undefined>): Promise<readonly string[]> {
  try {
    await loadConfig({ env, cwd: process.cwd() });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

t.test('a complete production configuration loads, frozen', async (t) => {
  const config = await loadConfig({ env: productionEnvWith(), cwd: process.cwd() });
  t.equal(config.environment, 'production');
  t.equal(config.secrets.cprEncryption[0]?.id, 'k2', 'the first key writes');
  t.ok(Object.isFrozen(config) && Object.isFrozen(config.idp), 'frozen');
  t.equal(config.jobs.timezone, 'Europe/Copenhagen');
  t.same(config.cprMemoryRetention, { months: 3, days: 0 });
});

t.test('several problems are reported together, each naming its setting', async (t) => {
  const problems = await problemsOf(productionEnvWith({ PORT: 'eighty', IDP_BASE_URL: 'not a url', NEMID_SP_CERT: undefined, JOBS_TIMEZONE: 'Mars/Olympus' }));
  t.ok(problems.length >= 3, `${problems.length} problems`);
  t.ok(problems.some((p) => p.startsWith('PORT:')));
  t.ok(problems.some((p) => p.startsWith('IDP_BASE_URL:')));
  t.ok(problems.some((p) => p.startsWith('JOBS_TIMEZONE:')));
});

t.test('missing settings outside the simulator are all listed', async (t) => {
  const problems = await problemsOf({ NEMID_ENVIRONMENT: 'preproduction' });
  for (const name of ['IDP_BASE_URL', 'IDP_SIGNING_KEY', 'NEMID_SP_KEY', 'OCES_TRUST_DIR', 'COOKIE_SECRETS', 'DATABASE_URL']) {
    t.ok(problems.some((p) => p.startsWith(`${name}:`)), `${name} named`);
  }
});

t.test('an unreadable key file stops start-up naming the setting', async (t) => {
  const problems = await problemsOf(productionEnvWith({ IDP_SIGNING_KEY: '/nonexistent/idp.key.pem' }));
  t.equal(problems.length, 1);
  t.match(problems[0], /^IDP_SIGNING_KEY: cannot read \/nonexistent\/idp.key.pem/);
});

t.test('a key that does not belong to its certificate is refused', async (t) => {
  const problems = await problemsOf(productionEnvWith({ IDP_SIGNING_KEY: vocesKey }));
  t.ok(problems.some((p) => p.startsWith('IDP_SIGNING_KEY/IDP_SIGNING_CERT:')));
});

t.test('a malformed DATABASE_URL stops start-up naming the setting', async (t) => {
  const problems = await problemsOf(productionEnvWith({ DATABASE_URL: 'postgres//localhost' }));
  t.equal(problems.length, 1);
  t.match(problems[0], /^DATABASE_URL:/);
});

t.test('an unknown environment name stops start-up naming the setting', async (t) => {
  const problems = await problemsOf({ NEMID_ENVIRONMENT: 'staging' });
  t.equal(problems.length, 1);
  t.match(problems[0], /^NEMID_ENVIRONMENT:/);
});

t.test('plain http endpoints are refused outside the simulator', async (t) => {
  const problems = await problemsOf(productionEnvWith({ IDP_BASE_URL: 'http://idp.example.dk' }));
  t.ok(problems.some((p) => p.startsWith('IDP_BASE_URL: must use https')));
});

t.test('weak secrets and bad key lists are refused', async (t) => {
  const problems = await problemsOf(productionEnvWith({ COOKIE_SECRETS: 'short', CPR_ENCRYPTION_KEYS: 'k1:AAAA', CPR_PID_HMAC_SECRET: 'abc' }));
  t.ok(problems.some((p) => p.startsWith('COOKIE_SECRETS:')));
  t.ok(problems.some((p) => p.startsWith('CPR_ENCRYPTION_KEYS:')));
  t.ok(problems.some((p) => p.startsWith('CPR_PID_HMAC_SECRET:')));
});

t.test('the simulator asks its bootstrap for defaults and explicit settings still win', async (t) => {
  let called = 0;
  const config = await loadConfig({
    env: { NEMID_ENVIRONMENT: 'simulator', PORT: '9090' },
    cwd: process.cwd(),
    prepareSimulator: async (context) => {
      called++;
      t.equal(context.port, 9090);
      const env = productionEnvWith();
      delete env['NEMID_ENVIRONMENT'];
      delete env['DATABASE_URL'];
      return { ...env, IDP_BASE_URL: 'http://localhost:9090', NEMID_CLIENT_ORIGIN: 'http://localhost:8081' } as Record<string, string>;
    },
  });
  t.equal(called, 1);
  t.equal(config.environment, 'simulator');
  t.equal(config.idp.baseUrl, 'http://localhost:9090');
  t.equal(config.databaseUrl, null, 'no DATABASE_URL means embedded PostgreSQL');
});

t.test('operations, drain and back-pressure settings: defaults, the listener rule, and refusals naming the setting', async (t) => {
  const config = await loadConfig({ env: productionEnvWith(), cwd: process.cwd() });
  t.same(config.operations, { listener: 'separate', port: 9464, token: null }, 'outside the simulator /metrics is on its own listener');
  t.equal(config.http.shutdownDrainMs, 5000);
  t.equal(config.http.servedByHeader, true);
  t.match(config.instanceId, /^.+-\d+$/, 'host and pid by default');
  t.same(config.database, { poolMax: 10, statementTimeoutMs: 10_000, queueLimit: 50, connectTimeoutMs: 5000 });
  const withToken = await loadConfig({ env: productionEnvWith({ METRICS_TOKEN: 'a-long-enough-operations-token' }), cwd: process.cwd() });
  t.same(withToken.operations, { listener: 'public', port: null, token: 'a-long-enough-operations-token' }, 'a token alone keeps them on the service port');
  const problems = await problemsOf(
    productionEnvWith({ METRICS_PORT: '8080', PORT: '8080', DB_POOL_MAX: '0', DB_QUEUE_LIMIT: '-1', SHUTDOWN_DRAIN_MS: 'soon', INSTANCE_ID: 'a b', METRICS_TOKEN: 'short' }),
  );
  for (const name of ['DB_POOL_MAX', 'DB_QUEUE_LIMIT', 'SHUTDOWN_DRAIN_MS', 'INSTANCE_ID', 'METRICS_TOKEN']) t.ok(problems.some((p) => p.startsWith(`${name}:`)), `${name} named`);
  t.notOk(problems.some((p) => p.includes('"short"')), 'the token value is not echoed');
  t.same(await problemsOf(productionEnvWith({ METRICS_PORT: '8080', PORT: '8080' })), ['METRICS_PORT: must differ from PORT (leave it unset to serve /metrics on the service port)']);
});
