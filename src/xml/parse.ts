import { DOMParser } from '@xmldom/xmldom';
import { IdpError, type ErrorCode } from '../errors/index.js';

// The one hardened XML parser. Everything that reads untrusted XML goes through here, and each message is parsed
// exactly once: a second parse of the same bytes by another parser is how verify-versus-consume differentials start.

export interface ParseOptions {
  /** Refuse inputs longer than this many bytes before parsing. */
  maxBytes: number;
  /** The catalogue code thrown for anything refused (SAML and NemID callers use their own). */
  errorCode: ErrorCode;
}

const PREDEFINED_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);
const XML_DECLARATION = /^\uFEFF?<\?xml[ \t\r\n][^?]*\?>/;

/** Parses `unverifiedXml` into a DOM, refusing DTDs, entities, PIs (but the declaration) and several roots. */
export function parseXml(unverifiedXml: string | Buffer, options: ParseOptions): Document {
  const fail = (reason: string): never => {
    throw new IdpError(options.errorCode, `XML refused: ${reason}`);
  };
  const byteLength = typeof unverifiedXml === 'string' ? Buffer.byteLength(unverifiedXml, 'utf8') : unverifiedXml.length;
  if (byteLength > options.maxBytes) fail(`larger than ${options.maxBytes} bytes`);
  const text = typeof unverifiedXml === 'string' ? unverifiedXml : unverifiedXml.toString('utf8');
  if (text.includes('\uFFFD') && Buffer.isBuffer(unverifiedXml)) fail('not valid UTF-8');

  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) fail('DOCTYPE or entity declaration');
  const withoutDeclaration = text.replace(XML_DECLARATION, '');
  if (withoutDeclaration.includes('<?')) fail('processing instruction');
  // XML 1.0 Char: no U+0000 and no C0 control but tab, LF and CR, neither raw nor as a character reference. The
  // parser does not enforce it, and such a character in an ID or a NameID would reach the database.
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) fail('control character');
  for (const match of text.matchAll(/&([^;\s<>&]*);?/g)) {
    const name = match[1] ?? '';
    if (!match[0].endsWith(';')) fail('bare ampersand');
    if (!PREDEFINED_ENTITIES.has(name) && !/^#([0-9]+|x[0-9a-fA-F]+)$/.test(name)) fail(`entity reference &${name};`);
    if (name.startsWith('#')) {
      const point = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      const allowed = point === 0x9 || point === 0xa || point === 0xd || (point >= 0x20 && point <= 0xd7ff) || (point >= 0xe000 && point <= 0xfffd) || (point >= 0x10000 && point <= 0x10ffff);
      if (!allowed) fail('character reference to a character XML does not allow');
    }
  }

  const problems: string[] = [];
  const record = (message: string) => problems.push(String(message).split('\n')[0] ?? 'parse error');
  const document = new DOMParser({
    locator: {},
    errorHandler: { warning: record, error: record, fatalError: record },
  }).parseFromString(text, 'application/xml');
  if (problems.length > 0) fail(`not well-formed (${problems[0]})`);

  const elements = Array.from(document.childNodes).filter((node) => node.nodeType === node.ELEMENT_NODE);
  if (elements.length !== 1) fail('not exactly one root element');
  for (const node of Array.from(document.childNodes)) {
    if (node.nodeType === node.DOCUMENT_TYPE_NODE) fail('DOCTYPE');
    if (node.nodeType === node.TEXT_NODE && (node.nodeValue ?? '').trim() !== '') fail('text outside the root');
  }
  return document as unknown as Document;
}

/**
 * The text of an element we read a value from (Issuer, NameID, …): exactly one text node, or none for "".
 * A comment or child element inside is refused, because it is how comment injection truncates a value.
 */
export function singleText(element: Element, errorCode: ErrorCode): string {
  const children = Array.from(element.childNodes);
  if (children.length === 0) return '';
  const [only] = children;
  if (children.length !== 1 || !only || (only.nodeType !== only.TEXT_NODE && only.nodeType !== only.CDATA_SECTION_NODE)) {
    throw new IdpError(errorCode, `<${element.localName}> must hold exactly one text node`);
  }
  return only.nodeValue ?? '';
}

/** Direct element children of `parent`, optionally only those with the given namespace and local name. */
export function childElements(parent: Element | Document, namespace?: string, localName?: string): Element[] {
  return Array.from(parent.childNodes).filter(
    (node): node is Element =>
      node.nodeType === 1 &&
      (namespace === undefined || (node as Element).namespaceURI === namespace) &&
      (localName === undefined || (node as Element).localName === localName),
  );
}

/** Every element in the subtree (document order), the root included. */
export function allElements(root: Element | Document): Element[] {
  const out: Element[] = [];
  const walk = (node: Node) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 1) {
        out.push(child as Element);
        walk(child);
      }
    }
  };
  if (root.nodeType === 1) out.push(root as Element);
  walk(root);
  return out;
}
