import type { LoginTransaction } from '../../store/index.js';
import type { LoginStep } from '../login-step.js';
import { spDisplayName } from '../client.js';
import type { StepContext } from '../deps.js';
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

/** A CPR audit event, recorded in the login step that found (or remembered) the number. */
export function auditCpr(
  step: LoginStep,
  type: 'cpr_looked_up' | 'cpr_matched' | 'cpr_from_memory' | 'cpr_remembered' | 'cpr_forgotten',
  identity: StoredIdentity,
  data: Record<string, unknown> = {},
  traceId?: string,
): void {
  step.audit({ type, traceId, data: { certificateSerial: identity.certificateSerialHex, ...data } });
}
