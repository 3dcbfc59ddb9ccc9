// Process-wide fault switches for tests (nemid-protocol.md §10 item 8): POST /control sets some, DELETE /control
// resets every switch and every counter (lock-outs, PID-CPR brute-force history). The simulator is a test double of
// external services, so this state lives in memory.

export type CrlSwitch = 'ok' | 'stale' | 'unavailable';
export type OcspSwitch = 'ok' | 'unknown' | 'revoked' | 'bad-signature' | 'unavailable';
/** 'timeout' holds the answer back; a number makes every PID-CPR answer carry that status code. */
export type PidCprSwitch = 'ok' | 'timeout' | 'unavailable' | number;
export type RolesSwitch = 'ok' | 'timeout' | 'unavailable';

export interface ControlSwitches {
  crl: CrlSwitch;
  ocsp: OcspSwitch;
  pidCpr: PidCprSwitch;
  roles: RolesSwitch;
}

export const DEFAULT_SWITCHES: Readonly<ControlSwitches> = Object.freeze({ crl: 'ok', ocsp: 'ok', pidCpr: 'ok', roles: 'ok' });

const CRL_VALUES: readonly CrlSwitch[] = ['ok', 'stale', 'unavailable'];
const OCSP_VALUES: readonly OcspSwitch[] = ['ok', 'unknown', 'revoked', 'bad-signature', 'unavailable'];
const ROLES_VALUES: readonly RolesSwitch[] = ['ok', 'timeout', 'unavailable'];

/**
 * The switches after applying `fields` (names crl, ocsp, pidCpr, roles) to `current`; null when any name or value
 * is unknown, so a typo in a test never silently leaves a switch at "ok".
 */
export function applySwitches(current: ControlSwitches, fields: Record<string, string>): ControlSwitches | null {
  const next: ControlSwitches = { ...current };
  for (const [name, rawValue] of Object.entries(fields)) {
    const value = rawValue.trim();
    switch (name) {
      case 'crl':
        if (!isOneOf(CRL_VALUES, value)) return null;
        next.crl = value;
        break;
      case 'ocsp':
        if (!isOneOf(OCSP_VALUES, value)) return null;
        next.ocsp = value;
        break;
      case 'roles':
        if (!isOneOf(ROLES_VALUES, value)) return null;
        next.roles = value;
        break;
      case 'pidCpr':
        if (value === 'ok' || value === 'timeout' || value === 'unavailable') next.pidCpr = value;
        else if (/^[0-9]{1,5}$/.test(value)) next.pidCpr = Number(value);
        else return null;
        break;
      default:
        return null;
    }
  }
  return next;
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
