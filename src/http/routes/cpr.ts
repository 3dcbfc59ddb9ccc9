import type { FastifyInstance } from 'fastify';
import { cprCsrfPurpose, cprForgetCsrfPurpose, cprStepOf } from '../../login/index.js';
import { BROWSER_COOKIE, readSignedCookie } from '../cookies.js';
import { sendOutcome } from '../outcome.js';
import type { RouteContext } from './context.js';
import { formBody, requireCsrf } from './login.js';

type LoginParams = { Params: { id: string } };

/**
 * /login/<id>/cpr: the CPR page (again), the typed CPR, and "forget my remembered CPR". The CPR travels only in a
 * POST body (never a URL), every form carries a CSRF token, and pages are no-store like every login page.
 */
export function registerCprRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get<LoginParams>('/login/:id/cpr', async (request, reply) => {
    const outcome = await cprStepOf(context.login).show(context.login, request.params.id, readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy));
    await sendOutcome(request, reply, context, outcome);
  });

  app.post<LoginParams>('/login/:id/cpr', async (request, reply) => {
    const form = formBody(request);
    const browserSecret = requireCsrf(request, context, cprCsrfPurpose(request.params.id), form['csrf']);
    const submitted = await cprStepOf(context.login).submit(
      context.login,
      request.params.id,
      browserSecret,
      { cpr: form['cpr'], remember: form['remember'] },
      { traceId: String(request.id) },
    );
    await sendOutcome(request, reply, context, submitted.outcome, submitted.cookies);
  });

  app.post<LoginParams>('/login/:id/cpr/forget', async (request, reply) => {
    const form = formBody(request);
    const browserSecret = requireCsrf(request, context, cprForgetCsrfPurpose(request.params.id), form['csrf']);
    const outcome = await cprStepOf(context.login).forget(context.login, request.params.id, browserSecret, { traceId: String(request.id) });
    await sendOutcome(request, reply, context, outcome);
  });
}
