import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IdpError } from '../../errors/index.js';
import { NS, childElements, parseXml } from '../../xml/index.js';
import type { DemoSpOptions } from './types.js';

// Reads the demo SP's own registration from METADATA_DIR: demo-sp.xml (entity ID, ACS, SLO) and the TEST-ONLY keys
// in demo-sp.keys/, so that the demo SP and the IdP's registry can never disagree about who the demo SP is.

export type DemoSpFiles = Pick<
  DemoSpOptions,
  'spEntityId' | 'acsUrl' | 'sloUrl' | 'signingKeyPem' | 'signingCertPem' | 'encryptionKeyPem'
> & { metadataXml: string };

const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

function fail(reason: string): never {
  throw new IdpError('CONFIG_INVALID', `demo SP registration: ${reason}`);
}

function endpoint(descriptor: Element, localName: string, binding: string): string {
  const found = childElements(descriptor, NS.md, localName).find((element) => element.getAttribute('Binding') === binding);
  const location = found?.getAttribute('Location');
  if (!location) fail(`no ${localName} with ${binding}`);
  return location;
}

export async function loadDemoSpFiles(metadataDir: string): Promise<DemoSpFiles> {
  const metadataXml = await readFile(join(metadataDir, 'demo-sp.xml'), 'utf8');
  const root = parseXml(metadataXml, { maxBytes: 1024 * 1024, errorCode: 'CONFIG_INVALID' }).documentElement as Element;
  if (root.namespaceURI !== NS.md || root.localName !== 'EntityDescriptor') fail('demo-sp.xml is not an EntityDescriptor');
  const spEntityId = root.getAttribute('entityID');
  if (!spEntityId) fail('no entityID');
  const [descriptor, ...others] = childElements(root, NS.md, 'SPSSODescriptor');
  if (!descriptor || others.length > 0) fail('expected exactly one SPSSODescriptor');
  const acsUrl = endpoint(descriptor, 'AssertionConsumerService', POST);
  const sloUrl = endpoint(descriptor, 'SingleLogoutService', REDIRECT);
  const keys = join(metadataDir, 'demo-sp.keys');
  const [signingKeyPem, signingCertPem, encryptionKeyPem] = await Promise.all(
    ['demo-sp-signing.TEST-ONLY.key.pem', 'demo-sp-signing.TEST-ONLY.cert.pem', 'demo-sp-encryption.TEST-ONLY.key.pem'].map((name) =>
      readFile(join(keys, name), 'utf8'),
    ),
  );
  if (!signingKeyPem || !signingCertPem || !encryptionKeyPem) fail('key files missing');
  return { spEntityId, acsUrl, sloUrl, signingKeyPem, signingCertPem, encryptionKeyPem, metadataXml };
}
