// The MitID broker simulator (an OpenID Provider on oidc-provider), loaded by the composition root only in the
// simulator environment with the simulator issuer configured. Test users and switches as plain data beside it.
export { createMitidBroker, type MitidBroker, type MitidBrokerOptions } from './broker.js';
export { MITID_TEST_USERS, findMitidUser, type MitidTestUser } from './test-users.js';
export { DEFAULT_MITID_CONTROLS, ID_TOKEN_FORGERIES, type MitidControls, type IdTokenForgery } from './controls.js';
