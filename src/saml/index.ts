// saml module: SAML 2.0 at the message level — SP registry and policies, AuthnRequest decoding and ordered checks,
// response/assertion builders, metadata, POST form, logout messages. Pure functions with injected clock and keys;
// trusts only SP metadata files (by placement) and the bytes a signature verifier reports as signed. Knows no NemID.
export * from './constants.js';
export * from './registry/types.js';
export type { SpPolicy, NameIdKind, AttributeProfile } from './registry/policy.js';
export { loadSpRegistry, type BuiltInSpRegistration, type LoadSpRegistryOptions } from './registry/load-registry.js';
export type { SamlSubject, Capacity } from './response/subject.js';
export { computePersistentNameId, transientNameId, x509SubjectName } from './response/nameid.js';
export { ATTRIBUTE_PROFILES, attributesFor } from './response/attributes.js';
export { buildLoginResponse, type LoginResponseInput, type BuiltResponse, type ResolvedAcs } from './response/build-login-response.js';
export { buildErrorResponse, type ErrorResponseInput } from './response/build-error-response.js';
export { receiveAuthnRequest, type SamlContext, type VerifiedAuthnRequest } from './request/receive-authn-request.js';
export type { RequestedLevel, NsisLevelName } from './request/check-authn-context.js';
export type { IncomingMessage } from './bindings/decode.js';
export { buildIdpMetadata, type IdpMetadataInput, type LocalizedText } from './metadata/idp-metadata.js';
export { renderPostForm, postFormHeaders, escapeHtml, type PostFormInput } from './bindings/post-form.js';
export { receiveLogoutRequest, type VerifiedLogoutRequest } from './logout/receive-logout-request.js';
export { receiveLogoutResponse, type VerifiedLogoutResponse } from './logout/receive-logout-response.js';
export { buildLogoutRequest, type LogoutRequestInput } from './logout/build-logout-request.js';
export { buildLogoutResponse, type LogoutResponseInput } from './logout/build-logout-response.js';
export { chooseSloEndpoint, type SamlBindingName } from './logout/slo-endpoint.js';
export type { OutgoingMessage } from './logout/outgoing.js';
export { defaultPostAcs } from './request/resolve-acs.js';
