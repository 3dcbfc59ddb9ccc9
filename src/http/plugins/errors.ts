import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IdpError, isIdpError, type ErrorCode } from '../../errors/index.js';
import { requestLanguage } from '../language.js';
import { renderErrorPage } from '../views/error-page.js';
import type { PageLinks } from '../views/layout.js';

/**
 * Turns a failure into what the caller may see. `answerToSp` is asked first: an error that may be answered and
 * belongs to a login with a verified ACS becomes a signed SAML error response (login/ decides); everything else is
 * the local page (HTML in Danish and English, or JSON for API clients) with the code and the trace id.
 */
export interface ErrorRendering {
  readonly simulatorBanner: boolean;
  /** Footer links (HELP_URL, CONTACT_URL, PRIVACY_URL). */
  readonly links?: PageLinks;
  answerToSp?(error: IdpError, request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /** For a page about a login that can still be answered: the "back to the service" form. */
  backForm?(error: IdpError, request: FastifyRequest): { action: string; csrf: string } | undefined;
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'BAD_REQUEST',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
};

export function toIdpError(error: unknown): IdpError {
  if (isIdpError(error)) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError?.statusCode === 429) return new IdpError('RATE_LIMITED');
  const mapped = fastifyError?.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return new IdpError(mapped, fastifyError.message);
  if (fastifyError?.statusCode === 413) return new IdpError('PAYLOAD_TOO_LARGE');
  if (fastifyError?.statusCode === 415) return new IdpError('UNSUPPORTED_MEDIA_TYPE');
  return new IdpError('INTERNAL_ERROR', undefined, { cause: error });
}

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export async function sendError(error: IdpError, request: FastifyRequest, reply: FastifyReply, rendering: ErrorRendering): Promise<void> {
  const entry = error.entry;
  const logFields = { code: error.code, detail: error.detail, err: error.cause ?? (entry.http >= 500 ? error : undefined) };
  // A client that went away (closed tab, balancer timeout) is nothing wrong with the service: debug, not an alarm.
  if (request.raw.socket?.destroyed) request.log.debug(logFields, 'client disconnected before the answer');
  else if (entry.alarm || entry.http >= 500) request.log.error(logFields, 'request failed');
  else request.log.info(logFields, 'request refused');

  if (rendering.answerToSp && (await rendering.answerToSp(error, request, reply))) return;

  reply.code(entry.http === 200 ? 400 : entry.http);
  if (wantsJson(request)) {
    await reply.type('application/json').send({ error: error.code, traceId: request.id });
    return;
  }
  const backForm = rendering.backForm?.(error, request);
  const body = renderErrorPage({
    code: error.code,
    traceId: String(request.id),
    lang: requestLanguage(request),
    nonce: request.cspNonce,
    simulatorBanner: rendering.simulatorBanner,
    ...(rendering.links ? { links: rendering.links } : {}),
    ...(backForm ? { answer: { action: backForm.action, fields: { csrf: backForm.csrf } } } : {}),
  });
  await reply.type('text/html; charset=utf-8').send(body);
}

export function registerErrorHandling(app: FastifyInstance, rendering: ErrorRendering): void {
  app.setErrorHandler(async (error, request, reply) => {
    await sendError(toIdpError(error), request, reply, rendering);
  });
  // The same page for every unknown path and method: nothing about routes, versions or stack is revealed.
  app.setNotFoundHandler(async (request, reply) => {
    await sendError(new IdpError('NOT_FOUND'), request, reply, { simulatorBanner: rendering.simulatorBanner, ...(rendering.links ? { links: rendering.links } : {}) });
  });
}
