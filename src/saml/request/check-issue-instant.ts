import { IdpError } from '../../errors/index.js';
import { type Clock, parseIsoInstant } from '../../shared/index.js';

/** Check 4: IssueInstant within ±skew of our clock; returns it. */
export function checkIssueInstant(signedRoot: Element, clock: Clock, skewSeconds: number): Date {
  const issued = parseIsoInstant(signedRoot.getAttribute('IssueInstant') ?? '');
  if (!issued) throw new IdpError('SAML_ISSUE_INSTANT_INVALID', 'IssueInstant is not an instant');
  const offset = Math.abs(issued.getTime() - clock.now().getTime());
  if (offset > skewSeconds * 1000) throw new IdpError('SAML_ISSUE_INSTANT_INVALID', 'IssueInstant outside the allowed skew');
  return issued;
}
