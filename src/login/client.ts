import { IdpError } from '../errors/index.js';
import { buildCodeFileParameters, buildJsClientParameters, createChallenge, formatTimestamp } from '../nemid/index.js';
import type { RegisteredSp } from '../saml/index.js';
import { loginTransactions, type LoginTransaction } from '../store/index.js';
import { bindingOf } from './browser.js';
import { spDisplayName } from './sp-name.js';
import type { LoginDeps } from './deps.js';
import type { BrokerRedirectOutcome, PageOutcome, RedirectOutcome } from './outcome.js';
import { satisfies } from '../mitid/index.js';
import { startMitid } from './mitid-step.js';
import { levelRequirement, readRequestFacts, type RequestFacts } from './request-facts.js';
import { failuresOf, LOGIN_ID, loadForBrowser, requireState, spOf } from './transactions.js';
import type { ChooseMethodView, LoginMethod, NemidClientView } from './views.js';

const POLICY_METHOD: Record<string, LoginMethod> = { 'nemid-codecard': 'codecard', 'nemid-codefile': 'keyfile', mitid: 'mitid', 'mitid-erhverv': 'mitid-erhverv' };

/**
 * The methods this login may offer: what the deployment configures (the code card always, the key file with a
 * CodeFile URL, MitID and MitID Erhverv with a broker), narrowed by the SP policy's `methods` and certificate types
 * and by the level asked for (NemID reaches NSIS Substantial; MitID up to High, decided by the broker).
 */
export function methodsFor(deps: LoginDeps, sp?: RegisteredSp, facts?: RequestFacts): LoginMethod[] {
  const configured: LoginMethod[] = ['codecard', ...(deps.config.nemid.codeFileUrl ? (['keyfile'] as const) : []), ...(deps.mitid ? (['mitid'] as const) : []), ...(deps.mitid?.erhverv ? (['mitid-erhverv'] as const) : [])];
  if (!sp) return configured;
  const allowed = sp.policy.methods?.map((m) => POLICY_METHOD[m]);
  const requirement = facts ? levelRequirement(facts, sp) : { minimum: sp.policy.minimumLoa };
  return configured.filter((method) => {
    if (allowed && !allowed.includes(method)) return false;
    if (method === 'mitid') return sp.policy.allowedCertificates.includes('POCES');
    if (method === 'mitid-erhverv') return sp.policy.allowedCertificates.includes('MOCES');
    return satisfies('Substantial', requirement);
  });
}

export { spDisplayName };

function subjectDnFilter(sp: RegisteredSp): 'PID:' | 'RID:' | '' {
  const allowed = sp.policy.allowedCertificates;
  if (allowed.includes('POCES') && allowed.includes('MOCES')) return '';
  return allowed.includes('MOCES') ? 'RID:' : 'PID:';
}

/** Back onto the login page from a later step (CPR, business choice): that step's page again, not a conflict. */
function laterStep(tx: LoginTransaction): RedirectOutcome | undefined {
  return tx.state === 'cpr' || tx.state === 'business' ? { type: 'redirect', location: `/login/${tx.id}/${tx.state}` } : undefined;
}

/**
 * The login page. Without a chosen method (and more than one on offer) it asks; with one it issues fresh client
 * parameters (new challenge and TIMESTAMP, which voids any earlier pair) and records them with the transaction.
 */
