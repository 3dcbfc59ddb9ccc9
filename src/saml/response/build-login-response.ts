import { IdpError } from '../../errors/index.js';
import { type Clock, samlId, toSamlInstant } from '../../shared/index.js';
import { NS, appendElement, appendEncryptedData, appendImported, parseXml, type SigningCredentials } from '../../xml/index.js';
import type { RegisteredSp } from '../registry/types.js';
import { attributesFor, carriesCpr } from './attributes.js';
import { buildSignedAssertion } from './build-assertion.js';
import { appendStatus, createResponseShell, finishResponse } from './envelope.js';
import type { SamlSubject } from './subject.js';

// The successful login Response (saml-profile.md §3): build → sign the Assertion → encrypt when the SP has an
// encryption key and its policy allows → sign the Response when the policy says signResponse.

export interface ResolvedAcs {
  url: string;
  binding: string;
  index: number;
}

export interface LoginResponseInput {
  sp: RegisteredSp;
  acs: ResolvedAcs;
  /** The IdP's entity ID (our Issuer). */
  issuer: string;
  /** Absent for IdP-initiated SSO. */
  inResponseTo?: string;
  subject: SamlSubject;
  nameId: { format: string; value: string; nameQualifier?: string; spNameQualifier?: string };
  authnInstant: Date;
  sessionIndex: string;
  authnContextClassRef: string;
  signing: SigningCredentials;
  clock: Clock;
}

export interface BuiltResponse {
  xml: string;
  responseId: string;
  assertionId: string;
}

export function buildLoginResponse(input: LoginResponseInput): BuiltResponse {
  const { sp } = input;
  const attributes = attributesFor(sp.policy.attributeProfile, input.subject, sp.policy.releaseCpr);
  if (carriesCpr(attributes) && !sp.encryption) {
    throw new IdpError('CPR_RELEASE_NEEDS_ENCRYPTION', 'a CPR would go out in a plain assertion', { detail: { sp: sp.entityId } });
  }
  const issueInstant = input.clock.now();
  const assertionId = samlId();
  const responseId = samlId();
  const signedAssertion = buildSignedAssertion({
    id: assertionId,
    issuer: input.issuer,
    issueInstant,
    audience: sp.entityId,
    recipient: input.acs.url,
    ...(input.inResponseTo !== undefined ? { inResponseTo: input.inResponseTo } : {}),
    nameId: input.nameId,
    authnInstant: input.authnInstant,
    sessionIndex: input.sessionIndex,
    authnContextClassRef: input.authnContextClassRef,
    attributes,
    signing: input.signing,
  });

  const shell = createResponseShell({
    id: responseId,
    issueInstant: toSamlInstant(issueInstant),
    destination: input.acs.url,
    ...(input.inResponseTo !== undefined ? { inResponseTo: input.inResponseTo } : {}),
    issuer: input.issuer,
  });
  appendStatus(shell.root, 'Success');
  if (sp.encryption) {
    const encrypted = appendElement(shell.root, NS.saml, 'saml:EncryptedAssertion');
    try {
      appendEncryptedData(encrypted, signedAssertion, {
        recipientCertificate: sp.encryption.certificate,
        content: sp.encryption.content,
        keyTransport: sp.encryption.keyTransport,
      });
    } catch (error) {
      throw new IdpError('SAML_ENCRYPTION_FAILED', 'assertion encryption failed', { cause: error });
    }
  } else {
    const ours = parseXml(signedAssertion, { maxBytes: 16 * 1024 * 1024, errorCode: 'INTERNAL_ERROR' });
    appendImported(shell.root, ours.documentElement as Element);
  }
  const xml = finishResponse(shell, sp.policy.signResponse ? input.signing : undefined);
  return { xml, responseId, assertionId };
}
