import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdpError } from '../../errors/index.js';
import { bindingOf, csrfToken, failLogin, LoginFailure, LoginInterrupted } from '../../login/index.js';
import { BROWSER_COOKIE, readSignedCookie } from '../cookies.js';
import { sendOutcome } from '../outcome.js';
import type { RouteContext } from './context.js';

/**
 * The renderer's first question: may this failure be answered to the SP? Only a LoginFailure carries a transaction,
 * whose ACS was verified against metadata before the transaction existed; failLogin decides by the catalogue.
 */
export function answerToSp(context: RouteContext) {
  return async (error: IdpError, request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    if (!(error instanceof LoginFailure)) return false;
    const outcome = await failLogin(context.login, error.transaction, error.code, String(request.id)).catch((cause) => {
      request.log.error({ err: cause, code: error.code }, 'could not answer the failure to the SP');
      return null;
    });
    if (!outcome) return false;
    await sendOutcome(request, reply, context, outcome);
    return true;
  };
}

/**
 * A login step interrupted by the database wrote nothing: its page offers "back to the service", the login's abort
 * form (CSRF-bound to this browser), which ends the login and answers the SP from the committed state.
 */
export function backToSp(context: RouteContext) {
  return (error: IdpError, request: FastifyRequest): { action: string; csrf: string } | undefined => {
    if (!(error instanceof LoginInterrupted)) return undefined;
    const browserSecret = readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy);
    if (!browserSecret) return undefined;
    return { action: `/login/${error.loginId}/abort`, csrf: csrfToken(context.cookieSecrets[0]!, bindingOf(browserSecret), `abort:${error.loginId}`) };
  };
}
