// Our metadata must validate against the SAML metadata schema (+ mdui) and verify with an independent tool.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { FixedClock } from '../../../src/shared/index.js';
import { buildIdpMetadata } from '../../../src/saml/index.js';
import { validateAgainstSchema } from '../../../src/xml/index.js';
import { FIXTURES, IDP, idpSigning, otherKey } from './fixtures.js';

const clock = new FixedClock('2026-11-22T10:00:00Z');
const input = {
  ...IDP,
  signing: idpSigning,
  organization: {
    name: { da: 'Eksempel & Co', en: 'Example & Co' },
    displayName: { da: 'Eksempel', en: 'Example' },
    url: { da: 'https://example.dk/da', en: 'https://example.dk/en' },
  },
  contacts: { technical: { company: 'Ops <team>', email: 'ops@example.dk' }, support: { email: 'mailto:support@example.dk' } },
  displayNames: { da: 'NemID-login', en: 'NemID login' },
  clock,
};

t.test('metadata is schema-valid and carries the profile elements', async (t) => {
  const xml = buildIdpMetadata(input);
  await validateAgainstSchema(xml, 'metadata', 'SP_REGISTRY_INVALID');
  t.match(xml, 'validUntil="2026-11-29T10:00:00Z"');
  t.match(xml, 'cacheDuration="PT6H"');
  t.match(xml, 'WantAuthnRequestsSigned="true"');
  t.equal(xml.match(/<md:KeyDescriptor use="signing">/g)?.length, 1);
  t.equal(xml.match(/<md:SingleSignOnService /g)?.length, 2);
  t.equal(xml.match(/<md:SingleLogoutService /g)?.length, 2);
  t.equal(xml.match(/<md:NameIDFormat>/g)?.length, 3);
  t.match(xml, 'Name="dk:gov:saml:attribute:CprNumberIdentifier"');
  t.match(xml, 'Name="https://data.gov.dk/model/core/eid/cprNumber"');
  t.match(xml, 'Ops &lt;team&gt;');
  t.notMatch(xml, 'use="encryption"');
});

t.test('the next signing certificate is published during a rollover', async (t) => {
  const xml = buildIdpMetadata({ ...input, nextSigningCert: otherKey.cert });
  await validateAgainstSchema(xml, 'metadata', 'SP_REGISTRY_INVALID');
  t.equal(xml.match(/<md:KeyDescriptor use="signing">/g)?.length, 2);
});

t.test('signature verifies with xmlsec1 (and fails with another certificate)', { skip: existsSync('/usr/bin/xmlsec1') ? false : 'xmlsec1 not installed (apt-get install xmlsec1)' }, async (t) => {
  const xml = buildIdpMetadata(input);
  const run = (cert: string) =>
    execFileSync('/usr/bin/xmlsec1', ['--verify', '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor', '--pubkey-cert-pem', cert, '-'], {
      input: xml,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  t.doesNotThrow(() => run(FIXTURES + 'idp-signing.TEST-ONLY.cert.pem'));
  t.throws(() => run(FIXTURES + 'other-sp.TEST-ONLY.cert.pem'));
});
