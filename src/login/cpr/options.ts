import type { PidCprClient } from '../../nemid/index.js';
import type { RegisteredSp } from '../../saml/index.js';

// What the CPR step is built with. The vault is LoginDeps.cprVault (the same one finishLogin opens with).

export interface CprStepOptions {
  /** The PID-CPR client; null when PID_CPR_URL is not configured (then any SP with a CPR step fails closed). */
  readonly pidCpr: PidCprClient | null;
  /** CPR_PID_HMAC_SECRET: keys cpr_memory and cpr_match_attempts. */
  readonly pidHmacSecret: Buffer;
  /** Tries per login (default 3). */
  readonly maxAttemptsPerLogin?: number;
  /** Tries per PID within an hour across logins (default 5; counts matches too, so it is tighter than Nets' limit). */
  readonly maxAttemptsPerPidPerHour?: number;
  /** Whether this SP's page offers "Remember my CPR number" (default: the policy's offerCprMemory). */
  readonly offerRemember?: (sp: RegisteredSp) => boolean;
}

export interface ResolvedCprOptions {
  readonly pidCpr: PidCprClient | null;
  readonly pidHmacSecret: Buffer;
  readonly maxAttemptsPerLogin: number;
  readonly maxAttemptsPerPidPerHour: number;
  readonly offerRemember: (sp: RegisteredSp) => boolean;
}

export function resolveCprOptions(options: CprStepOptions): ResolvedCprOptions {
  if (options.pidHmacSecret.length < 32) throw new TypeError('CPR_PID_HMAC_SECRET must be at least 32 bytes');
  return {
    pidCpr: options.pidCpr,
    pidHmacSecret: options.pidHmacSecret,
    maxAttemptsPerLogin: options.maxAttemptsPerLogin ?? 3,
    maxAttemptsPerPidPerHour: options.maxAttemptsPerPidPerHour ?? 5,
    offerRemember: options.offerRemember ?? ((sp) => sp.policy.offerCprMemory),
  };
}
