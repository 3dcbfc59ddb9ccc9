import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';

// Every XML document we send is built here with the DOM and written by the serialiser, which escapes text and
// attribute values: no value ever reaches the output by string concatenation (saml-profile.md §3.2, §9).

const XMLNS = 'http://www.w3.org/2000/xmlns/';

export type AttributeValues = Record<string, string | undefined>;

/** A new document whose root is `qualifiedName` in `namespace`, declaring the given prefixes on the root. */
export function createDocument(namespace: string, qualifiedName: string, declare: Record<string, string> = {}): Element {
  const document = new DOMImplementation().createDocument(namespace, qualifiedName, null);
  const root = document.documentElement as unknown as Element;
  declareNamespaces(root, declare);
  return root;
}

export function declareNamespaces(element: Element, declare: Record<string, string>): void {
  for (const [prefix, uri] of Object.entries(declare)) element.setAttributeNS(XMLNS, `xmlns:${prefix}`, uri);
}

/**
 * Appends `<qualifiedName>` to `parent`. Attributes whose value is undefined are left out; a name with a prefix
 * (`xml:lang`, `xsi:type`) must have its namespace in `attributeNamespaces`.
 */
export function appendElement(
  parent: Element,
  namespace: string,
  qualifiedName: string,
  attributes: AttributeValues = {},
  text?: string,
  attributeNamespaces: Record<string, string> = {},
): Element {
  const document = parent.ownerDocument;
  const element = document.createElementNS(namespace, qualifiedName);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    const prefix = name.includes(':') ? name.slice(0, name.indexOf(':')) : undefined;
    if (prefix === undefined) element.setAttribute(name, value);
    else {
      const attributeNamespace = prefix === 'xml' ? 'http://www.w3.org/XML/1998/namespace' : attributeNamespaces[prefix];
      if (attributeNamespace === undefined) throw new Error(`no namespace for attribute prefix ${prefix}`);
      element.setAttributeNS(attributeNamespace, name, value);
    }
  }
  if (text !== undefined) element.appendChild(document.createTextNode(text));
  parent.appendChild(element);
  return element;
}

/** Copies `node` (from another document) under `parent`. */
export function appendImported(parent: Element, node: Element): Element {
  const imported = parent.ownerDocument.importNode(node, true) as Element;
  parent.appendChild(imported);
  return imported;
}

export function serializeXml(node: Element | Document): string {
  return new XMLSerializer().serializeToString(node as never);
}
