import { buildCodeFileParameters, buildJsClientParameters } from '../nemid/index.js';
import type { RegisteredSp } from '../saml/index.js';
import type { LoginDeps } from './deps.js';
import type { PageOutcome } from './outcome.js';
import { advanceState, inTransaction, loadForBrowser, requireState, spOf } from './transactions.js';
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
  const tx = await loadForBrowser(deps, id, browserSecret);
  return inTransaction(tx, async () => {
    requireState(tx, 'created', 'client_started');
    const sp = spOf(deps, tx);
    const methods = methodsFor(deps);
    const chosen = methods.find((m) => m === request.method) ?? (methods.length === 1 ? methods[0] : undefined);
    if (!chosen) return { type: 'page', view: { kind: 'choose-method', loginId: tx.id, spName: spDisplayName(sp, request.language), methods } };

    const { nemid } = deps.config;
    const origin = new URL(deps.config.idp.baseUrl).origin;
    const common = {
      spCertDer: Buffer.from(nemid.sp.cert.raw),
      spKey: nemid.sp.key,
      origin,
      language: request.language,
      timestamp: deps.clock.now(),
    };
    const parameters =
      chosen === 'keyfile'
        ? buildCodeFileParameters({ ...common, requestIssuer: nemid.requestIssuer, subjectDnFilter: subjectDnFilter(sp), environment: deps.config.environment })
        : buildJsClientParameters({ ...common, rememberUseridToken: request.rememberUseridToken });
    await advanceState(deps, tx, 'client_started', {
      nemidClient: chosen === 'keyfile' ? 'codefile' : 'js',
      nemidChallenge: parameters.challenge,
      nemidTimestamp: parameters.timestamp,
      errorCode: null,
    });
    const cacheBuster = deps.clock.now().getTime();
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
