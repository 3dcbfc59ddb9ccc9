import type { Clock } from '../shared/index.js';
import { applySwitches, DEFAULT_SWITCHES, type ControlSwitches } from './control.js';
import { json, jsonOrFormFields, text } from './http/responses.js';
import type { SimLog, SimRoute } from './http/types.js';
import { apiRoutes } from './login/api-routes.js';
import { LoginFlow } from './login/flow.js';
import { codeCardPage, developersPage, pageLanguage } from './pages/developers-page.js';
import { launcherPage } from './pages/launcher-page.js';
import type { EnrolledSp } from './parameters/check-parameters.js';
import { pidCprRoutes } from './pid-cpr/routes.js';
import { DEFAULT_PID_CPR_SERVICE_PROVIDERS, PidCprService, type PidCprServiceProvider } from './pid-cpr/service.js';
import type { SimulatorPki } from './pki-port.js';
import { responseIssuer } from './response/issue-response.js';
import { revocationRoutes } from './revocation-routes.js';
import { rolesRoute } from './roles.js';
import { TEST_USERS } from './users/test-users.js';

// Composition of the NemID simulator: the routes the simulator's own origin serves and the in-memory state behind
// them. Framework-agnostic: src/http mounts `routes` on the simulator's Fastify instance.

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
  reset(): void;
}

export interface Simulator {
  routes: SimRoute[];
  state: SimulatorState;
  origin: string;
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const enrolled: EnrolledSp[] = options.enrolledSps
    ? [...options.enrolledSps]
    : options.pki.spVocesDer
      ? [{ certificateDer: options.pki.spVocesDer, requestIssuer: options.requestIssuer }]
      : [];
  let switches: ControlSwitches = { ...DEFAULT_SWITCHES };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pidCpr = new PidCprService(options.pidCprServiceProviders ?? DEFAULT_PID_CPR_SERVICE_PROVIDERS, options.clock);
  const flow = new LoginFlow({
    clock: options.clock,
    log: options.log,
    enrolledSps: () => enrolled,
    isRevoked: (der) => options.pki.isRevoked(der),
    issueResponse: responseIssuer(options.pki, () => options.clock.now()),
  });

  const state: SimulatorState = {
    switches: () => switches,
    enroll: (sp) => {
      enrolled.push(sp);
    },
    reset: () => {
      switches = { ...DEFAULT_SWITCHES };
      flow.reset();
      pidCpr.reset();
    },
  };

  const keyFiles = TEST_USERS.filter((user) => user.hasKeyFile).map((user) => user.userId);
  const routes: SimRoute[] = [
    {
      method: 'GET',
      path: '/launcher/:mode/:n',
      body: 'none',
      async handle(req) {
        const mode = req.params['mode'];
        if ((mode !== 'lmt' && mode !== 'std') || !/^[0-9]{1,20}$/.test(req.params['n'] ?? '')) return text(404, 'not found');
        return launcherPage({ client: 'js', mode, keyFiles });
      },
    },
    {
      method: 'GET',
      path: '/codefile/',
      body: 'none',
      async handle() {
        return launcherPage({ client: 'codefile', mode: 'std', keyFiles });
      },
    },
    ...apiRoutes(flow),
    { method: 'GET', path: '/developers/', body: 'none', handle: async (req) => developersPage(pageLanguage(req), { mitid: options.mitidUsers === true }) },
    {
      method: 'GET',
      path: '/developers/card/:userId',
      body: 'none',
      handle: async (req) => codeCardPage(req.params['userId'] ?? '', pageLanguage(req)) ?? text(404, 'no such user'),
    },
    ...revocationRoutes({ pki: options.pki, clock: options.clock, switches: () => switches }),
    ...pidCprRoutes({ service: pidCpr, switches: () => switches, timeoutMs }),
    rolesRoute({ switches: () => switches, timeoutMs }),
    {
      method: 'POST',
      path: '/control',
      body: 'raw',
      async handle(req) {
        const fields = jsonOrFormFields(req);
        const next = fields && applySwitches(switches, fields);
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
      async handle() {
        state.reset();
        options.log.info({}, 'simulator: reset');
        return json(200, switches);
      },
    },
  ];
  return { routes, state, origin: options.origin };
}
