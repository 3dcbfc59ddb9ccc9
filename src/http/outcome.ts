import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdpError } from '../errors/index.js';
import { csrfToken, forgetRememberedCsrfPurpose, type CookieChanges, type Outcome } from '../login/index.js';
import { postFormHeaders, renderPostForm } from '../saml/index.js';
import { applyCookieChanges, BROWSER_COOKIE, readSignedCookie, type CookiePolicy } from './cookies.js';
import { bindingOf } from '../login/index.js';
import { keepLinkedLanguage, requestLanguage } from './language.js';
import { page, type PageLinks } from './views/layout.js';
import { VIEW_RENDERERS } from './views/index.js';
import { rememberedCprPage } from './views/cpr-memory-pages.js';

export interface OutcomeContext {
  readonly cookiePolicy: CookiePolicy;
  readonly cookieSecrets: readonly string[];
  readonly simulatorBanner: boolean;
  /** Footer links (HELP_URL, CONTACT_URL, PRIVACY_URL). */
  readonly links?: PageLinks;
}

// A step page reached by a POST (the NemID result, the CPR that matched) is sent as a redirect to its own GET
// address (post/redirect/get), so Reload and Back show the step again instead of re-posting a spent form.
const STEP_PAGES: Record<string, string> = { cpr: 'cpr', 'business-choice': 'business' };

function afterPost(request: FastifyRequest, outcome: Outcome, always: boolean): Outcome {
  if ((request.method !== 'POST' && !always) || outcome.type !== 'page' || (outcome.status ?? 200) !== 200) return outcome;
  const view = outcome.view as { kind?: string; loginId?: string; error?: unknown; forgotten?: unknown };
  const step = view.kind ? STEP_PAGES[view.kind] : undefined;
  if (!step || typeof view.loginId !== 'string' || view.error !== undefined || view.forgotten !== undefined) return outcome;
  return { type: 'redirect', location: `/login/${view.loginId}/${step}` };
}

/** Renders what a login step decided: our own redirect, the SAML POST form, a SAML redirect, or one of our pages. */
export async function sendOutcome(
  request: FastifyRequest,
  reply: FastifyReply,
  context: OutcomeContext,
  outcome: Outcome,
  cookies: CookieChanges = {},
  options: { stepAddress?: boolean } = {},
): Promise<void> {
  applyCookieChanges(reply, context.cookiePolicy, cookies);
  outcome = afterPost(request, outcome, options.stepAddress === true);
  switch (outcome.type) {
    case 'redirect':
      if (!outcome.location.startsWith('/') || outcome.location.startsWith('//')) throw new IdpError('INTERNAL_ERROR', 'redirect outside the IdP');
      await reply.code(303).header('location', outcome.location).send();
      return;
    case 'broker-redirect':
      if (!/^https?:\/\//.test(outcome.location)) throw new IdpError('INTERNAL_ERROR', 'broker redirect is not an absolute URL');
      await reply.code(303).header('location', outcome.location).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send();
      return;
    case 'saml-redirect':
      await reply.code(302).header('location', outcome.location).header('cache-control', 'no-store').send();
      return;
    case 'saml-post': {
      if (outcome.rememberedCpr) {
        // The final page of a login whose CPR came from memory: continue (the signed response) or "Glem det".
        const { loginId, spName } = outcome.rememberedCpr;
        const lang = requestLanguage(request);
        const browserSecret = cookies.browserSecret ?? readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy);
        const rendered = rememberedCprPage(lang, {
          spName,
          action: outcome.action,
          fields: outcome.fields,
          forgetAction: `/login/${loginId}/cpr/forget-remembered`,
          forgetCsrf: csrfToken(context.cookieSecrets[0]!, browserSecret ? bindingOf(browserSecret) : '', forgetRememberedCsrfPurpose(loginId)),
        });
        await reply.code(200).type('text/html; charset=utf-8')
          .send(page({ lang, title: rendered.title, nonce: request.cspNonce, body: rendered.body, simulatorBanner: context.simulatorBanner, ...(context.links ? { links: context.links } : {}) }));
        return;
      }
      const nonce = request.cspNonce;
      const fields = outcome.fields as { SAMLResponse: string; RelayState?: string } | { SAMLRequest: string; RelayState?: string };
      const headers = postFormHeaders(outcome.action, nonce);
      for (const [name, value] of Object.entries(headers)) reply.header(name, value);
      await reply.code(200).send(renderPostForm({ action: outcome.action, fields, nonce }));
      return;
    }
    case 'page': {
      const view = outcome.view as { kind: string } & Record<string, unknown>;
      const renderer = VIEW_RENDERERS[view.kind];
      if (!renderer) throw new IdpError('INTERNAL_ERROR', `no renderer for view ${view.kind}`);
      const lang = requestLanguage(request);
      keepLinkedLanguage(request, reply, context.cookiePolicy.secure);
      const browserSecret = cookies.browserSecret ?? readSignedCookie(request, BROWSER_COOKIE, context.cookiePolicy);
      const binding = browserSecret ? bindingOf(browserSecret) : '';
      const rendered = renderer(view, {
        lang,
        nonce: request.cspNonce,
        simulatorBanner: context.simulatorBanner,
        traceId: String(request.id),
        csrf: (purpose) => csrfToken(context.cookieSecrets[0]!, binding, purpose),
      });
      await reply
        .code(outcome.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(page({ lang, title: rendered.title, nonce: request.cspNonce, body: rendered.body, simulatorBanner: context.simulatorBanner, ...(context.links ? { links: context.links } : {}) }));
      return;
    }
  }
}
