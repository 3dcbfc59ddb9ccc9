import type { LoginTransaction } from '../../store/index.js';
import { audit } from '../audit.js';
import { spDisplayName } from '../client.js';
import type { LoginDeps, StepContext } from '../deps.js';
import type { StoredIdentity } from '../identity.js';
import type { ResolvedCprOptions } from './options.js';
import type { CprPageView } from './view.js';

// The CPR page's view for a login, and the CPR audit events (which record how a CPR was found, never the number).

export function cprPageView(options: ResolvedCprOptions, context: { tx: LoginTransaction; sp: StepContext['sp'] }, extra: Partial<CprPageView> = {}): CprPageView {
  return {
    kind: 'cpr',
    loginId: context.tx.id,
    spName: spDisplayName(context.sp, context.tx.language),
    offerRemember: options.offerRemember(context.sp),
    attemptsLeft: Math.max(0, options.maxAttemptsPerLogin - context.tx.cprAttempts),
    ...extra,
  };
}

export async function auditCpr(
  deps: LoginDeps,
  type: 'cpr_looked_up' | 'cpr_matched' | 'cpr_from_memory' | 'cpr_remembered' | 'cpr_forgotten',
  tx: LoginTransaction,
  identity: StoredIdentity,
  data: Record<string, unknown> = {},
  traceId?: string,
): Promise<void> {
  await audit(deps, {
    type,
    ...(traceId ? { traceId } : {}),
    spEntityId: tx.spEntityId,
    loginId: tx.id,
    data: { certificateSerial: identity.certificateSerialHex, ...data },
  });
}
