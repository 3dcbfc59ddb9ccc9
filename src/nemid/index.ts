// nemid module: the NemID client protocol (nemid-protocol.md): signed client parameters for the JS and CodeFile
// clients, classification of the posted response, the verification checklist and the OCES response format.
// Trusts nothing it receives: identities come only from a verified signature and pki's verdict on the leaf.
export { buildJsClientParameters, type JsClientInput } from './parameters/js-client.js';
export { buildCodeFileParameters, type CodeFileClientInput, type CodeFileEnvironment } from './parameters/codefile-client.js';
export { createChallenge, formatTimestamp, type SignedClientParameters } from './parameters/common.js';
export { normalizeParameters, paramsDigest, digestNormalized, signNormalized, compareParameterNames } from './parameters/normalize.js';
export { classifyClientResponse, MAX_RESPONSE_FIELD_BYTES, type ClassifiedClientResponse } from './classify-response.js';
export { clientErrorClass, catalogueCodeForClass, CLIENT_ERROR_CODE_PATTERN, type ClientErrorClass } from './client-errors.js';
export {
  verifyNemidResponse,
  checkExpectedProperties,
  type ExpectedProperties,
  type VerifiedNemidResponse,
  type VerifyNemidResponseOptions,
} from './response/verify.js';
export { checkAction, checkChallenge, checkRequestIssuer, checkTimestamp, type SignedProperty, type SignedProperties } from './response/properties.js';
export type { LoginCertificateVerdict } from './response/certificate-check.js';
export { checkCertificatePolicy, type CertificatePolicy } from './policy.js';
export {
  serializeOcesResponse,
  signOcesResponse,
  loginProperties,
  objectXml,
  signedInfoXml,
  CLIENT_SIGNATURE_ID,
  type ResponseClient,
  type ResponseProperty,
  type SerializeOcesResponseInput,
  type SignOcesResponseInput,
  type LoginPropertiesInput,
} from './response-format/index.js';
export { createRolesClient, parseRolesResponse, ROLES_MAX_RESPONSE_BYTES, type RolesClient, type RolesClientOptions, type RoleQuery, type BusinessRole } from './roles/index.js';
export * from './pid-cpr/index.js';
