import { IdpError } from '../../errors/index.js';
import { LIMITS } from '../constants.js';

/** RelayState is opaque and at most 80 bytes (bindings spec §3.4.3); longer is refused, never truncated. */
export function checkRelayState(relayState: string | undefined): string | undefined {
  if (relayState === undefined) return undefined;
  if (Buffer.byteLength(relayState, 'utf8') > LIMITS.relayStateBytes) {
    throw new IdpError('SAML_RELAY_STATE_INVALID', `RelayState longer than ${LIMITS.relayStateBytes} bytes`);
  }
  return relayState;
}