export async function showLogin(
  deps: LoginDeps,
  id: string,
  browserSecret: string | undefined,
  request: { method?: string | undefined; language: 'da' | 'en'; rememberUseridToken?: string | undefined },
): Promise<PageOutcome<ChooseMethodView | NemidClientView> | BrokerRedirectOutcome | RedirectOutcome> {
  // A NemID method named in the URL (the method page's link) is one statement: the challenge is recorded by a
  // compare-and-set that also checks the browser, the state and the expiry, and the methods on offer are checked on
  // the row it returns. Should the method not be on offer for this login after all, the chooser is shown: the
  // challenge just recorded was never sent anywhere, so it can authenticate nothing.
  const named = request.method === 'codecard' || request.method === 'keyfile' ? request.method : undefined;
  if (named) {
    const now = deps.clock.now();
    const challenge = createChallenge();
    const started = LOGIN_ID.test(id) && browserSecret
      ? await loginTransactions.startClient(deps.pool, id, bindingOf(browserSecret), { nemidClient: named === 'keyfile' ? 'codefile' : 'js', nemidChallenge: challenge, nemidTimestamp: formatTimestamp(now) }, now)
      : null;
    if (started) {
      const methods = await failuresOf(started, async () => methodsFor(deps, spOf(deps, started), readRequestFacts(started.request)));
      if (methods.includes(named)) return nemidClientPage(deps, started, named, methods, { challenge, now }, request);
      return failuresOf(started, async () => ({ type: 'page', view: { kind: 'choose-method', loginId: started.id, spName: spDisplayName(spOf(deps, started), request.language), methods } }));
    }
    // Refused: read the row to say why (or to serve a login in another state, e.g. one that went to MitID).
  }

  // The methods depend on the SP and the level its request asked for, so the login is read first.
  const current = await loadForBrowser(deps, id, browserSecret);
  const later = laterStep(current);
  if (later) return later;
  requireState(current, 'created', 'client_started', 'mitid_started');
  const methods = await failuresOf(current, async () => methodsFor(deps, spOf(deps, current), readRequestFacts(current.request)));
  const chosen = methods.find((m) => m === request.method) ?? (methods.length === 1 ? methods[0] : undefined);
  if (!chosen) {
    return failuresOf(current, async () => ({ type: 'page', view: { kind: 'choose-method', loginId: current.id, spName: spDisplayName(spOf(deps, current), request.language), methods } }));
  }
  if (chosen === 'mitid' || chosen === 'mitid-erhverv') return failuresOf(current, () => startMitid(deps, current, spOf(deps, current), chosen, request.language));

  const now = deps.clock.now();
  const challenge = createChallenge();
  const started = await loginTransactions.startClient(deps.pool, id, current.browserBinding, { nemidClient: chosen === 'keyfile' ? 'codefile' : 'js', nemidChallenge: challenge, nemidTimestamp: formatTimestamp(now) }, now);
  if (!started) {
    const tx = await loadForBrowser(deps, id, browserSecret);
    const later = laterStep(tx);
    if (later) return later;
    requireState(tx, 'created', 'client_started', 'mitid_started');
    throw new IdpError('LOGIN_STATE_CONFLICT', `login ${id} moved on while its page was asked for`, { detail: { loginId: id } });
  }
  return nemidClientPage(deps, started, chosen, methods, { challenge, now }, request);
}

/** The NemID client page for a login whose new challenge and TIMESTAMP `issued` were just recorded. */
async function nemidClientPage(
  deps: LoginDeps,
  tx: LoginTransaction,
  chosen: 'codecard' | 'keyfile',
  methods: readonly LoginMethod[],
  issued: { challenge: string; now: Date },
  request: { language: 'da' | 'en'; rememberUseridToken?: string | undefined },
): Promise<PageOutcome<NemidClientView>> {
  const { challenge, now } = issued;
  return failuresOf(tx, async () => {
    const sp = spOf(deps, tx);
    const { nemid } = deps.config;
    const origin = new URL(deps.config.idp.baseUrl).origin;
    const common = {
      spCertDer: Buffer.from(nemid.sp.cert.raw),
      spKey: nemid.sp.key,
      origin,
      language: request.language,
      timestamp: now,
      challenge,
    };
    const parameters =
      chosen === 'keyfile'
        ? buildCodeFileParameters({ ...common, requestIssuer: nemid.requestIssuer, subjectDnFilter: subjectDnFilter(sp), environment: deps.config.environment })
        : buildJsClientParameters({ ...common, rememberUseridToken: request.rememberUseridToken });
    if (parameters.challenge !== tx.nemidChallenge || parameters.timestamp !== tx.nemidTimestamp) {
      throw new IdpError('INTERNAL_ERROR', 'client parameters differ from what the login recorded');
    }
    const cacheBuster = now.getTime();
    const iframeUrl = chosen === 'keyfile' ? `${nemid.codeFileUrl}?t=${cacheBuster}` : `${nemid.jsClientUrl}/${cacheBuster}`;
    return {
      type: 'page',
      view: {
        kind: 'nemid-client',
        loginId: tx.id,
        spName: spDisplayName(sp, request.language),
        method: chosen,
        iframeUrl,
        clientOrigin: new URL(iframeUrl).origin,
        parametersJson: parameters.json,
        otherMethods: methods.filter((m) => m !== chosen),
        releases: { cpr: sp.policy.releaseCpr, business: sp.policy.businessLogin },
      },
    };
  });
}
