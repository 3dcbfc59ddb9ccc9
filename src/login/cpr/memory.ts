import { cprMemory } from '../../store/index.js';
import type { CprVault, LoginDeps } from '../deps.js';

// Remembered CPR numbers ("remember me", match SPs only). A row that no configured key can open (its key was
// retired, or it was tampered with) is deleted and treated as absent: the user is simply asked again. Using and
// storing an entry are written by the login step (LoginStep.with({ cprMemory })), with the rest of the step.

/**
 * The CPR remembered for this PID at this SP (never one remembered at another), or null; the caller's step marks it
 * used (`cprMemory.touch`).
 */
export async function recallCpr(deps: LoginDeps, vault: CprVault, pidHmac: Buffer, spEntityId: string): Promise<string | null> {
  const entry = await cprMemory.get(deps.pool, pidHmac, spEntityId);
  if (!entry) return null;
  let cpr: string;
  try {
    cpr = vault.open(entry.ciphertext, entry.keyId);
  } catch (error) {
    deps.log.warn({ keyId: entry.keyId, code: (error as { code?: string }).code ?? 'INTERNAL_ERROR' }, 'remembered CPR could not be opened; deleting it');
    await cprMemory.forget(deps.pool, pidHmac, spEntityId);
    return null;
  }
  return cpr;
}
