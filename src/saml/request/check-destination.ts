import { IdpError } from '../../errors/index.js';

/** Check 3: Destination present and exactly our endpoint URL (no normalisation). */
export function checkDestination(signedRoot: Element, expectedUrl: string): void {
  if (signedRoot.getAttribute('Destination') !== expectedUrl || !signedRoot.hasAttribute('Destination')) {
    throw new IdpError('SAML_DESTINATION_INVALID', 'Destination is not our endpoint', { detail: { expected: expectedUrl } });
  }
}
