import { cprMemory } from '../../store/index.js';
import type { LoginDeps } from '../deps.js';
import { audit } from '../audit.js';
import { pidHmac } from './pid-hmac.js';

// "Forget my remembered CPR number" for a user known by an IdP session (not only from inside a login): the row is
// deleted at once. Returns whether there was one.
export async function forgetRememberedCpr(
  deps: LoginDeps,
  pidHmacSecret: Buffer,
  who: { pid: string; sessionId?: string; traceId?: string },
): Promise<boolean> {
  const forgotten = await cprMemory.forget(deps.pool, pidHmac(pidHmacSecret, who.pid));
  await audit(deps, {
    type: 'cpr_forgotten',
    ...(who.traceId ? { traceId: who.traceId } : {}),
    ...(who.sessionId ? { sessionId: who.sessionId } : {}),
    data: { hadEntry: forgotten },
  });
  return forgotten;
}
