import { IdpError } from '../../errors/index.js';
import { LIMITS } from '../constants.js';

// U+0000 and the C0 controls other than tab, LF and CR: no SP has a use for them in an opaque token, PostgreSQL
// cannot store U+0000, and they would have to be echoed byte for byte into the SP's page.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/** True when `value` holds a character refused by CONTROL. */
export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value);
}

/**
 * RelayState is opaque and at most 80 bytes (bindings spec §3.4.3); longer is refused, never truncated, and control
 * characters are refused, both while decoding, before any state is recorded.
 */
export function checkRelayState(relayState: string | undefined): string | undefined {
  if (relayState === undefined) return undefined;
  if (Buffer.byteLength(relayState, 'utf8') > LIMITS.relayStateBytes) {
    throw new IdpError('SAML_RELAY_STATE_INVALID', `RelayState longer than ${LIMITS.relayStateBytes} bytes`);
  }
  if (hasControlCharacter(relayState)) throw new IdpError('SAML_CONTROL_CHARACTER', 'RelayState holds a control character');
  return relayState;
}
