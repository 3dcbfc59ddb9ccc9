import { ExclusiveCanonicalization, SignedXml, findAncestorNs } from 'xml-crypto';
import { serializeXml } from './build.js';
import { NS } from './namespaces.js';
import { allElements, childElements, parseXml } from './parse.js';
import { C14N_EXCLUSIVE, DIGEST_SHA256, RSA_SHA256, SIGNATURE_ALGORITHMS, TRANSFORM_ENVELOPED, signRsa } from './signature-algorithms.js';

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
  const signed = signer.getSignedXml();
  return options.inclusivePrefixes?.length ? withoutEnvelopedTransformParameters(signed, options.credentials.key) : signed;
}

/**
 * xml-crypto 6.3.2 writes the PrefixList into every Transform, also as a foreign-namespace child of the
 * enveloped-signature Transform, which takes no parameters. Strict verifiers (our own enveloped-signature.ts among
 * them) refuse that, so the stray element is removed and SignedInfo signed again (the digest does not change).
 */
function withoutEnvelopedTransformParameters(signedXml: string, key: string): string {
  const document = parseXml(signedXml, { maxBytes: 64 * 1024 * 1024, errorCode: 'INTERNAL_ERROR' });
  const root = document.documentElement as Element;
  const [signature] = childElements(root, NS.ds, 'Signature');
  const [signedInfo] = signature ? childElements(signature, NS.ds, 'SignedInfo') : [];
  const [signatureValue] = signature ? childElements(signature, NS.ds, 'SignatureValue') : [];
  const algorithm = SIGNATURE_ALGORITHMS[RSA_SHA256];
  if (!signedInfo || !signatureValue || !algorithm) throw new Error('signature just computed is incomplete');
  const envelopedTransforms = allElements(signedInfo).filter(
    (element) => element.namespaceURI === NS.ds && element.localName === 'Transform' && element.getAttribute('Algorithm') === TRANSFORM_ENVELOPED,
  );
  for (const transform of envelopedTransforms) for (const child of Array.from(transform.childNodes)) transform.removeChild(child);
  const canonical = new ExclusiveCanonicalization().process(signedInfo as never, {
    ancestorNamespaces: findAncestorNs(document as never, "//*[local-name()='SignedInfo']"),
  });
  while (signatureValue.firstChild) signatureValue.removeChild(signatureValue.firstChild);
  signatureValue.appendChild(document.createTextNode(signRsa(algorithm, canonical.toString(), key).toString('base64')));
  return serializeXml(root);
}
