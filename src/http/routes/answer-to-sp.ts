import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdpError } from '../../errors/index.js';
import { failLogin, LoginFailure } from '../../login/index.js';
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
