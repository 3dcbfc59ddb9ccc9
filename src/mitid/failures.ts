import * as oidc from 'openid-client';
import { IdpError } from '../errors/index.js';

// openid-client's failures mapped to our stable codes. The broker's own error answers (RFC 6749 §4.1.2.1) keep their
// meaning: the user cancelled, a passive request found no session, anything else is the broker's fault.

const TOKEN_PROBLEMS = new Set(['OAUTH_JWT_TIMESTAMP_CHECK_FAILED', 'OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'OAUTH_KEY_SELECTION_FAILED', 'OAUTH_INVALID_RESPONSE', 'OAUTH_PARSE_ERROR', 'OAUTH_UNSUPPORTED_OPERATION']);

function isTimeout(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
  }
  return false;
}

export function mapBrokerFailure(error: unknown): IdpError {
  if (error instanceof IdpError) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    if (error.error === 'access_denied') return new IdpError('MITID_USER_CANCELLED', 'the user cancelled at the broker', { cause: error });
    if (error.error === 'login_required' || error.error === 'interaction_required' || error.error === 'consent_required') {
      return new IdpError('SAML_NO_PASSIVE', 'the broker has no session for a passive login', { cause: error });
    }
    return new IdpError('MITID_BROKER_ERROR', `the broker answered ${error.error}`, { cause: error, detail: { brokerError: error.error } });
  }
  if (error instanceof oidc.ResponseBodyError) {
    if (error.status >= 500) return new IdpError('MITID_BROKER_UNAVAILABLE', `token endpoint answered ${error.status}`, { cause: error });
    return new IdpError('MITID_TOKEN_EXCHANGE_FAILED', `token endpoint refused the code: ${error.error}`, { cause: error, detail: { brokerError: error.error } });
  }
  if (isTimeout(error)) return new IdpError('MITID_BROKER_UNAVAILABLE', 'the broker did not answer in time', { cause: error });
  if (error instanceof oidc.ClientError) {
    if (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
      return new IdpError('MITID_BROKER_UNAVAILABLE', 'the broker answered with an unexpected response', { cause: error });
    }
    if (error.code && TOKEN_PROBLEMS.has(error.code)) return new IdpError('MITID_ID_TOKEN_INVALID', error.message, { cause: error, detail: { check: error.code } });
  }
  if (error instanceof TypeError) return new IdpError('MITID_BROKER_UNAVAILABLE', 'the broker could not be reached', { cause: error });
  return new IdpError('MITID_ID_TOKEN_INVALID', 'the token response failed validation', { cause: error });
}
