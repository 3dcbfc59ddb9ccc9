import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IdpError } from '../../errors/index.js';
import { abortLogin, bindingOf, completeMitid, completeNemid, showLogin, validCsrfToken } from '../../login/index.js';
import { BROWSER_COOKIE, readSignedCookie, REMEMBER_USERID_COOKIE, setRememberUserid } from '../cookies.js';
import { requestLanguage } from '../language.js';
import { sendOutcome } from '../outcome.js';
import type { RouteContext } from './context.js';

type LoginParams = { Params: { id: string } };

/** The form fields of our own pages: strings only (a repeated field is refused). */
export function formBody(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const body = request.body;
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value === 'string') out[key] = value;
      else throw new IdpError('BAD_REQUEST', `form field ${key} must be given once`);
    }
  }
  return out;
}

/** Checks the CSRF token of a form of login `id` for `purpose` against this browser's cookie. */
export function requireCsrf(request: FastifyRequest, context: RouteContext, purpose: string, token: string | undefined): string {
  const browserSecret = readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy);
  if (!browserSecret || !validCsrfToken(context.cookieSecrets, bindingOf(browserSecret), purpose, token)) {
    throw new IdpError('CSRF_INVALID', `CSRF token refused for ${purpose.split(':')[0]}`);
  }
  return browserSecret;
}

/** /login/<id>: the login page, the NemID client's result, and "back to the service" after a client error. */
export function registerLoginRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get<LoginParams>('/login/:id', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const outcome = await showLogin(context.login, request.params.id, readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy), {
      method: typeof query['method'] === 'string' ? query['method'] : undefined,
      language: requestLanguage(request),
      rememberUseridToken: readSignedCookie(request, REMEMBER_USERID_COOKIE, context.cookiePolicy),
    });
    await sendOutcome(request, reply, context, outcome);
  });

  // The MitID broker's redirect back (mitid.md "The callback"): a top-level GET, so the SameSite=Lax browser cookie
  // comes with it and binds the callback to the browser that started the login.
  app.get('/login/mitid/callback', async (request, reply) => {
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
      if (typeof value !== 'string') throw new IdpError('BAD_REQUEST', `query parameter ${name} must be given once`);
      query[name] = value;
    }
    const completed = await completeMitid(context.login, query, readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy), { traceId: String(request.id) });
    await sendOutcome(request, reply, context, completed.outcome, completed.cookies);
  });

  app.post<LoginParams>('/login/:id/nemid', async (request, reply) => {
    const form = formBody(request);
    const browserSecret = requireCsrf(request, context, `nemid:${request.params.id}`, form['csrf']);
    const completed = await completeNemid(context.login, request.params.id, browserSecret, form['response'], { traceId: String(request.id) });
    if (completed.rememberUseridToken) setRememberUserid(reply, context.cookiePolicy, completed.rememberUseridToken);
    await sendOutcome(request, reply, context, completed.outcome, completed.cookies);
  });

  app.post<LoginParams>('/login/:id/abort', async (request, reply) => {
    const form = formBody(request);
    const browserSecret = requireCsrf(request, context, `abort:${request.params.id}`, form['csrf']);
    await abortLogin(context.login, request.params.id, browserSecret);
    void reply;
  });
}
