import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isIdpError } from '../../../src/errors/index.js';
import { validateAgainstSchema, validateAgainstSchemaSync, type SchemaName } from '../../../src/xml/index.js';
import { demoSpRegistration } from '../../../src/simulator/index.js';

// The in-process schema validator (libxml2-wasm, schemas compiled once) against an independent verdict: Debian's
// xmllint binary run on the same files, for valid and schema-invalid documents of both schemas.

const fixtures = fileURLToPath(new URL('../../fixtures/saml/', import.meta.url));
const xsd = fileURLToPath(new URL('../../../xsd/', import.meta.url));
const key = (name: string) => readFileSync(`${fixtures}${name}`, 'utf8');
const metadata = demoSpRegistration('http://localhost:8080', {
  signingKeyPem: key('demo-sp-signing.TEST-ONLY.key.pem'),
  signingCertPem: key('demo-sp-signing.TEST-ONLY.cert.pem'),
  encryptionKeyPem: key('demo-sp-encryption.TEST-ONLY.key.pem'),
  encryptionCertPem: key('demo-sp-encryption.TEST-ONLY.cert.pem'),
}).metadataXml;
const request = key('requests/authn-request.post.valid.xml');

const cases: Array<[string, string, SchemaName, boolean]> = [
  ['demo SP metadata', metadata, 'metadata', true],
  ['metadata with an unknown attribute', metadata.replace('<md:SPSSODescriptor', '<md:SPSSODescriptor unknownAttribute="x"'), 'metadata', false],
  ['registry fixture schema-invalid', readFileSync(`${fixtures}registry/schema-invalid/${readdirSync(`${fixtures}registry/schema-invalid`).find((f) => f.endsWith('.xml'))}`, 'utf8'), 'metadata', false],
  ['valid AuthnRequest', request, 'protocol', true],
  ['signed request moved under Extensions of a new root', key('requests/authn-request.post.wrapped-under-extensions.xml'), 'protocol', false],
  ['AuthnRequest with an element the schema does not allow', request.replace(/(<saml:Issuer[^>]*>[^<]*<\/saml:Issuer>)/, '$1<samlp:Bogus/>'), 'protocol', false],
  ['AuthnRequest without its required ID', request.replace(/ ID="[^"]*"/, ''), 'protocol', false],
  ['not well-formed', '<samlp:AuthnRequest', 'protocol', false],
];

for (const [name, xml, schema, valid] of cases) {
  t.test(`${name}: ${valid ? 'accepted' : 'refused'}`, async (t) => {
    if (!valid) t.not(xml, request, 'the case differs from the valid request');
    const error = await validateAgainstSchema(xml, schema, 'SAML_SCHEMA_INVALID').then(() => null, (e: unknown) => e);
    if (valid) t.equal(error, null);
    else {
      t.ok(isIdpError(error, 'SAML_SCHEMA_INVALID'), 'refused with the caller\'s code');
      t.ok(((error as { detail?: { problems?: string[] } }).detail?.problems ?? []).length > 0, 'with the problems listed');
    }
  });
}

t.test('the same verdicts as Debian\'s xmllint binary', { skip: existsSync('/usr/bin/xmllint') ? false : 'xmllint not installed (apt-get install libxml2-utils)' }, async (t) => {
  const files = { protocol: 'saml-schema-protocol-2.0.xsd', metadata: 'metadata-with-ui.xsd' };
  for (const [name, xml, schema] of cases) {
    let binary = true;
    try {
      execFileSync('/usr/bin/xmllint', ['--noout', '--nonet', '--schema', xsd + files[schema], '-'], { input: xml, stdio: ['pipe', 'ignore', 'ignore'] });
    } catch {
      binary = false;
    }
    let inProcess = true;
    try {
      validateAgainstSchemaSync(xml, schema, 'SAML_SCHEMA_INVALID');
    } catch {
      inProcess = false;
    }
    t.equal(inProcess, binary, name);
  }
});

t.test('an external entity is neither fetched nor read: the message is refused', async (t) => {
  const withEntity = `<?xml version="1.0"?><!DOCTYPE samlp:AuthnRequest [<!ENTITY leak SYSTEM "file:///etc/hostname">]>${request.replace(/^<\?xml[^>]*\?>/, '').replace(/(<saml:Issuer[^>]*>)[^<]*/, '$1&leak;')}`;
  const error = await validateAgainstSchema(withEntity, 'protocol', 'SAML_SCHEMA_INVALID').then(() => null, (e: unknown) => e);
  t.ok(isIdpError(error, 'SAML_SCHEMA_INVALID'), 'refused');
  t.notMatch(JSON.stringify(error ?? {}), readFileSync('/etc/hostname', 'utf8').trim() || 'no-hostname', 'nothing of the file in the answer');
});
