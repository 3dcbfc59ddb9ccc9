import { NS, childElements, parseXml, singleText } from '../../xml/index.js';
import { BINDING_POST, PROTOCOL_SAML2 } from '../constants.js';
import type { AcsEndpoint, SloEndpoint } from './types.js';

// Reads the facts we use from one SP metadata document (already schema-validated). Every rule of §8.1 that can be
// decided from the document alone is reported here as a problem string; nothing is silently dropped.

export interface KeyDescriptorFacts {
  use: 'signing' | 'encryption' | 'both';
  certificatesBase64: string[];
  encryptionMethods: { algorithm: string; mgf?: string; digest?: string }[];
}

export interface SpMetadataFacts {
  entityId: string;
  validUntil?: Date;
  acsEndpoints: AcsEndpoint[];
  sloEndpoints: SloEndpoint[];
  keys: KeyDescriptorFacts[];
  /** Names to show users, by xml:lang: mdui:DisplayName, else md:OrganizationDisplayName. */
  displayNames: Record<string, string>;
}

function keyDescriptor(element: Element): KeyDescriptorFacts {
  const use = element.getAttribute('use');
  const certificatesBase64 = childElements(element, NS.ds, 'KeyInfo')
    .flatMap((keyInfo) => childElements(keyInfo, NS.ds, 'X509Data'))
    .flatMap((data) => childElements(data, NS.ds, 'X509Certificate'))
    .map((certificate) => singleText(certificate, 'SP_REGISTRY_INVALID'));
  const encryptionMethods = childElements(element, NS.md, 'EncryptionMethod').map((method) => ({
    algorithm: method.getAttribute('Algorithm') ?? '',
    mgf: childElements(method, NS.xenc11, 'MGF')[0]?.getAttribute('Algorithm') ?? undefined,
    digest: childElements(method, NS.ds, 'DigestMethod')[0]?.getAttribute('Algorithm') ?? undefined,
  }));
  return { use: use === 'signing' || use === 'encryption' ? use : 'both', certificatesBase64, encryptionMethods };
}

/** Parses `xml`; returns facts plus problems. `allowHttp` permits http:// ACS locations (simulator only). */
export function readSpMetadata(xml: string, allowHttp: boolean): { facts?: SpMetadataFacts; problems: string[] } {
  const problems: string[] = [];
  const document = parseXml(xml, { maxBytes: 1024 * 1024, errorCode: 'SP_REGISTRY_INVALID' });
  const root = document.documentElement as Element;
  if (root.namespaceURI !== NS.md || root.localName !== 'EntityDescriptor') {
    return { problems: ['root is not one md:EntityDescriptor'] };
  }
  const entityId = root.getAttribute('entityID') ?? '';
  const validUntilText = root.getAttribute('validUntil');
  const validUntil = validUntilText ? new Date(validUntilText) : undefined;
  if (validUntil && Number.isNaN(validUntil.getTime())) problems.push('validUntil is not a date');

  const descriptors = childElements(root, NS.md, 'SPSSODescriptor').filter((descriptor) =>
    (descriptor.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(PROTOCOL_SAML2),
  );
  const [descriptor] = descriptors;
  if (descriptors.length !== 1 || !descriptor) {
    return { problems: [...problems, 'not exactly one SPSSODescriptor supporting the SAML 2.0 protocol'] };
  }

  const acsEndpoints: AcsEndpoint[] = childElements(descriptor, NS.md, 'AssertionConsumerService').map((element) => {
    // xmldom returns '' (not null) for a missing attribute, so presence is asked explicitly.
    const isDefault = element.hasAttribute('isDefault') ? element.getAttribute('isDefault') : null;
    return {
      binding: element.getAttribute('Binding') ?? '',
      location: element.getAttribute('Location') ?? '',
      index: Number(element.getAttribute('index')),
      ...(isDefault === null ? {} : { isDefault: isDefault === 'true' || isDefault === '1' }),
    };
  });
  if (!acsEndpoints.some((endpoint) => endpoint.binding === BINDING_POST)) problems.push('no AssertionConsumerService with HTTP-POST');
  const indexes = acsEndpoints.map((endpoint) => endpoint.index);
  if (new Set(indexes).size !== indexes.length) problems.push('duplicate AssertionConsumerService index');
  for (const endpoint of acsEndpoints) {
    if (!isAllowedUrl(endpoint.location, allowHttp)) {
      problems.push(`AssertionConsumerService Location ${JSON.stringify(endpoint.location)} is not an absolute https:// URL${allowHttp ? ' or http:// URL' : ''}`);
    }
  }

  const sloEndpoints: SloEndpoint[] = childElements(descriptor, NS.md, 'SingleLogoutService').map((element) => {
    const responseLocation = element.getAttribute('ResponseLocation');
    return {
      binding: element.getAttribute('Binding') ?? '',
      location: element.getAttribute('Location') ?? '',
      ...(responseLocation ? { responseLocation } : {}),
    };
  });
  for (const endpoint of sloEndpoints) {
    for (const url of [endpoint.location, endpoint.responseLocation].filter((u): u is string => u !== undefined)) {
      if (!isAllowedUrl(url, allowHttp)) problems.push(`SingleLogoutService URL ${JSON.stringify(url)} is not allowed`);
    }
  }

  const keys = childElements(descriptor, NS.md, 'KeyDescriptor').map(keyDescriptor);
  const displayNames = displayNamesOf(root, descriptor);
  return { facts: { entityId, ...(validUntil ? { validUntil } : {}), acsEndpoints, sloEndpoints, keys, displayNames }, problems };
}

function isAllowedUrl(text: string, allowHttp: boolean): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (allowHttp && url.protocol === 'http:');
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

function localizedTexts(elements: Element[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const element of elements) {
    const lang = (element.getAttributeNS(XML_NS, 'lang') || 'und').toLowerCase().split('-')[0]!;
    const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 120);
    if (text && !(lang in out)) out[lang] = text;
  }
  return out;
}

function displayNamesOf(root: Element, descriptor: Element): Record<string, string> {
  const uiInfo = childElements(descriptor, NS.md, 'Extensions').flatMap((extensions) => childElements(extensions, NS.mdui, 'UIInfo'));
  const fromUi = localizedTexts(uiInfo.flatMap((info) => childElements(info, NS.mdui, 'DisplayName')));
  if (Object.keys(fromUi).length > 0) return fromUi;
  const organization = childElements(root, NS.md, 'Organization');
  return localizedTexts(organization.flatMap((org) => childElements(org, NS.md, 'OrganizationDisplayName')));
}
