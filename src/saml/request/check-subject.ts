import type { ErrorCode } from '../../errors/index.js';
import { NS, childElements } from '../../xml/index.js';

/** Check 11: a saml:Subject in the request is not supported. */
export function checkSubject(signedRoot: Element): ErrorCode | undefined {
  return childElements(signedRoot, NS.saml, 'Subject').length > 0 ? 'SAML_SUBJECT_NOT_SUPPORTED' : undefined;
}
