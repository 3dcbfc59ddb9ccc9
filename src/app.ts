import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { loadConfig, MITID_SIMULATOR_PATH, type Config } from './config/index.js';
import {
  answerToSp,
  backToSp,
  cookiePolicyFor,
  createHttpServer,
  createLogger,
  createServiceMetrics,
  createOperationsServer,
  registerLoginRoutes,
  registerOperationsRoutes,
  registerSamlRoutes,
  registerSloRoutes,
  registerIdpInitiatedSsoRoutes,
  registerCprRoutes,
  registerCprMemoryRoutes,
  registerBusinessRoutes,
  registerMitidJwksRoute,
  type Logger,
  type RouteContext,
} from './http/index.js';
import { cprFromConfig, createBusinessStep, rolesClientFromConfig, type LoginDeps } from './login/index.js';
import { customPinNotice, loadServiceTrustStore, wirePki } from './app/pki.js';
import { loadRegistryHolder, type RegistryHolder } from './app/registry.js';
import { metadataProvider } from './app/metadata.js';
import { wireMitid } from './app/mitid.js';
import { IdpError } from './errors/index.js';
import { createSchemaState, readinessReport } from './readiness.js';
import { ensureDemoSpCredentials, ensureDevPki, pidCprTlsCredential, prepareSimulator } from './simulator-bootstrap.js';
import { readFileSync } from 'node:fs';
import { buildAuthorities } from './pki/index.js';
import { createDemoSp, createSimulator, demoSpRegistration, devPkiAdapter, newControlSecret, type DemoSpRegistration, type StoredSession } from './simulator/index.js';
import { createSimulatorStore, migrateSimulatorSchema } from './store/simulator/index.js';
import { mountRaw, mountRouteTable } from './http/index.js';
import { systemClock, type Clock } from './shared/index.js';
import { createPool, defaultMigrationsDir, migrate, startEmbeddedPostgres, type EmbeddedPostgres, type Pool } from './store/index.js';
import { createScheduler, standardJobs, type JobDefinition } from './jobs/index.js';

// The composition root: builds configuration, database, registries and clients, and hands each module what it
// needs. Nothing else in the service wires modules together.

export interface ServiceOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly logDestination?: DestinationStream;
  readonly clock?: Clock;
  /** Listen on these ports instead of the configured ones (tests pass 0). */
  readonly listen?: { port?: number; simulatorPort?: number; metricsPort?: number };
}

