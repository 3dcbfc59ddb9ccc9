import { BINDING_POST } from '../constants.js';
import type { ErrorCode } from '../../errors/index.js';
import type { AcsEndpoint } from '../registry/types.js';

/** Check 8: ProtocolBinding absent or HTTP-POST, and the chosen endpoint HTTP-POST. */
export function checkBinding(signedRoot: Element, acs: AcsEndpoint): ErrorCode | undefined {
  const binding = signedRoot.getAttribute('ProtocolBinding');
  if (signedRoot.hasAttribute('ProtocolBinding') && binding !== BINDING_POST) return 'SAML_BINDING_UNSUPPORTED';
  return acs.binding === BINDING_POST ? undefined : 'SAML_BINDING_UNSUPPORTED';
}
