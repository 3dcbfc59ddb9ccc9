import { IdpError } from '../../errors/index.js';
import { NS, childElements } from '../../xml/index.js';
import { decodePostMessage } from './bindings.js';
import { STATUS_SUCCESS } from './messages.js';
import { readEncryptedAssertion } from './read-assertion.js';
import { checkDestination, checkIssuer, hasSignature, optional, parseMessage, protocolRoot, readStatus, verifiedRoot } from './read-xml.js';
import type { DemoSession, DemoSessionStore } from './session-store.js';
import type { DemoLogin, DemoNotice, DemoSpOptions } from './types.js';

// POST /demo/acs: the demo SP's Response consumer. Order: decode and parse once; Destination; InResponseTo must be
// an outstanding request of this browser (consumed here, so a replay finds nothing); Issuer; a Response-level
// signature when present (required for an error status); then the EncryptedAssertion: decrypt, verify, read.

export type AcsOutcome = { kind: 'login'; login: DemoLogin } | { kind: 'status'; notice: DemoNotice & { kind: 'status' } };

export function consumeLoginResponse(
  form: Record<string, string>,
  session: DemoSession | undefined,
  store: DemoSessionStore,
  options: DemoSpOptions,
): AcsOutcome {
  const unverifiedXml = decodePostMessage(form, 'SAMLResponse', 'DEMO_SP_MESSAGE_MALFORMED');
  const document = parseMessage(unverifiedXml);
  const envelope = protocolRoot(document, 'Response');
  checkDestination(envelope, options.acsUrl);

  const inResponseTo = optional(envelope, 'InResponseTo');
  if (inResponseTo !== undefined) {
    const pending = session ? store.consumePendingRequest(session, inResponseTo) : undefined;
    if (!pending) throw new IdpError('DEMO_SP_NOT_REQUESTED', 'InResponseTo is not an outstanding request of this browser');
    if (pending.relayState !== undefined && form['RelayState'] !== pending.relayState) {
      throw new IdpError('DEMO_SP_NOT_REQUESTED', 'RelayState differs from the one sent with the request');
    }
  } else if (options.acceptUnsolicited === false) {
    throw new IdpError('DEMO_SP_NOT_REQUESTED', 'unsolicited responses are not accepted');
  }
  checkIssuer(envelope, options.idpEntityId);

  const signed = hasSignature(envelope);
  const response = signed ? verifiedRoot(document, unverifiedXml, options.idpSigningCertificates) : envelope;
  const status = readStatus(response);
  if (status.codes[0] !== STATUS_SUCCESS) {
    // The IdP signs every error Response (saml-profile.md §3.3); an unsigned one could be anyone's.
    if (!signed) throw new IdpError('DEMO_SP_SIGNATURE_INVALID', 'error Response is not signed');
    return { kind: 'status', notice: { kind: 'status', statusCodes: status.codes, ...(status.message !== undefined ? { statusMessage: status.message } : {}) } };
  }

  const plain = childElements(response, NS.saml, 'Assertion');
  const encrypted = childElements(response, NS.saml, 'EncryptedAssertion');
  const [only] = encrypted;
  // Our registration has an encryption key, so the IdP must encrypt: a plain assertion is a downgrade.
  if (plain.length > 0 || encrypted.length !== 1 || !only) {
    throw new IdpError('DEMO_SP_ASSERTION_INVALID', 'expected exactly one EncryptedAssertion and no plain Assertion');
  }
  const now = options.clock.now();
  const skewSeconds = options.skewSeconds ?? 60;
  const verified = readEncryptedAssertion(only, {
    decryptionKey: options.encryptionKeyPem,
    idpCertificates: options.idpSigningCertificates,
    idpEntityId: options.idpEntityId,
    spEntityId: options.spEntityId,
    acsUrl: options.acsUrl,
    inResponseTo,
    now,
    skewSeconds,
  });
  if (!store.markSeen(`assertion ${verified.login.assertionId}`, verified.notOnOrAfter + skewSeconds * 1000)) {
    throw new IdpError('DEMO_SP_ASSERTION_REPLAYED', 'this assertion was already used');
  }
  return { kind: 'login', login: { ...verified.login, ...(inResponseTo !== undefined ? { inResponseTo } : {}) } };
}
