import { IdpError } from '../../errors/index.js';
import type { PidCprClient } from '../../nemid/index.js';
import type { RegisteredSp } from '../../saml/index.js';
import type { CprVault, LoginDeps } from '../deps.js';
import type { StoredIdentity } from '../identity.js';

// Who gets a CPR step at all (saml-profile.md §4.3, §8.2): only POCES logins with a PID, for SPs whose policy asks.
// Employee (MOCES) logins never carry a CPR (RID-CPR is not offered): on a CPR policy that also allows MOCES they
// simply skip the step and get no CPR attribute. A policy wanting a CPR from everyone allows only POCES.

export type CprMode = 'lookup' | 'match';

/** The step this login needs, or null for none; throws when the login cannot satisfy the SP's CPR policy. */
export function cprModeFor(sp: RegisteredSp, identity: StoredIdentity): CprMode | null {
  const mode = sp.policy.cpr;
  if (mode === 'none') return null;
  if (identity.type !== 'POCES') return null;
  if (!identity.pid) throw new IdpError('CPR_NO_PID', 'POCES identity without a PID');
  // Start-up refuses lookup for a private SP; checked again here because a lookup is the most intrusive call we make.
  if (mode === 'lookup' && sp.policy.sector !== 'public') throw new IdpError('CPR_NOT_AUTHORIZED', 'CPR lookup is only for public SPs');
  return mode;
}

export function requireVault(deps: LoginDeps): CprVault {
  if (!deps.cprVault) throw new IdpError('CONFIG_INVALID', 'a CPR step needs CPR_ENCRYPTION_KEYS');
  return deps.cprVault;
}

export function requireClient(client: PidCprClient | null): PidCprClient {
  if (!client) throw new IdpError('CPR_SERVICE_ERROR', 'PID_CPR_URL is not configured but an SP needs a CPR step');
  return client;
}
