import { IdpError } from '../errors/index.js';
import { buildCodeFileParameters, buildJsClientParameters, createChallenge, formatTimestamp } from '../nemid/index.js';
import type { RegisteredSp } from '../saml/index.js';
import { loginTransactions } from '../store/index.js';
import { bindingOf } from './browser.js';
import type { LoginDeps } from './deps.js';
import type { PageOutcome } from './outcome.js';
import { failuresOf, LOGIN_ID, loadForBrowser, requireState, spOf } from './transactions.js';
import type { ChooseMethodView, LoginMethod, NemidClientView } from './views.js';

/** The methods this login may offer: the code card (JS client) always, the key file when a CodeFile URL is set. */
export function methodsFor(deps: LoginDeps): LoginMethod[] {
  return deps.config.nemid.codeFileUrl ? ['codecard', 'keyfile'] : ['codecard'];
}

/** The SP's name for users: its metadata display name in the user's language, else another language, else its file name. */
export function spDisplayName(sp: RegisteredSp, language = 'da'): string {
  const names = sp.displayNames;
  return names[language] ?? names['en'] ?? names['da'] ?? Object.values(names)[0] ?? sp.name;
}

function subjectDnFilter(sp: RegisteredSp): 'PID:' | 'RID:' | '' {
  const allowed = sp.policy.allowedCertificates;
  if (allowed.includes('POCES') && allowed.includes('MOCES')) return '';
  return allowed.includes('MOCES') ? 'RID:' : 'PID:';
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
): Promise<PageOutcome<ChooseMethodView | NemidClientView>> {
  const methods = methodsFor(deps);
  const chosen = methods.find((m) => m === request.method) ?? (methods.length === 1 ? methods[0] : undefined);
  if (!chosen) {
    const tx = await loadForBrowser(deps, id, browserSecret);
    requireState(tx, 'created', 'client_started');
    return failuresOf(tx, async () => ({ type: 'page', view: { kind: 'choose-method', loginId: tx.id, spName: spDisplayName(spOf(deps, tx), request.language), methods } }));
  }

  // One statement: the challenge and TIMESTAMP are chosen first and recorded by a compare-and-set that also checks
  // the browser, the state and the expiry; only when it refuses is the row read, to say why.
  const now = deps.clock.now();
  const challenge = createChallenge();
  const client = chosen === 'keyfile' ? 'codefile' : 'js';
  const started = LOGIN_ID.test(id) && browserSecret
    ? await loginTransactions.startClient(deps.pool, id, bindingOf(browserSecret), { nemidClient: client, nemidChallenge: challenge, nemidTimestamp: formatTimestamp(now) }, now)
    : null;
  if (!started) {
    const tx = await loadForBrowser(deps, id, browserSecret);
    requireState(tx, 'created', 'client_started');
    throw new IdpError('LOGIN_STATE_CONFLICT', `login ${id} moved on while its page was asked for`, { detail: { loginId: id } });
  }
  const tx = started;
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
      },
    };
  });
}
