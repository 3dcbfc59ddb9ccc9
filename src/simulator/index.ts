// The NemID simulator (nemid-protocol.md §10): the client launcher pages, parameter checks, test users with code
// cards, signed responses, CRL/OCSP, PID-CPR and roles services, and the developer site where test users are made,
// for the `simulator` environment only. A test double of external services: it trusts nothing it receives and keeps
// its state behind one store port (PostgreSQL in the service, memory in unit tests).
export { createSimulator, type Simulator, type SimulatorOptions, type SimulatorState } from './create-simulator.js';
export type { SimRoute, SimRequest, SimResponse, SimMethod, SimLog } from './http/types.js';
export type { SimulatorPki, SimulatorCredential, ForgedChain, CaName, OcspAnswerOptions } from './pki-port.js';
export { devPkiAdapter, issueSimulatorUsers, simulatorUserName, type DevPkiLike } from './dev-pki-adapter.js';
export type { EnrolledSp, CheckedParameters } from './parameters/check-parameters.js';
export { codeFor, cardKeys, CARD_NUMBER_PATTERN } from './users/code-card.js';
export { TEST_USERS, FAULT_NAMES, parseTypedUserId, type TestUser, type FaultName, type Business } from './users/test-users.js';
export type { SimUser, UserIdentity, SealedCpr, StoredCredential, CertificateIdentity } from './users/model.js';
export type { SimulatorStore, StoredSession, UserEvent, LockState, Revocation, EventStep } from './store-port.js';
export { createMemoryStore } from './memory-store.js';
export { newControlSecret } from './http/request-guards.js';
export type { PidCprClients } from './pid-cpr/routes.js';
export {
  SIMULATOR_PUBLIC_SPID,
  SIMULATOR_PRIVATE_SPID,
  DEFAULT_PID_CPR_SERVICE_PROVIDERS,
  PID_CPR_STATUS,
  type PidCprServiceProvider,
} from './pid-cpr/service.js';
export { PID_XML_PATH } from './pid-cpr/routes.js';
export { CRL_FILE_NAMES } from './revocation-routes.js';
export { DEFAULT_SWITCHES, type ControlSwitches } from './control.js';
export {
  createDemoSp,
  demoSpRegistration,
  DEMO_SP_COOKIE,
  DEMO_SP_NAME,
  DEMO_SP_POLICY,
  type DemoSp,
  type DemoSpCredentials,
  type DemoSpRegistration,
  type DemoSpOptions,
  type DemoLogin,
} from './demo-sp/index.js';
