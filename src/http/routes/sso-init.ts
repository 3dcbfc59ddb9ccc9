import type { FastifyInstance } from 'fastify';
import { IdpError } from '../../errors/index.js';
import { idpInitiatedConfirmation, idpInitiatedCsrfPurpose, SESSION_COOKIE, startIdpInitiatedLogin } from '../../login/index.js';
import { BROWSER_COOKIE, readSignedCookie } from '../cookies.js';
import { requestLanguage } from '../language.js';
import { sendOutcome } from '../outcome.js';
import type { RouteContext } from './context.js';
import { formBody, requireCsrf } from './login.js';
import { rawQueryString } from './saml.js';

// IdP-initiated SSO (saml-profile.md §2.7): GET /saml/sso/init?sp=<entityID> shows "continue to <SP>?" and nothing
// else; only the POST from that page (CSRF token bound to this browser) starts a login. The query may carry `sp`
// once and nothing more: a RelayState (or anything else) is refused, since we would have nowhere safe to send it.

function onlySpParameter(rawQuery: string): string | undefined {
  const params = new URLSearchParams(rawQuery);
  for (const name of params.keys()) {
    if (name !== 'sp') throw new IdpError('SAML_IDP_INITIATED_REFUSED', `parameter ${name.slice(0, 40)} is not accepted`);
  }
  const values = params.getAll('sp');
  if (values.length > 1) throw new IdpError('SAML_IDP_INITIATED_REFUSED', 'sp given more than once');
  return values[0];
}

export function registerIdpInitiatedSsoRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get('/saml/sso/init', async (request, reply) => {
    const entityId = onlySpParameter(rawQueryString(request));
    const result = idpInitiatedConfirmation(context.login, entityId, readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy));
    await sendOutcome(request, reply, context, result.outcome, result.cookies);
  });
  app.post('/saml/sso/init', async (request, reply) => {
    const form = formBody(request);
    for (const name of Object.keys(form)) {
      if (name !== 'sp' && name !== 'csrf') throw new IdpError('SAML_IDP_INITIATED_REFUSED', `field ${name.slice(0, 40)} is not accepted`);
    }
    const entityId = form['sp'] ?? '';
    const browserSecret = requireCsrf(request, context, idpInitiatedCsrfPurpose(entityId), form['csrf']);
    const started = await startIdpInitiatedLogin(
      context.login,
      entityId,
      { browserSecret, session: readSignedCookie(request, SESSION_COOKIE, context.cookiePolicy) },
      { traceId: String(request.id), language: requestLanguage(request) },
    );
    await sendOutcome(request, reply, context, started.outcome, started.cookies);
  });
}
