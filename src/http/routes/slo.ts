import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IdpError } from '../../errors/index.js';
import { logoutConfirmation, receiveLogoutAnswer, receiveSpLogout, SESSION_COOKIE, startIdpLogout } from '../../login/index.js';
import { receiveLogoutRequest, receiveLogoutResponse, type IncomingMessage } from '../../saml/index.js';
import { readSignedCookie } from '../cookies.js';
import { sendOutcome } from '../outcome.js';
import type { RouteContext } from './context.js';
import { formBody } from './login.js';
import { formFields, rawQueryString } from './saml.js';

// Single logout (saml-profile.md §6): /saml/slo takes an SP's LogoutRequest and the LogoutResponses of the SPs we
// propagate to, on both bindings; /saml/slo/init is our own "log out of every service" page and its form post.
// Everything before a message's signature is verified ends on the local error page (saml/ throws, the renderer
// shows it); login/ decides the rest.

/** Which message an /saml/slo call carries: exactly one of SAMLRequest and SAMLResponse. */
function messageKind(names: Iterable<string>): 'request' | 'response' {
  const present = new Set(names);
  const request = present.has('SAMLRequest');
  const response = present.has('SAMLResponse');
  if (request === response) throw new IdpError('SAML_REQUEST_MALFORMED', 'exactly one of SAMLRequest and SAMLResponse is required');
  return request ? 'request' : 'response';
}

export function registerSloRoutes(app: FastifyInstance, context: RouteContext): void {
  const handle = async (request: FastifyRequest, reply: FastifyReply, input: IncomingMessage, kind: 'request' | 'response') => {
    const traceId = String(request.id);
    const result =
      kind === 'request'
        ? await receiveSpLogout(context.login, await receiveLogoutRequest(input, context.samlContext()), readSignedCookie(request, SESSION_COOKIE, context.cookiePolicy), traceId)
        : await receiveLogoutAnswer(context.login, await receiveLogoutResponse(input, context.samlContext()), traceId);
    await sendOutcome(request, reply, context, result.outcome, result.cookies);
  };

  app.get('/saml/slo', async (request, reply) => {
    const raw = rawQueryString(request);
    await handle(request, reply, { binding: 'redirect', rawQueryString: raw }, messageKind(new URLSearchParams(raw).keys()));
  });
  app.post('/saml/slo', async (request, reply) => {
    const form = formFields(request.body);
    await handle(request, reply, { binding: 'post', form }, messageKind(Object.keys(form).filter((name) => form[name] !== undefined)));
  });

  app.get('/saml/slo/init', async (request, reply) => {
    const result = await logoutConfirmation(context.login, readSignedCookie(request, SESSION_COOKIE, context.cookiePolicy));
    await sendOutcome(request, reply, context, result.outcome, result.cookies);
  });
  app.post('/saml/slo/init', async (request, reply) => {
    const form = formBody(request);
    const result = await startIdpLogout(context.login, readSignedCookie(request, SESSION_COOKIE, context.cookiePolicy), form['csrf'], String(request.id));
    await sendOutcome(request, reply, context, result.outcome, result.cookies);
  });
}
