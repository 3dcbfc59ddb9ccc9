// Each start-up rule of saml-profile.md §8 has a fixture folder; every problem names the file it concerns.
import t from 'tap';
import { FixedClock } from '../../../src/shared/index.js';
import { loadSpRegistry, type NemidEnvironment } from '../../../src/saml/index.js';
import { FIXTURES, IDP } from './fixtures.js';

const clock = new FixedClock('2026-11-22T00:00:00Z');
const load = (folder: string, environment: NemidEnvironment = 'production') =>
  loadSpRegistry({ dir: `${FIXTURES}registry/${folder}`, environment, idp: IDP, clock });

t.test('the valid folder loads with defaults applied', async (t) => {
  const { registry, problems } = await load('valid');
  t.same(problems, []);
  t.equal(registry.all().length, 2);
  const sp = registry.byEntityId('https://sp.test/metadata');
  t.equal(sp?.name, 'test-sp');
  t.equal(sp?.policy.attributeProfile, 'oiosaml2');
  t.equal(sp?.policy.nameIdFormat, 'persistent');
  t.equal(sp?.policy.youthCertificates, 'allow');
  t.equal(sp?.encryption?.content, 'http://www.w3.org/2009/xmlenc11#aes256-gcm');
  t.equal(sp?.encryption?.keyTransport, 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p');
  t.equal(sp?.sloEndpoints.length, 2);
  t.equal(registry.byEntityId('https://plain.sp.test')?.encryption, undefined);
  t.equal(registry.byEntityId('https://unknown.test'), undefined);
});

const failures: [string, RegExp][] = [
  ['schema-invalid', /^sp\.xml: not schema-valid/],
  ['entities-descriptor', /^sp\.xml: /],
  ['metadata-expired', /^sp\.xml: validUntil .* has passed/],
  ['duplicate-entity-id', /^b\.xml: entityID https:\/\/broken\.sp\.test is also declared by a\.xml/],
  ['no-post-acs', /^sp\.xml: no AssertionConsumerService with HTTP-POST/],
  ['duplicate-acs-index', /^sp\.xml: duplicate AssertionConsumerService index/],
  ['http-acs', /^sp\.xml: AssertionConsumerService Location .* not an absolute https/],
  ['no-signing-certificate', /^sp\.xml: no usable signing certificate/],
  ['weak-signing-certificate', /^sp\.xml: no usable signing certificate/],
  ['unusable-encryption-certificate', /^sp\.xml: unusable encryption certificate/],
  ['policy-unknown-field', /^sp\.json: .*releaseCPR/],
  ['policy-cpr-lookup-private', /^sp\.json: cpr "lookup" needs sector "public"/],
  ['policy-release-cpr-without-encryption-key', /^sp\.json: releaseCpr needs an encryption key/],
  ['policy-cpr-step-without-release', /^sp\.json: cpr "match" with releaseCpr false/],
  ['policy-business-login-without-poces', /^sp\.json: businessLogin needs "POCES"/],
  ['policy-oiosaml3-x509-nameid', /^sp\.json: attributeProfile "oiosaml3" needs/],
  ['encryption-method-not-listed', /^sp\.json: .*not among the EncryptionMethods/],
  ['missing-policy-file', /^sp\.xml: sp\.json is missing/],
  ['bad-file-name', /^Bad_Name\.(xml|json): name must match/],
];

for (const [folder, expected] of failures) {
  t.test(`start-up refused: ${folder}`, async (t) => {
    const { problems } = await load(folder);
    t.ok(problems.length > 0, 'at least one problem');
    t.ok(problems.some((problem) => expected.test(problem)), `a problem matches ${expected}: ${JSON.stringify(problems)}`);
  });
}

t.test('http:// ACS is accepted only in the simulator environment', async (t) => {
  const { problems, registry } = await load('http-acs', 'simulator');
  t.same(problems, []);
  t.equal(registry.all().length, 1);
});

t.test('an SP listing xmlenc11 rsa-oaep with MGF1-SHA-256 gets it', async (t) => {
  const { problems, registry } = await load('rsa-oaep-11-listed');
  t.same(problems, []);
  t.equal(registry.all()[0]?.encryption?.keyTransport, 'http://www.w3.org/2009/xmlenc11#rsa-oaep');
});

t.test('a KeyDescriptor without use serves signing and encryption', async (t) => {
  const { problems, registry } = await load('key-without-use');
  t.same(problems, []);
  t.equal(registry.all()[0]?.signingCertificates.length, 1);
  t.ok(registry.all()[0]?.encryption);
});
