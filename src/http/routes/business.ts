import type { FastifyInstance } from 'fastify';
import { businessAbortCsrfPurpose, businessCsrfPurpose, chooseBusinessRole, leaveWithoutBusinessRole, showBusinessChoice } from '../../login/index.js';
import { BROWSER_COOKIE, readSignedCookie } from '../cookies.js';
import { sendOutcome } from '../outcome.js';
import type { RouteContext } from './context.js';
import { formBody, requireCsrf } from './login.js';

type LoginParams = { Params: { id: string } };

/** /login/<id>/business: the business choice page (again), the choice, and "back to the service" without a role. */
export function registerBusinessRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get<LoginParams>('/login/:id/business', async (request, reply) => {
    const outcome = await showBusinessChoice(context.login, request.params.id, readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy));
    await sendOutcome(request, reply, context, outcome);
  });

  app.post<LoginParams>('/login/:id/business', async (request, reply) => {
    const form = formBody(request);
    const browserSecret = requireCsrf(request, context, businessCsrfPurpose(request.params.id), form['csrf']);
    const chosen = await chooseBusinessRole(context.login, request.params.id, browserSecret, { role: form['role'] }, { traceId: String(request.id) });
    await sendOutcome(request, reply, context, chosen.outcome, chosen.cookies);
  });

  app.post<LoginParams>('/login/:id/business/abort', async (request, reply) => {
    const form = formBody(request);
    const browserSecret = requireCsrf(request, context, businessAbortCsrfPurpose(request.params.id), form['csrf']);
    await leaveWithoutBusinessRole(context.login, request.params.id, browserSecret);
    void reply;
  });
}
