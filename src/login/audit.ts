import { createHash } from 'node:crypto';
import { auditEvents } from '../store/index.js';
import type { LoginDeps } from './deps.js';

// Audit events are append-only and never carry a CPR; NameIDs are recorded as hashes.

export type { AuditType } from './audit-type.js';
import type { AuditType } from './audit-type.js';

export function nameIdHash(nameId: string): string {
  return createHash('sha256').update(nameId).digest('hex').slice(0, 32);
}

export async function audit(
  deps: LoginDeps,
  event: { type: AuditType; traceId?: string; spEntityId?: string; loginId?: string; sessionId?: string; data?: Record<string, unknown> },
): Promise<void> {
  await auditEvents.append(deps.pool, {
    occurredAt: deps.clock.now(),
    type: event.type,
    traceId: event.traceId ?? null,
    spEntityId: event.spEntityId ?? null,
    loginId: event.loginId ?? null,
    sessionId: event.sessionId ?? null,
    data: event.data ?? {},
  });
}
