// MitID through a certified broker's OpenID Connect interface (mitid.md). Knows OIDC and MitID claims, nothing of
// SAML or NemID. Trusts only the configured issuer: its discovery document, its JWKS and what an ID token signed with
// those keys says after every check of the contract's list.
export { createBrokerClient, scopesFor, acrValuesFor, type BrokerClient, type BrokerClientOptions, type PendingAuthorization, type AuthorizationInput } from './broker-client.js';
export { loadClientKey, type ClientKey } from './client-key.js';
export { identityFromClaims, achievedLevel, type VerifiedMitidIdentity, type MitidKind } from './identity.js';
export { NSIS_LEVELS, NSIS_LOA_PREFIX, atLeast, satisfies, isNsisLevel, levelRank, type NsisLevel, type LevelRequirement } from './levels.js';
export { PRESETS, SIGNICAT, resolvePreset, type BrokerPreset } from './presets.js';
export { mapBrokerFailure } from './failures.js';
