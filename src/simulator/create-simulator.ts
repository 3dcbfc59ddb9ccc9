import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/index.js';
import { applySwitches, DEFAULT_SWITCHES, type ControlSwitches } from './control.js';
import { developerRoutes } from './developers/routes.js';
import { contentTypeOf, hasSecret, isSameOriginOrNonBrowser, isTrustedJsonCall, newControlSecret } from './http/request-guards.js';
import { json, jsonOrFormFields, text } from './http/responses.js';
import type { SimLog, SimRoute } from './http/types.js';
import { apiRoutes } from './login/api-routes.js';
import { LoginFlow } from './login/flow.js';
import { createMemoryStore } from './memory-store.js';
import { launcherPage } from './pages/launcher-page.js';
import type { EnrolledSp } from './parameters/check-parameters.js';
import { pidCprRoutes, type PidCprClients } from './pid-cpr/routes.js';
import { DEFAULT_PID_CPR_SERVICE_PROVIDERS, PidCprService, type PidCprServiceProvider } from './pid-cpr/service.js';
import type { RegistryCertificates, SimulatorPki } from './pki-port.js';
import { responseIssuer } from './response/issue-response.js';
import { revocationRoutes } from './revocation-routes.js';
import { rolesRoute } from './roles.js';
import type { SimulatorStore } from './store-port.js';
import { createCprSealer } from './users/cpr-seal.js';
import { UserDirectory } from './users/directory.js';

// Composition of the NemID simulator: the routes the simulator's own origin serves, the PID-CPR routes for its
// mutual-TLS listener, and the state behind them (the store: PostgreSQL in the service, memory in unit tests).
// Framework-agnostic: src/http mounts the route tables on the simulator's Fastify instances.

export interface SimulatorOptions {
  /** The simulator's own origin (NEMID_CLIENT_ORIGIN), e.g. http://localhost:8081. */
  origin: string;
  /** NEMID_REQUEST_ISSUER: the name registered for the default enrolled SP. */
  requestIssuer: string;
  /** SP certificates NemID knows, with their registered names. Default: the dev-pki VOCES with `requestIssuer`. */
  enrolledSps?: EnrolledSp[];
  pki: SimulatorPki & { spVocesDer?: Buffer };
  clock: Clock;
  log: SimLog;
  /** Where users, cards, revocations, lock-outs, sessions and logs live. Default: this process's memory. */
  store?: SimulatorStore;
  /** Keys the test users' CPR numbers are sealed under (from CPR_ENCRYPTION_KEYS). Default: one random key. */
  cprKeys?: ReadonlyArray<{ id: string; key: Buffer }>;
  /** The client certificates PID-CPR answers. Default: the enrolled SP certificates. */
  pidCprClients?: PidCprClients;
  /** The per-start secret a form POST to /control or /developers/ must carry. Default: fresh random letters. */
  controlSecret?: string;
  /** PID-CPR service providers. Default: SIMULATOR_PUBLIC_SPID (may look up) and SIMULATOR_PRIVATE_SPID. */
  pidCprServiceProviders?: PidCprServiceProvider[];
  /** How long the 'timeout' switches hold an answer back. Default 30 s. */
  timeoutMs?: number;
  /** The MitID broker simulator is mounted: /developers/ lists its test users too. */
  mitidUsers?: boolean;
}

export interface SimulatorState {
  switches(): ControlSwitches;
  /** Adds an SP certificate to the enrolment list (tests). */
  enroll(sp: EnrolledSp): void;
  /** Resets switches, lock-outs, sessions, remembered user ids and PID-CPR brute-force counters. */
  reset(): Promise<void>;
  /** The per-start secret for form posts to /control and /developers/. */
  controlSecret(): string;
}

export interface Simulator {
  /** Routes of the simulator's origin (launcher, developer pages, CRL/OCSP, roles, control). */
  routes: SimRoute[];
  /** Routes of the PID-CPR listener (mutual TLS). */
  pidCprRoutes: SimRoute[];
  state: SimulatorState;
  origin: string;
  store: SimulatorStore;
  /** Puts the shipped test users that are missing into the store; returns their ids. */
  seed(): Promise<string[]>;
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const enrolled: EnrolledSp[] = options.enrolledSps
    ? [...options.enrolledSps]
    : options.pki.spVocesDer
      ? [{ certificateDer: options.pki.spVocesDer, requestIssuer: options.requestIssuer }]
      : [];
  let switches: ControlSwitches = { ...DEFAULT_SWITCHES };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const secret = options.controlSecret ?? newControlSecret();
  const store = options.store ?? createMemoryStore();
  const sealer = createCprSealer(options.cprKeys ?? [{ id: 'memory', key: randomBytes(32) }]);
  const directory = new UserDirectory(store, sealer);
  let seeded: Promise<string[]> | undefined;
  const seed = () => (seeded ??= directory.seedShipped().catch((error: unknown) => ((seeded = undefined), Promise.reject(error))));
  // Every route answers only after the shipped users are in the store (a memory store is seeded on first use).
  const ready = <T extends SimRoute>(route: T): T => ({ ...route, handle: async (req) => (await seed(), route.handle(req)) });

