import { IdpError } from '../../errors/index.js';
import { BINDING_POST } from '../constants.js';
import type { AcsEndpoint, RegisteredSp } from '../registry/types.js';

// Check 5 (saml-profile.md §2.4): the ACS comes only from the SP's metadata, by index or by exact URL. An unknown
// index or URL never falls back to the default: it ends on the local error page.

export function defaultPostAcs(sp: RegisteredSp): AcsEndpoint {
  const post = sp.acsEndpoints.filter((endpoint) => endpoint.binding === BINDING_POST);
  const chosen = post.find((endpoint) => endpoint.isDefault === true) ?? post.find((endpoint) => endpoint.isDefault !== false) ?? post[0];
  // Registration guarantees an HTTP-POST ACS; its absence here is a broken registry, not a user error.
  if (!chosen) throw new IdpError('SP_REGISTRY_INVALID', 'SP has no HTTP-POST ACS');
  return chosen;
}

export function resolveAcs(signedRoot: Element, sp: RegisteredSp): AcsEndpoint {
  const indexText = signedRoot.getAttribute('AssertionConsumerServiceIndex');
  const url = signedRoot.getAttribute('AssertionConsumerServiceURL');
  const binding = signedRoot.getAttribute('ProtocolBinding');
  const hasIndex = signedRoot.hasAttribute('AssertionConsumerServiceIndex');
  const hasUrl = signedRoot.hasAttribute('AssertionConsumerServiceURL');
  const hasBinding = signedRoot.hasAttribute('ProtocolBinding');
  if (hasIndex && (hasUrl || hasBinding)) {
    throw new IdpError('SAML_ACS_AMBIGUOUS', 'AssertionConsumerServiceIndex together with URL or ProtocolBinding');
  }
  if (hasIndex) {
    const index = Number(indexText);
    const endpoint = /^[0-9]+$/.test(indexText ?? '') ? sp.acsEndpoints.find((candidate) => candidate.index === index) : undefined;
    if (!endpoint) throw new IdpError('SAML_ACS_UNKNOWN', 'AssertionConsumerServiceIndex not in metadata', { detail: { index: indexText } });
    return endpoint;
  }
  if (hasUrl) {
    const endpoint = sp.acsEndpoints.find((candidate) => candidate.location === url && (!hasBinding || candidate.binding === binding));
    if (!endpoint) throw new IdpError('SAML_ACS_UNKNOWN', 'AssertionConsumerServiceURL not in metadata', { detail: { url } });
    return endpoint;
  }
  return defaultPostAcs(sp);
}
