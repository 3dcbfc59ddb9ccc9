import { IdpError } from '../../errors/index.js';
import { NS, parseXml, validateAgainstSchema } from '../../xml/index.js';
import { LIMITS } from '../constants.js';

// Parses an incoming protocol message once with the hardened parser, validates it against the SAML protocol schema,
// and checks the root (namespace, name, Version 2.0, ID, IssueInstant). Nothing here is trusted yet.

export interface ParsedMessage {
  document: Document;
  unverifiedRoot: Element;
}

export async function parseProtocolMessage(unverifiedXml: string, expectedRoot: string): Promise<ParsedMessage> {
  const document = parseXml(unverifiedXml, { maxBytes: LIMITS.postBodyBytes, errorCode: 'SAML_XML_FORBIDDEN' });
  const root = document.documentElement as Element;
  if (root.namespaceURI !== NS.samlp || root.localName !== expectedRoot) {
    throw new IdpError('SAML_REQUEST_MALFORMED', `root is not samlp:${expectedRoot}`);
  }
  await validateAgainstSchema(unverifiedXml, 'protocol', 'SAML_SCHEMA_INVALID');
  if (root.getAttribute('Version') !== '2.0' || !root.getAttribute('ID') || !root.getAttribute('IssueInstant')) {
    throw new IdpError('SAML_REQUEST_MALFORMED', 'Version 2.0, ID and IssueInstant are required');
  }
  return { document, unverifiedRoot: root };
}
