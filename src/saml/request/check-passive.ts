import type { ErrorCode } from '../../errors/index.js';

const isTrue = (value: string | null) => value === 'true' || value === '1';

/** Check 12 (§2.7): ForceAuthn and IsPassive both true always gives NoPassive; the rest is the caller's (sessions). */
export function checkPassive(signedRoot: Element): { forceAuthn: boolean; isPassive: boolean; error?: ErrorCode } {
  const forceAuthn = isTrue(signedRoot.getAttribute('ForceAuthn'));
  const isPassive = isTrue(signedRoot.getAttribute('IsPassive'));
  return { forceAuthn, isPassive, ...(forceAuthn && isPassive ? { error: 'SAML_NO_PASSIVE' as const } : {}) };
}
