import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode, IdpError } from '../../errors/index.js';
import { bindingOf, csrfToken, failLogin, LoginAlreadyCompleted, LoginFailure, LoginInterrupted, resumeCompletedLogin, SESSION_COOKIE, spDisplayName } from '../../login/index.js';
import { BROWSER_COOKIE, readSignedCookie } from '../cookies.js';
import { requestLanguage } from '../language.js';
import { sendOutcome } from '../outcome.js';
import { renderErrorPage } from '../views/error-page.js';
import type { RouteContext } from './context.js';

// Failures the user should read about on our page before the SP hears of them (issue 14 item 2): the page explains,
// and its "Tilbage til <tjeneste>" button posts the signed error Response (the same one the SP would have got at
// once) to the verified ACS. Every other answerable failure goes to the SP straight away, as before.
const EXPLAIN_FIRST = new Set<ErrorCode>(['CPR_ATTEMPTS_EXCEEDED', 'CPR_RATE_LIMITED']);

/**
 * The renderer's first question: may this failure be answered to the SP? Only a LoginFailure carries a transaction,
 * whose ACS was verified against metadata before the transaction existed; failLogin decides by the catalogue.
 */
export function answerToSp(context: RouteContext) {
  return async (error: IdpError, request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    if (error instanceof LoginAlreadyCompleted) {
      // Back or Reload after the login finished: to the SP again, never a 409 page.
      const resumed = await resumeCompletedLogin(
        context.login,
        error.transaction,
        { browserSecret: readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy), session: readSignedCookie(request, SESSION_COOKIE, context.cookiePolicy) },
        { traceId: String(request.id), language: requestLanguage(request) },
      );
      // A step page of the fresh login goes to its own address (the old login's address is spent).
      await sendOutcome(request, reply, context, resumed.outcome, resumed.cookies, { stepAddress: true });
      return true;
    }
    if (!(error instanceof LoginFailure)) return false;
    const outcome = await failLogin(context.login, error.transaction, error.code, String(request.id)).catch((cause) => {
      request.log.error({ err: cause, code: error.code }, 'could not answer the failure to the SP');
      return null;
    });
    if (!outcome) return false;
    if (EXPLAIN_FIRST.has(error.code)) {
      const lang = requestLanguage(request);
      const sp = context.login.registry().byEntityId(error.transaction.spEntityId);
      const page = renderErrorPage({
        code: error.code,
        traceId: String(request.id),
        lang,
        nonce: request.cspNonce,
        simulatorBanner: context.simulatorBanner,
        ...(context.links ? { links: context.links } : {}),
        ...(sp ? { spName: spDisplayName(sp, lang) } : {}),
        answer: { action: outcome.action, fields: outcome.fields as Record<string, string> },
      });
      await reply.code(error.entry.http).type('text/html; charset=utf-8').send(page);
      return true;
    }
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
