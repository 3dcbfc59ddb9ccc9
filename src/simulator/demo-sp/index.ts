// The simulator's demo SP: an independent SAML SP (it does not use src/saml) served under /demo in the simulator
// environment. Trusts only the IdP signing certificates it is configured with; everything else it receives is checked.
export { createDemoSp, DEMO_SP_COOKIE, type DemoSp } from './create-demo-sp.js';
export { demoSpRegistration, DEMO_SP_NAME, DEMO_SP_POLICY, type DemoSpCredentials, type DemoSpRegistration } from './registration.js';
export type { DemoSpOptions, DemoLogin, ReceivedAttribute, ReceivedNameId } from './types.js';
