import type { RegisteredSp } from '../saml/index.js';
import { opaqueId } from '../shared/index.js';
import { idpSessions, type IdpSession, type NewIdpSession } from '../store/index.js';
import { bindingOf, newBrowserSecret, sameBinding } from './browser.js';
import type { LoginDeps } from './deps.js';
import { asStoredIdentity, eidOf, type StoredIdentity } from './identity.js';
import { satisfies, type LevelRequirement } from '../mitid/index.js';
import type { LoginMethod } from './views.js';

// IdP sessions (SSO across SPs in one browser). The cookie holds `<session id>.<secret>`; the row keeps only the
// secret's hash, so neither a database dump nor a guessed id opens a session.

export const SESSION_COOKIE = 'nemid_idp_session';

export interface ActiveSession {
  readonly session: IdpSession;
  readonly identity: StoredIdentity;
}

export async function findSession(deps: LoginDeps, cookieValue: string | undefined): Promise<ActiveSession | null> {
  if (!cookieValue) return null;
  const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(cookieValue);
  if (!match) return null;
  const session = await idpSessions.getActive(deps.pool, match[1]!, deps.clock.now());
  if (!session || !sameBinding(bindingOf(match[2]!), session.browserBinding)) return null;
  const identity = asStoredIdentity(session.subject);
  return identity ? { session, identity } : null;
}

/**
 * A session answers a request without a new authentication only if its certificate type and youth flag suit this
 * SP, its eID is one the SP accepts, its level satisfies the request (a higher level re-authenticates), and — for
 * MitID, whose CPR we never keep — the SP does not need a CPR.
 */
export function sessionSatisfies(active: ActiveSession, sp: RegisteredSp, requirement: LevelRequirement = { minimum: sp.policy.minimumLoa }, methods?: readonly LoginMethod[]): boolean {
  if (!sp.policy.allowedCertificates.includes(active.identity.type)) return false;
  if (active.identity.youth && sp.policy.youthCertificates === 'deny') return false;
  if (!satisfies(active.session.loa, requirement)) return false;
  const eid = eidOf(active.identity);
  if (methods && !methods.some((method) => (eid === 'mitid' ? method.startsWith('mitid') : !method.startsWith('mitid')))) return false;
  if (eid === 'mitid' && sp.policy.releaseCpr) return false;
  return true;
}

/**
 * A new IdP session for `identity`, not yet stored: the login step that issues its first assertion inserts it with
 * everything else it writes. The cookie value is for the browser only (the row keeps its secret's hash).
 */
export function newSession(deps: LoginDeps, identity: StoredIdentity, authnInstant: Date): { session: NewIdpSession; cookieValue: string } {
  const secret = newBrowserSecret();
  const now = deps.clock.now();
  const session: NewIdpSession = {
    id: opaqueId(),
    browserBinding: bindingOf(secret),
    subject: identity as unknown as Record<string, unknown>,
    certificateType: identity.type,
    youth: identity.youth,
    eid: eidOf(identity),
    loa: identity.mitid?.loa ?? 'Substantial',
    authnInstant,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.config.idp.sessionTtlSeconds * 1000),
  };
  return { session, cookieValue: `${session.id}.${secret}` };
}
