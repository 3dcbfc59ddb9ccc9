import { cprMemory } from '../../store/index.js';
import type { CprVault, LoginDeps } from '../deps.js';

// Remembered CPR numbers ("remember me", match SPs only). A row that no configured key can open (its key was
// retired, or it was tampered with) is deleted and treated as absent: the user is simply asked again.

export async function recallCpr(deps: LoginDeps, vault: CprVault, pidHmac: Buffer): Promise<string | null> {
  const entry = await cprMemory.get(deps.pool, pidHmac);
  if (!entry) return null;
  let cpr: string;
  try {
    cpr = vault.open(entry.ciphertext, entry.keyId);
  } catch (error) {
    deps.log.warn({ keyId: entry.keyId, code: (error as { code?: string }).code ?? 'INTERNAL_ERROR' }, 'remembered CPR could not be opened; deleting it');
    await cprMemory.forget(deps.pool, pidHmac);
    return null;
  }
  await cprMemory.touch(deps.pool, pidHmac, deps.clock.now());
  return cpr;
}

export async function rememberCpr(deps: LoginDeps, vault: CprVault, pidHmac: Buffer, cpr: string): Promise<void> {
  const sealed = vault.seal(cpr);
  await cprMemory.put(deps.pool, { pidHmac, ciphertext: sealed.ciphertext, keyId: sealed.keyId, now: deps.clock.now() });
}
