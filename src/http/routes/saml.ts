import { IdpError } from '../../errors/index.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startLogin } from '../../login/index.js';
import { receiveAuthnRequest } from '../../saml/index.js';
import { BROWSER_COOKIE, readSignedCookie } from '../cookies.js';
import { SESSION_COOKIE } from '../../login/index.js';
import { keepLanguage, ssoLanguage } from '../language.js';
import { sendOutcome } from '../outcome.js';
import type { RouteContext } from './context.js';

function rawQueryString(request: FastifyRequest): string {
  const url = request.raw.url ?? '';
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
}

/** The POST binding's fields; each at most once (a repeated field arrives as an array and is refused). */
function formFields(body: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (Array.isArray(value)) throw new IdpError('SAML_REQUEST_MALFORMED', `form field ${key} given more than once`);
      out[key] = typeof value === 'string' ? value : undefined;
    }
  }
  return out;
}

/** /saml/sso (HTTP-Redirect GET and HTTP-POST) and /saml/metadata. */
export function registerSamlRoutes(app: FastifyInstance, context: RouteContext): void {
  const handleSso = async (request: FastifyRequest, input: Parameters<typeof receiveAuthnRequest>[0], reply: Parameters<typeof sendOutcome>[1]) => {
    const language = ssoLanguage(request, input.binding === 'post' ? input.form : {});
    keepLanguage(reply, language, context.cookiePolicy.secure);
    const verified = await receiveAuthnRequest(input, context.samlContext());
    const started = await startLogin(
      context.login,
      verified,
      { browserSecret: readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy), session: readSignedCookie(request, SESSION_COOKIE, context.cookiePolicy) },
      { traceId: String(request.id), language },
    );
    await sendOutcome(request, reply, context, started.outcome, started.cookies);
  };
  app.get('/saml/sso', async (request, reply) => handleSso(request, { binding: 'redirect', rawQueryString: rawQueryString(request) }, reply));
  app.post('/saml/sso', async (request, reply) => handleSso(request, { binding: 'post', form: formFields(request.body) }, reply));

  app.get('/saml/metadata', async (_request, reply) => {
    await reply.type('application/samlmetadata+xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(context.metadataXml());
  });
}

export { formFields, rawQueryString };
