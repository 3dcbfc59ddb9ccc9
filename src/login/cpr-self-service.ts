import { spDisplayName } from './sp-name.js';
import { forgetRememberedCpr, servicesRememberingCpr } from './cpr/index.js';
import type { LoginDeps } from './deps.js';
import type { PageOutcome } from './outcome.js';
import { findSession } from './session.js';

// The self-service page "Dit gemte CPR-nummer" (issue 14 item 1): for a user logged in with NemID (a live IdP
// session in this browser, nothing else), the services we remember the CPR number for, each with "Glem det", and
// "Glem det alle steder". Forgetting deletes the rows at once and is audited (never the CPR).

export const cprMemoryCsrfPurpose = (sessionId: string) => `cpr-memory:${sessionId}`;

export interface CprMemoryView {
  readonly kind: 'cpr-memory';
  /** The IdP session the page belongs to; absent when the browser is not logged in with NemID. */
  readonly sessionId?: string;
  readonly personName?: string;
  readonly services: readonly { readonly entityId: string; readonly name: string; readonly lastUsedAt: string }[];
  /** After a forget: which service (its name), or 'all'. */
  readonly forgotten?: string;
}

async function listFor(deps: LoginDeps, pid: string, language: 'da' | 'en') {
  const rows = await servicesRememberingCpr(deps, deps.config.secrets.cprPidHmac, pid);
  return rows.map((row) => {
    const sp = deps.registry().byEntityId(row.spEntityId);
    return { entityId: row.spEntityId, name: sp ? spDisplayName(sp, language) : row.spEntityId, lastUsedAt: row.lastUsedAt.toISOString().slice(0, 10) };
  });
}

export async function showCprMemory(deps: LoginDeps, sessionCookie: string | undefined, language: 'da' | 'en'): Promise<PageOutcome<CprMemoryView>> {
  const active = await findSession(deps, sessionCookie);
  if (!active?.identity.pid) return { type: 'page', view: { kind: 'cpr-memory', services: [] } };
  return {
    type: 'page',
    view: { kind: 'cpr-memory', sessionId: active.session.id, personName: active.identity.commonName, services: await listFor(deps, active.identity.pid, language) },
  };
}

/** POST (the route has checked the CSRF token for this session): one service (`spEntityId`) or every one. */
export async function forgetCprMemory(
  deps: LoginDeps,
  sessionCookie: string | undefined,
  spEntityId: string | undefined,
  context: { traceId?: string; language: 'da' | 'en' },
): Promise<PageOutcome<CprMemoryView>> {
  const active = await findSession(deps, sessionCookie);
  if (!active?.identity.pid) return { type: 'page', view: { kind: 'cpr-memory', services: [] } };
  const pid = active.identity.pid;
  await forgetRememberedCpr(deps, deps.config.secrets.cprPidHmac, {
    pid,
    ...(spEntityId ? { spEntityId } : {}),
    sessionId: active.session.id,
    ...(context.traceId ? { traceId: context.traceId } : {}),
  });
  const sp = spEntityId ? deps.registry().byEntityId(spEntityId) : undefined;
  return {
    type: 'page',
    view: {
      kind: 'cpr-memory',
      sessionId: active.session.id,
      personName: active.identity.commonName,
      services: await listFor(deps, pid, context.language),
      forgotten: spEntityId ? (sp ? spDisplayName(sp, context.language) : spEntityId) : 'all',
    },
  };
}