export interface RunningService {
  readonly config: Config;
  readonly log: Logger;
  readonly pool: Pool;
  readonly url: string;
  /** The simulator's own origin (simulator environment only). */
  readonly simulatorUrl: string | null;
  readonly registry: RegistryHolder;
  /** The separate operations listener (/metrics, detailed /readyz), when configured. */
  readonly metricsUrl: string | null;
  /** SIGTERM's first step: /readyz turns 503 and every response closes its connection; requests are still served. */
  startDrain(): void;
  close(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const clock = options.clock ?? systemClock;
  const config = await loadConfig({ env: options.env, cwd: options.cwd, prepareSimulator });
  // Trust anchors are configuration: checked before any database (or embedded PostgreSQL, or migration) is touched.
  const trustStore = loadServiceTrustStore(config);
  const log = createLogger({ level: config.logLevel, destination: options.logDestination, instance: config.instanceId });
  const pinNotice = customPinNotice(config, trustStore);
  if (pinNotice) log.warn({ setting: 'OCES_ROOT_SHA256', roots: trustStore.roots.map((r) => r.fingerprint256) }, pinNotice);
  if (config.environment === 'simulator') {
    log.warn(
      { environment: 'simulator' },
      'SIMULATOR ENVIRONMENT: generated keys and test users, NOT FOR PRODUCTION. Set NEMID_ENVIRONMENT=production for real logins.',
    );
  }

  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) {
      try {
        await closer();
      } catch (error) {
        log.error({ err: error }, 'error during shutdown');
      }
    }
  };

  try {
    let databaseUrl = config.databaseUrl;
    let embedded: EmbeddedPostgres | null = null;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'postgres'), log });
      closers.push(() => embedded!.stop());
      databaseUrl = embedded.url;
      log.info({ port: embedded.port }, 'embedded PostgreSQL started (DATABASE_URL not set)');
    }
    const migrationsDir = await defaultMigrationsDir();
    if (embedded) {
      // The embedded database belongs to this process alone, so it is kept current here; an external one is
      // migrated by ops (`nemid-idp migrate`) and the service refuses traffic until it is.
      const applied = await migrate({ databaseUrl, dir: migrationsDir, log });
      if (applied.length > 0) log.info({ applied }, 'migrations applied to the embedded database');
    }
    const metrics = createServiceMetrics();
    // Round trips are what a login costs the database (issue 12): the bench reads these two from /metrics.
    const statements = metrics.counter('nemid_idp_db_statements_total', 'SQL statements sent to PostgreSQL (BEGIN and COMMIT included)', []);
    const transactions = metrics.counter('nemid_idp_db_transactions_total', 'Database transactions started (BEGIN, or one autocommit statement)', []);
    const pool = createPool(databaseUrl, {
      applicationName: 'nemid-idp',
      max: config.database.poolMax,
      statementTimeoutMillis: config.database.statementTimeoutMs,
      queueLimit: config.database.queueLimit,
      connectionTimeoutMillis: config.database.connectTimeoutMs,
      onIdleError: (error) => log.warn({ err: driverErrorSummary(error) }, 'idle database connection failed'),
      onStatement: (opensTransaction) => {
        statements.inc();
        if (opensTransaction) transactions.inc();
      },
    });
    closers.push(() => pool.end());
    // Readiness has its own connection, so /readyz answers at once when the login routes hold every pooled one.
    const healthPool = createPool(databaseUrl, {
      applicationName: 'nemid-idp-health',
      max: 1,
      connectionTimeoutMillis: 2000,
      queryTimeoutMillis: 2000,
      onIdleError: (error) => log.debug({ err: driverErrorSummary(error) }, 'idle readiness connection failed'),
    });
    closers.push(() => healthPool.end());

    const schema = createSchemaState(healthPool, migrationsDir, clock);
    let draining = false;
    metrics.setGaugeCollector('nemid_idp_db_pool_connections', 'PostgreSQL pool connections by state', ['state'], () => [
      { labels: { state: 'total' }, value: pool.totalCount },
      { labels: { state: 'idle' }, value: pool.idleCount },
      { labels: { state: 'waiting' }, value: pool.waitingCount },
    ]);

    const demoSp = config.environment === 'simulator' ? demoSpRegistration(config.idp.baseUrl, await ensureDemoSpCredentials(config.dataDir)) : null;
    const registry = countedReloads(await loadRegistryHolder(config, clock, log, demoSp ? [demoSp] : []), metrics);
    const pki = wirePki(config, trustStore, pool, clock, log, metrics);
    const metadata = metadataProvider(config, clock);
    const mitid = await wireMitid(config, clock, log);
    if (mitid) closers.push(async () => mitid.stop());
    const eidLogins = metrics.counter('nemid_idp_eid_logins_total', 'Finished logins by eID: successes of both eIDs; MitID failures and cancels at the broker (all failures by code: nemid_idp_logins_total)', ['eid', 'outcome']);
    closers.push(async () => metadata.stop());
    const cpr = cprFromConfig(config);
    const login: LoginDeps = {
      pool,
      clock,
      config,
      registry: () => registry.current(),
      validator: pki.validator,
      log,
      recordOutcome: (outcome, code) => metrics.logins.inc({ outcome, code }),
      ...(mitid ? { mitid: { client: mitid.client, erhverv: mitid.erhverv } } : {}),
      recordEidOutcome: (eid, outcome) => eidLogins.inc({ eid, outcome }),
      steps: [cpr.step, createBusinessStep({ roles: rolesClientFromConfig(config) })],
      ...(cpr.vault ? { cprVault: cpr.vault } : {}),
    };
    const routeContext: RouteContext = {
      login,
      samlContext: () => ({
        registry: registry.current(),
        idp: { entityId: config.idp.entityId, baseUrl: config.idp.baseUrl },
        clock,
        skewSeconds: config.idp.clockSkewSeconds,
      }),
      metadataXml: () => metadata.xml(),
      cookiePolicy: cookiePolicyFor(config.idp.baseUrl, config.idp.sessionTtlSeconds),
      cookieSecrets: config.secrets.cookie,
      simulatorBanner: config.environment === 'simulator',
      links: config.idp.links,
    };
    const frameOrigins = [config.nemid.clientOrigin, ...(config.nemid.codeFileUrl ? [new URL(config.nemid.codeFileUrl).origin] : [])];
    const app = await createHttpServer({
      log,
      cookieSecrets: config.secrets.cookie,
      bodyLimitBytes: config.http.bodyLimitBytes,
      rateLimitPerMinute: config.http.rateLimitPerMinute,
      trustProxy: config.http.trustProxy,
      ...(config.http.servedByHeader ? { servedBy: config.instanceId } : {}),
      draining: () => draining,
      csp: {
        // The registered ACS origins (the SAML POST page narrows this to its one ACS in its own policy).
        formActionOrigins: () => [...new Set(registry.current().all().flatMap((sp) => sp.acsEndpoints.map((acs) => new URL(acs.location).origin)))],
        frameOrigins: () => [...new Set(frameOrigins)],
      },
      errors: { simulatorBanner: config.environment === 'simulator', links: config.idp.links, answerToSp: answerToSp(routeContext), backForm: backToSp(routeContext) },
      metrics,
      requestGate: async () => {
        const pending = await schema.pending();
        if (pending.length > 0) throw new IdpError('SCHEMA_BEHIND', `database schema is behind: ${pending.join(', ')} not applied`);
      },
    });
    closers.push(() => app.close());
    registerSamlRoutes(app, routeContext);
    registerLoginRoutes(app, routeContext);
    registerSloRoutes(app, routeContext);
    registerIdpInitiatedSsoRoutes(app, routeContext);
    registerCprRoutes(app, routeContext);
    registerCprMemoryRoutes(app, routeContext);
    registerBusinessRoutes(app, routeContext);
    if (mitid?.key) {
      const publicJwk = mitid.key.publicJwk;
      registerMitidJwksRoute(app, () => ({ keys: [publicJwk] }));
    }
    const operations = {
      metrics: metrics.registry,
      readiness: () =>
        readinessReport(
          {
            pool: healthPool,
            migrationsDir,
            clock,
            certificates: [
              { name: 'IDP_SIGNING_CERT', cert: config.idp.signing.cert },
              ...(config.idp.nextSigning ? [{ name: 'IDP_NEXT_SIGNING_CERT', cert: config.idp.nextSigning.cert }] : []),
              { name: 'NEMID_SP_CERT', cert: config.nemid.sp.cert },
            ],
            extraChecks: [
              async () => ['shutdown', draining ? { ok: false, detail: 'draining: SIGTERM received' } : { ok: true }],
              async () => {
                // A failed reload keeps the previous registry, which still serves: a warning, never a 503 (with a
                // shared metadata folder a 503 here would take every instance out of the balancer at once).
                const problems = registry.lastReloadProblems();
                const sps = registry.current().all().length;
                return ['metadata', problems.length === 0 ? { ok: true, detail: `${sps} SP(s)` } : { ok: true, detail: `warning: last reload failed (${problems.length} problem(s)); serving the previous registry of ${sps} SP(s)` }];
              },
              async () => ['trust', pinNotice ? { ok: true, detail: pinNotice } : { ok: true }] as [string, { ok: boolean; detail?: string }],
              async () => {
                if (!mitid) return ['mitid', { ok: true, detail: 'not configured (MITID_ISSUER unset)' }];
                const status = mitid.status();
                const problem = status.discovery ?? status.jwks;
                const discoveryText = status.discovery ? `discovery: ${status.discovery}` : 'discovery reachable';
                const jwksText = status.jwks ? `JWKS: ${status.jwks}` : 'JWKS reachable';
                // An unreachable broker is a warning, never a 503: every instance sees the same broker, so a 503 here
                // would take the whole cluster out of the balancer, NemID logins included (the issue-13 rule).
                const checked = `checked ${status.checkedAt?.toISOString() ?? 'not yet'}`;
                return ['mitid', { ok: true, detail: problem === null ? `${discoveryText}; ${jwksText}; ${checked}` : `warning: ${discoveryText}; ${jwksText}; ${checked}` }];
              },
              async () => {
                const stale = pki.crlSource.crlStatus().filter((s) => s.stale);
                return ['revocation', stale.length === 0 ? { ok: true } : { ok: false, detail: `CRL past nextUpdate: ${stale.map((s) => s.issuer).join('; ')}` }];
              },
            ],
          },
          schema,
        ),
    };
    const token = config.operations.token;
    registerOperationsRoutes(
      app,
      operations,
      config.operations.listener === 'separate' ? { kind: 'status-only' } : token ? { kind: 'token', token } : { kind: 'full' },
    );

    if (config.jobs.enabled) {
      const scheduler = createScheduler({ pool, timezone: config.jobs.timezone, instanceId: config.instanceId, log, clock });
      const jobs = [
        ...standardJobs({
          pool,
          schedules: { sweep: config.jobs.sweepSchedule, 'cpr-purge': config.jobs.cprPurgeSchedule },
          cprRetention: config.cprMemoryRetention,
        }),
        { name: 'crl-refresh', cron: config.jobs.crlRefreshSchedule, run: async () => ({ refreshed: (await pki.crlSource.refreshCrls()).filter((r) => r.ok).length }) },
      ];
      for (const job of jobs) scheduler.add(countedJob(job, metrics));
      scheduler.start();
      // Pushed after the HTTP server, so it runs before it on close: jobs stop, then in-flight requests finish.
      closers.push(() => scheduler.stop(config.http.shutdownTimeoutMs));
    }

    const pending = await schema.pending().catch(() => []);
    if (pending.length > 0) log.error({ pending }, 'database schema is behind: run `nemid-idp migrate`; refusing traffic until then');

    let simulatorUrl: string | null = null;
    if (config.environment === 'simulator') {
      simulatorUrl = config.http.simulatorListen
        ? await startSimulatorServer(config, log, clock, closers, databaseUrl, options.listen?.simulatorPort)
        : config.nemid.clientOrigin;
      if (demoSp) mountDemoSp(app, config, log, clock, demoSp);
    }

    let metricsUrl: string | null = null;
    if (config.operations.listener === 'separate') {
      const opsServer = await createOperationsServer(log.child({ component: 'operations' }), operations);
      closers.push(() => opsServer.close());
      metricsUrl = await opsServer.listen({ host: config.http.host, port: options.listen?.metricsPort ?? config.operations.port ?? 0 });
      log.info({ url: metricsUrl }, 'operations listener (/metrics, detailed /readyz)');
    }

    const address = await app.listen({ host: config.http.host, port: options.listen?.port ?? config.http.port });
    log.info({ url: address, baseUrl: config.idp.baseUrl, instance: config.instanceId }, 'nemid-idp listening');
    const startDrain = () => {
      draining = true;
    };
    return { config, log, pool, url: address, simulatorUrl, registry, metricsUrl, startDrain, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** What may be logged of a driver error: pg-pool attaches the whole client (with its cancel key) as `error.client`. */
function driverErrorSummary(error: Error): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

/** Counts failed reloads and shows the last outcome as a gauge, so an alert can catch a bad SP file. */
function countedReloads(holder: RegistryHolder, metrics: ReturnType<typeof createServiceMetrics>): RegistryHolder {
  const reloads = metrics.counter('nemid_idp_metadata_reloads_total', 'SP registry reloads (SIGHUP) by outcome', ['outcome']);
  metrics.setGaugeCollector('nemid_idp_metadata_reload_failed', '1 while the last SP registry reload failed (the previous registry still serves)', [], () => [
    { labels: {}, value: holder.lastReloadProblems().length > 0 ? 1 : 0 },
  ]);
  return {
    current: () => holder.current(),
    lastReloadProblems: () => holder.lastReloadProblems(),
    async reload() {
      const result = await holder.reload();
      reloads.inc({ outcome: result.ok ? 'ok' : 'failed' });
      return result;
    },
  };
}

function countedJob(job: JobDefinition, metrics: ReturnType<typeof createServiceMetrics>): JobDefinition {
  return {
    ...job,
    run: async (context) => {
      try {
        const result = await job.run(context);
        metrics.jobRuns.inc({ job: job.name, outcome: 'ok' });
        const deleted = job.deletedRows?.(result) ?? 0;
        if (deleted > 0) metrics.jobRowsDeleted.inc({ job: job.name }, deleted);
        return result;
      } catch (error) {
        metrics.jobRuns.inc({ job: job.name, outcome: 'failed' });
        throw error;
      }
    },
  };
}

/** The NemID simulator on its own origin (a second port), so the browser glue is cross-origin as with real NemID. */
async function startSimulatorServer(
  config: Config,
  log: Logger,
  clock: Clock,
  closers: Array<() => Promise<void>>,
  databaseUrl: string,
  port?: number,
): Promise<string> {
  const devPki = await ensureDevPki(config.dataDir, config.http.simulatorPort);
  const origin = config.nemid.clientOrigin;
  // The simulator's own tables, never part of the service's schema: applied here, in the simulator environment only.
  const applied = await migrateSimulatorSchema({ databaseUrl, log });
  if (applied.length > 0) log.info({ applied }, 'simulator migrations applied');
  // A pool of its own: the test double's queries neither take the IdP's connections nor count in its metrics.
  const simulatorPool = createPool(databaseUrl, { applicationName: 'nemid-idp-simulator', max: 4, onIdleError: (error) => log.warn({ err: error }, 'idle simulator database connection failed') });
  closers.push(() => simulatorPool.end());
  const controlSecret = newControlSecret();
  const simulator = createSimulator({
    store: createSimulatorStore<StoredSession>(simulatorPool),
    cprKeys: config.secrets.cprEncryption,
    controlSecret,
    // Like Nets' PID-CPR: only the IdP's VOCES (NEMID_SP_CERT), presented as the TLS client certificate, is answered.
    pidCprClients: [config.nemid.sp.cert.raw],
    origin,
    requestIssuer: config.nemid.requestIssuer,
    pki: devPkiAdapter(devPki, {
      createForgedPki: () => buildAuthorities({ baseUrl: origin, rootKeyBits: 2048 }),
      now: () => clock.now(),
    }),
    clock,
    log: log.child({ component: 'simulator' }),
    mitidUsers: simulatedMitid(config),
  });
  const server = await createHttpServer({
    log: log.child({ component: 'simulator-http' }),
    cookieSecrets: config.secrets.cookie,
    bodyLimitBytes: config.http.bodyLimitBytes,
    rateLimitPerMinute: config.http.rateLimitPerMinute,
    trustProxy: false,
    csp: { formActionOrigins: () => [], frameOrigins: () => [] },
    errors: { simulatorBanner: true },
    allowFramingByCsp: true,
  });
  const seeded = await simulator.seed();
  if (seeded.length > 0) log.info({ seeded }, 'simulator: shipped test users put into the registry');
  mountRouteTable(server, simulator.routes);
  if (simulatedMitid(config)) {
    // Loaded here only: production never loads oidc-provider. Reachable only when MITID_ISSUER names it.
    const { createMitidBroker } = await import('./simulator/mitid/index.js');
    const mitid = config.mitid!;
    const broker = createMitidBroker({
      issuer: mitid.issuer,
      mountPath: MITID_SIMULATOR_PATH,
      client: {
        clientId: mitid.clientId,
        redirectUri: `${config.idp.baseUrl}/login/mitid/callback`,
        ...(mitid.clientAuth.method === 'private_key_jwt' ? { jwksUri: `${config.idp.baseUrl}/mitid/jwks` } : { secret: mitid.clientAuth.secret }),
      },
      log: log.child({ component: 'mitid-simulator' }),
    });
    mountRaw(server, { prefix: MITID_SIMULATOR_PATH, listener: broker.listener });
    log.warn({ issuer: mitid.issuer }, 'MitID broker SIMULATOR mounted (test users at /developers/)');
  }
  closers.push(() => server.close());
  const tls = await pidCprTlsCredential(config.dataDir);
  const pidCprServer = await createHttpServer({
    log: log.child({ component: 'simulator-pid-cpr' }),
    cookieSecrets: config.secrets.cookie,
    bodyLimitBytes: config.http.bodyLimitBytes,
    rateLimitPerMinute: config.http.rateLimitPerMinute,
    trustProxy: false,
    csp: { formActionOrigins: () => [], frameOrigins: () => [] },
    errors: { simulatorBanner: true },
    https: { keyPem: readFileSync(tls.keyPath, 'utf8'), certPem: readFileSync(tls.certPath, 'utf8'), requestClientCertificate: true },
  });
  mountRouteTable(pidCprServer, simulator.pidCprRoutes);
  closers.push(() => pidCprServer.close());
  const pidCprAddress = await pidCprServer.listen({ host: config.http.host, port: config.http.simulatorPidCprPort });
  log.info({ url: pidCprAddress }, 'simulated PID-CPR listening (mutual TLS: answers only NEMID_SP_CERT)');
  const address = await server.listen({ host: config.http.host, port: port ?? config.http.simulatorPort });
  log.info({ url: address, origin }, 'NemID SIMULATOR listening (test users at /developers/)');
  // A test double's switch key, not a credential: it only keeps other web pages from flipping the switches.
  log.warn({ controlSecret }, 'simulator: this start\'s secret for form posts to /control and /developers/ (also shown on /developers/)');
  return address;
}

/** True when MITID_ISSUER names this simulator's own broker (the only case it is mounted). */
function simulatedMitid(config: Config): boolean {
  return config.environment === 'simulator' && config.mitid !== null && config.mitid.issuer === `${config.nemid.clientOrigin}${MITID_SIMULATOR_PATH}`;
}

/** The demo SP under /demo on the IdP's own origin, registered with the IdP like any SP (from `registration`). */
function mountDemoSp(app: Awaited<ReturnType<typeof createHttpServer>>, config: Config, log: Logger, clock: Clock, registration: DemoSpRegistration): void {
  const demo = createDemoSp({
    ...registration.files,
    idpSsoUrl: `${config.idp.baseUrl}/saml/sso`,
    idpSloUrl: `${config.idp.baseUrl}/saml/slo`,
    idpEntityId: config.idp.entityId,
    idpSigningCertificates: [config.idp.signing.certPem, ...(config.idp.nextSigning ? [config.idp.nextSigning.certPem] : [])],
    simulatorUrl: `${config.nemid.clientOrigin}/developers/`,
    clock,
    log: log.child({ component: 'demo-sp' }),
  });
  mountRouteTable(app, demo.routes);
  log.info({ url: `${config.idp.baseUrl}/demo`, entityId: registration.files.spEntityId }, 'demo SP: open this URL and log in with a test user');
}
