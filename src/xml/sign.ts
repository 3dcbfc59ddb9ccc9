import { createHash } from 'node:crypto';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { appendElement, declareNamespaces, serializeXml } from './build.js';
import { privateKeyOf } from './key-cache.js';
import { NS } from './namespaces.js';
import { childElements, parseXml } from './parse.js';
import { C14N_EXCLUSIVE, DIGEST_SHA256, RSA_SHA256, SIGNATURE_ALGORITHMS, TRANSFORM_ENVELOPED, signRsa } from './signature-algorithms.js';

// Enveloped XML-DSig signing of a document we built ourselves (saml-profile.md §3.3, §7): exclusive C14N,
// RSA-SHA256, SHA-256 digest, one Reference to the root's ID, ds:Signature right after the root's Issuer.
// The Signature is built with the DOM and signed once. (xml-crypto's own signer writes the InclusiveNamespaces
// PrefixList into every Transform, also under enveloped-signature, which takes no parameters and which strict
// verifiers, ours among them, refuse; xml-crypto's exclusive C14N is used as is.)

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

/** The namespace declarations in scope at `element` from its ancestors (nearest first wins), for C14N of a subtree. */
function ancestorNamespaces(element: Element): Array<{ prefix: string; namespaceURI: string }> {
  const seen = new Map<string, string>();
  for (let node = element.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    for (const attribute of Array.from((node as Element).attributes)) {
      const prefix = attribute.name === 'xmlns' ? '' : attribute.name.startsWith('xmlns:') ? attribute.name.slice(6) : null;
      if (prefix !== null && !seen.has(prefix)) seen.set(prefix, attribute.value);
    }
  }
  return [...seen].map(([prefix, namespaceURI]) => ({ prefix, namespaceURI }));
}

function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** Returns `ourXml` with an enveloped signature over its root element. */
export function signEnveloped(ourXml: string, options: EnvelopedSignatureOptions): string {
  if (!ID_PATTERN.test(options.rootId)) throw new Error('root ID is not an NCName');
  const algorithm = SIGNATURE_ALGORITHMS[RSA_SHA256];
  if (!algorithm) throw new Error('RSA-SHA256 missing from the algorithm table');
  const document = parseXml(ourXml, { maxBytes: 64 * 1024 * 1024, errorCode: 'INTERNAL_ERROR' });
  const root = document.documentElement as Element;
  if (root.getAttribute('ID') !== options.rootId) throw new Error('the root does not carry the ID to sign');
  const prefixes = options.inclusivePrefixes ?? [];
  const c14n = new ExclusiveCanonicalization();

  // The enveloped-signature transform removes a Signature that is not there yet: the digest is over the root as is.
  const canonicalRoot = c14n.process(root, { inclusiveNamespacesPrefixList: prefixes, ancestorNamespaces: [] });
  const digest = createHash('sha256').update(canonicalRoot, 'utf8').digest('base64');

  const signature = document.createElementNS(NS.ds, 'ds:Signature') as Element;
  declareNamespaces(signature, { ds: NS.ds });
  const anchor = options.after ? childElements(root, options.after.namespace, options.after.localName)[0] : undefined;
  root.insertBefore(signature, anchor ? anchor.nextSibling : root.firstChild);

  const signedInfo = appendElement(signature, NS.ds, 'ds:SignedInfo');
  appendElement(signedInfo, NS.ds, 'ds:CanonicalizationMethod', { Algorithm: C14N_EXCLUSIVE });
  appendElement(signedInfo, NS.ds, 'ds:SignatureMethod', { Algorithm: RSA_SHA256 });
  const reference = appendElement(signedInfo, NS.ds, 'ds:Reference', { URI: `#${options.rootId}` });
  const transforms = appendElement(reference, NS.ds, 'ds:Transforms');
  appendElement(transforms, NS.ds, 'ds:Transform', { Algorithm: TRANSFORM_ENVELOPED });
  const exclusive = appendElement(transforms, NS.ds, 'ds:Transform', { Algorithm: C14N_EXCLUSIVE });
  if (prefixes.length > 0) {
    const inclusive = appendElement(exclusive, C14N_EXCLUSIVE, 'ec:InclusiveNamespaces', { PrefixList: prefixes.join(' ') });
    declareNamespaces(inclusive, { ec: C14N_EXCLUSIVE });
  }
  appendElement(reference, NS.ds, 'ds:DigestMethod', { Algorithm: DIGEST_SHA256 });
  appendElement(reference, NS.ds, 'ds:DigestValue', {}, digest);

  const canonicalSignedInfo = c14n.process(signedInfo, { ancestorNamespaces: ancestorNamespaces(signedInfo) });
  const value = signRsa(algorithm, canonicalSignedInfo, privateKeyOf(options.credentials.key)).toString('base64');
  appendElement(signature, NS.ds, 'ds:SignatureValue', {}, value);
  const keyInfo = appendElement(signature, NS.ds, 'ds:KeyInfo');
  const x509Data = appendElement(keyInfo, NS.ds, 'ds:X509Data');
  appendElement(x509Data, NS.ds, 'ds:X509Certificate', {}, certificateBody(options.credentials.cert));
  return serializeXml(document as unknown as Document);
}
