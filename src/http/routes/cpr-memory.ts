import type { FastifyInstance } from 'fastify';
import { cprMemoryCsrfPurpose, forgetAfterLogin, forgetCprMemory, forgetRememberedCsrfPurpose, newBrowserSecret, SESSION_COOKIE, showCprMemory } from '../../login/index.js';
import { BROWSER_COOKIE, readSignedCookie } from '../cookies.js';
import { requestLanguage } from '../language.js';
import { sendOutcome } from '../outcome.js';
import type { RouteContext } from './context.js';
import { formBody, requireCsrf } from './login.js';

type LoginParams = { Params: { id: string } };

/**
 * Forgetting a remembered CPR number (issue 14 item 1): "Glem det" on the final page of a login that used one, and
 * the self-service page /cpr-memory for a browser logged in with NemID. Every form carries a CSRF token.
 */
export function registerCprMemoryRoutes(app: FastifyInstance, context: RouteContext): void {
  app.post<LoginParams>('/login/:id/cpr/forget-remembered', async (request, reply) => {
    const form = formBody(request);
    const browserSecret = requireCsrf(request, context, forgetRememberedCsrfPurpose(request.params.id), form['csrf']);
    const outcome = await forgetAfterLogin(context.login, request.params.id, browserSecret, { traceId: String(request.id), language: requestLanguage(request) });
    await sendOutcome(request, reply, context, outcome);
  });

  app.get('/cpr-memory', async (request, reply) => {
    const session = readSignedCookie(request, SESSION_COOKIE, context.cookiePolicy);
    const outcome = await showCprMemory(context.login, session, requestLanguage(request));
    // The page's forms are bound to this browser's cookie: give it one if it has none yet.
    const cookies = readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy) ? {} : { browserSecret: newBrowserSecret() };
    await sendOutcome(request, reply, context, outcome, cookies);
  });

  app.post('/cpr-memory/forget', async (request, reply) => {
    const form = formBody(request);
    const session = readSignedCookie(request, SESSION_COOKIE, context.cookiePolicy);
    const sessionId = session?.split('.')[0] ?? '';
    requireCsrf(request, context, cprMemoryCsrfPurpose(sessionId), form['csrf']);
    const outcome = await forgetCprMemory(context.login, session, form['sp'] || undefined, { traceId: String(request.id), language: requestLanguage(request) });
    await sendOutcome(request, reply, context, outcome);
  });
}
