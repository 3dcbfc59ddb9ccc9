import { cprMemory } from '../../store/index.js';
import type { LoginDeps } from '../deps.js';
import { audit } from '../audit.js';
import { pidHmac } from './pid-hmac.js';

// "Forget my remembered CPR number" for a user known by an IdP session (not only from inside a login): the row at
// one service (`spEntityId`), or with it absent the rows at every service, deleted at once. Returns whether there
// was one.
export async function forgetRememberedCpr(
  deps: LoginDeps,
  pidHmacSecret: Buffer,
  who: { pid: string; spEntityId?: string; sessionId?: string; traceId?: string },
): Promise<boolean> {
  const forgotten = await cprMemory.forget(deps.pool, pidHmac(pidHmacSecret, who.pid), who.spEntityId);
  await audit(deps, {
    type: 'cpr_forgotten',
    ...(who.traceId ? { traceId: who.traceId } : {}),
    ...(who.spEntityId ? { spEntityId: who.spEntityId } : {}),
    ...(who.sessionId ? { sessionId: who.sessionId } : {}),
    data: { hadEntry: forgotten, scope: who.spEntityId ? 'service' : 'all' },
  });
  return forgotten;
}

/** The services at which this PID has a remembered CPR number (for a "forget my CPR number" page). */
export async function servicesRememberingCpr(deps: LoginDeps, pidHmacSecret: Buffer, pid: string): Promise<Array<{ spEntityId: string; lastUsedAt: Date }>> {
  return cprMemory.servicesOf(deps.pool, pidHmac(pidHmacSecret, pid));
}
