import { isIdpError } from '../../errors/index.js';
import { randomHex128 } from '../../shared/index.js';
import type { SimRequest, SimResponse, SimRoute } from '../http/types.js';
import { consumeLoginResponse } from './acs.js';
import { signedRedirectLocation } from './bindings.js';
import { buildAuthnRequest, signPostMessage } from './messages.js';
import { receiveSlo, startLogout } from './logout.js';
import { autoPostPage, demoPage, languageOf, refusalPage, type Language } from './pages.js';
import { DemoSessionStore, type DemoSession } from './session-store.js';
import type { DemoSpOptions } from './types.js';

// The demo SP (issue 5 item 7): an independent SAML SP, served by the IdP process under /demo in the simulator
// environment, that runs a real SP-initiated login against the IdP through its registered metadata and shows what
// it received. Framework-agnostic routes (src/http mounts them). Trusts only the IdP certificates it is given.

export const DEMO_SP_COOKIE = 'demo_sp_session';
const REQUEST_LIFETIME_MS = 10 * 60_000;

export interface DemoSp {
  routes: SimRoute[];
}

function originOf(url: string): string {
  return new URL(url).origin;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function redirect(location: string, status: 302 | 303, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', ...headers }, body: '' };
}

export function createDemoSp(options: DemoSpOptions): DemoSp {
  const store = new DemoSessionStore(() => options.clock.now().getTime());
  const formAction = [...new Set(["'self'", originOf(options.idpSsoUrl), originOf(options.idpSloUrl)])];
  const secure = options.acsUrl.startsWith('https://') ? '; Secure' : '';
  const setCookie = (session: DemoSession) => ({ 'set-cookie': `${DEMO_SP_COOKIE}=${session.id}; Path=/demo; HttpOnly; SameSite=Lax${secure}` });
  const sessionOf = (req: SimRequest) => store.find(cookieValue(req.headers['cookie'], DEMO_SP_COOKIE));
  const language = (req: SimRequest): Language => languageOf(req.query, req.headers['accept-language'], sessionOf(req)?.language);

  const refused = (req: SimRequest, error: unknown): SimResponse => {
    const code = isIdpError(error) ? error.code : 'INTERNAL_ERROR';
    if (isIdpError(error)) options.log.warn({ event: 'demo_sp.refused', code }, 'demo SP: message refused');
    else options.log.error({ event: 'demo_sp.failed', err: error }, 'demo SP: unexpected failure');
    return refusalPage(language(req), code);
  };

  const page = async (req: SimRequest): Promise<SimResponse> => {
    const session = sessionOf(req);
    const notice = session?.notice;
    if (session) delete session.notice;
    return demoPage({
      language: language(req),
      ...(session?.login ? { login: session.login } : {}),
      ...(notice ? { notice } : {}),
      ...(options.simulatorUrl !== undefined ? { simulatorUrl: options.simulatorUrl } : {}),
      formAction,
    });
  };

  const login = async (req: SimRequest): Promise<SimResponse> => {
    const existing = sessionOf(req);
    const session = existing ?? store.create();
    const cookie = existing ? {} : setCookie(session);
    session.language = language(req);
    const now = options.clock.now();
    const request = buildAuthnRequest({
      issuer: options.spEntityId,
      destination: options.idpSsoUrl,
      acsUrl: options.acsUrl,
      now,
      forceAuthn: req.query['force'] === '1',
      isPassive: req.query['passive'] === '1',
    });
    const relayState = randomHex128();
    store.addPendingRequest(session, request.id, { expiresAt: now.getTime() + REQUEST_LIFETIME_MS, relayState });
    if (req.query['binding'] === 'post') {
      const SAMLRequest = signPostMessage(request, { key: options.signingKeyPem, cert: options.signingCertPem });
      return autoPostPage(language(req), options.idpSsoUrl, { SAMLRequest, RelayState: relayState, lang: language(req) }, formAction, cookie);
    }
    // The IdP's documented `lang` parameter asks for the page language; it is outside the signed octets.
    const location = signedRedirectLocation(options.idpSsoUrl, 'SAMLRequest', request.xml, relayState, options.signingKeyPem);
    return redirect(`${location}&lang=${language(req)}`, 302, cookie);
  };

  const acs = async (req: SimRequest): Promise<SimResponse> => {
    const form = req.body !== undefined && !Buffer.isBuffer(req.body) ? req.body : {};
    const session = sessionOf(req);
    try {
      const outcome = consumeLoginResponse(form, session, store, options);
      if (outcome.kind === 'status') {
        const target = session ?? store.create();
        target.notice = outcome.notice;
        options.log.info({ event: 'demo_sp.status', status: outcome.notice.statusCodes }, 'demo SP: login answered with an error status');
        return redirect('/demo', 303, session ? {} : setCookie(target));
      }
      const target = session ? store.rotate(session) : store.create();
      if (session?.language) target.language = session.language;
      target.login = outcome.login;
      delete target.notice;
      options.log.info({ event: 'demo_sp.login', attributes: outcome.login.attributes.length }, 'demo SP: login accepted');
      return redirect('/demo', 303, setCookie(target));
    } catch (error) {
      return refused(req, error);
    }
  };

  const logout = async (req: SimRequest): Promise<SimResponse> => {
    const session = sessionOf(req);
    const location = session ? startLogout(session, options) : undefined;
    return location ? redirect(location, 302) : redirect('/demo', 303);
  };

  const slo = (binding: 'redirect' | 'post') => async (req: SimRequest): Promise<SimResponse> => {
    const fields = binding === 'redirect' ? req.query : req.body !== undefined && !Buffer.isBuffer(req.body) ? req.body : {};
    const session = sessionOf(req);
    // A mount that keeps the raw query string lets the Redirect signature be checked over the octets as received.
    const rawQueryString = (req as SimRequest & { rawQueryString?: string }).rawQueryString;
    try {
      const outcome = receiveSlo({ binding, fields, ...(rawQueryString !== undefined && binding === 'redirect' ? { rawQueryString } : {}) }, session, store, options);
      if (outcome.kind === 'logout-request') return redirect(outcome.location, 302);
      if (session) session.notice = outcome.notice;
      return redirect('/demo', 303);
    } catch (error) {
      return refused(req, error);
    }
  };

  const routes: SimRoute[] = [
    { method: 'GET', path: '/demo', body: 'none', handle: page },
    { method: 'GET', path: '/demo/', body: 'none', handle: page },
    { method: 'GET', path: '/demo/login', body: 'none', handle: login },
    { method: 'POST', path: '/demo/acs', body: 'form', handle: acs },
    { method: 'GET', path: '/demo/logout', body: 'none', handle: logout },
    { method: 'GET', path: '/demo/slo', body: 'none', handle: slo('redirect') },
    { method: 'POST', path: '/demo/slo', body: 'form', handle: slo('post') },
  ];
  if (options.metadataXml !== undefined) {
    const xml = options.metadataXml;
    routes.push({
      method: 'GET',
      path: '/demo/metadata',
      body: 'none',
      handle: async () => ({ status: 200, headers: { 'content-type': 'application/samlmetadata+xml', 'cache-control': 'no-store' }, body: xml }),
    });
  }
  return { routes };
}
