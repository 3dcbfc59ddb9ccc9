import { IdpError, catalogue, type ErrorCode } from '../../errors/index.js';
import { type Clock, samlId, toSamlInstant } from '../../shared/index.js';
import type { SigningCredentials } from '../../xml/index.js';
import type { RegisteredSp } from '../registry/types.js';
import type { ResolvedAcs } from './build-login-response.js';
import { appendStatus, createResponseShell, finishResponse } from './envelope.js';

// An error answered to a verified ACS (saml-profile.md §5): the status pair from the catalogue entry, StatusMessage
// = the catalogue code and nothing else, always signed at Response level, no assertion.

export interface ErrorResponseInput {
  sp: RegisteredSp;
  acs: ResolvedAcs;
  issuer: string;
  inResponseTo?: string;
  code: ErrorCode;
  signing: SigningCredentials;
  clock: Clock;
}

export function buildErrorResponse(input: ErrorResponseInput): { xml: string; responseId: string } {
  const status = (catalogue[input.code] as { saml?: { top: string; second?: string } }).saml;
  if (!status) throw new IdpError('INTERNAL_ERROR', `${input.code} may not be answered to an SP`);
  const responseId = samlId();
  const shell = createResponseShell({
    id: responseId,
    issueInstant: toSamlInstant(input.clock.now()),
    destination: input.acs.url,
    ...(input.inResponseTo !== undefined ? { inResponseTo: input.inResponseTo } : {}),
    issuer: input.issuer,
  });
  appendStatus(shell.root, status.top, status.second, input.code);
  return { xml: finishResponse(shell, input.signing), responseId };
}
