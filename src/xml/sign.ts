import { SignedXml } from 'xml-crypto';
import { C14N_EXCLUSIVE, DIGEST_SHA256, RSA_SHA256, TRANSFORM_ENVELOPED } from './signature-algorithms.js';

// Enveloped XML-DSig signing of a document we built ourselves (saml-profile.md §3.3, §7): exclusive C14N,
// RSA-SHA256, SHA-256 digest, one Reference to the root's ID, ds:Signature right after the root's Issuer.

export interface SigningCredentials {
  /** PEM private key (RSA). */
  key: string;
  /** PEM certificate published in KeyInfo. */
  cert: string;
}

export interface EnvelopedSignatureOptions {
  /** The root element's ID attribute value (ours, freshly generated). */
  rootId: string;
  /** Namespace URI and local name of the root's child after which the signature goes (the Issuer). */
  after?: { namespace: string; localName: string };
  /** Prefixes for the exclusive C14N InclusiveNamespaces PrefixList of the Reference (e.g. ["xs"]). */
  inclusivePrefixes?: string[];
  credentials: SigningCredentials;
}

const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Returns `ourXml` with an enveloped signature over its root element. */
export function signEnveloped(ourXml: string, options: EnvelopedSignatureOptions): string {
  if (!ID_PATTERN.test(options.rootId)) throw new Error('root ID is not an NCName');
  const signer = new SignedXml({
    privateKey: options.credentials.key,
    publicCert: options.credentials.cert,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: C14N_EXCLUSIVE,
  });
  signer.addReference({
    xpath: `/*[@ID='${options.rootId}']`,
    transforms: [TRANSFORM_ENVELOPED, C14N_EXCLUSIVE],
    digestAlgorithm: DIGEST_SHA256,
    inclusiveNamespacesPrefixList: options.inclusivePrefixes ?? [],
  });
  const location = options.after
    ? {
        reference: `/*/*[local-name(.)='${options.after.localName}' and namespace-uri(.)='${options.after.namespace}']`,
        action: 'after' as const,
      }
    : { reference: '/*', action: 'prepend' as const };
  signer.computeSignature(ourXml, { prefix: 'ds', location });
  return signer.getSignedXml();
}
