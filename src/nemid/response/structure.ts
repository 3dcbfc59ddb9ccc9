import { IdpError } from '../../errors/index.js';
import {
  NS,
  allElements,
  childElements,
  parseXml,
  readEnvelopingSignature,
  type EnvelopingSignatureCodes,
  type UnverifiedEnvelopingSignature,
} from '../../xml/index.js';
import { certificateFacts, type CertificateFacts } from './certificate-facts.js';

// Steps 2–3 of nemid-protocol.md §4.5: one hardened parse, then the structural whitelist of the OpenOCES document and
// the leaf certificate found by what it is (end entity), never by where it is.

export const NEMID_SIGNATURE_CODES: EnvelopingSignatureCodes = {
  malformed: 'NEMID_RESPONSE_MALFORMED',
  invalid: 'NEMID_SIGNATURE_INVALID',
};

/** Real documents are ~8.5 kB; the posted field is capped at 64 KiB of base64. */
const MAX_DOCUMENT_BYTES = 64 * 1024;
export const SIGNED_OBJECT_ID = 'ToBeSigned';

export interface UnverifiedNemidDocument {
  readonly parts: UnverifiedEnvelopingSignature;
  readonly leafDer: Buffer;
  readonly leaf: CertificateFacts;
  /** The other KeyInfo certificates (a bag for path building: never trusted by being here). */
  readonly bagDers: Buffer[];
}

export function readNemidDocument(unverifiedXml: Buffer | string): UnverifiedNemidDocument {
  const malformed = (reason: string): never => {
    throw new IdpError('NEMID_RESPONSE_MALFORMED', `NemID document refused: ${reason}`);
  };
  const document = parseXml(unverifiedXml, { maxBytes: MAX_DOCUMENT_BYTES, errorCode: 'NEMID_RESPONSE_MALFORMED' });
  const root = document.documentElement;
  // The OCES I applet's 2003/10 namespace (and anything else) is refused here.
  if (!root || root.namespaceURI !== NS.openoces || root.localName !== 'signature') malformed('root is not openoces:signature');
  for (const child of Array.from(root.childNodes)) {
    if (child.nodeType === 1) continue;
    if (child.nodeType === child.TEXT_NODE && (child.nodeValue ?? '').trim() === '') continue;
    malformed('unexpected content in the root');
  }
  const rootChildren = childElements(root);
  const signatures = allElements(document).filter((e) => e.namespaceURI === NS.ds && e.localName === 'Signature');
  if (rootChildren.length !== 1 || signatures.length !== 1 || rootChildren[0] !== signatures[0]) {
    malformed('exactly one ds:Signature, the only child of the root');
  }
  const parts = readEnvelopingSignature(document, signatures[0] as Element, SIGNED_OBJECT_ID, NEMID_SIGNATURE_CODES);

  if (parts.keyInfoCertificates.length < 1 || parts.keyInfoCertificates.length > 3) malformed('KeyInfo must hold 1–3 certificates');
  const described = parts.keyInfoCertificates.map((der) => ({ der, facts: certificateFacts(der) }));
  const leaves = described.filter(({ facts }) => !facts.isCa && !facts.keyUsage.includes('cRLSign') && !facts.keyUsage.includes('keyCertSign'));
  if (leaves.length !== 1) malformed('KeyInfo must hold exactly one end-entity certificate');
  const [leaf] = leaves as [{ der: Buffer; facts: CertificateFacts }];
  return {
    parts,
    leafDer: leaf.der,
    leaf: leaf.facts,
    bagDers: described.filter((entry) => entry !== leaf).map((entry) => entry.der),
  };
}