  const pidCpr = new PidCprService(options.pidCprServiceProviders ?? DEFAULT_PID_CPR_SERVICE_PROVIDERS, options.clock, async (pid) => {
    const user = await store.users.findByPid(pid);
    return user ? directory.cprOf(user) : undefined;
  });
  const flow = new LoginFlow({
    clock: options.clock,
    log: options.log,
    store,
    directory,
    enrolledSps: () => enrolled,
    isRevoked: (der) => options.pki.isRevoked(der),
    issueResponse: responseIssuer(options.pki, () => options.clock.now()),
  });
  const registry = async (): Promise<RegistryCertificates> => {
    const [revocations, users] = await Promise.all([store.users.revocations(), store.users.list()]);
    return {
      revoked: new Map(revocations.map((r) => [r.serialHex, r.revokedAt])),
      known: new Set(users.flatMap((user) => (user.credential ? [user.credential.serialHex] : []))),
    };
  };

  const state: SimulatorState = {
    switches: () => switches,
    enroll: (sp) => {
      enrolled.push(sp);
    },
    reset: async () => {
      switches = { ...DEFAULT_SWITCHES };
      await store.resetVolatile();
      pidCpr.reset();
    },
    controlSecret: () => secret,
  };

  const keyFiles = async () => (await store.users.list()).filter((user) => user.hasKeyFile).map((user) => user.userId);
  const plainRoutes: SimRoute[] = [
    {
      method: 'GET',
      path: '/launcher/:mode/:n',
      body: 'none',
      async handle(req) {
        const mode = req.params['mode'];
        if ((mode !== 'lmt' && mode !== 'std') || !/^[0-9]{1,20}$/.test(req.params['n'] ?? '')) return text(404, 'not found');
        return launcherPage({ client: 'js', mode, keyFiles: [] });
      },
    },
    {
      method: 'GET',
      path: '/codefile/',
      body: 'none',
      async handle() {
        return launcherPage({ client: 'codefile', mode: 'std', keyFiles: await keyFiles() });
      },
    },
    ...apiRoutes(flow),
    ...developerRoutes({ origin: options.origin, secret, store, directory, pki: options.pki, clock: options.clock, log: options.log, mitid: options.mitidUsers === true }),
    ...revocationRoutes({ pki: options.pki, clock: options.clock, switches: () => switches, registry }),
    rolesRoute({
      switches: () => switches,
      timeoutMs,
      businessesOf: async (pid) => (await store.users.findByPid(pid))?.businesses ?? null,
    }),
    {
      method: 'POST',
      path: '/control',
      body: 'raw',
      async handle(req) {
        // JSON from a test suite or our own page, or a form carrying this start's secret: never a cross-site form.
        const form = contentTypeOf(req) === 'application/x-www-form-urlencoded';
        const fields = jsonOrFormFields(req);
        const allowed = form ? hasSecret(fields?.['secret'], secret) && isSameOriginOrNonBrowser(req, options.origin) : isTrustedJsonCall(req, options.origin);
        if (!allowed) {
          options.log.warn({ form }, 'simulator: control refused (cross-site, wrong content type or no secret)');
          return json(403, { error: 'send JSON (no foreign Origin) or a form with the secret shown on /developers/' });
        }
        const { secret: _secret, ...switchFields } = fields ?? {};
        const next = fields && applySwitches(switches, switchFields);
        if (!next) return json(400, { error: 'unknown switch or value' });
        switches = next;
        options.log.warn({ switches }, 'simulator: control switches set');
        return json(200, switches);
      },
    },
    {
      method: 'DELETE',
      path: '/control',
      body: 'none',
      async handle(req) {
        // A browser sends a cross-site DELETE only after a CORS preflight we never answer; the Origin check is the belt.
        if (!isSameOriginOrNonBrowser(req, options.origin)) return json(403, { error: 'cross-site' });
        await state.reset();
        options.log.info({}, 'simulator: reset');
        return json(200, switches);
      },
    },
  ];
  const routes = plainRoutes.map(ready);
  const pidCprClients = options.pidCprClients ?? enrolled.map((sp) => sp.certificateDer);
  return {
    routes,
    pidCprRoutes: pidCprRoutes({ service: pidCpr, switches: () => switches, timeoutMs, clients: pidCprClients }).map(ready),
    state,
    origin: options.origin,
    store,
    seed,
  };
}
