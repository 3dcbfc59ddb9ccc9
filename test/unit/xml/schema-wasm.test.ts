import t from 'tap';
import { readFileSync } from 'node:fs';
import { isIdpError } from '../../../src/errors/index.js';
import { validateAgainstSchema, validateAgainstSchemaWithWasm } from '../../../src/xml/index.js';
import { demoSpRegistration } from '../../../src/simulator/index.js';

// The schema validator without Debian's xmllint (a fresh machine): the WebAssembly build of the same libxml2 must
// agree with the binary on a valid message and on a tampered one.

const key = (name: string) => readFileSync(new URL(`../../fixtures/saml/${name}`, import.meta.url), 'utf8');
const metadata = demoSpRegistration('http://localhost:8080', {
  signingKeyPem: key('demo-sp-signing.TEST-ONLY.key.pem'),
  signingCertPem: key('demo-sp-signing.TEST-ONLY.cert.pem'),
  encryptionKeyPem: key('demo-sp-encryption.TEST-ONLY.key.pem'),
  encryptionCertPem: key('demo-sp-encryption.TEST-ONLY.cert.pem'),
}).metadataXml;
const tampered = metadata.replace('<md:SPSSODescriptor', '<md:SPSSODescriptor unknownAttribute="x"');

t.test('valid metadata passes in both validators', async (t) => {
  await t.resolves(validateAgainstSchemaWithWasm(metadata, 'metadata', 'SAML_SCHEMA_INVALID'));
  await t.resolves(validateAgainstSchema(metadata, 'metadata', 'SAML_SCHEMA_INVALID'));
});

t.test('a tampered document is refused by both', async (t) => {
  for (const validate of [validateAgainstSchemaWithWasm, validateAgainstSchema]) {
    const error = await validate(tampered, 'metadata', 'SAML_SCHEMA_INVALID').then(() => null, (e: unknown) => e);
    t.ok(isIdpError(error, 'SAML_SCHEMA_INVALID'), validate.name);
  }
});
