import { IdpError } from '../../errors/index.js';
import { NS, childElements, parseXml, validateAgainstSchema } from '../../xml/index.js';
import type { DecodedMessage } from '../bindings/decode.js';
import { LIMITS } from '../constants.js';
import type { RegisteredSp, SpRegistry } from '../registry/types.js';
import { checkIssuer } from './check-issuer.js';

// Parses an incoming protocol message once with the hardened parser and checks the root (namespace, name, Version
// 2.0, ID, IssueInstant). Nothing here is trusted yet. Unauthenticated input meets the cheap checks first (sizes and
// binding while decoding, then issuer registered and a signature present), and only then the schema validation and
// the signature's cryptography: a stranger's request costs a parse, not a schema run or an RSA operation.

export interface ScreenedMessage extends ParsedMessage {
  sp: RegisteredSp;
}

/** Parse → issuer registered (check 1) → signature present → schema; the signature itself is verified after. */
export async function screenProtocolMessage(decoded: DecodedMessage, expectedRoot: string, registry: SpRegistry): Promise<ScreenedMessage> {
  const parsed = parseProtocolRoot(decoded.unverifiedXml, expectedRoot);
  const sp = checkIssuer(parsed.unverifiedRoot, registry);
  requireSignaturePresent(decoded, parsed.unverifiedRoot);
  await validateAgainstSchema(decoded.unverifiedXml, 'protocol', 'SAML_SCHEMA_INVALID');
  return { ...parsed, sp };
}

/** Every request is signed (saml-profile.md §2.3): a message without any signature is refused before any crypto. */
function requireSignaturePresent(decoded: DecodedMessage, unverifiedRoot: Element): void {
  if (decoded.binding === 'redirect') {
    if (decoded.redirectSignaturePartial) throw new IdpError('SAML_SIGNATURE_MISSING', 'SigAlg and Signature must both be present');
    if (!decoded.redirectSignature) throw new IdpError('SAML_SIGNATURE_MISSING', 'Redirect message is not signed');
    return;
  }
  if (childElements(unverifiedRoot, NS.ds, 'Signature').length === 0) throw new IdpError('SAML_SIGNATURE_MISSING', 'POST message is not signed');
}

function parseProtocolRoot(unverifiedXml: string, expectedRoot: string): ParsedMessage {
  const document = parseXml(unverifiedXml, { maxBytes: LIMITS.postBodyBytes, errorCode: 'SAML_XML_FORBIDDEN' });
  const root = document.documentElement as Element;
  if (root.namespaceURI !== NS.samlp || root.localName !== expectedRoot) {
    throw new IdpError('SAML_REQUEST_MALFORMED', `root is not samlp:${expectedRoot}`);
  }
  if (root.getAttribute('Version') !== '2.0' || !root.getAttribute('ID') || !root.getAttribute('IssueInstant')) {
    throw new IdpError('SAML_REQUEST_MALFORMED', 'Version 2.0, ID and IssueInstant are required');
  }
  return { document, unverifiedRoot: root };
}

export interface ParsedMessage {
  document: Document;
  unverifiedRoot: Element;
}
